// Variable resources shared between Python and graphs.
#include "runtime/graph/variable.h"

namespace xag::rt {

Variable::Variable(Tensor initial, std::string name)
    : value_(std::move(initial)), name_(std::move(name)) {
  if (!value_.defined()) throw InvalidArgumentError("Variable: the initial value is undefined");
  spec_ = TensorSpec{value_.dtype(), value_.shape()};
}

Tensor Variable::read() const {
  std::lock_guard<std::mutex> lock(mu_);
  return value_;
}

void Variable::assign(const Tensor& value) {
  if (!value.defined()) throw InvalidArgumentError("Variable.assign: the value is undefined");
  if (value.shape() != spec_.shape) {
    throw InvalidArgumentError("Variable" + (name_.empty() ? "" : " '" + name_ + "'") +
                               ": cannot assign a value of shape " + value.shape().to_string() +
                               " to a variable of shape " + spec_.shape.to_string());
  }
  Tensor v = value.dtype() == spec_.dtype ? value : value.cast(spec_.dtype);
  std::lock_guard<std::mutex> lock(mu_);
  value_ = std::move(v);
}

}  // namespace xag::rt
