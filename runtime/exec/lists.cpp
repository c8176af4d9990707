// Tensor-list instructions. Lists are shared copy-on-write between slots; an update whose input
// list is dead afterwards (Instr::steal) takes it over, so appending in a loop is O(1).
#include <algorithm>
#include <cstring>

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
  // Packed lists know the full element shape: equality is the whole check (and cheap).
  if (l.packed && item.dtype() == l.element.dtype && item.shape() == l.element.shape) return;
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

// Copies element i of a packed list into `out`, in place when `out` already is an exclusively
// owned tensor of the element's dtype and shape (a loop reading a list reuses its buffer; a
// scalar is 8 inline bytes).
void packed_get(const ListData& l, size_t i, Tensor& out) {
  const unsigned char* src = l.bytes.data() + i * l.elem_bytes;
  if (!(out.defined() && out.dtype() == l.element.dtype && out.shape() == l.element.shape &&
        out.is_exclusively_owned())) {
    out = Tensor::empty(l.element.dtype, l.element.shape);
  }
  if (l.elem_bytes > 0) std::memcpy(out.raw_data(), src, l.elem_bytes);
}

void packed_store(ListData& l, size_t i, const Tensor& item) {
  // Packed lists are host memory: an element from a device is copied out first.
  if (!item.on_host()) return packed_store(l, i, item.host());
  unsigned char* dst = l.bytes.data() + i * l.elem_bytes;
  if (l.elem_bytes == 8) {  // int64/float64 scalars: one 8-byte move, no memcpy call
    uint64_t v;
    std::memcpy(&v, item.raw_data(), 8);
    std::memcpy(dst, &v, 8);
  } else if (l.elem_bytes > 0) {
    std::memcpy(dst, item.raw_data(), l.elem_bytes);
  }
}

// Grows a packed list to n >= count elements; the new ones are zero (unwritten elements read
// as zeros) until the caller stores into them.
void packed_resize(ListData& l, size_t n) {
  const size_t have = l.count * l.elem_bytes, need = n * l.elem_bytes;
  l.bytes.ensure(need);
  if (l.element.shape.rank() == 0) l.scalar_capacity = l.bytes.size() / l.elem_bytes;
  if (need > have) std::memset(l.bytes.data() + have, 0, need - have);
  l.count = n;
}

// Pop (a ListGet with c >= 0, lowered from NodeKind::ListPop): t[out] = element t[b] of list
// l[a], and l[c] = the list without it. Taking the list over (Instr::steal) makes popping the
// last element of a carried list O(1); other indices shift the tail down, as Python's list does.
void list_pop(Frame& f, const Instr& in) {
  const ListData* src = f.l[static_cast<size_t>(in.a)].get();
  if (!src) throw InternalError("tensor list slot is empty");
  const size_t n = src->size();
  // Python's message for an empty list (IndexError there; InvalidArgumentError here, which the
  // interpreter locates at the user's line). Checked before the list is taken over.
  if (n == 0) throw InvalidArgumentError("tensor_list_pop: pop from empty list");
  const size_t k =
      static_cast<size_t>(list_index(f.t[static_cast<size_t>(in.b)], n, false, "tensor_list_pop"));
  ListPtr l = writable(f, in);
  Tensor& out = f.t[static_cast<size_t>(in.out)];
  if (l->packed) {
    packed_get(*l, k, out);
    if (k + 1 < n) {
      unsigned char* at = l->bytes.data() + k * l->elem_bytes;
      std::memmove(at, at + l->elem_bytes, (n - k - 1) * l->elem_bytes);
    }
    l->count = n - 1;
  } else {
    Tensor zeros;
    out = element(*l, k, "tensor_list_pop", zeros);
    make_inline(out);
    l->items.erase(l->items.begin() + static_cast<std::ptrdiff_t>(k));
  }
  f.l[static_cast<size_t>(in.c)] = std::move(l);
}

}  // namespace

void exec_list(Frame& f, const Instr& in) {
  auto T = [&](int32_t s) -> Tensor& { return f.t[static_cast<size_t>(s)]; };
  switch (in.code) {
    case Code::ListNew: {
      auto l = std::make_shared<ListData>();
      l->element = f.prog->list_elements[static_cast<size_t>(in.payload)];
      l->dynamic = f.prog->list_dynamic[static_cast<size_t>(in.payload)];
      // Strings stay unpacked: their elements must live in tensors' registered buffers, where
      // the string collector finds them at a poll of this run (runtime/core/strings.h).
      if (l->element.shape.is_fully_defined() && l->element.dtype != DType::String) {
        l->packed = true;
        l->elem_bytes =
            static_cast<size_t>(l->element.shape.num_elements()) * dtype_size(l->element.dtype);
      }
      if (in.a >= 0) {
        const int64_t n = T(in.a).item<int64_t>();
        if (n < 0) {
          throw InvalidArgumentError("tensor_list_new: size must be non-negative, got " +
                                     std::to_string(n));
        }
        if (l->packed) {
          packed_resize(*l, static_cast<size_t>(n));
        } else {
          l->items.resize(static_cast<size_t>(n));
        }
      }
      f.l[static_cast<size_t>(in.out)] = std::move(l);
      return;
    }
    case Code::ListPushBack: {
      ListPtr l = writable(f, in);
      check_item(*l, T(in.b), "tensor_list_push_back");
      if (l->packed) {
        packed_resize(*l, l->count + 1);
        packed_store(*l, l->count - 1, T(in.b));
      } else {
        l->items.push_back(T(in.b));
      }
      f.l[static_cast<size_t>(in.out)] = std::move(l);
      return;
    }
    case Code::ListSet: {
      ListPtr l = writable(f, in);
      check_item(*l, T(in.c), "tensor_list_set");
      const int64_t i = list_index(T(in.b), l->size(), l->dynamic, "tensor_list_set");
      const size_t k = static_cast<size_t>(i);
      if (l->packed) {
        if (k >= l->count) packed_resize(*l, k + 1);
        packed_store(*l, k, T(in.c));
      } else {
        if (k >= l->items.size()) l->items.resize(k + 1);
        l->items[k] = T(in.c);
      }
      f.l[static_cast<size_t>(in.out)] = std::move(l);
      return;
    }
    case Code::ListGet: {
      if (in.c >= 0) {
        list_pop(f, in);
        return;
      }
      const ListData& l = *f.l[static_cast<size_t>(in.a)];
      const int64_t i = list_index(T(in.b), l.size(), false, "tensor_list_get");
      if (l.packed) {
        packed_get(l, static_cast<size_t>(i), T(in.out));
        return;
      }
      Tensor zeros;
      T(in.out) = element(l, static_cast<size_t>(i), "tensor_list_get", zeros);
      make_inline(T(in.out));
      return;
    }
    case Code::ListSize: {
      const ListData& l = *f.l[static_cast<size_t>(in.a)];
      *static_cast<int32_t*>(T(in.out).raw_data()) = static_cast<int32_t>(l.size());
      return;
    }
    case Code::ListStack: {
      const ListData& l = *f.l[static_cast<size_t>(in.a)];
      if (l.size() == 0) {
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
      if (l.packed) {
        // One copy of the packed bytes: they already are the stacked tensor's row-major data.
        Shape s = l.element.shape;
        s.insert(0, static_cast<int64_t>(l.count));
        T(in.out) = Tensor::from_raw(l.element.dtype, s, l.bytes.data(),
                                     l.count * static_cast<size_t>(l.element.shape.num_elements()));
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
