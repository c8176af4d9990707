// CPU kernels of the ops that read string contents (strings_ops.h). Strings are interned
// (runtime/core/strings.h): kernels read through str_view and write intern()ed results.
#include <string>
#include <vector>

#include "runtime/core/strings.h"
#include "runtime/ops/dtype_rules.h"
#include "runtime/ops/strings_ops.h"

namespace xag::rt {

namespace {

// Visits every output element of an n-input broadcast, with each input's element index:
// fn(out_index, in_index) where in_index[k] is input k's flat index. Strings ops are not hot
// enough to want the numeric kernels' run merging.
template <class Fn>
void broadcast_each(const Tensor* in, size_t n, const Shape& out, Fn&& fn) {
  const int rank = out.rank();
  std::vector<std::vector<int64_t>> strides(n, std::vector<int64_t>(static_cast<size_t>(rank)));
  for (size_t k = 0; k < n; ++k) {
    const Shape& s = in[k].shape();
    int64_t stride = 1;
    for (int d = rank - 1, e = s.rank() - 1; d >= 0; --d, --e) {
      const int64_t dim = e >= 0 ? s[e] : 1;
      strides[k][static_cast<size_t>(d)] = dim == 1 ? 0 : stride;
      stride *= dim;
    }
  }
  std::vector<int64_t> idx(static_cast<size_t>(rank), 0), at(n, 0);
  const int64_t total = out.num_elements();
  for (int64_t i = 0; i < total; ++i) {
    fn(i, at.data());
    for (int d = rank - 1; d >= 0; --d) {  // odometer step, updating each input's offset
      const size_t ud = static_cast<size_t>(d);
      if (++idx[ud] < out[d]) {
        for (size_t k = 0; k < n; ++k) at[k] += strides[k][ud];
        break;
      }
      for (size_t k = 0; k < n; ++k) at[k] -= strides[k][ud] * (out[d] - 1);
      idx[ud] = 0;
    }
  }
}

// Code points of UTF-8 text: every byte that is not a continuation byte (10xxxxxx) starts one.
int32_t utf8_length(std::string_view s) {
  int32_t count = 0;
  for (unsigned char c : s) count += (c & 0xC0) != 0x80;
  return count;
}

void join(const Tensor* in, size_t n, const std::string& sep, Tensor& out) {
  StrRef* o = out.data<StrRef>();
  std::string buf;
  broadcast_each(in, n, out.shape(), [&](int64_t i, const int64_t* at) {
    buf.clear();
    for (size_t k = 0; k < n; ++k) {
      if (k) buf += sep;
      buf += str_view(in[k].data<StrRef>()[at[k]]);
    }
    o[i] = intern(buf);
  });
}

void compare(bool equal, const Tensor& a, const Tensor& b, Tensor& out) {
  const Tensor in[2] = {a, b};
  bool* o = out.data<bool>();
  const StrRef* pa = a.data<StrRef>();
  const StrRef* pb = b.data<StrRef>();
  // Interned: equal strings have equal refs.
  broadcast_each(in, 2, out.shape(),
                 [&](int64_t i, const int64_t* at) { o[i] = (pa[at[0]] == pb[at[1]]) == equal; });
}

template <class Fn>
void map_strings(const Tensor& x, Tensor& out, Fn&& fn) {
  const StrRef* p = x.data<StrRef>();
  for (int64_t i = 0; i < x.num_elements(); ++i) fn(i, str_view(p[i]));
}

void change_case(bool upper, const Tensor& x, Tensor& out) {
  StrRef* o = out.data<StrRef>();
  map_strings(x, out, [&](int64_t i, std::string_view s) {
    std::string t(s);
    for (char& c : t) {  // ASCII only, as TensorFlow's upper/lower without an encoding
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    o[i] = intern(t);
  });
}

// Joins x's strings along `axis` (-1: all of them) into out, whose shape lacks that axis.
void reduce_join(const Tensor& x, int axis, const std::string& sep, Tensor& out) {
  const StrRef* p = x.data<StrRef>();
  StrRef* o = out.data<StrRef>();
  int64_t outer = 1, len = x.num_elements(), inner = 1;
  if (axis >= 0) {
    const Shape& s = x.shape();
    len = s[axis];
    for (int d = 0; d < axis; ++d) outer *= s[d];
    for (int d = axis + 1; d < s.rank(); ++d) inner *= s[d];
  }
  std::string buf;
  for (int64_t a = 0; a < outer; ++a) {
    for (int64_t i = 0; i < inner; ++i) {
      buf.clear();
      for (int64_t k = 0; k < len; ++k) {
        if (k) buf += sep;
        buf += str_view(p[(a * len + k) * inner + i]);
      }
      o[a * inner + i] = intern(buf);
    }
  }
}

}  // namespace

std::string format_strings(const std::string& tmpl, const Tensor* in, size_t n) {
  std::string out;
  size_t from = 0, k = 0;
  for (size_t at = tmpl.find("{}"); at != std::string::npos && k < n; at = tmpl.find("{}", from)) {
    out.append(tmpl, from, at - from);
    out += in[k++].host().to_string();
    from = at + 2;
  }
  out.append(tmpl, from, std::string::npos);
  return out;
}

bool run_string_op(const OpCall& c, Tensor& out) {
  const Tensor* in = c.in;
  const OpAttrs& a = *c.attrs;
  switch (c.op) {
    case OpKind::Add:
      if (in[0].dtype() != DType::String) return false;
      join(in, 2, std::string(), out);
      return true;
    case OpKind::Equal:
    case OpKind::NotEqual:
      if (in[0].dtype() != DType::String) return false;
      compare(c.op == OpKind::Equal, in[0], in[1], out);
      return true;
    case OpKind::StringJoin:
      join(in, c.n, a.text, out);
      return true;
    case OpKind::StringLength: {
      int32_t* o = out.data<int32_t>();
      const bool chars = a.text == "UTF8_CHAR";
      map_strings(in[0], out, [&](int64_t i, std::string_view s) {
        o[i] = chars ? utf8_length(s) : static_cast<int32_t>(s.size());
      });
      return true;
    }
    case OpKind::StringUpper:
    case OpKind::StringLower:
      change_case(c.op == OpKind::StringUpper, in[0], out);
      return true;
    case OpKind::StringReduceJoin:
      reduce_join(in[0],
                  a.has_axis ? normalize_axis(a.axis, in[0].rank(), "string_reduce_join") : -1,
                  a.text, out);
      return true;
    case OpKind::StringFormat:
      *out.data<StrRef>() = intern(format_strings(a.text, in, c.n));
      return true;
    default:
      return false;
  }
}

}  // namespace xag::rt
