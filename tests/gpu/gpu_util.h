// Helpers of the GPU tests: the GPU's id, inputs of every dtype, and "the op on the GPU gives the
// CPU's result or the CPU's error" (floats within a few ulps: GPU transcendentals differ).
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "runtime/backend/placement.h"
#include "runtime/backend/registry.h"
#include "runtime/core/convert.h"
#include "runtime/ops/ops.h"

namespace xag::rt::gpu_test {

inline DeviceId gpu() {
  return device_id("gpu:0");
}

// Ops the tests ran on the GPU (the coverage check reads it).
inline std::set<OpKind>& seen() {
  static std::set<OpKind> s;
  return s;
}

// Values with negatives, zero, fractions (and NaN/inf for floats) in `dt`, shape `s`.
inline Tensor sample(DType dt, const Shape& s, int salt = 0) {
  static const double pool[] = {1.5, -2.0, 0.0, 3.25, -0.5, 7.0, 2.0, -3.0, 0.75, 4.0, -1.0, 5.5};
  std::vector<double> v(static_cast<size_t>(s.num_elements()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = pool[(i * 7 + salt) % 12];
  if (is_floating(dt) && v.size() > 4) v[3] = NAN;
  Tensor t = Tensor::empty(DType::Float64, s);
  for (size_t i = 0; i < v.size(); ++i) t.data<double>()[i] = v[i];
  return t.cast(dt);
}

inline bool close(const Tensor& want, const Tensor& got, std::string* why) {
  if (want.dtype() != got.dtype() || want.shape() != got.shape()) {
    *why = "spec differs";
    return false;
  }
  const Tensor a = want.cast(DType::Float64), b = got.cast(DType::Float64);
  const double tol = want.dtype() == DType::Float32 ? 2e-6 : 1e-12;
  for (int64_t i = 0; i < a.num_elements(); ++i) {
    const double x = a.data<double>()[i], y = b.data<double>()[i];
    if (std::isnan(x) && std::isnan(y)) continue;
    if (x == y) continue;
    if (is_floating(want.dtype()) && std::abs(x - y) <= tol * std::max(1.0, std::abs(x))) continue;
    *why = "element " + std::to_string(i) + ": cpu " + std::to_string(x) + ", gpu " +
           std::to_string(y);
    return false;
  }
  return true;
}

// Runs `op` on the CPU and under a GPU scope (host inputs are copied implicitly; `on_gpu` moves
// the inputs there first) and checks the same result or the same InvalidArgumentError.
inline void compare(OpKind op, std::vector<Tensor> in, const OpAttrs& a = {}, bool on_gpu = false) {
  seen().insert(op);
  std::string cpu_err = "<none>", gpu_err = "<none>";
  Tensor want, got;
  try {
    want = run(op, in.data(), in.size(), a);
  } catch (const InvalidArgumentError& e) {
    cpu_err = e.what();
  }
  try {
    DeviceScope scope(gpu());
    std::vector<Tensor> moved = in;
    if (on_gpu)
      for (Tensor& t : moved) t = t.to(gpu());
    Tensor r = run(op, moved.data(), moved.size(), a);
    CHECK((r.device() == gpu() || r.rank() == 0));
    got = r.host();
  } catch (const InvalidArgumentError& e) {
    gpu_err = e.what();
  }
  std::string shapes;
  for (const Tensor& t : in)
    shapes += std::string(dtype_name(t.dtype())) + t.shape().to_string() + " ";
  INFO(op_name(op) << " on " << shapes << (on_gpu ? "(inputs on the gpu)" : ""));
  REQUIRE(gpu_err == cpu_err);
  if (cpu_err != "<none>") return;
  std::string why;
  const bool same = close(want, got, &why);
  INFO(why);
  CHECK(same);
}

}  // namespace xag::rt::gpu_test
