// Tensor::to_string: the text print(np_array) gives (NumPy 1.24 defaults: precision 8, unique
// shortest floats, columns padded to a common width, linewidth 75, arrays over 1000 elements
// summarized with "..." keeping 3 items per edge). ag.print shows tensors this way. Strings follow
// tf.print: a scalar is its text, array elements are double-quoted: ["hello" "world"].
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "runtime/core/strings.h"
#include "runtime/core/tensor.h"

namespace xag::rt {

namespace {

constexpr int kPrecision = 8;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr size_t kLineWidth = 75;

bool round_trips(const char* text, double v, bool f32) {
  const double back = std::strtod(text, nullptr);
  return f32 ? static_cast<float>(back) == static_cast<float>(v) : back == v;
}

// Shortest "%.Nf" (N <= kPrecision) that reads back as v; else N = kPrecision (rounded).
std::string positional(double v, bool f32) {
  char buf[512];
  for (int p = 0; p <= kPrecision; ++p) {
    std::snprintf(buf, sizeof buf, "%.*f", p, v);
    if (round_trips(buf, v, f32)) return buf;
  }
  // Rounded to kPrecision decimals: NumPy drops the trailing zeros of the rounded value.
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

// Shortest "%.Ne" (N <= kPrecision) that reads back as v.
std::string scientific(double v, bool f32) {
  char buf[64];
  for (int p = 0; p <= kPrecision; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p, v);
    if (round_trips(buf, v, f32) || p == kPrecision) break;
  }
  return buf;
}

// Python's repr of a float (used for 0-d tensors): shortest round-trip digits, positional when
// the exponent is in [-4, 16), always with a fractional part or exponent.
std::string float_repr(double v, bool f32) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  int p = 0;
  for (; p <= 17; ++p) {
    std::snprintf(buf, sizeof buf, "%.*e", p, v);
    if (round_trips(buf, v, f32)) break;
  }
  const int exp10 = std::atoi(std::strchr(buf, 'e') + 1);
  if (exp10 >= -4 && exp10 < 16) {
    const int decimals = p - exp10 > 0 ? p - exp10 : 0;
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    std::string s = buf;
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  // Python: 1e-05, 1.5e+16 (mantissa without trailing ".0").
  std::string s = buf;
  const size_t e = s.find('e');
  std::string mant = s.substr(0, e), ex = s.substr(e + 1);
  const char sign = ex[0];
  std::string digits = ex.substr(1);
  while (digits.size() > 2 && digits[0] == '0') digits.erase(0, 1);
  return mant + "e" + sign + digits;
}

struct Layout {
  // Indices shown along each dim (-1 marks the "..." gap).
  std::vector<std::vector<int64_t>> shown;
};

Layout make_layout(const Shape& s, bool summarize) {
  Layout l;
  for (int d = 0; d < s.rank(); ++d) {
    std::vector<int64_t> idx;
    if (summarize && s[d] > 2 * kEdgeItems) {
      for (int64_t i = 0; i < kEdgeItems; ++i) idx.push_back(i);
      idx.push_back(-1);
      for (int64_t i = s[d] - kEdgeItems; i < s[d]; ++i) idx.push_back(i);
    } else {
      for (int64_t i = 0; i < s[d]; ++i) idx.push_back(i);
    }
    l.shown.push_back(idx);
  }
  return l;
}

// Collects the flat indices of every shown element.
void shown_elements(const Shape& s, const Layout& l, int dim, int64_t base,
                    std::vector<int64_t>& out) {
  if (dim == s.rank()) {
    out.push_back(base);
    return;
  }
  int64_t stride = 1;
  for (int d = dim + 1; d < s.rank(); ++d) stride *= s[d];
  for (int64_t i : l.shown[dim])
    if (i >= 0) shown_elements(s, l, dim + 1, base + i * stride, out);
}

// Formats every element of one tensor with a shared width, NumPy style.
class ElementFormatter {
 public:
  ElementFormatter(const Tensor& t, const std::vector<int64_t>& sample) : t_(t) {
    const DType dt = t.dtype();
    if (!is_floating(dt)) {
      for (int64_t i : sample) width_ = std::max(width_, plain(i).size());
      return;
    }
    f32_ = dt == DType::Float32;
    double max_abs = 0, min_abs = INFINITY;
    for (int64_t i : sample) {
      const double v = value(i);
      if (!std::isfinite(v) || v == 0) continue;
      max_abs = std::max(max_abs, std::fabs(v));
      min_abs = std::min(min_abs, std::fabs(v));
    }
    sci_ = max_abs >= 1e8 || (max_abs > 0 && (min_abs < 1e-4 || max_abs / min_abs > 1e3));
    for (int64_t i : sample) {
      const double v = value(i);
      if (!std::isfinite(v)) continue;
      const std::string s = sci_ ? scientific(v, f32_) : positional(v, f32_);
      const size_t dot = s.find('.');
      const size_t e = s.find('e');
      const size_t int_len =
          dot == std::string::npos ? (e == std::string::npos ? s.size() : e) : dot;
      const size_t frac_end = e == std::string::npos ? s.size() : e;
      const size_t frac_len = dot == std::string::npos ? 0 : frac_end - dot - 1;
      pad_left_ = std::max(pad_left_, int_len);
      pad_right_ = std::max(pad_right_, frac_len);
      if (e != std::string::npos) exp_len_ = std::max(exp_len_, s.size() - e);
    }
    width_ = pad_left_ + 1 + pad_right_ + exp_len_;
    for (int64_t i : sample) {
      const double v = value(i);
      if (!std::isfinite(v)) width_ = std::max(width_, special(v).size());
    }
  }

  std::string operator()(int64_t i) const {
    std::string s = is_floating(t_.dtype()) ? floating(i) : plain(i);
    if (t_.dtype() == DType::String) return s;  // tf.print does not align strings
    if (s.size() < width_) s.insert(0, width_ - s.size(), ' ');
    return s;
  }

 private:
  double value(int64_t i) const {
    return f32_ || t_.dtype() == DType::Float32 ? t_.data<float>()[i] : t_.data<double>()[i];
  }
  static std::string special(double v) { return std::isnan(v) ? "nan" : v > 0 ? "inf" : "-inf"; }
  std::string plain(int64_t i) const {
    switch (t_.dtype()) {
      case DType::Bool:
        return t_.data<bool>()[i] ? "True" : "False";
      case DType::Int32:
        return std::to_string(t_.data<int32_t>()[i]);
      case DType::String:  // in an array, quoted (tf.print: ["a" "b"])
        return '"' + std::string(str_view(t_.data<StrRef>()[i])) + '"';
      default:
        return std::to_string(t_.data<int64_t>()[i]);
    }
  }
  std::string floating(int64_t i) const {
    const double v = value(i);
    if (!std::isfinite(v)) return special(v);
    std::string s = sci_ ? scientific(v, f32_) : positional(v, f32_);
    const size_t e = s.find('e');
    std::string mant = e == std::string::npos ? s : s.substr(0, e);
    std::string ex = e == std::string::npos ? "" : s.substr(e);
    size_t dot = mant.find('.');
    if (dot == std::string::npos) {
      mant += ".";
      dot = mant.size() - 1;
    }
    const size_t frac = mant.size() - dot - 1;
    // Positional pads the fraction with spaces, scientific with zeros (NumPy).
    if (frac < pad_right_) mant.append(pad_right_ - frac, sci_ ? '0' : ' ');
    if (dot < pad_left_) mant.insert(0, pad_left_ - dot, ' ');
    return mant + ex;
  }

  const Tensor& t_;
  bool f32_ = false, sci_ = false;
  size_t width_ = 0, pad_left_ = 0, pad_right_ = 0, exp_len_ = 0;
};

void render(const Tensor& t, const Layout& l, const ElementFormatter& fmt, int dim, int64_t base,
            std::string& out) {
  const Shape& s = t.shape();
  const int rank = s.rank();
  int64_t stride = 1;
  for (int d = dim + 1; d < rank; ++d) stride *= s[d];
  out += '[';
  const std::string indent(dim + 1, ' ');
  size_t line_start = out.rfind('\n');
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  bool first = true;
  for (int64_t i : l.shown[dim]) {
    if (dim + 1 == rank) {
      const std::string word = i < 0 ? "..." : fmt(base + i * stride);
      if (!first) {
        // Wrap long rows at the line width like NumPy.
        if (out.size() - line_start + 1 + word.size() + 1 > kLineWidth) {
          while (out.back() == ' ') out.pop_back();  // NumPy strips the broken line
          out += '\n' + indent;
          line_start = out.size() - indent.size();
        } else {
          out += ' ';
        }
      }
      out += word;
    } else {
      if (!first) out += std::string(rank - dim - 1, '\n') + indent;
      if (i < 0) {
        out += "...";
      } else {
        render(t, l, fmt, dim + 1, base + i * stride, out);
      }
    }
    first = false;
  }
  out += ']';
}

}  // namespace

std::string Tensor::to_string() const {
  if (!defined_) return "<undefined tensor>";
  if (device_ != kCpuDevice) return host().to_string();
  if (is_scalar()) {
    switch (dtype_) {
      case DType::Float32:
        return float_repr(*data<float>(), true);
      case DType::Float64:
        return float_repr(*data<double>(), false);
      case DType::Bool:
        return *data<bool>() ? "True" : "False";
      case DType::Int32:
        return std::to_string(*data<int32_t>());
      case DType::Int64:
        return std::to_string(*data<int64_t>());
      case DType::String:  // the text itself, as tf.print and Python's print show a str
        return std::string(str_view(*data<StrRef>()));
    }
  }
  const Layout l = make_layout(shape_, numel_ > kThreshold);
  std::vector<int64_t> sample;
  shown_elements(shape_, l, 0, 0, sample);
  const ElementFormatter fmt(*this, sample);
  std::string out;
  if (numel_ == 0) return "[]";  // NumPy prints every empty array so
  render(*this, l, fmt, 0, 0, out);
  return out;
}

}  // namespace xag::rt
