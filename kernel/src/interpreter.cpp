#include "interpreter.hpp"

#include <iostream>
#include <utility>
#include <vector>

#include "batched_output.hpp"
#include "interrupt_guard.hpp"
#include "pybind11/pybind11.h"
#include "python_startup.hpp"
#include "wire_guard.hpp"

#ifndef XAG_VERSION
#define XAG_VERSION "0.0.0"
#endif

namespace py = pybind11;

namespace xag {
namespace {

// An error reply (and, for cells, the published error) for an exception that escaped
// xeus-python's own handling, e.g. a KeyboardInterrupt that landed outside the user's code.
// Call with the GIL held.
nl::json error_reply(py::error_already_set& e) {
  nl::json reply;
  reply["status"] = "error";
  py::object type = e.type();
  reply["ename"] = type ? py::str(type.attr("__name__")).cast<std::string>() : "Exception";
  reply["evalue"] = e.value() ? py::str(e.value()).cast<std::string>() : "";
  reply["traceback"] = nl::json::array({e.what()});
  return reply;
}

nl::json error_reply(const std::exception& e) {
  nl::json reply;
  reply["status"] = "error";
  reply["ename"] = "RuntimeError";
  reply["evalue"] = e.what();
  reply["traceback"] = nl::json::array({e.what()});
  return reply;
}

// The answer to an execute_request whose code was not valid UTF-8 (see wire_guard.hpp): it is
// not run, since what arrived is not what the user wrote.
nl::json invalid_utf8_reply(const std::string& bytes) {
  const std::string evalue = "the code of this request is not valid UTF-8 (bytes " + bytes +
                             "); nothing was run. Save the notebook as UTF-8 and run it again.";
  nl::json reply;
  reply["status"] = "error";
  reply["ename"] = "UnicodeDecodeError";
  reply["evalue"] = evalue;
  reply["traceback"] = nl::json::array({"\x1b[0;31mUnicodeDecodeError\x1b[0m: " + evalue});
  return reply;
}

// Runs a base-class hook under the GIL; anything it throws becomes an error reply.
template <class F>
nl::json guarded(F&& hook) {
  py::gil_scoped_acquire acquire;
  try {
    return std::forward<F>(hook)();
  } catch (py::error_already_set& e) {
    return error_reply(e);
  } catch (const std::exception& e) {
    return error_reply(e);
  }
}

}  // namespace

interpreter::interpreter() : xpyt::interpreter(/*redirect_output_enabled=*/true) {}

void interpreter::configure_impl() {
  // The base class releases the GIL at its start and keeps it released between requests.
  xpyt::interpreter::configure_impl();
  py::gil_scoped_acquire acquire;
  try {
    run_python_startup(m_ipython_shell);
  } catch (py::error_already_set& e) {
    std::cerr << "xautograph: Python start-up failed: " << e.what() << std::endl;
  }
  batched_output::instance().start();
}

nl::json interpreter::execute_request_impl(int execution_counter, const std::string& code,
                                           bool silent, bool store_history,
                                           nl::json user_expressions, bool allow_stdin) {
  py::gil_scoped_acquire acquire;
  nl::json reply;
  const std::string invalid_bytes = take_invalid_utf8(parent_header().value("msg_id", ""));
  if (!invalid_bytes.empty()) {
    reply = invalid_utf8_reply(invalid_bytes);
  } else {
    // SIGINT reaches this thread only while the cell runs (see interrupt_guard.hpp); its output
    // is batched until it ends (see batched_output.hpp).
    cell_output_scope batched;
    interrupt_scope interruptible;
    try {
      reply = xpyt::interpreter::execute_request_impl(
          execution_counter, code, silent, store_history, std::move(user_expressions), allow_stdin);
    } catch (py::error_already_set& e) {
      reply = error_reply(e);
    } catch (const std::exception& e) {
      reply = error_reply(e);
    }
  }
  if (reply.value("status", "") == "error" && !reply.contains("payload")) {
    // The base class did not publish this one: it escaped its handling.
    if (!silent) {
      publish_execution_error(reply["ename"].get<std::string>(), reply["evalue"].get<std::string>(),
                              reply["traceback"].get<std::vector<std::string>>());
    }
    reply["payload"] = nl::json::array();
    reply["user_expressions"] = nl::json::object();
  }
  return reply;
}

nl::json interpreter::complete_request_impl(const std::string& code, int cursor_pos) {
  nl::json reply =
      guarded([&] { return xpyt::interpreter::complete_request_impl(code, cursor_pos); });
  if (reply.value("status", "") == "error") {
    reply["matches"] = nl::json::array();
    reply["cursor_start"] = cursor_pos;
    reply["cursor_end"] = cursor_pos;
    reply["metadata"] = nl::json::object();
  }
  return reply;
}

nl::json interpreter::inspect_request_impl(const std::string& code, int cursor_pos,
                                           int detail_level) {
  nl::json reply = guarded(
      [&] { return xpyt::interpreter::inspect_request_impl(code, cursor_pos, detail_level); });
  if (reply.value("status", "") == "error") {
    reply["found"] = false;
    reply["data"] = nl::json::object();
    reply["metadata"] = nl::json::object();
  }
  return reply;
}

nl::json interpreter::is_complete_request_impl(const std::string& code) {
  nl::json reply = guarded([&] { return xpyt::interpreter::is_complete_request_impl(code); });
  if (reply.value("status", "") == "error") {
    // is_complete_reply has no error status: "unknown" is the protocol's answer.
    reply = nl::json{{"status", "unknown"}};
  }
  return reply;
}

nl::json interpreter::kernel_info_request_impl() {
  nl::json info = guarded([&] { return xpyt::interpreter::kernel_info_request_impl(); });
  info["implementation"] = "xautograph";
  info["implementation_version"] = XAG_VERSION;
  info["banner"] = std::string("xautograph " XAG_VERSION
                               ": Python 3 with AutoGraph-style staging (xeus-python " XPYT_VERSION
                               ")\nPython ") +
                   PY_VERSION;
  info["language_info"]["name"] = "python";
  info["language_info"]["version"] = PY_VERSION;
  info["language_info"]["mimetype"] = "text/x-python";
  info["language_info"]["file_extension"] = ".py";
  info["language_info"]["codemirror_mode"] = {{"name", "ipython"}, {"version", 3}};
  info["language_info"]["pygments_lexer"] = "ipython3";
  info["language_info"]["nbconvert_exporter"] = "python";
  info["help_links"] = nl::json::array();
  info["status"] = "ok";
  return info;
}

void interpreter::shutdown_request_impl() {
  py::gil_scoped_acquire acquire;
  try {
    xpyt::interpreter::shutdown_request_impl();
  } catch (py::error_already_set& e) {
    std::cerr << "xautograph: error during shutdown: " << e.what() << std::endl;
  }
}

nl::json interpreter::internal_request_impl(const nl::json& content) {
  return guarded([&] { return xpyt::interpreter::internal_request_impl(content); });
}

}  // namespace xag
