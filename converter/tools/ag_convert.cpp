// ag-convert: the converter's command-line front end.
//
//   ag-convert MODE [--positions] FILE
//   ag-convert MODE [--positions] --batch LISTFILE OUTDIR|-
//
// Each mode is one row of kModes: a flag, a help line and a function that
// turns a parsed file into output text. To add a mode (--unparse, --convert),
// write its function and add a row; option parsing and batch mode come free.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "converter/ast/dump.h"
#include "converter/parse/parser.h"
#include "converter/pipeline/convert.h"
#include "converter/unparse/unparse.h"

namespace {

using xag::parse::ParseResult;

struct Options {
  bool positions = false;   // --positions: include lineno/col_offset/... in dumps
  bool source_map = false;  // --source-map: with --convert, print the map instead of the code
  int time_runs = 0;        // --time N: with --convert, also time N conversions (see run_convert)
};

// A mode's work on one successfully parsed file; returns false on failure
// (with a message in out).
using ModeFn = bool (*)(const ParseResult& parsed, const std::string& filename, const Options& opts,
                        std::string& out);

bool run_dump_ast(const ParseResult& parsed, const std::string&, const Options& opts,
                  std::string& out) {
  xag::ast::dump_to(out, parsed.tree, parsed.tree.root(), opts.positions);
  out += '\n';
  return true;
}

bool run_parse_only(const ParseResult&, const std::string&, const Options&, std::string&) {
  return true;
}

bool run_unparse(const ParseResult& parsed, const std::string&, const Options&, std::string& out) {
  out += xag::unparse::unparse(parsed.tree, parsed.tree.root());
  return true;
}

// Converts every top-level function (AutoGraph-style staging transforms).
bool run_convert(const ParseResult& parsed, const std::string& filename, const Options& opts,
                 std::string& out) {
  xag::pipeline::ConversionResult r = xag::pipeline::convert_module(parsed.tree.source());
  for (const auto& e : r.errors)
    out += filename + ":" + std::to_string(e.pos.lineno) + ":" +
           std::to_string(e.pos.col_offset + 1) + ": " + e.type + ": " + e.message + "\n";
  if (!r.ok()) return false;
  if (opts.time_runs > 0) {
    // Benchmarks (bench/convert_speed.py) want conversion alone: the source is
    // already in memory, so file reading and printing stay outside the clock.
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < opts.time_runs; ++i) xag::pipeline::convert_module(parsed.tree.source());
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "ag-convert: convert %.3f ms mean over %d runs\n",
                 1e3 * s / opts.time_runs, opts.time_runs);
  }
  out += opts.source_map ? xag::pipeline::format_source_map(r.map) : r.code;
  return true;
}

struct Mode {
  const char* flag;
  const char* help;
  ModeFn run;
};

const Mode kModes[] = {
    {"--dump-ast", "print ast.dump(ast.parse(source)) like CPython 3.11", run_dump_ast},
    {"--parse", "parse only; report syntax errors (for benchmarks)", run_parse_only},
    {"--unparse", "print the source back from the tree (CPython re-parses it to the same tree)",
     run_unparse},
    {"--convert", "print the converted code (--source-map: 'generated_line line:col' per line)",
     run_convert},
};

void print_help() {
  std::printf(
      "usage: ag-convert MODE [--positions] FILE\n"
      "       ag-convert MODE [--positions] --batch LISTFILE OUTDIR\n\n"
      "modes:\n");
  for (const Mode& m : kModes) std::printf("  %-12s %s\n", m.flag, m.help);
  std::printf(
      "\noptions:\n"
      "  --positions  with --dump-ast: include_attributes=True (line/column positions)\n"
      "  --time N     with --convert: also convert N more times, print the mean ms to stderr\n"
      "  --batch LISTFILE OUTDIR\n"
      "               process every file named in LISTFILE (one path per line) in one\n"
      "               process. OUTDIR '-' writes to stdout, each file's result preceded\n"
      "               by a line '=== PATH'; otherwise writes OUTDIR/N.out for the N-th\n"
      "               file (from 0). A file with a syntax error gets the error text,\n"
      "               whose first line is 'ERROR <lineno>'. Prints the parse time of\n"
      "               all files to stderr.\n\n"
      "Syntax errors are printed to stderr like CPython's (File/line/caret/message)\n"
      "and exit with status 1.\n");
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// Parses one file and runs the mode; the result or error text goes to out.
bool process(const Mode& mode, const Options& opts, const std::string& path,
             const std::string& bytes, std::string& out, double& parse_seconds) {
  auto t0 = std::chrono::steady_clock::now();
  ParseResult parsed = xag::parse::parse_module(bytes);
  parse_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!parsed.ok()) {
    out += xag::diag::format_syntax_error(*parsed.error, path, parsed.tree.source());
    return false;
  }
  return mode.run(parsed, path, opts, out);
}

int run_batch(const Mode& mode, const Options& opts, const std::string& list,
              const std::string& outdir) {
  std::ifstream in(list);
  if (!in) {
    std::fprintf(stderr, "ag-convert: cannot read %s\n", list.c_str());
    return 2;
  }
  std::string path, bytes, out;
  double parse_seconds = 0;
  int index = 0, failures = 0;
  std::string all;
  while (std::getline(in, path)) {
    if (path.empty()) continue;
    out.clear();
    if (!read_file(path, bytes)) {
      out = "ERROR 0\ncannot read file\n";
      ++failures;
    } else {
      std::string result;
      bool ok = process(mode, opts, path, bytes, result, parse_seconds);
      if (!ok) {
        ParseResult again = xag::parse::parse_module(bytes);
        int line = again.error ? again.error->lineno : 0;
        out = "ERROR " + std::to_string(line) + "\n";
        ++failures;
      }
      out += result;
    }
    if (outdir == "-") {
      all += "=== " + path + "\n" + out;
    } else {
      std::ofstream o(outdir + "/" + std::to_string(index) + ".out", std::ios::binary);
      o << out;
    }
    ++index;
  }
  if (outdir == "-") std::fwrite(all.data(), 1, all.size(), stdout);
  std::fprintf(stderr, "ag-convert: %d files, %d with errors, parse time %.3f s\n", index, failures,
               parse_seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Mode* mode = nullptr;
  Options opts;
  std::vector<std::string> positional;
  bool batch = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      print_help();
      return 0;
    }
    if (a == "--positions") {
      opts.positions = true;
      continue;
    }
    if (a == "--source-map") {
      opts.source_map = true;
      continue;
    }
    if (a == "--time" && i + 1 < argc) {
      opts.time_runs = std::atoi(argv[++i]);
      continue;
    }
    if (a == "--batch") {
      batch = true;
      continue;
    }
    bool matched = false;
    for (const Mode& m : kModes) {
      if (a == m.flag) {
        mode = &m;
        matched = true;
      }
    }
    if (matched) continue;
    if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "ag-convert: unknown option %s (see --help)\n", a.c_str());
      return 2;
    }
    positional.push_back(a);
  }
  if (!mode || positional.size() != (batch ? 2u : 1u)) {
    print_help();
    return 2;
  }
  if (batch) return run_batch(*mode, opts, positional[0], positional[1]);

  std::string bytes;
  if (!read_file(positional[0], bytes)) {
    std::fprintf(stderr, "ag-convert: cannot read %s\n", positional[0].c_str());
    return 2;
  }
  std::string out;
  double seconds = 0;
  if (!process(*mode, opts, positional[0], bytes, out, seconds)) {
    std::fwrite(out.data(), 1, out.size(), stderr);
    return 1;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
