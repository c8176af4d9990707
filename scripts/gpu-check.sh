#!/usr/bin/env bash
# On a machine with a GPU: Release build with the CUDA backend (for this GPU's architecture
# only, to keep the build short), the GPU tests (`ctest -L gpu`), then bench/gpu.py's table.
# Meant to finish within 8 minutes on an H100. Usage: scripts/gpu-check.sh [--quick]
#   XAG_BUILD_DIR  build folder (default build-gpu)
#   XAG_CUDA_ARCH  CUDA architectures (default: the first GPU's, from nvidia-smi; else 90)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${XAG_BUILD_DIR:-build-gpu}
start=$(date +%s)
arch=${XAG_CUDA_ARCH:-}
if [[ -z "$arch" ]] && command -v nvidia-smi >/dev/null; then
  arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '. ')
fi
arch=${arch:-90}
echo "== gpu-check: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo 'no nvidia-smi') (sm_$arch)"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DXAG_WITH_CUDA=ON \
  -DCMAKE_CUDA_ARCHITECTURES="$arch" -DXAG_BUILD_KERNEL=OFF \
  -DPython_EXECUTABLE=/usr/bin/python3 -DPYTHON_EXECUTABLE=/usr/bin/python3 "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target xag_gpu_tests _core
echo "== build: $(( $(date +%s) - start )) s"
status=0
ctest --test-dir "$build_dir" -L gpu --output-on-failure || status=$?
echo "== ctest -L gpu: exit $status, $(( $(date +%s) - start )) s"
PYTHONPATH="$build_dir/python" /usr/bin/python3 bench/gpu.py "$@" || status=$?
echo "== gpu-check done in $(( $(date +%s) - start )) s (exit $status)"
exit $status
