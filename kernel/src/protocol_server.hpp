// The kernel's server: xeus's shell-on-main-thread server, with outgoing messages brought in
// line with the Jupyter messaging spec where xeus 2.4.1 deviates from it.
#ifndef XAG_KERNEL_PROTOCOL_SERVER_HPP
#define XAG_KERNEL_PROTOCOL_SERVER_HPP

#include <memory>

#include "nlohmann/json.hpp"
#include "xeus/xeus_context.hpp"
#include "xeus/xkernel_configuration.hpp"
#include "xeus/xserver.hpp"

namespace xag {

/// Server builder for xeus::xkernel: xeus::make_xserver_shell_main plus the fixes below.
///  - input_request: xeus names the password flag "pwd"; the spec (and jupyter_client's
///    validators) want "password". Both are sent, so old xeus frontends keep working.
///  - shutdown_reply: xeus omits `status`; it is added ("ok").
/// It also marks where "idle" ends for interrupts: SIGINTs pending when an execute_request
/// arrives are dropped (see interrupt_guard.hpp).
std::unique_ptr<xeus::xserver> make_protocol_server(xeus::xcontext& context,
                                                    const xeus::xconfiguration& config,
                                                    nl::json::error_handler_t eh);

}  // namespace xag

#endif
