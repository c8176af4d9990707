"""Differential test of the conversion: random small functions, run as
written and converted (under the reference operators), must agree.

Each program mixes assignments, if/elif/else, bounded while and for loops,
break, continue, return, and/or/not, conditional expressions and list
appends over ints; some variables are assigned on some paths only, so reads
may fail, and the failure (exception type) must be the same too.

usage: /usr/bin/python3 transform_fuzz.py AG_CONVERT [--count N] [--seed S] [--keep DIR]
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import transform_reference_ag  # noqa: E402

VARS = ["a", "b", "x", "y", "z", "s"]


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.counters = 0

    def expr(self, depth=0):
        r = self.r
        choice = r.random()
        if depth > 2 or choice < 0.3:
            return r.choice(VARS + [str(r.randint(-3, 5))])
        if choice < 0.55:
            op = r.choice(["+", "-", "*"])
            return "(%s %s %s)" % (self.expr(depth + 1), op, self.expr(depth + 1))
        if choice < 0.62:
            return "(%s // (abs(%s) + 1))" % (self.expr(depth + 1), self.expr(depth + 1))
        if choice < 0.75:
            return "(%s if %s else %s)" % (self.expr(depth + 1), self.cond(depth + 1),
                                          self.expr(depth + 1))
        if choice < 0.8:
            return "len(lst)"
        return self.cond(depth + 1)

    def cond(self, depth=0):
        r = self.r
        c = r.random()
        if depth > 2 or c < 0.5:
            return "(%s %s %s)" % (self.expr(depth + 1), r.choice(["<", "<=", ">", "==", "!="]),
                                   self.expr(depth + 1))
        if c < 0.7:
            return "(%s and %s)" % (self.cond(depth + 1), self.cond(depth + 1))
        if c < 0.9:
            return "(%s or %s)" % (self.cond(depth + 1), self.cond(depth + 1))
        return "(not %s)" % self.cond(depth + 1)

    def block(self, indent, depth, in_loop, n=None):
        n = n or self.r.randint(1, 4)
        return [line for _ in range(n) for line in self.stmt(indent, depth, in_loop)]

    def stmt(self, indent, depth, in_loop):
        r = self.r
        pad = "    " * indent
        c = r.random()
        if depth > 2:
            c = r.random() * 0.4
        if c < 0.25:
            return ["%s%s = %s" % (pad, r.choice(VARS), self.expr())]
        if c < 0.33:
            return ["%s%s %s= %s" % (pad, r.choice(VARS), r.choice("+-"), self.expr())]
        if c < 0.38:
            return ["%slst.append(%s)" % (pad, self.expr())]
        if c < 0.55:
            out = ["%sif %s:" % (pad, self.cond())] + self.block(indent + 1, depth + 1, in_loop)
            if r.random() < 0.3:
                out += ["%selif %s:" % (pad, self.cond())] + self.block(indent + 1, depth + 1, in_loop)
            if r.random() < 0.5:
                out += ["%selse:" % pad] + self.block(indent + 1, depth + 1, in_loop)
            return out
        if c < 0.67:
            k = "k%d" % self.counters
            self.counters += 1
            out = ["%s%s = 0" % (pad, k), "%swhile %s < %d and %s:" % (pad, k, r.randint(0, 4), self.cond()),
                   "%s    %s += 1" % (pad, k)]
            out += self.block(indent + 1, depth + 1, True)
            if r.random() < 0.2:
                out += ["%selse:" % pad] + self.block(indent + 1, depth + 1, in_loop)
            return out
        if c < 0.79:
            it = r.choice(["range(%d)" % r.randint(0, 4), "xs", "range(abs(%s) %% 4)" % self.expr()])
            target = r.choice(["i", "x", "y"])
            out = ["%sfor %s in %s:" % (pad, target, it)] + self.block(indent + 1, depth + 1, True)
            if r.random() < 0.2:
                out += ["%selse:" % pad] + self.block(indent + 1, depth + 1, in_loop)
            return out
        if c < 0.86 and in_loop:
            return ["%s%s" % (pad, r.choice(["break", "continue"]))]
        if c < 0.92:
            return ["%sreturn %s" % (pad, self.expr())]
        return ["%spass" % pad]

    def function(self, name):
        lines = ["def %s(a, b, xs):" % name, "    lst = []", "    s = 0"]
        lines += self.block(1, 0, False, n=self.r.randint(2, 6))
        lines.append("    return (%s, s, len(lst), lst)" % self.r.choice(VARS))
        return "\n".join(lines) + "\n"


INPUTS = [(0, 0, []), (1, 2, [3]), (-2, 5, [1, -1, 2]), (3, -1, [0, 0, 4, 5])]


def outcome(fn, args):
    try:
        return ("ok", fn(*args))
    except UnboundLocalError:
        # Converted code may read a variable that no longer has a binding in
        # the function (all its assignments moved into body functions): a
        # NameError. Both mean "used before assignment".
        return ("raise", "NameError")
    except Exception as e:
        return ("raise", type(e).__name__)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ag_convert")
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", help="write failing programs here")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    gen = Gen(rng)
    sources = [gen.function("f%d" % i) for i in range(args.count)]
    module = "\n\n".join(sources)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fuzz.py")
        with open(path, "w") as f:
            f.write(module)
        proc = subprocess.run([args.ag_convert, "--convert", path], capture_output=True, text=True)
    if proc.returncode != 0:
        print("conversion failed:\n" + proc.stderr[:2000])
        return 1
    original, converted = {}, {"ag__": transform_reference_ag}
    exec(compile(module, "original", "exec"), original)
    exec(compile(proc.stdout, "converted", "exec"), converted)
    failures = 0
    for i, src in enumerate(sources):
        name = "f%d" % i
        for inp in INPUTS:
            want = outcome(original[name], inp)
            got = outcome(converted[name], inp)
            if want != got:
                failures += 1
                print("MISMATCH %s%r: original %r, converted %r\n%s" % (name, inp, want, got, src))
                if args.keep:
                    with open(os.path.join(args.keep, name + ".py"), "w") as f:
                        f.write(src)
                break
    print("%d programs x %d inputs, %d mismatches" % (len(sources), len(INPUTS), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
