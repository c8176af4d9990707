// Bindings of runtime/graph: tracing scopes over a GraphBuilder (placeholders, ops, functional
// cond/while whose branches are Python callables, tensor lists, print/assert, variables), the
// Graph object (ops, dump, dot) and Variable resources. Policy (structures, caching, Python
// values) lives in the package; this layer only converts values and forwards calls.
#include <pybind11/functional.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <frameobject.h>

#include <memory>
#include <string>
#include <vector>

#include "pybind_common.h"
#include "runtime/core/errors.h"
#include "runtime/graph/builder.h"
#include "runtime/graph/graph.h"
#include "runtime/graph/passes.h"
#include "runtime/graph/variable.h"

namespace xag::py {

// One graph being traced: owns the graph and its builder. Symbolic tensors keep it alive.
struct TraceState {
  std::shared_ptr<rt::Graph> graph;
  std::unique_ptr<rt::GraphBuilder> builder;
  bool finished = false;

  explicit TraceState(const std::string& name)
      : graph(std::make_shared<rt::Graph>(name)),
        builder(std::make_unique<rt::GraphBuilder>(*graph)) {}
};

struct SymbolicValue {
  rt::Value value;
  std::shared_ptr<TraceState> trace;
};

const rt::TensorSpec& symbolic_spec(const SymbolicValue& v) {
  return v.value.spec();
}

namespace {

// The traces open on this thread, innermost last (nested ag.function calls inline into the
// outermost trace, so there is usually one).
thread_local std::vector<std::shared_ptr<TraceState>> t_traces;

// Frames in these files belong to the package; the user's location is the first frame outside.
std::string g_package_dir;
// Optional (filename, line) -> (filename, line, source_line) or None: the converter maps
// generated code back to the user's source through it (issue 4).
py::object g_location_mapper;

TraceState& current_trace() {
  if (t_traces.empty()) throw rt::InternalError("no graph is being traced");
  return *t_traces.back();
}

// Sets the builder's location from the first Python frame outside the autograph package, so
// errors at build and run time name the user's file and line.
void update_location(TraceState& tr) {
  PyFrameObject* f = PyEval_GetFrame();  // borrowed
  Py_XINCREF(f);
  while (f) {
    PyCodeObject* code = PyFrame_GetCode(f);
    const char* fname = PyUnicode_AsUTF8(code->co_filename);
    const bool ours = fname && !g_package_dir.empty() &&
                      std::string_view(fname).substr(0, g_package_dir.size()) == g_package_dir;
    if (!ours && fname) {
      const int line = PyFrame_GetLineNumber(f);
      const rt::SourceLoc& cur = tr.builder->location();
      if (cur.line != line || cur.file != fname) {
        rt::SourceLoc loc;
        loc.file = fname;
        loc.line = line;
        py::object mapped = py::none();
        if (g_location_mapper) mapped = g_location_mapper(loc.file, loc.line);
        if (!mapped.is_none()) {
          py::tuple t = mapped;
          loc.file = t[0].cast<std::string>();
          loc.line = t[1].cast<int>();
          loc.source_line = t[2].cast<std::string>();
        } else {
          loc.source_line = py::module_::import("linecache")
                                .attr("getline")(loc.file, loc.line)
                                .attr("strip")()
                                .cast<std::string>();
        }
        tr.builder->set_location(std::move(loc));
      }
      Py_DECREF(code);
      Py_DECREF(f);
      return;
    }
    PyFrameObject* back = PyFrame_GetBack(f);
    Py_DECREF(code);
    Py_DECREF(f);
    f = back;
  }
}

PyTensor symbolic(rt::Value v, const std::shared_ptr<TraceState>& tr) {
  PyTensor t;
  t.sym = std::make_shared<const SymbolicValue>(SymbolicValue{v, tr});
  return t;
}

// A graph value for a PyTensor in the current trace: eager tensors become constants.
rt::Value value_in(TraceState& tr, const PyTensor& t) {
  if (!t.symbolic()) return tr.builder->constant(t.value);
  if (t.sym->trace.get() != &tr) {
    raise_staging(
        "a symbolic tensor of another staged function was used here (keep tensors "
        "made while tracing inside that function, or return them)");
  }
  return t.sym->value;
}

rt::Value value_of(TraceState& tr, py::handle h) {
  return value_in(tr, to_tensor(h));
}

std::vector<rt::Value> values_of(TraceState& tr, py::handle seq) {
  std::vector<rt::Value> out;
  for (py::handle h : seq) out.push_back(tr.builder->capture(value_of(tr, h)));
  return out;
}

py::list wrap_values(const std::vector<rt::Value>& vs, const std::shared_ptr<TraceState>& tr) {
  py::list out;
  for (const rt::Value& v : vs) out.append(wrap(symbolic(v, tr)));
  return out;
}

// Opens and closes a trace; the package uses it as a context manager.
struct PyTrace {
  std::shared_ptr<TraceState> state;
};

// Raises `cls` for a located runtime error, with the location as attributes.
[[noreturn]] void raise_located(py::handle cls, const rt::LocatedError& e) {
  py::object exc = cls(e.what());
  exc.attr("message") = e.message();
  exc.attr("filename") = e.loc().file;
  exc.attr("lineno") = e.loc().line;
  exc.attr("source_line") = e.loc().source_line;
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

// The builder's own checks of cond/while (branches disagree, a loop variable changes dtype or
// shape) are tracing-rule violations: SPEC §3 reports them as ag.StagingError. Errors of ops
// inside the branches reach here as Python exceptions and pass through unchanged.
template <class F>
auto staging_errors(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const rt::LocatedError& e) {
    raise_located(staging_error_class(), e);
  } catch (const rt::InvalidArgumentError& e) {
    raise_staging(e.what());
  }
}

std::shared_ptr<TraceState> top_or_null() {
  return t_traces.empty() ? nullptr : t_traces.back();
}

}  // namespace

bool tracing() {
  return !t_traces.empty();
}

PyTensor build_op(rt::OpKind op, const PyTensor* inputs, size_t n, const rt::OpAttrs& attrs) {
  TraceState& tr = current_trace();
  update_location(tr);
  std::vector<rt::Value> in;
  in.reserve(n);
  for (size_t i = 0; i < n; ++i) in.push_back(value_in(tr, inputs[i]));
  return symbolic(tr.builder->op(op, in, attrs), t_traces.back());
}

void pybind_graph(py::module_& m) {
  py::class_<PyGraph>(m, "Graph", "A traced dataflow graph (see autograph.graph.Graph).")
      .def(
          "ops", [](const PyGraph& g, bool recursive) { return g.graph->ops(recursive); },
          py::arg("recursive") = true, "Op names in execution order.")
      .def("dump", [](const PyGraph& g) { return g.graph->dump(); })
      .def("to_dot", [](const PyGraph& g) { return g.graph->to_dot(); })
      .def("verify", [](const PyGraph& g) { g.graph->verify(); })
      .def("num_nodes", [](const PyGraph& g) { return g.graph->num_nodes(true); })
      .def(
          "optimize",
          [](PyGraph& g, bool verify_each) {
            return rt::run_passes(*g.graph, rt::default_passes(), verify_each);
          },
          py::arg("verify_each") = false,
          "Runs the default passes in place; returns the names of those that changed it.")
      .def("input_types",
           [](const PyGraph& g) {
             py::list out;
             for (const rt::Type& t : g.graph->param_types()) out.append(t.to_string());
             return out;
           })
      .def("output_types", [](const PyGraph& g) {
        py::list out;
        for (const rt::Type& t : g.graph->output_types()) out.append(t.to_string());
        return out;
      });

  py::class_<PyTrace>(m, "Trace", "A graph being traced; ops build nodes while it is entered.")
      .def(py::init(
               [](const std::string& name) { return PyTrace{std::make_shared<TraceState>(name)}; }),
           py::arg("name") = "main")
      .def(
          "__enter__",
          [](PyTrace& t) {
            t_traces.push_back(t.state);
            return &t;
          },
          py::return_value_policy::reference)
      .def("__exit__",
           [](PyTrace& t, py::args) {
             if (!t_traces.empty() && t_traces.back() == t.state) t_traces.pop_back();
             return false;
           })
      .def(
          "placeholder",
          [](PyTrace& t, py::handle dtype, py::handle shape, const std::string& name) {
            rt::TensorSpec spec{dtype_arg(dtype), shape_arg(shape)};
            return wrap(symbolic(t.state->builder->placeholder(spec, name), t.state));
          },
          py::arg("dtype"), py::arg("shape"), py::arg("name") = "")
      .def(
          "set_outputs",
          [](PyTrace& t, py::sequence outs) {
            TraceState& tr = *t.state;
            update_location(tr);
            std::vector<rt::Value> vs;
            for (py::handle h : outs) vs.push_back(value_of(tr, h));
            tr.builder->set_outputs(vs);
          },
          "Sets the graph's results (tensors or values convertible to tensors).")
      .def(
          "graph", [](PyTrace& t) { return PyGraph{t.state->graph}; },
          "The graph built so far (shared, not copied).");

  // ---- ops on the current trace (the package checks `tracing()` first) ----
  m.def("tracing", &tracing, "True while a staged function is being traced on this thread.");
  m.def(
      "cond",
      [](py::handle pred, py::function then_fn, py::function else_fn) {
        auto tr = top_or_null();
        if (!tr) throw rt::InternalError("cond: no graph is being traced");
        update_location(*tr);
        rt::Value p = value_of(*tr, pred);
        auto branch = [tr](py::function fn) {
          return [tr, fn](const std::vector<rt::Value>&) {
            py::object results = fn();
            return values_of(*tr, results);
          };
        };
        return wrap_values(staging_errors([&] {
                             return tr->builder->cond(p, {}, branch(then_fn), branch(else_fn));
                           }),
                           tr);
      },
      py::arg("pred"), py::arg("then_fn"), py::arg("else_fn"),
      "Functional if: each branch is a callable returning a flat list of tensors.");
  m.def(
      "while_loop",
      [](py::sequence loop_vars, py::function cond_fn, py::function body_fn,
         py::handle max_iterations) {
        auto tr = top_or_null();
        if (!tr) throw rt::InternalError("while_loop: no graph is being traced");
        update_location(*tr);
        std::vector<rt::Value> vars = values_of(*tr, loop_vars);
        rt::Value max_it;
        if (!max_iterations.is_none()) max_it = value_of(*tr, max_iterations);
        rt::LoopCondFn c = [tr, cond_fn](const std::vector<rt::Value>& params) {
          py::object r = cond_fn(wrap_values(params, tr));
          update_location(*tr);
          return tr->builder->capture(value_of(*tr, r));
        };
        rt::SubgraphFn b = [tr, body_fn](const std::vector<rt::Value>& params) {
          py::object r = body_fn(wrap_values(params, tr));
          update_location(*tr);
          return values_of(*tr, r);
        };
        return wrap_values(
            staging_errors([&] { return tr->builder->while_loop(vars, c, b, max_it); }), tr);
      },
      py::arg("loop_vars"), py::arg("cond_fn"), py::arg("body_fn"),
      py::arg("maximum_iterations") = py::none(),
      "Functional while over a flat list of tensors; cond_fn/body_fn get the loop variables as "
      "a list; body_fn returns a flat list.");

  // Tensor lists (ag.TensorArray and staged list appends).
  m.def(
      "list_new",
      [](py::handle dtype, py::handle shape, py::handle size, bool dynamic_size) {
        TraceState& tr = current_trace();
        update_location(tr);
        rt::TensorSpec element{dtype_arg(dtype), shape_arg(shape)};
        rt::Value sz;
        if (!size.is_none()) sz = value_of(tr, size);
        return wrap(symbolic(tr.builder->list_new(element, sz, dynamic_size), t_traces.back()));
      },
      py::arg("dtype"), py::arg("element_shape"), py::arg("size") = py::none(),
      py::arg("dynamic_size") = true);
  m.def("list_push_back", [](py::handle list, py::handle item) {
    TraceState& tr = current_trace();
    update_location(tr);
    return wrap(symbolic(tr.builder->list_push_back(value_of(tr, list), value_of(tr, item)),
                         t_traces.back()));
  });
  m.def("list_get", [](py::handle list, py::handle index) {
    TraceState& tr = current_trace();
    update_location(tr);
    return wrap(
        symbolic(tr.builder->list_get(value_of(tr, list), value_of(tr, index)), t_traces.back()));
  });
  m.def("list_set", [](py::handle list, py::handle index, py::handle item) {
    TraceState& tr = current_trace();
    update_location(tr);
    return wrap(
        symbolic(tr.builder->list_set(value_of(tr, list), value_of(tr, index), value_of(tr, item)),
                 t_traces.back()));
  });
  m.def("list_size", [](py::handle list) {
    TraceState& tr = current_trace();
    update_location(tr);
    return wrap(symbolic(tr.builder->list_size(value_of(tr, list)), t_traces.back()));
  });
  m.def("list_stack", [](py::handle list) {
    TraceState& tr = current_trace();
    update_location(tr);
    return wrap(symbolic(tr.builder->list_stack(value_of(tr, list)), t_traces.back()));
  });
  m.def(
      "list_pop",
      [](py::handle list, py::handle index) {
        TraceState& tr = current_trace();
        update_location(tr);
        auto [rest, item] = tr.builder->list_pop(value_of(tr, list), value_of(tr, index));
        return py::make_tuple(wrap(symbolic(rest, t_traces.back())),
                              wrap(symbolic(item, t_traces.back())));
      },
      py::arg("list"), py::arg("index"),
      "Removes element `index` (-1: the last) of a tensor list: (shorter list, element).");
  m.def("is_list", [](py::handle h) {
    PyTensor* t = tensor_ptr(h);
    return t && t->symbolic() && t->sym->value.is_list();
  });

  // Side effects, in program order.
  m.def(
      "staged_print",
      [](py::sequence items, const std::string& sep, const std::string& end) {
        TraceState& tr = current_trace();
        update_location(tr);
        std::vector<rt::PrintArg> args;
        for (py::handle h : items) {
          if (PyUnicode_Check(h.ptr())) {
            args.push_back(rt::PrintArg::literal(h.cast<std::string>()));
          } else {
            args.emplace_back(value_of(tr, h));
          }
        }
        tr.builder->print(args, sep, end);
      },
      py::arg("items"), py::arg("sep") = " ", py::arg("end") = "\n",
      "Adds a print node: str items are literal text, the rest are tensors.");
  m.def(
      "staged_assert",
      [](py::handle pred, const std::string& message) {
        TraceState& tr = current_trace();
        update_location(tr);
        tr.builder->assert_true(value_of(tr, pred), message);
      },
      py::arg("pred"), py::arg("message"));

  py::class_<rt::Variable, std::shared_ptr<rt::Variable>>(m, "VariableResource",
                                                          "A variable's storage (ag.Variable).")
      .def(py::init([](py::handle initial, const std::string& name) {
             PyTensor t = to_tensor(initial);
             if (t.symbolic()) {
               raise_staging(
                   "ag.Variable: the initial value must be known when the variable is "
                   "created (create variables outside staged functions)");
             }
             return std::make_shared<rt::Variable>(t.value, name);
           }),
           py::arg("initial"), py::arg("name") = "")
      .def_property_readonly("dtype",
                             [](const rt::Variable& v) { return dtype_object(v.spec().dtype); })
      .def_property_readonly("shape",
                             [](const rt::Variable& v) { return shape_tuple(v.spec().shape); })
      .def_property_readonly("name", &rt::Variable::name)
      .def("read",
           [](const std::shared_ptr<rt::Variable>& v) {
             if (tracing()) {
               TraceState& tr = current_trace();
               update_location(tr);
               return wrap(symbolic(tr.builder->var_read(v), t_traces.back()));
             }
             return wrap(v->read());
           })
      .def(
          "assign",
          [](const std::shared_ptr<rt::Variable>& v, py::handle value, const std::string& mode) {
            if (tracing()) {
              TraceState& tr = current_trace();
              update_location(tr);
              rt::Value x = value_of(tr, value);
              rt::Value r = mode == "add"   ? tr.builder->var_assign_add(v, x)
                            : mode == "sub" ? tr.builder->var_assign_sub(v, x)
                                            : tr.builder->var_assign(v, x);
              return wrap(symbolic(r, t_traces.back()));
            }
            PyTensor x = to_tensor(value, v->spec().dtype);
            if (mode == "add" || mode == "sub") {
              rt::Tensor in[2] = {v->read(), x.value};
              x.value = rt::run(mode == "add" ? rt::OpKind::Add : rt::OpKind::Sub, in, 2, {});
            }
            v->assign(x.value);
            return wrap(v->read());
          },
          py::arg("value"), py::arg("mode") = "set",
          "Sets (mode 'set'), adds to ('add') or subtracts from ('sub') the value; returns the "
          "new value.");

  // Errors with a source location (build or run time) carry it as attributes, so the kernel
  // can point the traceback at the user's line. Registered after core's translator: tried first.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const rt::LocatedError& e) {
      try {
        raise_located(invalid_argument_error_class(), e);
      } catch (py::error_already_set& err) {
        err.restore();
      }
    }
  });

  m.def("_set_package_dir", [](const std::string& dir) { g_package_dir = dir; });
  m.def(
      "_set_location_mapper", [](py::object fn) { g_location_mapper = fn; },
      "Installs f(filename, line) -> (filename, line, source_line) | None, used to map "
      "generated code back to the user's source (the converter installs it).");
  m.def("user_location", []() -> py::object {
    // The location ops would get now; lets the package name the user's line in its errors.
    auto tmp = std::make_shared<TraceState>("probe");
    update_location(*tmp);
    const rt::SourceLoc& l = tmp->builder->location();
    if (!l.known()) return py::none();
    return py::make_tuple(l.file, l.line, l.source_line);
  });
}

}  // namespace xag::py
