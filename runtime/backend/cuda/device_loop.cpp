#include "runtime/backend/cuda/device_loop.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <thread>

#include "runtime/backend/cuda/cuda_status.h"
#include "runtime/backend/cuda/loop_kernels.h"
#include "runtime/backend/placement.h"
#include "runtime/core/errors.h"

namespace xag::rt::cuda {

namespace {

// Thrown inside this file when the loop cannot run as a graph; becomes plan.fallback.
struct Fallback {
  std::string reason;
};

// One instantiated graph: the fixed buffers its kernels were captured with, and the graph.
class GraphLoop {
 public:
  explicit GraphLoop(CudaBackend& b) : b_(b) {}
  ~GraphLoop() {
    // Backends live for the process; at exit the driver may be gone: errors are ignored.
    if (exec) cudaGraphExecDestroy(exec);
    if (graph) cudaGraphDestroy(graph);
    if (stop_host) cudaFreeHost(stop_host);
    for (void* p : held) b_.allocator().deallocate(p);
  }
  GraphLoop(const GraphLoop&) = delete;
  GraphLoop& operator=(const GraphLoop&) = delete;

  std::vector<Tensor> values;  // the plan's values: state and captures first
  // The buffers the graph was captured with, kept whatever later eager runs do with `values`.
  std::vector<Tensor> pinned;
  std::vector<Tensor> tmp;  // write-back through a temporary (per loop variable; may be empty)
  cudaGraph_t graph = nullptr;
  cudaGraphExec_t exec = nullptr;
  int* stop_host = nullptr;  // host-mapped: the host writes, the condition kernel reads
  int* stop_dev = nullptr;
  std::vector<void*> held;  // temporaries of the captured kernels (caching_allocator.h)

 private:
  CudaBackend& b_;
};

class CudaLoopCache final : public LoopCache {
 public:
  std::map<std::string, std::unique_ptr<GraphLoop>> by_signature;
};

std::string signature(const std::vector<Tensor>& state) {
  std::string s;
  for (const Tensor& t : state)
    s += std::string(dtype_name(t.dtype())) + t.shape().to_string() + ";";
  return s;
}

// Copies `src` (here, on the host or on another device) into the fixed buffer `dst`.
void copy_into(CudaBackend& b, const Tensor& src, Tensor& dst) {
  if (!src.nbytes()) return;
  if (src.on_host()) return b.copy_from_host(dst.raw_data(), src.raw_data(), src.nbytes());
  const Tensor here = src.device() == b.id() ? src : src.to(b.id());
  b.copy_on_device(dst.raw_data(), here.raw_data(), here.nbytes());
}

// Fixed device buffers for the state and the captures; constants uploaded once.
std::unique_ptr<GraphLoop> make_buffers(CudaBackend& b, const LoopPlan& plan,
                                        const std::vector<Tensor>& state) {
  auto g = std::make_unique<GraphLoop>(b);
  g->values.resize(static_cast<size_t>(plan.num_values()));
  for (size_t i = 0; i < state.size(); ++i)
    g->values[i] = b.empty(state[i].dtype(), state[i].shape());
  const size_t base = state.size();
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const LoopStep& s = plan.steps[i];
    // 0-d constants stay on the host: kernels take them by value.
    if (s.kind == LoopStep::Kind::Const)
      g->values[base + i] = s.value.rank() == 0 ? s.value : s.value.to(b.id());
  }
  return g;
}

bool host_truth(const Tensor& pred) {
  return pred.on_host() ? pred.item<bool>() : pred.host().item<bool>();
}

// The write-back of the body's results into the loop variables' fixed buffers, as captured
// copies. A result that is another variable's buffer (a swap, a pass-through, a view) or a
// host constant goes through a temporary filled before any variable is written.
void capture_write_back(CudaBackend& b, const LoopPlan& plan, GraphLoop& g) {
  const size_t k = static_cast<size_t>(plan.num_vars);
  // Overlapping bytes, not only equal addresses: a view may point into a variable's buffer.
  auto aliases_state = [&](const Tensor& t) {
    const char* p = static_cast<const char*>(t.raw_data());
    for (size_t j = 0; j < k; ++j) {
      const char* q = static_cast<const char*>(g.values[j].raw_data());
      if (p < q + g.values[j].nbytes() && q < p + t.nbytes()) return true;
    }
    return false;
  };
  std::vector<const Tensor*> src(k);
  for (size_t i = 0; i < k; ++i) {
    const size_t r = static_cast<size_t>(plan.results[i]);
    if (r == i) continue;
    const Tensor& t = g.values[r];
    if (t.on_host() || aliases_state(t)) {
      Tensor& tmp = g.tmp[i];  // allocated before the capture
      if (!t.on_host())
        check(cudaMemcpyAsync(tmp.raw_data(), t.raw_data(), t.nbytes(), cudaMemcpyDeviceToDevice,
                              b.stream()),
              "loop write-back", b.name());
      src[i] = &tmp;
    } else {
      src[i] = &t;
    }
  }
  for (size_t i = 0; i < k; ++i) {
    if (!src[i] || !src[i]->nbytes()) continue;
    check(cudaMemcpyAsync(g.values[i].raw_data(), src[i]->raw_data(), src[i]->nbytes(),
                          cudaMemcpyDeviceToDevice, b.stream()),
          "loop write-back", b.name());
  }
}

// Temporaries of the write-back; host constants are uploaded into theirs once, here.
void make_write_back_temporaries(CudaBackend& b, const LoopPlan& plan, GraphLoop& g) {
  const size_t k = static_cast<size_t>(plan.num_vars);
  g.tmp.assign(k, Tensor());
  for (size_t i = 0; i < k; ++i) {
    const size_t r = static_cast<size_t>(plan.results[i]);
    if (r == i) continue;
    const Tensor& t = g.values[r];
    g.tmp[i] = b.empty(g.values[i].dtype(), g.values[i].shape());
    if (t.on_host()) copy_into(b, t.cast(g.values[i].dtype()), g.tmp[i]);
  }
}

// Captures one iteration into the WHILE node's body graph and instantiates the whole graph.
void build_graph(CudaBackend& b, const LoopPlan& plan, GraphLoop& g) {
  const size_t k = static_cast<size_t>(plan.num_vars);
  for (size_t i = 0; i < k; ++i) {
    const Tensor& r = g.values[static_cast<size_t>(plan.results[i])];
    if (r.shape() != g.values[i].shape() || r.dtype() != g.values[i].dtype())
      throw Fallback{"loop variable " + std::to_string(i) + " changes from " +
                     g.values[i].shape().to_string() + " to " + r.shape().to_string()};
  }
  make_write_back_temporaries(b, plan, g);
  check(cudaHostAlloc(reinterpret_cast<void**>(&g.stop_host), sizeof(int), cudaHostAllocMapped),
        "allocating the loop's stop flag", b.name());
  *g.stop_host = 0;
  check(cudaHostGetDevicePointer(reinterpret_cast<void**>(&g.stop_dev), g.stop_host, 0),
        "mapping the loop's stop flag", b.name());
  check(cudaGraphCreate(&g.graph, 0), "creating a graph", b.name());
  cudaGraphConditionalHandle handle;
  // The host launches only when the condition held at the start: the first value is 1.
  check(cudaGraphConditionalHandleCreate(&handle, g.graph, 1, cudaGraphCondAssignDefault),
        "creating a conditional handle", b.name());
  cudaGraphNodeParams params{};
  params.type = cudaGraphNodeTypeConditional;
  params.conditional.handle = handle;
  params.conditional.type = cudaGraphCondTypeWhile;
  params.conditional.size = 1;
  cudaGraphNode_t node;
  check(cudaGraphAddNode(&node, g.graph, nullptr, nullptr, 0, &params),
        "adding the conditional node", b.name());
  cudaGraph_t body = params.conditional.phGraph_out[0];

  b.allocator().hold(true);
  const cudaError_t begun = cudaStreamBeginCaptureToGraph(b.stream(), body, nullptr, nullptr, 0,
                                                          cudaStreamCaptureModeRelaxed);
  std::string failed;
  if (begun != cudaSuccess) {
    failed = std::string("capture did not start: ") + cudaGetErrorName(begun);
  } else {
    try {
      run_loop_steps(plan, plan.num_cond_steps, plan.steps.size(), g.values);
      capture_write_back(b, plan, g);
      run_loop_steps(plan, 0, plan.num_cond_steps, g.values);
      const Tensor& pred = g.values[static_cast<size_t>(plan.pred)];
      check(launch_loop_condition(handle, pred.on_host() ? nullptr : pred.raw_data(), pred.dtype(),
                                  pred.on_host() && host_truth(pred), g.stop_dev, b.stream()),
            "loop condition", b.name());
    } catch (const std::exception& e) {
      failed = std::string("capture failed: ") + e.what();
    }
    cudaGraph_t captured = nullptr;
    const cudaError_t ended = cudaStreamEndCapture(b.stream(), &captured);
    if (failed.empty() && ended != cudaSuccess)
      failed = std::string("capture failed: ") + cudaGetErrorName(ended);
  }
  b.allocator().hold(false);
  g.held = b.allocator().take_held();
  if (!failed.empty()) {
    (void)cudaGetLastError();
    throw Fallback{failed};
  }
  check(cudaGraphInstantiate(&g.exec, g.graph, 0), "instantiating the loop graph", b.name());
  g.pinned = g.values;
}

// Launches the graph and waits, polling `stop`; on a stop the condition kernel ends the loop
// after the current iteration and this throws CancelledError.
void launch_and_wait(CudaBackend& b, GraphLoop& g, const std::function<bool()>& stop) {
  check(cudaGraphLaunch(g.exec, b.stream()), "launching the loop graph", b.name());
  const auto start = std::chrono::steady_clock::now();
  bool stopped = false;
  for (;;) {
    const cudaError_t q = cudaStreamQuery(b.stream());
    if (q == cudaSuccess) break;
    if (q != cudaErrorNotReady) check(q, "running the loop graph", b.name());
    if (!stopped && stop()) {
      stopped = true;
      *static_cast<volatile int*>(g.stop_host) = 1;
    }
    // Spin briefly (short loops), then sleep: the interrupt is still seen within ~0.1 ms.
    if (std::chrono::steady_clock::now() - start < std::chrono::microseconds(200))
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  if (stopped) {
    *static_cast<volatile int*>(g.stop_host) = 0;
    throw CancelledError("interrupted");
  }
}

// The loop variables' final values, out of the fixed buffers (0-d ones to the host).
void copy_out(CudaBackend& b, const LoopPlan& plan, GraphLoop& g, std::vector<Tensor>& state) {
  for (size_t i = 0; i < static_cast<size_t>(plan.num_vars); ++i) {
    const Tensor& v = g.values[i];
    if (v.rank() == 0) {
      state[i] = Tensor::empty(v.dtype(), v.shape());
      b.copy_to_host(state[i].raw_data(), v.raw_data(), v.nbytes());
    } else {
      state[i] = b.empty(v.dtype(), v.shape());
      b.copy_on_device(state[i].raw_data(), v.raw_data(), v.nbytes());
    }
  }
}

// XAG_CUDA_LOG=1: each loop that falls back to the host-driven loop says why on stderr.
void log_fallback(const CudaBackend& b, const LoopPlan& plan) {
  static const bool on = [] {
    const char* env = std::getenv("XAG_CUDA_LOG");
    return env && std::string(env) == "1";
  }();
  if (on)
    std::fprintf(stderr, "xautograph: the while loop at %s runs host-driven on %s: %s\n",
                 plan.loc.known() ? plan.loc.to_string().c_str() : "<unknown>", b.name().c_str(),
                 plan.fallback.c_str());
}

}  // namespace

std::string conditional_nodes_unsupported() {
  int version = 0;
  if (cudaDriverGetVersion(&version) != cudaSuccess) {
    (void)cudaGetLastError();
    return "the driver version is unknown";
  }
  if (version >= 12040) return "";
  return "driver " + std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10) +
         " < 12.4 (no conditional graph nodes)";
}

bool run_device_loop(CudaBackend& b, const LoopPlan& plan, std::vector<Tensor>& state,
                     const std::function<bool()>& stop) {
  static const std::string unsupported = [] {
    const char* env = std::getenv("XAG_CUDA_GRAPHS");
    if (env && std::string(env) == "0") return std::string("XAG_CUDA_GRAPHS=0");
    return conditional_nodes_unsupported();
  }();
  std::lock_guard<std::mutex> lk(plan.mu);
  if (!unsupported.empty()) {
    if (plan.fallback.empty()) {  // said once per loop
      plan.fallback = unsupported;
      log_fallback(b, plan);
    }
    return false;
  }
  b.activate();
  DeviceScope scope(b.id());
  if (!plan.cache) plan.cache = std::make_unique<CudaLoopCache>();
  auto& cache = static_cast<CudaLoopCache&>(*plan.cache).by_signature;
  const std::string key = signature(state);
  auto it = cache.find(key);
  const bool fresh = it == cache.end();
  std::unique_ptr<GraphLoop> made;
  GraphLoop* g = nullptr;
  if (fresh) {
    made = make_buffers(b, plan, state);
    g = made.get();
  } else {
    g = it->second.get();
    if (!g->exec) return false;  // capture failed before for this signature: plan.fallback says why
  }
  for (size_t i = 0; i < state.size(); ++i) copy_into(b, state[i], g->values[i]);
  // The first test of the condition, on the host side: a loop that does not start launches
  // nothing (and the graph's conditional starts at 1).
  run_loop_steps(plan, 0, plan.num_cond_steps, g->values);
  if (!host_truth(g->values[static_cast<size_t>(plan.pred)])) return true;  // state unchanged
  if (fresh) {
    // One eager iteration's values first (its errors are the loop's own): every output
    // buffer, NVRTC kernel and cuBLAS handle exists before the capture, which reuses them.
    run_loop_steps(plan, plan.num_cond_steps, plan.steps.size(), g->values);
    std::string failed;
    try {
      build_graph(b, plan, *g);
    } catch (const Fallback& f) {
      failed = f.reason;
    } catch (const DeviceError& e) {
      failed = e.what();
    }
    if (!failed.empty()) {
      plan.fallback = failed;
      log_fallback(b, plan);
      made->values.clear();
      cache.emplace(key, std::move(made));  // remembered: no second capture attempt
      return false;
    }
    g = cache.emplace(key, std::move(made)).first->second.get();
  }
  plan.fallback.clear();
  launch_and_wait(b, *g, stop);
  copy_out(b, plan, *g, state);
  return true;
}

}  // namespace xag::rt::cuda

namespace xag::rt::cuda {

bool CudaBackend::run_loop(const LoopPlan& plan, std::vector<Tensor>& state,
                           const std::function<bool()>& stop) {
  return run_device_loop(*this, plan, state, stop);
}

}  // namespace xag::rt::cuda
