// Tensor-list instructions. Lists are shared copy-on-write between slots; an update whose input
// list is dead afterwards (Instr::steal) takes it over, so appending in a loop is O(1).
#include "runtime/exec/program.h"

namespace xag::rt::exec {

namespace {

int64_t list_index(const Tensor& idx, size_t size, bool allow_end, const char* what) {
  int64_t i = idx.item<int64_t>();
  const int64_t n = static_cast<int64_t>(size);
  if (i < 0) i += n;
  if (i < 0 || (!allow_end && i >= n)) {
    throw InvalidArgumentError(std::string(what) + ": index " +
                               std::to_string(idx.item<int64_t>()) +
                               " is out of range for a list of size " + std::to_string(n));
  }
  return i;
}

void check_item(const ListData& l, const Tensor& item, const char* what) {
  if (item.dtype() != l.element.dtype || !item.shape().compatible_with(l.element.shape)) {
    throw InvalidArgumentError(std::string(what) + ": cannot store a " + dtype_name(item.dtype()) +
                               " tensor of shape " + item.shape().to_string() + " in a list of " +
                               l.element.to_string() + " elements");
  }
}

// The list to update: taken over when allowed, copied when anyone else can still see it.
ListPtr writable(Frame& f, const Instr& in) {
  ListPtr l = in.steal ? std::move(f.l[static_cast<size_t>(in.a)]) : f.l[static_cast<size_t>(in.a)];
  if (!l) throw InternalError("tensor list slot is empty");
  if (l.use_count() > 1) l = std::make_shared<ListData>(*l);
  return l;
}

// Unwritten elements read as zeros when the element shape is known (TensorArray semantics).
const Tensor& element(const ListData& l, size_t i, const char* what, Tensor& zeros) {
  if (l.items[i].defined()) return l.items[i];
  if (!l.element.shape.is_fully_defined()) {
    throw InvalidArgumentError(std::string(what) + ": element " + std::to_string(i) +
                               " was never written and the element shape is not known");
  }
  zeros = Tensor::zeros(l.element.dtype, l.element.shape);
  return zeros;
}

}  // namespace

void exec_list(Frame& f, const Instr& in) {
  auto T = [&](int32_t s) -> Tensor& { return f.t[static_cast<size_t>(s)]; };
  switch (in.code) {
    case Code::ListNew: {
      auto l = std::make_shared<ListData>();
      l->element = f.prog->list_elements[static_cast<size_t>(in.payload)];
      l->dynamic = f.prog->list_dynamic[static_cast<size_t>(in.payload)];
      if (in.a >= 0) {
        const int64_t n = T(in.a).item<int64_t>();
        if (n < 0) {
          throw InvalidArgumentError("tensor_list_new: size must be non-negative, got " +
                                     std::to_string(n));
        }
        l->items.resize(static_cast<size_t>(n));
      }
      f.l[static_cast<size_t>(in.out)] = std::move(l);
      return;
    }
    case Code::ListPushBack: {
      ListPtr l = writable(f, in);
      check_item(*l, T(in.b), "tensor_list_push_back");
      l->items.push_back(T(in.b));
      f.l[static_cast<size_t>(in.out)] = std::move(l);
      return;
    }
    case Code::ListSet: {
      ListPtr l = writable(f, in);
      check_item(*l, T(in.c), "tensor_list_set");
      const int64_t i = list_index(T(in.b), l->items.size(), l->dynamic, "tensor_list_set");
      if (static_cast<size_t>(i) >= l->items.size()) l->items.resize(static_cast<size_t>(i) + 1);
      l->items[static_cast<size_t>(i)] = T(in.c);
      f.l[static_cast<size_t>(in.out)] = std::move(l);
      return;
    }
    case Code::ListGet: {
      const ListData& l = *f.l[static_cast<size_t>(in.a)];
      const int64_t i = list_index(T(in.b), l.items.size(), false, "tensor_list_get");
      Tensor zeros;
      T(in.out) = element(l, static_cast<size_t>(i), "tensor_list_get", zeros);
      make_inline(T(in.out));
      return;
    }
    case Code::ListSize: {
      const ListData& l = *f.l[static_cast<size_t>(in.a)];
      *static_cast<int32_t*>(T(in.out).raw_data()) = static_cast<int32_t>(l.items.size());
      return;
    }
    case Code::ListStack: {
      const ListData& l = *f.l[static_cast<size_t>(in.a)];
      if (l.items.empty()) {
        if (!l.element.shape.is_fully_defined()) {
          throw InvalidArgumentError(
              "tensor_list_stack: cannot stack an empty list whose element shape " +
              l.element.shape.to_string() + " is not fully known");
        }
        Shape s = l.element.shape;
        s.insert(0, 0);
        T(in.out) = Tensor::zeros(l.element.dtype, s);
        return;
      }
      std::vector<Tensor> items;
      items.reserve(l.items.size());
      Tensor zeros;
      for (size_t i = 0; i < l.items.size(); ++i)
        items.push_back(element(l, i, "tensor_list_stack", zeros));
      static const OpAttrs kAxis0 = OpAttrs::with_axis(0);
      run_into(OpKind::Stack, items.data(), items.size(), kAxis0, T(in.out));
      return;
    }
    default:
      throw InternalError("exec_list: not a list instruction");
  }
}

}  // namespace xag::rt::exec
