// Fused element-wise programs compiled by NVRTC and run as one kernel, against the CPU's fused
// evaluator; programs the generator cannot express run as steps on the GPU.
#include "gpu_util.h"
#include "runtime/backend/fused_dispatch.h"
#include "runtime/exec/fused_eval.h"
#include "runtime/graph/fused.h"

using namespace xag::rt;
using namespace xag::rt::gpu_test;

namespace {

void compare_fused(const FusedProgram& p, std::vector<Tensor> in) {
  Tensor want;
  exec::run_fused(p, in.data(), in.size(), want);
  Tensor got;
  {
    DeviceScope scope(gpu());
    run_fused_into(p, in.data(), in.size(), got);
  }
  INFO(p.to_string());
  std::string why;
  const bool same = close(want, got.host(), &why);
  INFO(why);
  CHECK(same);
}

}  // namespace

TEST_CASE("gpu: fused programs run as one NVRTC kernel with the CPU's results", "[gpu]") {
  for (DType dt : {DType::Float32, DType::Float64}) {
    FusedProgram p;
    p.dtype = dt;
    p.num_inputs = 3;
    p.steps = {{OpKind::Mul, 0, 1, -1},
               {OpKind::Add, 3, 2, -1},
               {OpKind::Tanh, 4, -1, -1},
               {OpKind::Sigmoid, 5, -1, -1},
               {OpKind::Maximum, 6, 0, -1}};
    const Tensor x = sample(dt, Shape{1000}), y = sample(dt, Shape{1000}, 3);
    compare_fused(p, {x, y, sample(dt, Shape{})});                   // host scalar by value
    compare_fused(p, {x, y, sample(dt, Shape{}, 2).to(gpu())});      // device scalar
    compare_fused(p, {x.to(gpu()), y, sample(dt, Shape{1000}, 1)});  // full inputs
    p.reduce = OpKind::ReduceMax;                                    // runs as steps
    compare_fused(p, {x, y, sample(dt, Shape{})});
  }
}
