#include "comm_guard.hpp"

#include <iostream>
#include <set>

#include "nlohmann/json.hpp"
#include "xeus/xcomm.hpp"
#include "xeus/xinterpreter.hpp"

namespace nl = nlohmann;

namespace xag {

void ensure_comm_target(const std::string& target_name) {
  static std::set<std::string> placeholders;
  xeus::xcomm_manager& manager = xeus::get_interpreter().comm_manager();
  // target() inserts a default xtarget (empty name) when the name is unknown; a registered one
  // carries its name. The empty name is ambiguous, so it is handled by the placeholder set.
  const xeus::xtarget* target = manager.target(target_name);
  bool registered =
      target_name.empty() ? placeholders.count(target_name) != 0 : target->name() == target_name;
  if (registered) return;
  placeholders.insert(target_name);
  manager.register_comm_target(target_name, [](xeus::xcomm&& comm, xeus::xmessage request) {
    std::cerr << "xautograph: no comm target registered: "
              << request.content().value("target_name", std::string()) << std::endl;
    comm.close(nl::json::object(), nl::json::object(), xeus::buffer_sequence());
  });
}

}  // namespace xag
