#include "history_manager.hpp"

#include <functional>
#include <utility>

#include "pybind11/pybind11.h"
#include "pybind11_json/pybind11_json.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace xag {
namespace {

// The IPython history manager of the running shell, or None before the shell exists.
py::object ipython_history() {
  py::object shell_class =
      py::module::import("IPython.core.interactiveshell").attr("InteractiveShell");
  if (!shell_class.attr("initialized")().cast<bool>()) return py::none();
  return shell_class.attr("instance")().attr("history_manager");
}

// Runs one query under the GIL and wraps its entries in a history_reply content.
nl::json answer(const std::function<py::object(py::object)>& query) {
  py::gil_scoped_acquire acquire;
  nl::json reply;
  try {
    py::object history = ipython_history();
    nl::json entries = nl::json::array();
    if (!history.is_none()) {
      // IPython numbers the current session 0 in entries it serves from memory; clients need
      // the real number to ask for a range later.
      const int current_session = history.attr("session_number").cast<int>();
      for (py::handle entry : query(history)) {
        nl::json row = py::reinterpret_borrow<py::object>(entry);
        if (row.is_array() && !row.empty() && row[0] == 0) row[0] = current_session;
        entries.push_back(std::move(row));
      }
    }
    reply["status"] = "ok";
    reply["history"] = std::move(entries);
  } catch (py::error_already_set& e) {
    reply["status"] = "error";
    reply["ename"] = py::str(e.type().attr("__name__")).cast<std::string>();
    reply["evalue"] = py::str(e.value()).cast<std::string>();
    reply["traceback"] = nl::json::array();
    reply["history"] = nl::json::array();
  }
  return reply;
}

}  // namespace

void history_manager::configure_impl() {}

void history_manager::store_inputs_impl(int /*session*/, int /*line_num*/,
                                        const std::string& /*input*/,
                                        const std::string& /*output*/) {}

nl::json history_manager::get_tail_impl(int n, bool raw, bool output) const {
  // include_latest: the last cell is not the history request itself (as in ipykernel).
  return answer([=](py::object history) {
    return history.attr("get_tail")(n, "raw"_a = raw, "output"_a = output,
                                    "include_latest"_a = true);
  });
}

nl::json history_manager::get_range_impl(int session, int start, int stop, bool raw,
                                         bool output) const {
  return answer([=](py::object history) {
    return history.attr("get_range")(session, start, stop, "raw"_a = raw, "output"_a = output);
  });
}

nl::json history_manager::search_impl(const std::string& pattern, bool raw, bool output, int n,
                                      bool unique) const {
  return answer([=](py::object history) {
    return history.attr("search")(pattern, "raw"_a = raw, "search_raw"_a = true,
                                  "output"_a = output, "n"_a = n, "unique"_a = unique);
  });
}

std::unique_ptr<xeus::xhistory_manager> make_history_manager() {
  return std::make_unique<history_manager>();
}

}  // namespace xag
