#include "runtime/ops/slice_plan.h"

#include <string>

#include "runtime/core/errors.h"

namespace xag::rt {

namespace {

[[noreturn]] void fail(const std::string& msg) {
  throw InvalidArgumentError("getitem: " + msg);
}

// Reads a bound: constant, dynamic input value, or unknown (returns false).
bool bound(bool has, int64_t constant, int8_t input, const int64_t* dynamic, size_t num_dynamic,
           bool* present, int64_t* value) {
  if (input >= 0) {
    if (input < 1 || static_cast<size_t>(input) > num_dynamic) {
      fail("subscript refers to input " + std::to_string(input) + " which does not exist");
    }
    *present = true;
    if (!dynamic) return false;
    *value = dynamic[input - 1];
    return true;
  }
  *present = has;
  *value = constant;
  return true;
}

// Python's slice.indices(): fills start and count for a known length.
void slice_indices(int64_t len, bool has_start, int64_t start, bool has_stop, int64_t stop,
                   int64_t step, int64_t* out_start, int64_t* out_count) {
  if (step > 0) {
    if (!has_start) start = 0;
    if (!has_stop) stop = len;
    if (start < 0) start = start + len < 0 ? 0 : start + len;
    if (start > len) start = len;
    if (stop < 0) stop = stop + len < 0 ? 0 : stop + len;
    if (stop > len) stop = len;
    *out_start = start;
    *out_count = stop > start ? (stop - start + step - 1) / step : 0;
  } else {
    if (!has_start)
      start = len - 1;
    else if (start < 0)
      start = start + len < 0 ? -1 : start + len;
    else if (start >= len)
      start = len - 1;
    if (!has_stop)
      stop = -1;
    else if (stop < 0)
      stop = stop + len < 0 ? -1 : stop + len;
    else if (stop >= len)
      stop = len - 1;
    *out_start = start;
    *out_count = start > stop ? (start - stop - 1) / (-step) + 1 : 0;
  }
}

}  // namespace

SlicePlan resolve_slices(const Shape& in, const std::vector<SliceItem>& items,
                         const int64_t* dynamic, size_t num_dynamic) {
  int consumed = 0, ellipses = 0;
  for (const SliceItem& it : items) {
    if (it.kind == SliceItem::Kind::Index || it.kind == SliceItem::Kind::Slice) ++consumed;
    if (it.kind == SliceItem::Kind::Ellipsis) ++ellipses;
  }
  if (ellipses > 1) fail("an index can only have a single ellipsis ('...')");
  if (consumed > in.rank()) {
    fail("too many indices for tensor: tensor is " + std::to_string(in.rank()) +
         "-dimensional, but " + std::to_string(consumed) + " were indexed");
  }
  SlicePlan plan;
  int d = 0;  // next input dim
  auto full_dim = [&](int dim) {
    plan.start[dim] = 0;
    plan.step[dim] = 1;
    plan.src_dim[plan.out_shape.rank()] = static_cast<int8_t>(dim);
    plan.out_shape.push_back(in[dim]);
  };
  for (const SliceItem& it : items) {
    switch (it.kind) {
      case SliceItem::Kind::Ellipsis:
        for (int k = 0; k < in.rank() - consumed; ++k) full_dim(d++);
        break;
      case SliceItem::Kind::NewAxis:
        plan.src_dim[plan.out_shape.rank()] = -1;
        plan.out_shape.push_back(1);
        break;
      case SliceItem::Kind::Index: {
        bool present;
        int64_t i;
        const bool known =
            bound(it.has_start, it.start, it.start_input, dynamic, num_dynamic, &present, &i);
        const int64_t len = in[d];
        plan.step[d] = 1;
        plan.start[d] = 0;
        if (known && len >= 0) {
          if (i < -len || i >= len) {
            fail("index " + std::to_string(i) + " is out of bounds for axis " + std::to_string(d) +
                 " with size " + std::to_string(len));
          }
          plan.start[d] = i < 0 ? i + len : i;
        }
        ++d;
        break;
      }
      case SliceItem::Kind::Slice: {
        bool has_start, has_stop, has_step;
        int64_t start, stop, step;
        bool known =
            bound(it.has_start, it.start, it.start_input, dynamic, num_dynamic, &has_start, &start);
        known &= bound(it.has_stop, it.stop, it.stop_input, dynamic, num_dynamic, &has_stop, &stop);
        const bool step_known =
            bound(it.has_step, it.step, it.step_input, dynamic, num_dynamic, &has_step, &step);
        if (!has_step) step = 1;
        if (step_known && step == 0) fail("slice step cannot be zero");
        const int64_t len = in[d];
        int64_t s0 = 0, count = kUnknownDim;
        if (known && step_known && len >= 0) {
          slice_indices(len, has_start, start, has_stop, stop, step, &s0, &count);
        } else if (step_known && step == 1 && !has_start && !has_stop) {
          count = len;  // x[:] keeps an unknown dim as it is
        }
        plan.start[d] = s0;
        plan.step[d] = step_known ? step : 1;
        plan.src_dim[plan.out_shape.rank()] = static_cast<int8_t>(d);
        plan.out_shape.push_back(count);
        ++d;
        break;
      }
    }
  }
  while (d < in.rank()) full_dim(d++);
  return plan;
}

}  // namespace xag::rt
