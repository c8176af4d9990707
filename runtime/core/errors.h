// Exceptions thrown by the runtime. Bad user input never aborts: it throws one of these,
// and the bindings map them onto ag.InvalidArgumentError / RuntimeError.
#pragma once

#include <stdexcept>
#include <string>

namespace xag::rt {

// Bad shapes, dtypes, ranks, indices or values given to an op. The message starts with the op's
// Python name and quotes the offending shapes/dtypes, e.g. "add: shapes (2, 3) and (4,) cannot be
// broadcast together".
class InvalidArgumentError : public std::runtime_error {
 public:
  explicit InvalidArgumentError(const std::string& msg) : std::runtime_error(msg) {}
};

// A broken runtime invariant (a bug in xautograph, not in the user's program).
class InternalError : public std::runtime_error {
 public:
  explicit InternalError(const std::string& msg) : std::runtime_error(msg) {}
};

// Memory for a tensor could not be had; the bindings raise MemoryError. The message says how much
// was asked for, for which dtype and shape (out_of_memory() in tensor.h makes it).
class OutOfMemoryError : public std::runtime_error {
 public:
  explicit OutOfMemoryError(const std::string& msg) : std::runtime_error(msg) {}
};

// Thrown by the executor and long kernels when interrupt_requested() became true (see
// interrupt.h); the kernel turns it into KeyboardInterrupt.
class CancelledError : public std::runtime_error {
 public:
  explicit CancelledError(const std::string& msg = "interrupted") : std::runtime_error(msg) {}
};

}  // namespace xag::rt
