// Bindings of runtime/graph: the Graph object, traces, and the tracer's control flow (branches
// and loop bodies are Python callables), tensor lists, print/assert and variables. Tracing
// itself is runtime/graph/tracer.h; this layer converts values, and gives the tracer the user's
// source location by reading the Python frame stack. The Python API over these is in
// autograph/graph.py, control_flow.py, tensor_array.py, variables.py and function.py.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>

#include <frameobject.h>

#include <memory>
#include <string>
#include <vector>

#include "pybind_common.h"
#include "runtime/graph/passes.h"

namespace xag::py {

namespace {

// The tracer's LocationSource: the first Python frame outside the autograph package
// (rt::in_package), with the text of its line (read only when the line changed).
bool python_location(const rt::SourceLoc& current, rt::SourceLoc* out) {
  PyFrameObject* f = PyEval_GetFrame();  // borrowed
  Py_XINCREF(f);
  while (f) {
    PyCodeObject* code = PyFrame_GetCode(f);
    const char* fname = PyUnicode_AsUTF8(code->co_filename);
    if (fname && !rt::in_package(fname)) {
      const int line = PyFrame_GetLineNumber(f);
      const bool moved = current.line != line || current.file != fname;
      Py_DECREF(code);
      Py_DECREF(f);
      if (moved) {
        out->file = fname;
        out->line = line;
        out->source_line = py::module_::import("linecache")
                               .attr("getline")(out->file, line)
                               .attr("strip")()
                               .cast<std::string>();
      }
      return moved;
    }
    PyFrameObject* back = PyFrame_GetBack(f);
    Py_DECREF(code);
    Py_DECREF(f);
    f = back;
  }
  return false;
}

void bind_graph_object(py::module_& m) {
  py::class_<rt::Graph, std::shared_ptr<rt::Graph>>(m, "Graph")
      .def("ops", &rt::Graph::ops, py::arg("recursive") = true)
      .def("dump", &rt::Graph::dump)
      .def("to_dot", &rt::Graph::to_dot)
      .def("num_nodes", [](const rt::Graph& g) { return g.num_nodes(true); })
      // The default passes, in place; returns the names of those that changed the graph.
      .def(
          "optimize",
          [](rt::Graph& g, bool verify_each) {
            return rt::run_passes(g, rt::default_passes(), verify_each);
          },
          py::arg("verify_each") = false);

  // A graph being traced: ops build nodes while it is entered.
  using TracePtr = std::shared_ptr<rt::Trace>;
  py::class_<rt::Trace, TracePtr>(m, "Trace")
      .def(py::init(&rt::Trace::create), py::arg("name") = "main")
      .def("__enter__",
           [](const TracePtr& t) {
             rt::enter_trace(t);
             return t;
           })
      .def("__exit__",
           [](rt::Trace& t, py::args) {
             rt::exit_trace(t);
             return false;
           })
      .def(
          "placeholder",
          [](rt::Trace& t, rt::DType dtype, const rt::Shape& shape, const std::string& name) {
            return t.placeholder(rt::TensorSpec{dtype, shape}, name);
          },
          py::arg("dtype"), py::arg("shape"), py::arg("name") = "")
      .def("set_outputs", &rt::Trace::set_outputs)
      .def("graph", &rt::Trace::graph);
}

// cond/while_loop take Python callables: a branch returns a flat list of tensors; cond_fn and
// body_fn get the loop variables as a list, body_fn returns a flat list.
void bind_control_flow(py::module_& m) {
  m.def("tracing", &rt::tracing);
  // `with ag.init_scope():` suspends the traces of this thread (ops run eagerly inside).
  // `with ag.name_scope(name):` names the nodes traced inside (pictures group them).
  bind_scope<rt::InitScope>(m, "_InitScope", [](auto& scope) { scope.emplace(); });
  bind_scope<rt::NameScope, std::string>(
      m, "_NameScope", [](auto& scope, const std::string& name) { scope.emplace(name); });
  m.def("cond", &rt::cond);
  // A value the program holds as a Python number (a range counter, a number on every path of a
  // staged if): weakly typed in the ops it meets (rt::Symbol::weak).
  m.def("weakly_typed", &rt::weakly_typed);
  m.def("is_weak", [](const rt::Operand& t) { return t.sym != nullptr && t.sym->weak; });
  m.def("while_loop", &rt::while_loop, py::arg("loop_vars"), py::arg("cond_fn"), py::arg("body_fn"),
        py::arg("maximum_iterations") = py::none(),
        py::arg("shape_invariants") = std::vector<std::optional<rt::Shape>>{});
  // Side effects, in program order: str items of a print are literal text, the rest tensors.
  m.def("staged_print", &rt::print, py::arg("items"), py::arg("sep") = " ", py::arg("end") = "\n");
  m.def("staged_assert", &rt::assert_true, py::arg("pred"), py::arg("message"));
  // A call of a graph function (operators/recursion.py): results typed by (dtype, shape) pairs.
  m.def(
      "call_function",
      [](const rt::Trace& callee, const std::vector<rt::Operand>& args,
         const std::vector<std::pair<rt::DType, rt::Shape>>& results, bool own) {
        std::vector<rt::TensorSpec> specs;
        for (const auto& [dtype, shape] : results) specs.push_back(rt::TensorSpec{dtype, shape});
        return rt::call_function(callee, args, specs, own);
      },
      py::arg("callee"), py::arg("args"), py::arg("results"), py::arg("own"));
}

// Tensor lists (ag.TensorArray and staged list appends); list_pop returns (shorter list,
// element), index -1 being the last.
void bind_lists(py::module_& m) {
  m.def(
      "list_new",
      [](rt::DType dtype, const rt::Shape& shape, const std::optional<rt::Operand>& size,
         bool dynamic_size) {
        return rt::list_new(rt::TensorSpec{dtype, shape}, size ? &*size : nullptr, dynamic_size);
      },
      py::arg("dtype"), py::arg("element_shape"), py::arg("size") = py::none(),
      py::arg("dynamic_size") = true);
  m.def("list_push_back", &rt::list_push_back);
  m.def("list_get", &rt::list_get);
  m.def("list_set", &rt::list_set);
  m.def("list_size", &rt::list_size);
  m.def("list_stack", &rt::list_stack);
  m.def("list_pop", &rt::list_pop, py::arg("list"), py::arg("index"));
  // Names the graph input behind a symbolic tensor (a loop variable's placeholder) after the
  // user's variable, for pictures and dumps; anything else, or a named input, is left alone.
  m.def("name_placeholder", [](py::handle h, const std::string& name) {
    const PyTensor* t = tensor_ptr(h);
    if (!t || !t->symbolic()) return;
    rt::Node* n = t->sym->value.node;
    if (n && n->kind == rt::NodeKind::Placeholder && n->name.empty()) n->name = name;
  });
  m.def("is_list", [](py::handle h) {
    const PyTensor* t = tensor_ptr(h);
    return t && t->is_list();
  });
}

// A variable's storage (ag.Variable); assign's mode is 'set', 'add' or 'sub'.
void bind_variables(py::module_& m) {
  using VariablePtr = std::shared_ptr<rt::Variable>;
  py::class_<rt::Variable, VariablePtr>(m, "VariableResource")
      .def(py::init(&rt::new_variable), py::arg("initial"), py::arg("name") = "")
      .def_property_readonly("dtype", [](const rt::Variable& v) { return v.spec().dtype; })
      .def_property_readonly("shape", [](const rt::Variable& v) { return v.spec().shape; })
      .def("read", &rt::read_variable)
      .def(
          "assign",
          [](const VariablePtr& v, py::handle value, const std::string& mode) {
            const PyTensor x = to_tensor(value, rt::assign_value_dtype(*v));
            return rt::assign_variable(v, x, rt::assign_mode(mode));
          },
          py::arg("value"), py::arg("mode") = "set");
}

}  // namespace

void bind_graph(py::module_& m) {
  bind_graph_object(m);
  bind_control_flow(m);
  bind_lists(m);
  bind_variables(m);

  rt::set_location_source(&python_location);
  m.def("_set_package_dir", &rt::set_package_dir);
  // The user's (file, line, source_line) that ops would be located at now, or None.
  m.def("user_location", []() -> py::object {
    const rt::SourceLoc l = rt::user_location();
    if (!l.known()) return py::none();
    return py::make_tuple(l.file, l.line, l.source_line);
  });
}

}  // namespace xag::py
