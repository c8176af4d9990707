#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy, warnings are errors) on the C++ sources that recent
# commits changed, with the compile flags of a build's compile_commands.json.
# Usage: scripts/clang-tidy-changed.sh [build dir]      (default: build)
# Which commits: those since the merge base with $XAG_TIDY_BASE (a ref) when it is set, else
# since the merge base with origin/main when HEAD is not on it, else the last 20 (fewer in a
# short history). Uncommitted changes to tracked files count too. Files the build does not compile
# (CUDA, fuzz targets when they are off) are skipped: there are no flags to check them with.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
db="$build_dir/compile_commands.json"
[[ -f "$db" ]] || { echo "clang-tidy-changed: $db is missing (configure first)" >&2; exit 2; }
tidy=$(command -v clang-tidy-14 || command -v clang-tidy) ||
  { echo "clang-tidy-changed: clang-tidy not found (Debian package clang-tidy)" >&2; exit 2; }

merge_base() { git merge-base HEAD "$1" 2>/dev/null || true; }
base=""
if [[ -n "${XAG_TIDY_BASE:-}" ]]; then
  base=$(merge_base "$XAG_TIDY_BASE")
  [[ -n "$base" ]] || { echo "clang-tidy-changed: no merge base with $XAG_TIDY_BASE" >&2; exit 2; }
elif git rev-parse -q --verify origin/main >/dev/null; then
  base=$(merge_base origin/main)
  [[ "$base" == "$(git rev-parse HEAD)" ]] && base=""
fi
if [[ -z "$base" ]]; then
  commits=$(git rev-list --count HEAD)
  depth=$((commits - 1 < 20 ? commits - 1 : 20))
  if ((depth == 0)); then
    echo "clang-tidy-changed: one commit in this clone's history: nothing to compare with"
    exit 0
  fi
  base=$(git rev-parse "HEAD~$depth")
fi

mapfile -t changed < <(git diff --name-only --diff-filter=d "$base" -- '*.cpp' | sort)
files=()
for f in "${changed[@]}"; do
  grep -q "\"file\": \"$PWD/$f\"" "$db" && files+=("$f")
done
echo "clang-tidy-changed: ${#files[@]} file(s) changed since ${base:0:12} and compiled in $build_dir"
((${#files[@]})) || exit 0
# One clang-tidy per file, as many at once as there are cores; each prints its file's findings
# in one piece, and any finding fails the run (.clang-tidy: WarningsAsErrors).
printf '%s\n' "${files[@]}" |
  xargs -P "$(nproc)" -I{} sh -c 'out=$("$0" -p "$1" --quiet "$2" 2>&1) && exit 0;
                                   printf "%s\n" "$out"; exit 1' "$tidy" "$build_dir" {}
echo "clang-tidy-changed: no findings"
