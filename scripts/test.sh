#!/usr/bin/env bash
# Builds and runs every test (CTest: Catch2, pytest, kernel and notebook tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir=${XAG_BUILD_DIR:-build}
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" "$@"
