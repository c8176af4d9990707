"""Round trip of every stdlib module through our unparser.

For each .py file under the stdlib directory that CPython parses, the unparsed
text must parse back to the same tree: ast.dump equal, positions aside.

  unparse_roundtrip.py --ag-convert PATH [ROOT]
      source -> our parser -> our unparser (`ag-convert --unparse FILE`)
  unparse_roundtrip.py --from-cpython PATH [ROOT]
      CPython's tree -> our unparser (unparse-from-cpython): the unparser alone

Prints counts and every failure; exits 1 unless all files pass.
"""
import argparse
import ast
import concurrent.futures
import os
import subprocess
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def stdlib_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".py"):
                yield os.path.join(dirpath, name)


def expected_dump(path):
    with open(path, "rb") as f:
        source = f.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None, None
    return tree, ast.dump(tree)


def check(path, want, text):
    """None when text parses back to `want`, else a short reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = ast.dump(ast.parse(text))
    except SyntaxError as e:
        return "output does not parse: %s (line %s: %r)" % (
            e.msg, e.lineno, (text.splitlines() or [""])[(e.lineno or 1) - 1][:100])
    if got != want:
        i = next((k for k in range(min(len(got), len(want))) if got[k] != want[k]), 0)
        return "tree differs near: want ...%s... got ...%s..." % (
            want[max(0, i - 60):i + 60], got[max(0, i - 60):i + 60])
    return None


def run_ag_convert(tool, files):
    def one(path):
        proc = subprocess.run([tool, "--unparse", path], capture_output=True, timeout=60)
        if proc.returncode != 0:
            return path, None, "ag-convert exit %d: %s" % (
                proc.returncode, proc.stderr.decode("utf-8", "replace").strip()[-300:])
        return path, proc.stdout.decode("utf-8", "surrogateescape"), None
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        yield from pool.map(one, files)


def run_from_cpython(tool, trees):
    from unparse_serialize import serialize
    data = "".join(serialize(t) for _, t in trees).encode()
    proc = subprocess.run([tool], input=data, capture_output=True, timeout=600)
    if proc.returncode != 0:
        sys.exit("unparse-from-cpython failed: %s" % proc.stderr.decode()[-2000:])
    outputs = proc.stdout.decode("utf-8", "surrogateescape").split("\n\x01\n")
    for (path, _), text in zip(trees, outputs):
        yield path, text, None


def main():
    ap = argparse.ArgumentParser()
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--ag-convert")
    group.add_argument("--from-cpython")
    ap.add_argument("root", nargs="?", default="/usr/lib/python3.11")
    args = ap.parse_args()

    start = time.time()
    wanted, skipped, trees = {}, 0, []
    for path in stdlib_files(args.root):
        tree, dump = expected_dump(path)
        if dump is None:
            skipped += 1
            continue
        wanted[path] = dump
        trees.append((path, tree))
    if args.ag_convert:
        results = run_ag_convert(args.ag_convert, [p for p, _ in trees])
    else:
        results = run_from_cpython(args.from_cpython, trees)

    failures = []
    for path, text, error in results:
        reason = error or check(path, wanted[path], text)
        if reason:
            failures.append((path, reason))
    total = len(wanted)
    passed = total - len(failures)
    for path, reason in failures:
        print("FAIL %s: %s" % (path, reason))
    print("round trip: %d/%d files pass (%.2f%%), %d files CPython rejects skipped, %.1f s" % (
        passed, total, 100.0 * passed / max(total, 1), skipped, time.time() - start))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
