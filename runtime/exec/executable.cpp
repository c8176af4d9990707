// Executable::run: sets up a frame (slots, presets, arguments), runs the top-level block,
// returns the results.
#include <optional>
#include <sstream>

#include "runtime/backend/placement.h"
#include "runtime/core/strings.h"
#include "runtime/exec/program.h"
#include "runtime/jit/tier.h"

namespace xag::rt {

using exec::Frame;
using exec::Program;

namespace {

// The inline scalar instructions, which name their operand slots in a dump.
bool prints_operands(exec::Code code) {
  switch (code) {
#define XAG_CODE(Name, label)
#define XAG_BINARY(Name, label, Kind, DT, T, R, expr) case exec::Code::Name:
#define XAG_TEST(Name, label, Kind, DT, T, expr) \
  case exec::Code::Name:                         \
  case exec::Code::Name##Br:
#define XAG_GUARDED(Name, label, Kind, DT) case exec::Code::Name:
#define XAG_SHIFT(Name, label, Kind, DT, T, expr) case exec::Code::Name:
#define XAG_UNARY(Name, label, Kind, DT, T, expr) case exec::Code::Name:
#define XAG_SELECT(Name, label, bytes, U) case exec::Code::Name:
#define XAG_GETITEM(Name, label, bytes, U) case exec::Code::Name:
#include "runtime/exec/instructions.def"
    return true;
    default:
      return false;
  }
}

}  // namespace

void exec::read_elements_through_kernels(Program& p) {
  for (exec::Instr& in : p.code)
    if (in.code == exec::Code::GetItem4 || in.code == exec::Code::GetItem8)
      in.code = exec::Code::Scalar;
}

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
  // Kernels hold string refs in locals: no string collection while this runs, except at its
  // polls (run_session.cpp), which come between instructions.
  const StringUse strings_in_use;
  const DeviceId dev = options.device;
  std::optional<Program> placed_program;
  if (dev != kCpuDevice) {
    placed_program.emplace(*program_);
    exec::read_elements_through_kernels(*placed_program);
  }
  const Program& p = placed_program ? *placed_program : *program_;
  if (args.size() != p.param_slots.size()) {
    throw InvalidArgumentError("graph expects " + std::to_string(p.param_slots.size()) +
                               " arguments, got " + std::to_string(args.size()));
  }
  Frame f;
  exec::prepare_frame(f, p, options);
  std::optional<DeviceScope> placed;
  if (dev != kCpuDevice) {
    placed.emplace(dev);
    for (const auto& [slot, value] : p.preset) place_value(f.t[static_cast<size_t>(slot)], dev);
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
    place_value(f.t[static_cast<size_t>(p.param_slots[i])], dev);
  }
  // Native code once the JIT has it (host runs only), else the interpreter.
  if (dev != kCpuDevice || !tier_ || !tier_->run(program_, f)) exec::run_program(f);

  std::vector<Tensor> out;
  out.reserve(p.results.size());
  for (int32_t s : p.results) out.push_back(f.t[static_cast<size_t>(s)]);
  if (options.stats) *options.stats = f.stats;
  return out;
}

TierInfo Executable::tier_info() const {
  if (!tier_) return TierInfo{"interpreter", "not compiled"};
  return tier_->info();
}

void Executable::disable_jit() {
  if (tier_) tier_->disable("jit=False");
}

std::string Executable::dump() const {
  if (!program_) return "<not compiled>\n";
  const Program& p = *program_;
  std::ostringstream o;
  o << "slots: " << p.num_tensor_slots << " tensors, " << p.num_list_slots << " lists\n";
  static const char* const kNames[] = {
#define XAG_CODE(Name, label) #label,
#include "runtime/exec/instructions.def"
  };
  static_assert(sizeof(kNames) / sizeof(kNames[0]) == exec::kNumCodes, "one name per code");
  for (size_t pc = 0; pc < p.code.size(); ++pc) {
    const exec::Instr& in = p.code[pc];
    o << pc << ": " << kNames[static_cast<int>(in.code)];
    if (in.code == exec::Code::Scalar || in.code == exec::Code::Op) o << " " << op_name(in.op);
    if (prints_operands(in.code)) o << " t" << in.a << ", t" << in.b;
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
