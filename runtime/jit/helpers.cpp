// The helpers native code calls: each runs the interpreter's own code for one instruction, so
// everything the code generator does not write out (tensor ops, lists, prints, asserts, scalar
// kernels outside the inline families) has exactly the interpreter's semantics. Exceptions
// never cross native frames: a helper catches them into NativeCall::error and returns nonzero.
#include "runtime/core/interrupt.h"
#include "runtime/jit/native.h"

namespace xag::rt::jit {

namespace {

template <class F>
int32_t guarded(NativeCall* c, int64_t pc, F&& f) {
  c->f->pc = static_cast<size_t>(pc);
  ++c->f->stats.native_helper_calls;
  try {
    f();
    return 0;
  } catch (...) {
    c->error = std::current_exception();
    return 1;
  }
}

}  // namespace

extern "C" {

int32_t xag_jit_exec(NativeCall* c, const exec::Instr* in, int64_t pc) {
  return guarded(c, pc, [&] { exec::exec_slow(*c->f, *in); });
}

int32_t xag_jit_push(NativeCall* c, const exec::Instr* in, int64_t pc) {
  if (exec::push_scalar_fast(*c->f, *in)) {
    ++c->f->stats.native_helper_calls;
    return 0;
  }
  return xag_jit_exec(c, in, pc);
}

void* xag_jit_list_claim(NativeCall* c, const exec::Instr* in, int64_t bytes, int64_t* out) {
  exec::Frame& f = *c->f;
  ++f.stats.native_helper_calls;
  const exec::ListPtr& src = f.l[static_cast<size_t>(in->a)];
  exec::ListData* l = src.get();
  if (!(in->steal && l && l->scalar_capacity > 0 && src.use_count() == 1 &&
        l->elem_bytes == static_cast<size_t>(bytes) &&
        f.t[static_cast<size_t>(in->b)].dtype() == l->element.dtype)) {
    return nullptr;
  }
  out[0] = static_cast<int64_t>(reinterpret_cast<uintptr_t>(l->bytes.data()));
  out[1] = static_cast<int64_t>(l->count);
  out[2] = static_cast<int64_t>(l->scalar_capacity);
  return l;
}

int32_t xag_jit_sfn(NativeCall* c, const exec::Instr* in, int64_t pc) {
  return guarded(c, pc, [&] { in->sfn(c->f->scalar_base(), *in); });
}

int32_t xag_jit_truth(NativeCall* c, int32_t slot, int64_t pc) {
  bool r = false;
  const int32_t st = guarded(c, pc, [&] { r = exec::truth(c->f->t[static_cast<size_t>(slot)]); });
  return st ? -1 : r;
}

int32_t xag_jit_item_i64(NativeCall* c, int32_t slot, int64_t pc, int64_t* out) {
  return guarded(c, pc, [&] { *out = c->f->t[static_cast<size_t>(slot)].item<int64_t>(); });
}

int64_t xag_jit_poll(NativeCall* c, int64_t pc) {
  exec::Frame& f = *c->f;
  if (!f.has_poll) return int64_t{1} << 40;  // no poll hook: only the interrupt flag matters
  if (guarded(c, pc, [&] { f.slow_tick(static_cast<size_t>(pc)); })) return -1;
  return f.countdown;
}

void xag_jit_cancel(NativeCall* c, int64_t pc) {
  guarded(c, pc, [&] { exec::cancel_loop(*c->f, static_cast<size_t>(pc)); });
}

const void* xag_jit_vec(NativeCall* c, int32_t slot, int64_t* n) {
  const Tensor& x = c->f->t[static_cast<size_t>(slot)];
  if (!x.defined() || !x.on_host()) {
    *n = 0;  // every index then takes the scalar kernel, which handles (or raises) it
    return nullptr;
  }
  *n = x.num_elements();
  return x.raw_data();
}

}  // extern "C"

int64_t list_count_offset() {
  static const int64_t offset = [] {
    exec::ListData l;
    return static_cast<int64_t>(reinterpret_cast<const char*>(&l.count) -
                                reinterpret_cast<const char*>(&l));
  }();
  return offset;
}

}  // namespace xag::rt::jit
