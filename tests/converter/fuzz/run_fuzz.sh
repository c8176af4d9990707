#!/bin/sh
# Builds fuzz_parser with clang in BUILD_DIR, runs the deep-nesting inputs once
# each, then fuzzes for SECONDS with one worker.
#   run_fuzz.sh BUILD_DIR SECONDS [extra libFuzzer flags...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$1
seconds=$2
shift 2
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
ninja -C "$build" -j2 fuzz_parser
/usr/bin/python3 "$here/make_corpus.py" "$build/seeds" "$build/deep"
mkdir -p "$build/corpus" "$build/artifacts"
# Each deep input on its own, so that one failure does not hide the others.
echo "== deep nesting inputs"
deep_failures=0
for f in "$build"/deep/*.py; do
  if "$build/fuzz_parser" "$f" >"$build/deep.log" 2>&1; then
    echo "ok    $(basename "$f")"
  else
    echo "FAIL  $(basename "$f"):"
    grep -E "invariant violated|^depth|ERROR: (Address|UndefinedBehavior)Sanitizer|SUMMARY|runtime error" \
      "$build/deep.log" | head -5
    deep_failures=$((deep_failures + 1))
  fi
done
echo "== fuzzing for $seconds s"
status=0
"$build/fuzz_parser" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$build/artifacts/" "$@" \
  "$build/corpus" "$build/seeds" || status=$?
if [ "$deep_failures" -ne 0 ]; then
  echo "$deep_failures deep nesting input(s) failed"
  exit 1
fi
exit $status
