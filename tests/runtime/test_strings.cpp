// String tensors: interning, the string ops, strings through shape ops, dtype errors, printing,
// and strings as loop state in a compiled graph (interpreter; the JIT's helpers run the same
// code, see tests/python/test_strings.py under XAG_JIT=sync).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "graph_test_util.h"
#include "helpers.h"
#include "runtime/core/strings.h"

using namespace xag::rt;
using namespace xag::rt::test;

namespace {

Tensor strs(std::vector<std::string> v) {
  return string_tensor(v, Shape{static_cast<int64_t>(v.size())});
}
std::vector<std::string> texts(const Tensor& t) {
  return string_values(t);
}
std::string text(const Tensor& t) {
  REQUIRE(t.dtype() == DType::String);
  REQUIRE(t.is_scalar());
  return std::string(str_view(*t.data<StrRef>()));
}
OpAttrs with_text(std::string s) {
  OpAttrs a;
  a.text = std::move(s);
  return a;
}

}  // namespace

TEST_CASE("strings are interned: equal texts share one ref, empty is null", "[strings]") {
  CHECK(intern("hello") == intern(std::string("hel") + "lo"));
  CHECK(intern("hello") != intern("hellO"));
  CHECK(intern("").rep == nullptr);
  CHECK(str_view(intern("é")) == "é");
  CHECK(dtype_size(DType::String) == sizeof(StrRef));
  CHECK(dtype_from_name("string") == DType::String);
  // 0-d strings work like other scalars (in a heap buffer, strings.h); zeros are empty strings.
  CHECK(text(string_scalar("hi")) == "hi");
  CHECK(texts(Tensor::zeros(DType::String, Shape{2})) == std::vector<std::string>{"", ""});
}

TEST_CASE("add concatenates strings with broadcasting; == and != compare", "[strings]") {
  const Tensor names = strs({"ann", "bob"});
  const Tensor r = run(OpKind::Add, {string_scalar("hi "), names});
  CHECK(r.dtype() == DType::String);
  CHECK(texts(r) == std::vector<std::string>{"hi ann", "hi bob"});
  CHECK(text(run(OpKind::Add, {string_scalar("a"), string_scalar("b")})) == "ab");
  const Tensor eq = run(OpKind::Equal, {names, string_scalar("bob")});
  CHECK(values<bool>(eq) == std::vector<bool>{false, true});
  const Tensor ne = run(OpKind::NotEqual, {names, strs({"ann", "x"})});
  CHECK(values<bool>(ne) == std::vector<bool>{false, true});
  // 2-D broadcasting: (2, 1) + (3,) -> (2, 3)
  const Tensor col = string_tensor({"x", "y"}, Shape{2, 1});
  const Tensor m = run(OpKind::Add, {col, strs({"1", "2", "3"})});
  CHECK(m.shape() == Shape({2, 3}));
  CHECK(texts(m) == std::vector<std::string>{"x1", "x2", "x3", "y1", "y2", "y3"});
}

TEST_CASE("string ops: length (bytes, UTF8_CHAR), upper, lower, join, format", "[strings]") {
  const Tensor s = strs({"héllo", "", "Ab1"});
  CHECK(values<int32_t>(run(OpKind::StringLength, {s})) == std::vector<int32_t>{6, 0, 3});
  CHECK(values<int32_t>(run(OpKind::StringLength, {s}, with_text("UTF8_CHAR"))) ==
        std::vector<int32_t>{5, 0, 3});
  CHECK(texts(run(OpKind::StringUpper, {s})) == std::vector<std::string>{"HéLLO", "", "AB1"});
  CHECK(texts(run(OpKind::StringLower, {s})) == std::vector<std::string>{"héllo", "", "ab1"});
  const Tensor j = run(OpKind::StringJoin, {strs({"a", "b"}), string_scalar("c")}, with_text("-"));
  CHECK(texts(j) == std::vector<std::string>{"a-c", "b-c"});
  OpAttrs rj = with_text(", ");
  CHECK(text(run(OpKind::StringReduceJoin, {strs({"x", "y", "z"})}, rj)) == "x, y, z");
  rj.axis = 1;
  rj.has_axis = true;
  const Tensor grid = string_tensor({"a", "b", "c", "d"}, Shape{2, 2});
  CHECK(texts(run(OpKind::StringReduceJoin, {grid}, rj)) ==
        std::vector<std::string>{"a, b", "c, d"});
  const Tensor f = run(OpKind::StringFormat,
                       {Tensor::scalar<int32_t>(3), string_scalar("bob"), vec<int32_t>({1, 2})},
                       with_text("n={} name={} v={}!"));
  CHECK(text(f) == "n=3 name=bob v=[1 2]!");
}

TEST_CASE("strings move through shape ops like numbers", "[strings]") {
  const Tensor s = strs({"a", "b", "c", "d"});
  OpAttrs shape;
  shape.shape = {2, 2};
  const Tensor m = run(OpKind::Reshape, {s}, shape);
  CHECK(texts(run(OpKind::Transpose, {m})) == std::vector<std::string>{"a", "c", "b", "d"});
  CHECK(texts(run(OpKind::Concat, {s, strs({"e"})}, OpAttrs::with_axis(0))).size() == 5);
  CHECK(
      run(OpKind::Stack, {string_scalar("p"), string_scalar("q")}, OpAttrs::with_axis(0)).shape() ==
      Shape({2}));
  CHECK(texts(run(OpKind::Gather, {s, vec<int32_t>({3, 0})})) ==
        std::vector<std::string>{"d", "a"});
  OpAttrs at;
  at.slices = {SliceItem::index(2)};
  CHECK(text(run(OpKind::GetItem, {s}, at)) == "c");
  const Tensor w =
      run(OpKind::Where, {vec<bool>({true, false, true, false}), s, string_scalar("-")});
  CHECK(texts(w) == std::vector<std::string>{"a", "-", "c", "-"});
  CHECK(texts(run(OpKind::Fill, {vec<int32_t>({2}), string_scalar("z")})) ==
        std::vector<std::string>{"z", "z"});
  CHECK(run(OpKind::Size, {s}).item<int32_t>() == 4);
  CHECK(s.copy().equals(s));
}

TEST_CASE("strings combine only with strings; numeric ops refuse them by name", "[strings]") {
  CHECK(error_of(OpKind::Add, {string_scalar("a"), Tensor::scalar<int32_t>(1)}) ==
        "add: cannot add a string tensor and an int32 tensor (strings combine only with strings)");
  CHECK(error_of(OpKind::Equal, {Tensor::scalar<float>(1), string_scalar("a")}) ==
        "equal: cannot compare a float32 tensor and a string tensor (strings combine only "
        "with strings)");
  CHECK_THAT(error_of(OpKind::Mul, {string_scalar("a"), string_scalar("b")}),
             Catch::StartsWith("multiply: not supported for string tensors"));
  CHECK_THAT(error_of(OpKind::Exp, {string_scalar("a")}),
             Catch::StartsWith("exp: not supported for string tensors"));
  CHECK_THAT(error_of(OpKind::Cast, {string_scalar("1")}, OpAttrs::with_dtype(DType::Int32)),
             Catch::Contains("casts to or from string are not supported"));
  CHECK_THAT(error_of(OpKind::StringLength, {vec<int32_t>({1})}),
             Catch::StartsWith("string_length: needs string tensors"));
  CHECK_THAT(error_of(OpKind::StringFormat, {string_scalar("a")}, with_text("{} {}")),
             Catch::Contains("has 2 placeholders"));
  CHECK_THAT(error_of(OpKind::ReduceSum, {strs({"a"})}),
             Catch::StartsWith("reduce_sum: not supported for string tensors"));
}

TEST_CASE("printing strings: a scalar is its text, arrays quote elements", "[strings]") {
  CHECK(string_scalar("hello world").to_string() == "hello world");
  CHECK(strs({"a", "bc"}).to_string() == "[\"a\" \"bc\"]");
}

TEST_CASE("strings as while-loop state and cond results in a compiled graph", "[strings]") {
  // s = ""; i = 0; while i < n: s = s + ("x" if i % 2 == 0 else "y"); i += 1
  Graph g;
  GraphBuilder b(g);
  const Value n = b.placeholder(scalar_spec(DType::Int32), "n");
  const Value empty = b.constant(string_scalar(""));
  const auto r = b.while_loop(
      {empty, i32(b, 0)},
      [&](const std::vector<Value>& v) {
        return b.op(OpKind::Less, {v[1], n});
      },
      [&](const std::vector<Value>& v) {
        const Value even = b.op(OpKind::Equal, {b.op(OpKind::Mod, {v[1], i32(b, 2)}), i32(b, 0)});
        const auto piece = b.cond(
            even, {},
            [&](const std::vector<Value>&) {
              return std::vector<Value>{b.constant(string_scalar("x"))};
            },
            [&](const std::vector<Value>&) {
              return std::vector<Value>{b.constant(string_scalar("y"))};
            });
        return std::vector<Value>{b.op(OpKind::Add, {v[0], piece[0]}),
                                  b.op(OpKind::Add, {v[1], i32(b, 1)})};
      });
  const Value done = b.op(OpKind::Equal, {r[0], b.constant(string_scalar("xyxyx"))});
  b.set_outputs({r[0], done, b.op(OpKind::StringLength, {r[0]})});
  const Executable exe = compile(g);
  const auto out = exe.run({Tensor::scalar<int32_t>(5)});
  CHECK(text(out[0]) == "xyxyx");
  CHECK(out[1].item<bool>());
  CHECK(out[2].item<int32_t>() == 5);
  CHECK(text(exe.run({Tensor::scalar<int32_t>(0)})[0]).empty());
}

TEST_CASE("CSE keeps string ops with different text attributes apart", "[strings]") {
  // join(x, x, sep=",") and join(x, x, sep="-") differ only in attrs.text.
  Graph g;
  GraphBuilder b(g);
  const Value x = b.placeholder(scalar_spec(DType::String), "x");
  OpAttrs comma, dash;
  comma.text = ",";
  dash.text = "-";
  b.set_outputs({b.op(OpKind::StringJoin, {x, x}, comma), b.op(OpKind::StringJoin, {x, x}, dash),
                 b.op(OpKind::StringJoin, {x, x}, comma)});
  run_passes(g);
  const auto out = run_graph(g, {string_scalar("a")});
  CHECK(text(out[0]) == "a,a");
  CHECK(text(out[1]) == "a-a");
  CHECK(text(out[2]) == "a,a");
}
