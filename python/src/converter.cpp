// `_core.convert`: the AutoGraph source transform (converter/pipeline) for the Python side.
// Binding code only: it converts arguments, and hands a diagnostic to autograph/errors.py, which
// raises it as ag.ConversionError or Python's SyntaxError carrying the user's file, line and
// caret, so a traceback of a bad cell looks like one CPython would print.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>

#include "converter/diag/located.h"
#include "converter/pipeline/convert.h"
#include "pybind_common.h"

namespace xag::py {

namespace {

py::tuple convert(const std::string& source, const std::string& function_name,
                  const std::string& filename) {
  pipeline::ConversionResult r;
  {
    py::gil_scoped_release release;
    r = function_name.empty() ? pipeline::convert_module(source)
                              : pipeline::convert_function_source(source, function_name);
  }
  if (!r.ok()) {
    const pipeline::Diagnostic& d = r.errors.front();
    const std::string text = diag::source_line(source, d.pos.lineno);
    py::module_::import("autograph.errors")
        .attr("_raise_conversion_error")(  // raises
            d.type, d.message, filename, d.pos.lineno, d.pos.col_offset, text,
            diag::located_message(d.message, filename, d.pos.lineno, text, d.pos.col_offset));
  }
  py::list map;
  for (const pipeline::SourceMapEntry& e : r.map) {
    // Generated columns are not tracked by the converter: 0 (the line as a whole).
    map.append(py::make_tuple(e.generated_line, 0, e.original_line, e.original_col));
  }
  return py::make_tuple(r.code, map);
}

}  // namespace

void bind_converter(py::module_& m) {
  // Converts `function_name` of `source` (every function when empty); returns (code, [(gen_line,
  // gen_col, orig_line, orig_col), ...]). Callers pad the source with blank lines so that its
  // positions are those of the user's file.
  m.def("convert", &convert, py::arg("source"), py::arg("function_name") = "",
        py::arg("filename") = "<string>");
}

}  // namespace xag::py
