// A variable resource: a mutable slot holding one Tensor, shared between Python's ag.Variable
// (through std::shared_ptr) and every graph that reads or assigns it. Its dtype and shape are
// fixed at creation, so graphs can type VarRead statically.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "runtime/core/tensor.h"
#include "runtime/ops/ops.h"

namespace xag::rt {

class Variable {
 public:
  // Takes the initial value (a copy of the handle; assign() never writes into that buffer).
  explicit Variable(Tensor initial, std::string name = {});

  const TensorSpec& spec() const { return spec_; }
  const std::string& name() const { return name_; }

  // The current value (a handle; later assigns replace the variable's tensor, never mutate it).
  Tensor read() const;
  // Replaces the value. A different dtype is cast (as ag.Variable.assign does); a different
  // shape throws InvalidArgumentError naming the variable.
  void assign(const Tensor& value);

  // Trainable variables read while a gradient tape records are watched by it automatically
  // (ag.Variable(trainable=...)).
  bool trainable() const { return trainable_; }
  void set_trainable(bool trainable) { trainable_ = trainable; }

 private:
  mutable std::mutex mu_;  // Python may read while a graph runs with the GIL released
  Tensor value_;
  TensorSpec spec_;
  std::string name_;
  bool trainable_ = true;
};

}  // namespace xag::rt
