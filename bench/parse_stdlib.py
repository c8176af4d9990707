#!/usr/bin/python3
"""Parse speed: our parser (ag-convert) against CPython's ast.parse.

Both parse the same files: every .py file under ROOT (default
/usr/lib/python3.11) that CPython parses. Only parsing is timed: CPython's side
times each ast.parse call on bytes already in memory, with the garbage
collector off and each tree dropped outside the timer; ours is
`ag-convert --parse --batch`, which reads a file, then times parse_module on
the bytes in memory (building our whole tree) and reports the sum.

  /usr/bin/python3 bench/parse_stdlib.py AG_CONVERT [ROOT] [--repeat N]

Prints both times and the ratio (target: ours at least 3x faster). With
--repeat N each side parses every file N times.
"""
import argparse
import ast
import gc
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings


def files_cpython_parses(root):
    paths, sources = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                data = f.read()
            try:
                ast.parse(data)
            except (SyntaxError, ValueError, RecursionError):
                continue
            paths.append(path)
            sources.append(data)
    return paths, sources


def time_cpython(sources, repeat):
    total = 0.0
    gc.disable()
    try:
        for _ in range(repeat):
            for data in sources:
                t0 = time.perf_counter()
                tree = ast.parse(data)
                total += time.perf_counter() - t0
                del tree
    finally:
        gc.enable()
    return total


def time_ours(tool, paths, repeat):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        for _ in range(repeat):
            f.write("\n".join(paths) + "\n")
        listfile = f.name
    try:
        proc = subprocess.run([tool, "--parse", "--batch", listfile, "-"],
                              capture_output=True, text=True)
    finally:
        os.unlink(listfile)
    m = re.search(r"(\d+) files, (\d+) with errors, parse time ([0-9.]+) s", proc.stderr)
    if proc.returncode != 0 or not m:
        sys.exit("ag-convert failed: %s" % proc.stderr[-2000:])
    if int(m.group(2)):
        print("warning: our parser rejected %s file(s) CPython accepts" % m.group(2))
    return float(m.group(3))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ag_convert")
    ap.add_argument("root", nargs="?", default="/usr/lib/python3.11")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    paths, sources = files_cpython_parses(args.root)
    size = sum(len(s) for s in sources)
    print("%d files, %.1f MB, each parsed %d time(s)" % (len(paths), size / 1e6, args.repeat))
    ours = time_ours(args.ag_convert, paths, args.repeat)
    theirs = time_cpython(sources, args.repeat)
    print("ag-convert parse:  %.3f s (%.1f MB/s)" % (ours, size * args.repeat / ours / 1e6))
    print("CPython ast.parse: %.3f s (%.1f MB/s)" % (theirs, size * args.repeat / theirs / 1e6))
    print("ratio: ours is %.2fx faster than ast.parse" % (theirs / ours))


if __name__ == "__main__":
    main()
