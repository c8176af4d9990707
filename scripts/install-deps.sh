#!/usr/bin/env bash
# Installs the Debian packages xautograph builds, tests and runs with; a no-op when all are present.
# Usage: scripts/install-deps.sh [--bench]   (--bench adds the benchmark peers torch and numba)
set -euo pipefail
packages=(
  build-essential cmake ninja-build clang libclang-rt-14-dev clang-format
  python3 python3-dev python3-numpy python3-pytest python3-pygments
  pybind11-dev libeigen3-dev catch2
  xeus-python-dev python3-xeus-python-shell pybind11-json-dev python3-debugpy
  jupyter-notebook jupyter-client python3-nbclient python3-jupyter-kernel-test
  graphviz
  python3-matplotlib chromium nodejs
)
# npm for the browser test's playwright-core; nodesource's nodejs already bundles it.
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-torch python3-numba)
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
