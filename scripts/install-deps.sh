#!/usr/bin/env bash
# Installs the Debian packages xautograph builds, tests and runs with; a no-op when all are present.
# Usage: scripts/install-deps.sh [--bench]
#   --bench also makes the benchmark-only virtual environment (bench/.venv, see below).
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(
  build-essential cmake ninja-build clang libclang-rt-14-dev clang-format clang-tidy
  python3 python3-dev python3-numpy python3-pytest python3-pygments
  pybind11-dev libeigen3-dev catch2 llvm-15-dev
  xeus-python-dev python3-xeus-python-shell pybind11-json-dev python3-debugpy
  jupyter-notebook jupyter-client python3-nbclient python3-jupyter-kernel-test
  graphviz python3-matplotlib python3-tqdm
  python3-sklearn dataset-fashion-mnist
  chromium chromium-driver python3-selenium
)
bench=0
if [[ "${1:-}" == "--bench" ]]; then
  bench=1
  # The venv is made by Debian's venv/pip; TorchScript (PyTorch 1.13) and Numba also come from
  # Debian so the peers run even before the venv exists.
  packages+=(python3-venv python3-pip python3-torch python3-numba)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Benchmark peers from PyPI (TensorFlow, JAX, PyTorch 2, Numba) live in their own venv that only
# bench/ uses; the product and its tests never import them. PyPI's torch pulls its CUDA
# libraries (gigabytes), so the venv is made only here and reused once it exists.
if ((bench)); then
  venv=${XAG_BENCH_VENV:-bench/.venv}
  if [[ ! -x "$venv/bin/python" ]]; then
    /usr/bin/python3 -m venv --system-site-packages "$venv"
  fi
  if ! "$venv/bin/python" -c "import tensorflow, jax, torch, numba" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet --upgrade tensorflow-cpu jax torch numba
  fi
  "$venv/bin/python" - <<'PY'
import importlib
for name in ("tensorflow", "jax", "torch", "numba"):
    print(f"bench venv: {name} {importlib.import_module(name).__version__}")
PY
fi
