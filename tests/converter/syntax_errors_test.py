#!/usr/bin/python3
"""Runs `ag-convert --dump-ast` on every snippet in tests/converter/syntax_errors/.

For each NAME.py the command must fail with exit status 1, print CPython's
error format to stderr (File/line, the source line, carets, Type: message),
report the same line as CPython's ast.parse (computed now, with
/usr/bin/python3), and print exactly NAME.err (the reviewed expected output).

Usage: syntax_errors_test.py AG_CONVERT [--regen]   (--regen rewrites the .err files)
"""
import ast
import os
import re
import subprocess
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "syntax_errors")
FORMAT = re.compile(
    r'  File "[^"]+", line (\d+)\n'
    r'(    .*\n(    [ \t]*\^+\n)?)?'
    r'(SyntaxError|IndentationError|TabError): .+\n\Z')


def cpython_error(path):
    with open(path, "rb") as f:
        src = f.read()
    try:
        ast.parse(src)
    except SyntaxError as e:
        return e.lineno, type(e).__name__, e.msg
    except (ValueError, RecursionError, MemoryError) as e:
        return None, type(e).__name__, str(e)
    return None, None, None


def main():
    ag = os.path.abspath(sys.argv[1])
    regen = "--regen" in sys.argv
    names = sorted(f[:-3] for f in os.listdir(HERE) if f.endswith(".py"))
    failures = []
    same_message = 0
    for name in names:
        r = subprocess.run([ag, "--dump-ast", name + ".py"], cwd=HERE, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=20)
        err = r.stderr.decode("utf-8", errors="replace")
        exp_line, exp_type, exp_msg = cpython_error(os.path.join(HERE, name + ".py"))
        if exp_type is None:
            failures.append("%s: CPython accepts this snippet; it does not belong here" % name)
            continue
        if r.returncode != 1:
            failures.append("%s: exit status %d, want 1" % (name, r.returncode))
            continue
        m = FORMAT.match(err)
        if not m:
            failures.append("%s: not in CPython's format:\n%s" % (name, err))
            continue
        line = int(m.group(1))
        if exp_line is not None and line != exp_line:
            failures.append("%s: line %d, CPython says line %d" % (name, line, exp_line))
        last = err.rstrip("\n").split("\n")[-1]
        if last == "%s: %s" % (exp_type, exp_msg):
            same_message += 1
        expected_file = os.path.join(HERE, name + ".err")
        if regen:
            with open(expected_file, "w") as f:
                f.write(err)
        elif not os.path.exists(expected_file):
            failures.append("%s: missing %s.err (run with --regen and review)" % (name, name))
        else:
            with open(expected_file) as f:
                want = f.read()
            if want != err:
                failures.append("%s: output differs from %s.err:\n--- want\n%s--- got\n%s"
                                % (name, name, want, err))
    print("%d snippets, %d failures, %d with CPython's exact message"
          % (len(names), len(failures), same_message))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
