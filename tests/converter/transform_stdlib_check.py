"""Converts stdlib modules with ag-convert --convert and compiles the results.

Robustness at scale: every top-level function of every module is converted;
the converted module must compile under CPython 3.11, and the converter must
never fail internally. Conversion errors (generators, async) are expected and
counted, not failures.

usage: /usr/bin/python3 transform_stdlib_check.py AG_CONVERT [--every N] [--stdlib DIR]
"""
import argparse
import os
import subprocess
import sys
import tempfile


def stdlib_files(root, every):
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in ("test", "tests", "idle_test", "site-packages",
                                          "dist-packages", "__pycache__"))
        for f in sorted(filenames):
            if f.endswith(".py"):
                files.append(os.path.join(dirpath, f))
        if dirpath != root and dirpath.count(os.sep) - root.count(os.sep) > 1:
            dirnames[:] = []
    return files[::every]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ag_convert")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--stdlib", default="/usr/lib/python3.11")
    args = ap.parse_args()
    files = stdlib_files(args.stdlib, args.every)
    with tempfile.TemporaryDirectory() as out:
        listfile = os.path.join(out, "files.txt")
        with open(listfile, "w") as f:
            f.write("\n".join(files) + "\n")
        subprocess.run([args.ag_convert, "--convert", "--batch", listfile, out], check=True)
        converted = errors = 0
        failures = []
        for i, path in enumerate(files):
            text = open(os.path.join(out, "%d.out" % i), encoding="utf-8", errors="replace").read()
            if text.startswith("ERROR"):
                if "internal converter error" in text or "SyntaxError" in text.split("\n", 2)[1]:
                    failures.append("%s: %s" % (path, text.splitlines()[1][:300]))
                errors += 1
                continue
            try:
                compile(text, path + " (converted)", "exec")
                converted += 1
            except SyntaxError as e:
                failures.append("%s: converted code does not compile: %s" % (path, e))
    for f in failures:
        print("FAIL", f)
    print("%d files: %d converted and compiled, %d with conversion errors, %d failures"
          % (len(files), converted, errors, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
