#include "runtime/graph/subscript.h"

#include <string>

#include "runtime/core/errors.h"

namespace xag::rt {

namespace {

// Collects the op's inputs: x, then the symbolic tensors of the key.
struct Plan {
  OpAttrs attrs;
  std::vector<Input> inputs;

  // A tensor in the key: its input index (>= 1), or -1 with `*value` set when it is eager.
  int8_t tensor_input(const Operand& t, int64_t* value) {
    if (t.shape().rank() != 0 || !is_integer(t.dtype())) {
      throw InvalidArgumentError(
          "getitem: indices must be integers, slices, '...', None or integer scalar tensors, "
          "got a " +
          std::string(dtype_name(t.dtype())) + " tensor of shape " + t.shape().to_string());
    }
    if (!t.symbolic()) {
      *value = t.value.item<int64_t>();
      return -1;
    }
    inputs.push_back(t);
    return static_cast<int8_t>(inputs.size() - 1);
  }

  void bound(const IndexValue& v, bool* has, int64_t* value, int8_t* input) {
    if (v.kind == IndexValue::Kind::None) return;
    if (v.kind == IndexValue::Kind::Constant) {
      *value = v.constant;
      *has = true;
      return;
    }
    *input = tensor_input(*v.tensor, value);
    *has = *input < 0;
  }

  void add(const KeyItem& item) {
    switch (item.kind) {
      case KeyItem::Kind::NewAxis:
        attrs.slices.push_back(SliceItem::new_axis());
        return;
      case KeyItem::Kind::Ellipsis:
        attrs.slices.push_back(SliceItem::ellipsis());
        return;
      case KeyItem::Kind::Slice: {
        SliceItem s;
        s.kind = SliceItem::Kind::Slice;
        bound(item.start, &s.has_start, &s.start, &s.start_input);
        bound(item.stop, &s.has_stop, &s.stop, &s.stop_input);
        bound(item.step, &s.has_step, &s.step, &s.step_input);
        attrs.slices.push_back(s);
        return;
      }
      case KeyItem::Kind::Index: {
        if (item.index.kind == IndexValue::Kind::Constant) {
          attrs.slices.push_back(SliceItem::index(item.index.constant));
          return;
        }
        int64_t value = 0;
        const int8_t k = tensor_input(*item.index.tensor, &value);
        attrs.slices.push_back(k < 0 ? SliceItem::index(value) : SliceItem::index_input(k));
        return;
      }
    }
  }
};

}  // namespace

Operand getitem(const Operand& x, const std::vector<KeyItem>& key) {
  if (key.size() == 1 && key[0].kind == KeyItem::Kind::Index &&
      key[0].index.kind == IndexValue::Kind::Tensor && key[0].index.tensor->shape().rank() > 0) {
    const Operand& indices = *key[0].index.tensor;
    if (indices.dtype() == DType::Bool) {
      throw InvalidArgumentError(
          "getitem: boolean mask indexing is not supported; use ag.where instead");
    }
    return apply(OpKind::Gather, {x, indices}, OpAttrs::with_axis(0));
  }
  Plan plan;
  plan.inputs.reserve(key.size() + 1);
  plan.inputs.push_back(x);
  for (const KeyItem& item : key) plan.add(item);
  return apply(OpKind::GetItem, plan.inputs.data(), plan.inputs.size(), plan.attrs);
}

}  // namespace xag::rt
