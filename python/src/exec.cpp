// Bindings of runtime/exec: compiling a graph and running it with the GIL released. The poll
// hook takes the GIL every few milliseconds to look for signals (Ctrl-C / a Jupyter interrupt)
// and to flush staged prints to sys.stdout in batches, so Jupyter captures them in order without
// one message per print.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "pybind_common.h"
#include "runtime/backend/registry.h"
#include "runtime/core/errors.h"
#include "runtime/core/interrupt.h"
#include "runtime/exec/executor.h"
#include "runtime/exec/print_buffer.h"
#include "runtime/graph/graph.h"

#if __has_include(<xautograph/interrupt_api.h>)
#include <xautograph/interrupt_api.h>
#define XAG_HAVE_KERNEL_INTERRUPT_API 1
#endif

namespace xag::py {

namespace {

// Inside the xautograph kernel, its SIGINT handler calls back into us for the lifetime of one
// run: the callback sets the runtime's stop flag (async-signal-safe: one atomic store), so a
// graph stops at its next check without waiting for the poll hook. Elsewhere (plain python,
// ipykernel) the capsule is absent and the poll hook's PyErr_CheckSignals() does the job alone.
struct KernelInterruptScope {
#ifdef XAG_HAVE_KERNEL_INTERRUPT_API
  static const xag_interrupt_api* kernel_api() {
    static const xag_interrupt_api* api = [] {
      auto* p =
          static_cast<const xag_interrupt_api*>(PyCapsule_Import(XAG_INTERRUPT_API_CAPSULE, 0));
      if (!p) PyErr_Clear();
      return p && p->version >= 1 ? p : nullptr;
    }();
    return api;
  }
  const xag_interrupt_api* api = kernel_api();
  int id = api ? api->add_callback([](void*) { rt::request_interrupt(); }, nullptr) : -1;
  ~KernelInterruptScope() {
    if (api && id >= 0) api->remove_callback(id);
  }
#endif
};

struct PyExecutable {
  rt::Executable exe;
  rt::DeviceId device = rt::kCpuDevice;  // where the graph's ops run
};

// Writes staged print output to sys.stdout (needs the GIL).
void write_stdout(const std::string& text) {
  if (text.empty()) return;
  py::object out = py::module_::import("sys").attr("stdout");
  if (!out.is_none()) out.attr("write")(text);
}

// One tensor per graph input; returns the results as a list and, with a dict `stats_out`, fills
// in the run's counters. Ctrl-C raises KeyboardInterrupt.
py::list run(const PyExecutable& e, std::vector<rt::Operand> args, py::object stats_out) {
  std::vector<rt::Tensor> inputs;
  for (rt::Operand& t : args) {
    if (t.symbolic()) throw rt::InternalError("run: symbolic argument");
    inputs.push_back(std::move(t.value));
  }
  auto prints = std::make_shared<rt::PrintBuffer>();
  std::optional<py::error_already_set> pending;  // the poll hook's error, raised after the run
  rt::RunStats stats;
  rt::RunOptions opts;
  opts.print_sink = [prints](std::string_view s) { prints->append(s); };
  opts.poll = [prints, &pending]() {
    py::gil_scoped_acquire gil;
    try {
      write_stdout(prints->take_if_due());
    } catch (py::error_already_set&) {
      // A broken stdout must not kill the run; the final flush reports it.
    }
    if (PyErr_CheckSignals() == 0) return false;
    pending.emplace();  // fetches the signal handler's exception
    return true;
  };
  opts.poll_interval_ms = 3.0;
  if (!stats_out.is_none()) opts.stats = &stats;
  opts.device = e.device;

  std::vector<rt::Tensor> results;
  std::exception_ptr failure;
  bool cancelled = false;
  rt::clear_interrupt();
  KernelInterruptScope kernel_interrupts;
  {
    py::gil_scoped_release release;
    try {
      results = e.exe.run(inputs, opts);
    } catch (const rt::CancelledError&) {
      cancelled = true;
      failure = std::current_exception();
    } catch (...) {
      failure = std::current_exception();
    }
  }
  write_stdout(prints->take());
  if (!stats_out.is_none()) stats_out.attr("update")(counters(stats.fields()));
  if (failure) rt::clear_interrupt();
  // The signal handler's exception (KeyboardInterrupt) wins over CancelledError.
  if (pending) throw *pending;
  if (failure) {
    // Stopped through the kernel's callback: Python's handler has recorded the signal, so this
    // raises the real KeyboardInterrupt (or whatever a user's SIGINT handler raises).
    if (cancelled && PyErr_CheckSignals() != 0) throw py::error_already_set();
    std::rethrow_exception(failure);
  }
  py::list out;
  for (rt::Tensor& t : results) out.append(wrap(std::move(t)));
  return out;
}

}  // namespace

void bind_exec(py::module_& m) {
  // A graph lowered (verified first) to a program whose ops run on `device`.
  py::class_<PyExecutable>(m, "Executable")
      .def(py::init([](const rt::Graph& g, const std::string& device) {
             return PyExecutable{rt::compile(g), rt::device_id(device)};
           }),
           py::arg("graph"), py::arg("device") = "cpu")
      .def("run", &run, py::arg("args"), py::arg("stats") = py::none());
  // Asks running graphs to stop (they raise KeyboardInterrupt).
  m.def("request_interrupt", &rt::request_interrupt);
}

}  // namespace xag::py
