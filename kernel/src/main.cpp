// Assembles the xautograph kernel: Debian's embedded Python 3.11, our interpreter, IPython-backed
// history, the protocol-fixing server and xeus-python's debugger.
#include <Python.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <utility>

#include "batched_output.hpp"
#include "history_manager.hpp"
#include "interpreter.hpp"
#include "interrupt_guard.hpp"
#include "nlohmann/json.hpp"
#include "protocol_server.hpp"
#include "pybind11/embed.h"
#include "wire_guard.hpp"
#include "xeus-python/xdebugger.hpp"
#include "xeus/xeus_context.hpp"
#include "xeus/xkernel.hpp"
#include "xeus/xkernel_configuration.hpp"
#include "zmq.hpp"

#ifndef XAG_VERSION
#define XAG_VERSION "0.0.0"
#endif

namespace py = pybind11;
namespace nl = nlohmann;

namespace {

// Debian's interpreter: sys.executable, the prefix and the debugger's python all point here.
constexpr const wchar_t* kPythonProgramW = L"/usr/bin/python3.11";
constexpr const char* kPythonProgram = "/usr/bin/python3.11";

std::string option_value(int argc, char* argv[], const char* short_name, const char* long_name) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], short_name) == 0 || std::strcmp(argv[i], long_name) == 0) {
      return argv[i + 1];
    }
  }
  return "";
}

bool has_flag(int argc, char* argv[], const char* name) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return true;
  }
  return false;
}

// A Python configured like `/usr/bin/python3.11` itself (environment variables such as
// PYTHONPATH honoured, user site on), with sys.argv = our argv, and Python's SIGINT handler.
// Not xpyt::set_pythonhome(): from a build folder it sets a wrong prefix and Python aborts.
void configure_python(PyConfig& config) {
  PyConfig_InitPythonConfig(&config);
  PyConfig_SetString(&config, &config.program_name, kPythonProgramW);
  config.parse_argv = 0;
  config.install_signal_handlers = 1;
}

int run_kernel(const std::string& connection_file) {
  auto context = xeus::make_context<zmq::context_t>();
  auto interpreter = std::make_unique<xag::interpreter>();
  nl::json debugger_config;
  debugger_config["python"] = kPythonProgram;

  if (connection_file.empty()) {
    xeus::xkernel kernel(xeus::get_user_name(), std::move(context), std::move(interpreter),
                         xag::make_protocol_server, xag::make_history_manager(), nullptr,
                         xpyt::make_python_debugger, debugger_config);
    const xeus::xconfiguration& config = kernel.get_config();
    xag::install_wire_guard(config.m_signature_scheme, config.m_key);
    std::clog << "xautograph: no connection file given; connect with this kernel.json:\n"
              << nl::json{{"transport", config.m_transport},
                          {"ip", config.m_ip},
                          {"control_port", std::stoi(config.m_control_port)},
                          {"shell_port", std::stoi(config.m_shell_port)},
                          {"stdin_port", std::stoi(config.m_stdin_port)},
                          {"iopub_port", std::stoi(config.m_iopub_port)},
                          {"hb_port", std::stoi(config.m_hb_port)},
                          {"signature_scheme", config.m_signature_scheme},
                          {"key", config.m_key}}
                     .dump(4)
              << std::endl;
    kernel.start();
  } else {
    xeus::xconfiguration config = xeus::load_configuration(connection_file);
    xag::install_wire_guard(config.m_signature_scheme, config.m_key);
    xeus::xkernel kernel(config, xeus::get_user_name(), std::move(context), std::move(interpreter),
                         xag::make_protocol_server, xag::make_history_manager(), nullptr,
                         xpyt::make_python_debugger, debugger_config);
    kernel.start();
  }
  return 0;
}

}  // namespace

int main(int argc, char* argv[]) {
  if (has_flag(argc, argv, "--version")) {
    std::cout << "xautograph " XAG_VERSION << std::endl;
    return 0;
  }
  // Launched by Jupyter: our std streams may outlive the server's; never die of SIGPIPE on logs.
  if (std::getenv("JPY_PARENT_PID") != nullptr) std::clog.setstate(std::ios_base::failbit);

  // A kernel inherits its parent's signal dispositions: under `nohup jupyter notebook &` SIGINT
  // arrives ignored, Python then keeps it ignored and Jupyter's interrupt does nothing. Like
  // ipykernel, take SIGINT back unconditionally (Python installs its handler over SIG_DFL).
  xag::reset_inherited_sigint();
  // Before any thread exists, so that every xeus and zmq thread inherits the blocked mask.
  xag::block_sigint();
  xag::prepare_interrupt_nudge();

  PyConfig config;
  configure_python(config);
  int status = 0;
  try {
    // sys.argv is just the program: XPythonShellApp parses sys.argv and would warn about -f.
    py::scoped_interpreter python(&config, 1, argv, /*add_program_dir_to_path=*/false);
    // Python has installed its SIGINT handler; put the kernel's in front of it.
    xag::install_sigint_chain();
    status = run_kernel(option_value(argc, argv, "-f", "--connection-file"));
    xag::batched_output::instance().stop();  // its thread takes the GIL: stop it while there is one
  } catch (const std::exception& e) {
    std::cerr << "xautograph: fatal: " << e.what() << std::endl;
    status = 1;
  }
  return status;
}
