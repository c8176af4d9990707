#!/usr/bin/python3
"""Differential test on broken input: mutates stdlib files (delete, insert or
swap characters, drop or indent lines), then checks that ag-convert and
CPython's ast.parse agree: both accept with identical dumps, or both reject at
the same line. Also catches crashes and hangs (batch mode must finish).

Usage: mutants_compare.py AG_CONVERT [--count N] [--seed S] [--min-agree PCT]
"""
import argparse
import ast
import os
import random
import subprocess
import sys
import tempfile

INSERTS = ["(", ")", "[", "]", "{", "}", ":", ",", "=", "\n", "    ", "\t", "'", '"', "\\", "#",
           "f'", "*", "**", "lambda", " if ", " else ", "match ", "case ", "async ", "await ",
           "0x", "1_", ".", "@", "->", ":=", "yield ", "not ", " in ", "\x0c"]


def mutate(rng, src):
    lines = src.split("\n")
    kind = rng.randrange(6)
    if kind == 0 and src:
        i = rng.randrange(len(src))
        return src[:i] + src[i + 1:]
    if kind == 1:
        i = rng.randrange(len(src) + 1)
        return src[:i] + rng.choice(INSERTS) + src[i:]
    if kind == 2 and len(lines) > 1:
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if kind == 3 and lines:
        i = rng.randrange(len(lines))
        lines[i] = rng.choice(["  ", "\t", " "]) + lines[i]
        return "\n".join(lines)
    if kind == 4 and len(src) > 2:
        i = rng.randrange(len(src) - 1)
        return src[:i] + src[i + 1] + src[i] + src[i + 2:]
    i = rng.randrange(len(src) + 1)
    return src[:i] + rng.choice(INSERTS) + rng.choice(INSERTS) + src[i:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ag_convert")
    ap.add_argument("--root", default="/usr/lib/python3.11")
    ap.add_argument("--count", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--min-agree", type=float, default=97.0)
    ap.add_argument("--keep", help="directory to keep disagreeing mutants in")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(args.root) for f in fs
                   if f.endswith(".py"))
    work = tempfile.mkdtemp(prefix="ag-mutants-")
    files, expected = [], []
    for k in range(args.count):
        p = rng.choice(paths)
        with open(p, encoding="utf-8", errors="surrogateescape") as f:
            src = f.read()
        # Mutants of small pieces keep CPython fast and errors local.
        lines = src.split("\n")
        start = rng.randrange(max(1, len(lines) - 60))
        src = "\n".join(lines[start:start + 60])
        src = mutate(rng, src)
        name = os.path.join(work, "m%05d.py" % k)
        data = src.encode("utf-8", errors="surrogateescape")
        with open(name, "wb") as f:
            f.write(data)
        try:
            expected.append(("ok", ast.dump(ast.parse(data))))
        except SyntaxError as e:
            expected.append(("err", e.lineno))
        except (ValueError, MemoryError, RecursionError) as e:
            expected.append(("other", str(e)))
        files.append(name)
    lst = os.path.join(work, "list.txt")
    with open(lst, "w") as f:
        f.write("\n".join(files) + "\n")
    r = subprocess.run([args.ag_convert, "--dump-ast", "--batch", lst, work], timeout=300,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        print("ag-convert crashed or failed: status %d\n%s" % (r.returncode, r.stderr.decode()))
        return 1
    agree = 0
    bad = []
    for k, (name, (what, val)) in enumerate(zip(files, expected)):
        with open(os.path.join(work, "%d.out" % k), encoding="utf-8", errors="replace") as f:
            out = f.read()
        if what == "ok":
            same = out == val + "\n"
        elif what == "err":
            same = out.startswith("ERROR %d\n" % val)
        else:
            same = out.startswith("ERROR")
        agree += same
        if not same:
            bad.append((name, what, val if what != "ok" else "parses", out.split("\n")[0][:60],
                        out.strip().split("\n")[-1][:100]))
    pct = 100.0 * agree / len(files)
    print("%d mutants, %d agree with CPython (%.2f%%)" % (len(files), agree, pct))
    for b in bad[:25]:
        print("DISAGREE %s: cpython %s %s, ours %s | %s" % b)
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        for b in bad:
            os.replace(b[0], os.path.join(args.keep, os.path.basename(b[0])))
    return 0 if pct >= args.min_agree else 1


if __name__ == "__main__":
    sys.exit(main())
