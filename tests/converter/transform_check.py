"""Checks converted golden outputs with CPython itself.

For every tests/converter/transform_golden/NAME.py with NAME.expected:
  1. the expected output parses (ast.parse) and compiles;
  2. NAME.map has one entry per line of NAME.expected, each pointing at a
     line of NAME.py;
  3. when NAME.py defines CASES = [(function_name, args), ...], running the
     converted module with the reference operators gives the same results
     (or the same exception type) as running the original.

usage: /usr/bin/python3 transform_check.py GOLDEN_DIR
"""
import ast
import copy
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import transform_reference_ag  # noqa: E402


def run(module_source, name, cases, with_ag):
    ns = {"__name__": name}
    if with_ag:
        ns["ag__"] = transform_reference_ag
    exec(compile(module_source, name, "exec"), ns)
    results = []
    for fn, args in cases:
        try:
            results.append(("ok", ns[fn](*copy.deepcopy(args))))
        except Exception as e:  # the same failure is part of the behaviour
            results.append(("raise", type(e).__name__))
    return results


def main(golden_dir):
    failures = 0
    names = sorted(f[:-3] for f in os.listdir(golden_dir) if f.endswith(".py"))
    for name in names:
        base = os.path.join(golden_dir, name)
        if not os.path.exists(base + ".expected"):
            continue
        src = open(base + ".py").read()
        out = open(base + ".expected").read()
        problems = []
        if out.startswith("ERROR"):
            print("ok   %s (conversion error expected)" % name)
            continue
        try:
            ast.parse(out)
            compile(out, name + ".expected", "exec")
        except SyntaxError as e:
            problems.append("does not compile: %s" % e)
        if os.path.exists(base + ".map"):
            entries = [l.split() for l in open(base + ".map").read().splitlines()]
            n_lines = len(out.splitlines())
            n_src = len(src.splitlines())
            if len(entries) != n_lines:
                problems.append("map has %d entries for %d lines" % (len(entries), n_lines))
            for i, (gen, orig) in enumerate(entries):
                line = int(orig.split(":")[0])
                if int(gen) != i + 1 or not 1 <= line <= n_src:
                    problems.append("bad map entry %s %s" % (gen, orig))
                    break
        else:
            problems.append("no .map file")
        tree = ast.parse(src)
        cases = None
        for node in tree.body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "CASES":
                cases = ast.literal_eval(node.value)
            if isinstance(node, ast.AugAssign) and getattr(node.target, "id", "") == "CASES":
                cases += ast.literal_eval(node.value)
        if cases and not problems:
            want = run(src, name, cases, False)
            got = run(out, name, cases, True)
            if want != got:
                problems.append("results differ:\n  original  %s\n  converted %s" % (want, got))
        if problems:
            failures += 1
            print("FAIL %s\n  %s" % (name, "\n  ".join(problems)))
        else:
            print("ok   %s%s" % (name, " (%d cases)" % len(cases) if cases else ""))
    print("%d golden files, %d failures" % (len(names), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
