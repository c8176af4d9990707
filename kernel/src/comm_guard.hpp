// A server that wraps xeus's shell-on-main-thread server and screens shell messages before the
// kernel core sees them.
#ifndef XAG_KERNEL_COMM_GUARD_HPP
#define XAG_KERNEL_COMM_GUARD_HPP

#include <memory>

#include "nlohmann/json.hpp"
#include "xeus/xeus_context.hpp"
#include "xeus/xkernel_configuration.hpp"
#include "xeus/xserver.hpp"

namespace xag {

/// Server builder for xeus::xkernel: xeus::make_xserver_shell_main plus the comm guard.
std::unique_ptr<xeus::xserver> make_comm_guard_server(xeus::xcontext& context,
                                                      const xeus::xconfiguration& config,
                                                      nl::json::error_handler_t eh);

}  // namespace xag

#endif
