#!/usr/bin/python3
"""Seed inputs for fuzz_parser.

  make_corpus.py SEEDS_DIR DEEP_DIR [STDLIB]

SEEDS_DIR gets a few hundred small stdlib snippets (top-level statements, a
deterministic sample) plus the files of tests/converter/syntax_errors/ when
that folder exists. DEEP_DIR gets pathological nesting (100k parentheses,
100k unary minus, long operator and attribute chains) that the parser must
reject or survive without overflowing the stack; they run once each, since
libFuzzer would truncate them to -max_len.
"""
import ast
import os
import sys
import warnings


def snippets(root):
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, "rb") as f:
                    source = f.read().decode("utf-8")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    tree = ast.parse(source)
            except (SyntaxError, ValueError, UnicodeDecodeError):
                continue
            # Whole lines of each top-level statement (get_source_segment
            # re-splits the file on every call: far too slow here).
            lines = source.splitlines(keepends=True)
            for stmt in tree.body:
                first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
                text = "".join(lines[first - 1:stmt.end_lineno])
                if 20 <= len(text) <= 1500:
                    found.append(text if text.endswith("\n") else text + "\n")
    return found


def deep_inputs():
    n = 100000
    return {
        "parens": "(" * n + "1" + ")" * n + "\n",
        "unary_minus": "-" * n + "1\n",
        "not_chain": "x = " + "not " * n + "x\n",
        "open_brackets": "x = " + "[" * n + "\n",
        "add_chain": "x = " + "1 + " * n + "1\n",
        "power_chain": "x = " + "2 ** " * n + "2\n",
        "attribute_chain": "x = " + "a." * n + "b\n",
        "call_chain": "x = f" + "()" * n + "\n",
        "subscript_chain": "x = a" + "[0]" * n + "\n",
        "compare_chain": "x = " + "a < " * n + "b\n",
        "and_chain": "x = " + "a and " * n + "b\n",
        "ifexp_chain": "x = " + "a if b else " * n + "c\n",
        "lambda_chain": "x = " + "lambda: " * n + "1\n",
        "tuple_nest": "x = " + "(1, " * n + ")" * n + "\n",
        "indent_nest": "".join(" " * i + "if x:\n" for i in range(2000)) + " " * 2000 + "pass\n",
        "fstring_nest": "x = " + "f'{" * 500 + "1" + "}'" * 500 + "\n",
        "string_concat": "x = " + "'a' " * n + "\n",
        "elif_chain": "if a: pass\n" + "elif a: pass\n" * n,
    }


def main():
    seeds, deep = sys.argv[1], sys.argv[2]
    root = sys.argv[3] if len(sys.argv) > 3 else "/usr/lib/python3.11"
    os.makedirs(seeds, exist_ok=True)
    os.makedirs(deep, exist_ok=True)
    found = snippets(root)
    step = max(1, len(found) // 400)
    chosen = found[::step][:400]
    for i, text in enumerate(chosen):
        with open(os.path.join(seeds, "stdlib_%03d.py" % i), "w", encoding="utf-8") as f:
            f.write(text)
    here = os.path.dirname(os.path.abspath(__file__))
    errors = os.path.join(here, "..", "syntax_errors")
    count = 0
    if os.path.isdir(errors):
        for dirpath, _, filenames in os.walk(errors):
            for name in sorted(filenames):
                with open(os.path.join(dirpath, name), "rb") as src:
                    data = src.read()
                with open(os.path.join(seeds, "error_%03d" % count), "wb") as dst:
                    dst.write(data)
                count += 1
    for name, text in deep_inputs().items():
        with open(os.path.join(deep, name + ".py"), "w") as f:
            f.write(text)
    print("seeds: %d stdlib snippets, %d syntax error files; %d deep inputs" % (
        len(chosen), count, len(deep_inputs())))


if __name__ == "__main__":
    main()
