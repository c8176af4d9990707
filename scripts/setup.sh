#!/usr/bin/env bash
# The main job: installs missing Debian packages, builds everything, installs the xautograph
# kernelspec for this user and starts Jupyter Notebook on notebooks/ with it.
# Usage: scripts/setup.sh [--no-start]   (--no-start: stop after installing the kernelspec)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build_dir=${XAG_BUILD_DIR:-build}
prefix=${XAG_PREFIX:-$HOME/.local}
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
echo "installed: $prefix/bin/xautograph, kernelspec $prefix/share/jupyter/kernels/xautograph"
echo "example: ag-convert --dump-ast examples/huber.py"
"$build_dir"/converter/ag-convert --dump-ast examples/huber.py | head -c 400; echo
if [[ "${1:-}" == "--no-start" ]]; then exit 0; fi
export JUPYTER_PATH="$prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
root_flag=()
[[ $(id -u) -eq 0 ]] && root_flag=(--allow-root)
exec /usr/bin/python3 -m notebook --notebook-dir=notebooks "${root_flag[@]}" \
  --MultiKernelManager.default_kernel_name=xautograph
