// The tracer's stateful values: tensor lists (staged only: each update returns a new list value)
// and variables (read and assigned eagerly, or as ordered nodes while tracing).
#include <string>

#include "runtime/core/errors.h"
#include "runtime/graph/tracer.h"

namespace xag::rt {

namespace {

// The innermost trace, located at the user's current line.
Trace& located_trace(const char* what) {
  Trace& tr = current_trace(what);
  tr.locate();
  return tr;
}

}  // namespace

Operand list_new(const TensorSpec& element, const Operand* size, bool dynamic_size) {
  Trace& tr = located_trace("tensor_list_new");
  const Value sz = size ? tr.value_of(*size) : Value{};
  return tr.symbolic(tr.builder().list_new(element, sz, dynamic_size));
}

Operand list_push_back(const Operand& list, const Operand& item) {
  Trace& tr = located_trace("tensor_list_push_back");
  return tr.symbolic(tr.builder().list_push_back(tr.value_of(list), tr.value_of(item)));
}

Operand list_get(const Operand& list, const Operand& index) {
  Trace& tr = located_trace("tensor_list_get");
  return tr.symbolic(tr.builder().list_get(tr.value_of(list), tr.value_of(index)));
}

Operand list_set(const Operand& list, const Operand& index, const Operand& item) {
  Trace& tr = located_trace("tensor_list_set");
  return tr.symbolic(
      tr.builder().list_set(tr.value_of(list), tr.value_of(index), tr.value_of(item)));
}

Operand list_size(const Operand& list) {
  Trace& tr = located_trace("tensor_list_size");
  return tr.symbolic(tr.builder().list_size(tr.value_of(list)));
}

Operand list_stack(const Operand& list) {
  Trace& tr = located_trace("tensor_list_stack");
  return tr.symbolic(tr.builder().list_stack(tr.value_of(list)));
}

std::pair<Operand, Operand> list_pop(const Operand& list, const Operand& index) {
  Trace& tr = located_trace("tensor_list_pop");
  auto [rest, item] = tr.builder().list_pop(tr.value_of(list), tr.value_of(index));
  return {tr.symbolic(rest), tr.symbolic(item)};
}

Operand read_variable(const std::shared_ptr<Variable>& var) {
  Operand out;
  if (!tracing()) {
    out = Operand(var->read());
  } else {
    Trace& tr = located_trace("var_read");
    out = tr.symbolic(tr.builder().var_read(var));
  }
  notify_variable_read(var, out);
  return out;
}

Operand assign_variable(const std::shared_ptr<Variable>& var, const Operand& value,
                        AssignMode mode) {
  if (tracing()) {
    Trace& tr = located_trace("assign");
    const Value x = tr.value_of(value);
    GraphBuilder& b = tr.builder();
    return tr.symbolic(mode == AssignMode::Add   ? b.var_assign_add(var, x)
                       : mode == AssignMode::Sub ? b.var_assign_sub(var, x)
                                                 : b.var_assign(var, x));
  }
  if (value.symbolic()) {
    throw StagingError(
        "assign: a symbolic tensor was used outside the staged function that made it (return it "
        "from the function instead of keeping it in a global)");
  }
  Tensor x = value.value;
  if (mode != AssignMode::Set) {
    const Tensor in[2] = {var->read(), x};
    x = run(mode == AssignMode::Add ? OpKind::Add : OpKind::Sub, in, 2, {});
  }
  var->assign(x);
  return Operand(var->read());
}

std::optional<DType> assign_value_dtype(const Variable& var) {
  if (tracing()) return std::nullopt;
  return var.spec().dtype;
}

AssignMode assign_mode(std::string_view name) {
  if (name == "set") return AssignMode::Set;
  if (name == "add") return AssignMode::Add;
  if (name == "sub") return AssignMode::Sub;
  throw InvalidArgumentError("assign: mode must be 'set', 'add' or 'sub', got '" +
                             std::string(name) + "'");
}

std::shared_ptr<Variable> new_variable(const Operand& initial, const std::string& name) {
  if (initial.symbolic()) {
    throw StagingError(
        "ag.Variable: the initial value must be known when the variable is created (create "
        "variables outside staged functions)");
  }
  return std::make_shared<Variable>(initial.value, name);
}

}  // namespace xag::rt
