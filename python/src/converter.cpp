// `_core.convert`: the AutoGraph source transform (converter/pipeline) for the Python side.
// Binding code only: it converts arguments, and turns diagnostics into the package's exceptions
// (ag.ConversionError, or Python's SyntaxError) carrying the user's file, line and caret, so a
// traceback of a bad cell looks like one CPython would print.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

#include "converter/diag/located.h"
#include "converter/pipeline/convert.h"
#include "pybind_common.h"

namespace xag::py {

namespace {

// Raises the diagnostic as SyntaxError or ag.ConversionError. Positions are shifted by
// `first_line - 1` so they name lines of the user's file, not of the extracted function.
[[noreturn]] void raise_diagnostic(const pipeline::Diagnostic& d, const std::string& source,
                                   const std::string& filename, int first_line) {
  const int line = d.pos.lineno + first_line - 1;
  const std::string text = diag::source_line(source, d.pos.lineno);
  // SyntaxError's offset is 1-based (CPython counts characters; our columns are bytes, which
  // agree on ASCII lines).
  const int offset = d.pos.col_offset + 1;
  if (d.type == "SyntaxError") {
    py::object exc =
        py::module_::import("builtins")
            .attr("SyntaxError")(d.message, py::make_tuple(filename, line, offset, text + "\n"));
    PyErr_SetObject(PyExc_SyntaxError, exc.ptr());
    throw py::error_already_set();
  }
  py::object cls = py::module_::import("autograph.errors").attr("ConversionError");
  py::object exc = cls(diag::located_message(d.message, filename, line, text, d.pos.col_offset));
  exc.attr("filename") = filename;
  exc.attr("lineno") = line;
  exc.attr("offset") = offset;
  exc.attr("source_line") = text;
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

py::tuple convert(const std::string& source, const std::string& function_name,
                  const std::string& filename, int first_line) {
  pipeline::ConversionResult r;
  {
    py::gil_scoped_release release;
    r = function_name.empty() ? pipeline::convert_module(source)
                              : pipeline::convert_function_source(source, function_name);
  }
  if (!r.ok()) raise_diagnostic(r.errors.front(), source, filename, first_line);
  py::list map;
  for (const pipeline::SourceMapEntry& e : r.map) {
    // Generated columns are not tracked by the converter: 0 (the line as a whole).
    map.append(
        py::make_tuple(e.generated_line, 0, e.original_line + first_line - 1, e.original_col));
  }
  return py::make_tuple(r.code, map);
}

}  // namespace

void bind_converter(py::module_& m) {
  // Converts `function_name` of `source` (every function when empty); returns (code, [(gen_line,
  // gen_col, orig_line, orig_col), ...]). `first_line` is the file line of the source's first.
  m.def("convert", &convert, py::arg("source"), py::arg("function_name") = "",
        py::arg("filename") = "<string>", py::arg("first_line") = 1);
}

}  // namespace xag::py
