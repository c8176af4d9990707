#!/usr/bin/env bash
# Configures and builds everything into build/ with Debian's Python.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${XAG_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
  -DPython_EXECUTABLE=/usr/bin/python3 -DPYTHON_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
