// Executable::run: sets up a frame (slots, presets, arguments), runs the top-level block,
// returns the results.
#include <sstream>

#include "runtime/exec/program.h"

namespace xag::rt {

using exec::Frame;
using exec::Program;

const std::vector<Type>& Executable::input_types() const {
  if (!program_) throw InvalidArgumentError("Executable: not compiled");
  return program_->input_types;
}

const std::vector<Type>& Executable::output_types() const {
  if (!program_) throw InvalidArgumentError("Executable: not compiled");
  return program_->output_types;
}

std::vector<Tensor> Executable::run(const std::vector<Tensor>& args,
                                    const RunOptions& options) const {
  if (!program_) throw InvalidArgumentError("Executable::run: not compiled");
  const Program& p = *program_;
  if (args.size() != p.param_slots.size()) {
    throw InvalidArgumentError("graph expects " + std::to_string(p.param_slots.size()) +
                               " arguments, got " + std::to_string(args.size()));
  }
  Frame f;
  f.prog = &p;
  f.opts = &options;
  f.t.resize(static_cast<size_t>(p.num_tensor_slots));
  f.l.resize(static_cast<size_t>(p.num_list_slots));
  f.scratch.resize(static_cast<size_t>(p.max_inputs));
  for (const auto& [slot, value] : p.preset) {
    f.t[static_cast<size_t>(slot)] = value;
    exec::make_inline(f.t[static_cast<size_t>(slot)]);
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const TensorSpec& want = p.input_types[i].spec;
    const Tensor& a = args[i];
    if (!a.defined() || a.dtype() != want.dtype || !a.shape().compatible_with(want.shape)) {
      throw InvalidArgumentError(
          "argument " + std::to_string(i) + ": expected " + want.to_string() + ", got " +
          (a.defined() ? TensorSpec{a.dtype(), a.shape()}.to_string() : "an undefined tensor"));
    }
    f.t[static_cast<size_t>(p.param_slots[i])] = a;
    exec::make_inline(f.t[static_cast<size_t>(p.param_slots[i])]);
  }
  f.has_poll = static_cast<bool>(options.poll);
  f.last_check = f.last_poll = std::chrono::steady_clock::now();
  f.poll_interval = std::chrono::nanoseconds(static_cast<int64_t>(options.poll_interval_ms * 1e6));

  f.loop_it.resize(static_cast<size_t>(p.num_loops));
  f.loop_max.resize(static_cast<size_t>(p.num_loops));

  exec::run_program(f);

  std::vector<Tensor> out;
  out.reserve(p.results.size());
  for (int32_t s : p.results) out.push_back(f.t[static_cast<size_t>(s)]);
  if (options.stats) *options.stats = f.stats;
  return out;
}

std::string Executable::dump() const {
  if (!program_) return "<not compiled>\n";
  const Program& p = *program_;
  std::ostringstream o;
  o << "slots: " << p.num_tensor_slots << " tensors, " << p.num_list_slots << " lists\n";
  static const char* kNames[] = {"scalar",
                                 "scalar_copy",
                                 "jump",
                                 "jump_if_false",
                                 "loop_start",
                                 "loop_head",
                                 "loop_back",
                                 "transfer",
                                 "op",
                                 "fused",
                                 "list_new",
                                 "list_push",
                                 "list_get",
                                 "list_set",
                                 "list_size",
                                 "list_stack",
                                 "print",
                                 "assert",
                                 "var_read",
                                 "var_assign",
                                 "var_assign_add",
                                 "var_assign_sub",
                                 "halt",
                                 "add_i32",
                                 "sub_i32",
                                 "mul_i32",
                                 "eq_i32",
                                 "ne_i32",
                                 "lt_i32",
                                 "le_i32",
                                 "gt_i32",
                                 "ge_i32",
                                 "mod_pow2_i32",
                                 "floordiv_pow2_i32",
                                 "eq_i32_br",
                                 "ne_i32_br",
                                 "lt_i32_br",
                                 "le_i32_br",
                                 "gt_i32_br",
                                 "ge_i32_br",
                                 "add_i64",
                                 "sub_i64",
                                 "mul_i64",
                                 "eq_i64",
                                 "ne_i64",
                                 "lt_i64",
                                 "le_i64",
                                 "gt_i64",
                                 "ge_i64",
                                 "eq_i64_br",
                                 "ne_i64_br",
                                 "lt_i64_br",
                                 "le_i64_br",
                                 "gt_i64_br",
                                 "ge_i64_br",
                                 "not_b",
                                 "and_b",
                                 "or_b",
                                 "select_b",
                                 "select4",
                                 "select8",
                                 "mod_i32",
                                 "and_b_br",
                                 "or_b_br",
                                 "add_f32",
                                 "sub_f32",
                                 "mul_f32",
                                 "lt_f32",
                                 "le_f32",
                                 "gt_f32",
                                 "ge_f32",
                                 "add_f64",
                                 "sub_f64",
                                 "mul_f64",
                                 "lt_f64",
                                 "le_f64",
                                 "gt_f64",
                                 "ge_f64",
                                 "lt_f32_br",
                                 "le_f32_br",
                                 "gt_f32_br",
                                 "ge_f32_br",
                                 "lt_f64_br",
                                 "le_f64_br",
                                 "gt_f64_br",
                                 "ge_f64_br",
                                 "abs_f32",
                                 "abs_f64",
                                 "getitem4",
                                 "getitem8",
                                 "loop_back_free"};
  static_assert(
      sizeof(kNames) / sizeof(kNames[0]) == static_cast<size_t>(exec::Code::LoopBackFree) + 1,
      "one name per instruction code");
  for (size_t pc = 0; pc < p.code.size(); ++pc) {
    const exec::Instr& in = p.code[pc];
    o << pc << ": " << kNames[static_cast<int>(in.code)];
    if (in.code == exec::Code::Scalar || in.code == exec::Code::Op) o << " " << op_name(in.op);
    if (in.code >= exec::Code::AddI32) o << " t" << in.a << ", t" << in.b;
    if (in.code == exec::Code::ScalarCopy || in.code == exec::Code::JumpIfFalse) o << " t" << in.a;
    if (!in.ins.empty() && in.code != exec::Code::JumpIfFalse) {
      o << " (";
      for (size_t i = 0; i < in.ins.size(); ++i) o << (i ? ", " : "") << "t" << in.ins[i];
      o << ")";
    }
    if (in.out >= 0) o << " -> t" << in.out;
    if (in.x0 >= 0) o << " [" << in.x0 << (in.x1 >= 0 ? ", " + std::to_string(in.x1) : "") << "]";
    o << "\n";
  }
  o << "results:";
  for (int32_t s : p.results) o << " t" << s;
  o << "\n";
  return o.str();
}

}  // namespace xag::rt
