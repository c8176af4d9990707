#!/usr/bin/env bash
# On a machine with a GPU: Release build with the CUDA backend (for this GPU's architecture
# only, to keep the build short), the GPU tests (`ctest -L gpu`), then bench/gpu.py's table.
# Meant to finish within 8 minutes on an H100 with a fresh machine (ccache empty). It fails
# loudly: any failed step, a GPU test skipped although a GPU is present, or a failed benchmark
# row ends it with a non-zero status and a line saying which.
# Usage: scripts/gpu-check.sh [--quick]     (--quick: bench/gpu.py's small sizes)
#   XAG_BUILD_DIR  build folder (default build-gpu)
#   XAG_CUDA_ARCH  CUDA architectures (default: the first GPU's, from nvidia-smi; else 90)
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
trap 'echo "== gpu-check FAILED at line $LINENO (exit $?) after $(( $(date +%s) - start )) s" >&2' ERR
build_dir=${XAG_BUILD_DIR:-build-gpu}
jobs=$(nproc)

# ---- versions: driver, toolkit, GPU ----
nvcc=${CUDACXX:-/usr/local/cuda/bin/nvcc}
[[ -x "$nvcc" ]] || nvcc=$(command -v nvcc || true)
if [[ -z "$nvcc" ]]; then
  echo "== gpu-check: no nvcc (looked at /usr/local/cuda/bin/nvcc and PATH)" >&2
  exit 1
fi
if ! command -v nvidia-smi >/dev/null || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "== gpu-check: no GPU visible (nvidia-smi missing or failing): not run on a GPU" >&2
  exit 1
fi
gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)
arch=${XAG_CUDA_ARCH:-$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d '. ')}
arch=${arch:-90}
echo "== gpu-check: GPU $gpu, sm_$arch"
echo "== nvcc: $("$nvcc" --version | tail -n 2 | head -n 1)"
echo "== CUDA driver API: $(nvidia-smi | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' | head -1)" \
  "(conditional graph nodes need 12.4+)"
echo "== host: $jobs cores, $(/usr/bin/python3 --version 2>&1)"

# ---- build (all cores; ccache for C++ and CUDA when present) ----
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DXAG_WITH_CUDA=ON \
  -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_CUDA_ARCHITECTURES="$arch" -DXAG_BUILD_KERNEL=OFF \
  -DPython_EXECUTABLE=/usr/bin/python3 -DPYTHON_EXECUTABLE=/usr/bin/python3 "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j"$jobs" --target xag_gpu_tests _core
echo "== build: $(( $(date +%s) - start )) s"

# ---- GPU tests: every one must run (a skip with a GPU present is a failure) ----
status=0
ctest_log=$(mktemp)
ctest --test-dir "$build_dir" -L gpu --output-on-failure -j1 2>&1 | tee "$ctest_log" || status=$?
if grep -q "Not Run\|Skipped" "$ctest_log"; then
  echo "== gpu-check: a GPU test was skipped although a GPU is present" >&2
  status=1
fi
echo "== ctest -L gpu: exit $status, $(( $(date +%s) - start )) s"

# ---- benchmark table (XAG_CUDA_LOG=1: a loop that falls back to the host says why) ----
bench_status=0
XAG_CUDA_LOG=1 PYTHONPATH="$build_dir/python" timeout 300 /usr/bin/python3 bench/gpu.py "$@" ||
  bench_status=$?
if (( bench_status != 0 )); then
  echo "== bench/gpu.py failed (exit $bench_status)" >&2
  status=1
fi
echo "== gpu-check done in $(( $(date +%s) - start )) s (exit $status)"
exit $status
