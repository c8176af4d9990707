#!/usr/bin/python3
"""Compares `ag-convert --dump-ast` with CPython 3.11's ast.dump on every .py
file under a directory (default /usr/lib/python3.11).

Usage: stdlib_compare.py AG_CONVERT [ROOT] [--min-plain PCT] [--min-positions PCT]
                         [--show N] [--write-mismatches FILE]

Files CPython parses must dump identically (>= --min-plain percent without
positions, >= --min-positions with include_attributes=True); files CPython
rejects must be rejected by us too, at the same line. Prints the counts and
exits non-zero below the thresholds or on any rejection disagreement.
"""
import argparse
import ast
import os
import subprocess
import sys
import tempfile
import time


def cpython_results(paths):
    """(plain dump, positions dump, error line) per file, in this process."""
    out = []
    t_parse = 0.0
    for p in paths:
        with open(p, "rb") as f:
            src = f.read()
        try:
            t0 = time.perf_counter()
            tree = ast.parse(src)
            t_parse += time.perf_counter() - t0
        except (SyntaxError, ValueError) as e:
            out.append((None, None, getattr(e, "lineno", 0) or 0))
            continue
        except RecursionError:
            out.append((None, None, -1))
            continue
        out.append((ast.dump(tree), ast.dump(tree, include_attributes=True), None))
    return out, t_parse


def ours(ag, listfile, positions):
    cmd = [ag, "--dump-ast"] + (["--positions"] if positions else []) + ["--batch", listfile, "-"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    if r.returncode != 0:
        sys.exit("ag-convert failed: %s" % r.stderr.decode(errors="replace"))
    text = r.stdout.decode("utf-8", errors="surrogateescape")
    # Records start with a line '=== PATH'; dumps are single lines, so a
    # record separator never occurs inside one.
    results = {}
    path, body = None, []
    for line in text.splitlines(keepends=True):
        if line.startswith("=== "):
            if path is not None:
                results[path] = "".join(body)
            path, body = line[4:].rstrip("\n"), []
        else:
            body.append(line)
    if path is not None:
        results[path] = "".join(body)
    return results, r.stderr.decode().strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ag_convert")
    ap.add_argument("root", nargs="?", default="/usr/lib/python3.11")
    ap.add_argument("--min-plain", type=float, default=99.5)
    ap.add_argument("--min-positions", type=float, default=99.0)
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--write-mismatches")
    args = ap.parse_args()

    paths = []
    for d, dirs, files in os.walk(args.root):
        dirs.sort()
        for f in sorted(files):
            if f.endswith(".py"):
                paths.append(os.path.join(d, f))
    # Record separators must not appear inside the dumps' paths.
    with tempfile.NamedTemporaryFile("w", suffix=".lst", delete=False) as lst:
        lst.write("\n".join(paths) + "\n")
    try:
        expected, t_cpython = cpython_results(paths)
        t0 = time.perf_counter()
        plain, _ = ours(args.ag_convert, lst.name, False)
        t_ours_plain = time.perf_counter() - t0
        pos, _ = ours(args.ag_convert, lst.name, True)
    finally:
        os.unlink(lst.name)

    parsed = rejected = same_plain = same_pos = rejected_same = 0
    mismatches = []
    for p, (e_plain, e_pos, e_line) in zip(paths, expected):
        got_plain = plain.get(p, "")
        got_pos = pos.get(p, "")
        if e_line is not None:
            rejected += 1
            first = got_plain.split("\n", 1)[0]
            if first.startswith("ERROR ") and (e_line == -1 or int(first[6:]) == e_line):
                rejected_same += 1
            else:
                mismatches.append((p, "CPython rejects at line %s, we print %r" % (e_line, first[:80])))
            continue
        parsed += 1
        ok_plain = got_plain == e_plain + "\n"
        ok_pos = got_pos == e_pos + "\n"
        same_plain += ok_plain
        same_pos += ok_pos
        if not ok_plain or not ok_pos:
            g = got_plain if not ok_plain else got_pos
            e = e_plain if not ok_plain else e_pos
            i = next((k for k in range(min(len(g), len(e))) if g[k] != e[k]), min(len(g), len(e)))
            what = "plain" if not ok_plain else "positions"
            mismatches.append((p, "%s differs at %d: ours %r | cpython %r" % (
                what, i, g[max(0, i - 60):i + 40], e[max(0, i - 60):i + 40])))

    pct_plain = 100.0 * same_plain / max(parsed, 1)
    pct_pos = 100.0 * same_pos / max(parsed, 1)
    print("files: %d (CPython parses %d, rejects %d)" % (len(paths), parsed, rejected))
    print("identical dumps: %d/%d = %.2f%%" % (same_plain, parsed, pct_plain))
    print("identical dumps with positions: %d/%d = %.2f%%" % (same_pos, parsed, pct_pos))
    print("rejected by both at the same line: %d/%d" % (rejected_same, rejected))
    print("time: CPython ast.parse %.2fs, ag-convert --dump-ast (whole process) %.2fs"
          % (t_cpython, t_ours_plain))
    for p, why in mismatches[:args.show]:
        print("MISMATCH", p, why)
    if args.write_mismatches:
        with open(args.write_mismatches, "w") as f:
            for p, why in mismatches:
                f.write("%s\t%s\n" % (p, why))
    ok = pct_plain >= args.min_plain and pct_pos >= args.min_positions and rejected_same == rejected
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
