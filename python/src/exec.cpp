// Bindings of runtime/exec: compiling a graph and running it through rt::run_session (the GIL
// released during the run; staged prints flushed to sys.stdout in batches; Ctrl-C and Jupyter
// interrupts stop it), whose host hooks are filled here with Python's steps.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "pybind_common.h"
#include "runtime/backend/registry.h"
#include "runtime/core/strings.h"
#include "runtime/exec/run_session.h"
#include "runtime/graph/graph.h"
#include "runtime/jit/tier.h"
#include "xautograph/interrupt_api.h"  // kernel/include: a header only, no link dependency

namespace xag::py {

namespace {

struct PyExecutable {
  rt::Executable exe;
  rt::DeviceId device = rt::kCpuDevice;  // where the graph's ops run
};

// A KeyboardInterrupt that stopped a staged loop says which one, and carries the loop's
// location like the package's located errors (the kernel's traceback then ends at that line).
void name_loop(const py::object& exc, const rt::SourceLoc& loop) {
  py::object message =
      py::str("interrupted while the staged loop at " + loop.to_string() + " was running");
  try {
    message = py::module_::import("autograph.errors").attr("readable_message")(message);
  } catch (py::error_already_set&) {
    // Without the package's wording helper the file name stays as it is.
  }
  exc.attr("args") = py::make_tuple(message);
  exc.attr("filename") = loop.file;
  exc.attr("lineno") = loop.line;
  exc.attr("source_line") = loop.source_line;
}

// Python's side of a run. Inside the xautograph kernel its SIGINT handler is the stop source
// (found through a capsule); elsewhere (plain python, ipykernel) the capsule is absent and the
// polls' PyErr_CheckSignals() does the job alone.
struct PythonHost final : rt::RunHost {
  std::optional<py::error_already_set> pending;  // the signal's exception, raised after the run
  std::optional<rt::SourceLoc> loop;             // the staged loop the interrupt stopped
  py::object stats_out = py::none();             // a dict for the run's counters, or None
  rt::RunStats stats;

  void without_lock(const std::function<void()>& f) override {
    py::gil_scoped_release release;
    f();
  }
  void with_lock(const std::function<void()>& f) override {
    py::gil_scoped_acquire gil;
    f();
  }
  void write(const std::string& text) override {
    py::object out = py::module_::import("sys").attr("stdout");
    if (!out.is_none()) out.attr("write")(text);
  }
  bool signal_pending() override {
    if (PyErr_CheckSignals() == 0) return false;
    pending.emplace();  // fetches the signal handler's exception
    return true;
  }
  void raise_signal() override {
    if (loop && pending->matches(PyExc_KeyboardInterrupt)) name_loop(pending->value(), *loop);
    throw *pending;
  }
  void interrupted_in_loop(const rt::SourceLoc& where) override { loop = where; }
  void after_run() override {
    if (!stats_out.is_none()) stats_out.attr("update")(stats.fields());
  }
  int add_stop_callback(void (*callback)(void*)) override {
    return kernel_api() ? kernel_api()->add_callback(callback, nullptr) : -1;
  }
  void remove_stop_callback(int id) override { kernel_api()->remove_callback(id); }

  static const xag_interrupt_api* kernel_api() {
    static const xag_interrupt_api* api = [] {
      auto* p =
          static_cast<const xag_interrupt_api*>(PyCapsule_Import(XAG_INTERRUPT_API_CAPSULE, 0));
      if (!p) PyErr_Clear();
      return p && p->version >= 1 ? p : nullptr;
    }();
    return api;
  }
};

// One tensor per graph input; returns the results as a list and, with a dict `stats_out`, fills
// in the run's counters (also when the run fails).
py::list run(const PyExecutable& e, std::vector<rt::Operand> args, py::object stats_out) {
  std::vector<rt::Tensor> inputs;
  for (rt::Operand& t : args) {
    if (t.symbolic()) throw rt::InternalError("run: symbolic argument");
    inputs.push_back(std::move(t.value));
  }
  PythonHost host;
  host.stats_out = std::move(stats_out);
  rt::RunOptions opts;
  opts.device = e.device;
  if (!host.stats_out.is_none()) opts.stats = &host.stats;
  py::list out;
  for (rt::Tensor& t : rt::run_session(e.exe, inputs, opts, host)) out.append(wrap(std::move(t)));
  // A safe point of the string collector: the run is over, its results are held by `out`.
  rt::collect_strings_if_due();
  return out;
}

}  // namespace

void bind_exec(py::module_& m) {
  // The JIT's compile thread stops at interpreter exit, while Python still runs: a job it drops
  // may hold the last reference to a graph's NumPy constants (the GIL is released for the join).
  py::module_::import("atexit").attr("register")(py::cpp_function([] {
    py::gil_scoped_release release;
    rt::jit::shutdown();
  }));
  // A graph lowered (verified first) to a program whose ops run on `device`.
  py::class_<PyExecutable>(m, "Executable")
      .def(py::init([](const rt::Graph& g, const std::string& device, bool jit) {
             PyExecutable e{rt::compile(g), rt::device_id(device)};
             if (!jit) e.exe.disable_jit();
             return e;
           }),
           py::arg("graph"), py::arg("device") = "cpu", py::arg("jit") = true)
      .def("run", &run, py::arg("args"), py::arg("stats") = py::none())
      // The device its ops run on ("cpu", "gpu:0"): the notebook pane says where a trace ran.
      .def_property_readonly("device",
                             [](const PyExecutable& e) { return rt::backend(e.device).name(); })
      // Which tier runs the graph (runtime/jit): a dict of tier ("native"/"interpreter"),
      // reason, compile_seconds and ready_seconds (-1 until known).
      .def("tier", [](const PyExecutable& e) {
        const rt::TierInfo i = e.exe.tier_info();
        py::dict d;
        d["tier"] = i.tier;
        d["reason"] = i.reason;
        d["compile_seconds"] = i.compile_seconds;
        d["ready_seconds"] = i.ready_seconds;
        return d;
      });
}

}  // namespace xag::py
