// The xautograph interpreter: xeus-python's interpreter with protocol fixes and the hooks that
// the autograph package builds on. Ordinary cells run exactly as in xeus-python.
#ifndef XAG_KERNEL_INTERPRETER_HPP
#define XAG_KERNEL_INTERPRETER_HPP

#include <string>

#include "nlohmann/json.hpp"
#include "xeus-python/xinterpreter.hpp"

namespace xag {

class interpreter final : public xpyt::interpreter {
 public:
  interpreter();
  ~interpreter() override = default;

 protected:
  void configure_impl() override;
  nl::json execute_request_impl(int execution_counter, const std::string& code, bool silent,
                                bool store_history, nl::json user_expressions,
                                bool allow_stdin) override;
  nl::json complete_request_impl(const std::string& code, int cursor_pos) override;
  nl::json inspect_request_impl(const std::string& code, int cursor_pos, int detail_level) override;
  nl::json is_complete_request_impl(const std::string& code) override;
  nl::json kernel_info_request_impl() override;
  void shutdown_request_impl() override;
  nl::json internal_request_impl(const nl::json& content) override;

  // This class deliberately holds no py::object members: the base class keeps the GIL released
  // between requests, so such members would be destroyed without the GIL.
};

}  // namespace xag

#endif
