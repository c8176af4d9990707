"""Random programs for differential testing: plain Python against the same function staged.

Each program is a function `f(a, b)` of two ints built from what users write in loops: `if`/
`elif`/`else`, `while` with a counter, `for ... in range(...)`, `break`, `continue`, `return`
in any branch or loop, augmented assignment, `and`/`or`/`not` (which return an operand in
Python), conditional expressions, `abs`/`min`/`max`, calls of a user function,
chained comparisons, tuple swaps, `else` on loops, floor division and modulo of negative
numbers. Every value stays small (each assignment is reduced modulo a prime), so the int32
tensors of the staged run never wrap around where Python's ints would grow, and no division is
by zero: any difference is a fidelity bug.

With --floats the same programs mix in float literals and run on float32 arguments; the suite
runs a batch of them too. Python numbers are weakly typed there (SPEC §3, JAX's weak_type): an
int meeting a float32 tensor, a range counter, an `ag.cond` of `4` and a float, a tuple return
holding a `0`, all stay float32 as with Python's numbers. What remains is inherent: a variable
holding a Python int on one path and a float on another (`x = 5` under a staged `if`, or
`max(x, 5)`) is one float32 graph value, so it prints `5.0` where Python prints `5` (its value
is the same). Float mode therefore compares printed numbers by value; `--exact-print` shows
those differences too (about 7 of 300 programs, most where `z = 0` meets floats).

Run as a script to try many seeds: `program_fuzz.py --seeds 0:2000 [--show]` prints each
program whose staged result differs.
"""
import argparse
import contextlib
import importlib.util
import io
import os
import random
import re
import sys
import tempfile

NAMES = ("x", "y", "z")
# A user function the programs call: converted too, with its own staged `if` and early return.
HELPER = """def step(u, v):
    if u > v:
        return (u - v) % 97
    w = u
    while w < v and w < u + 30:
        w += 3
    return w % 89


"""
PRIME = 9973


class ProgramMaker:
    def __init__(self, seed, floats=False):
        self.floats = floats
        self.seed = seed
        self.rng = random.Random(seed)
        self.loop_depth = 0
        self.counter = 0

    def atom(self):
        r = self.rng.random()
        if r < 0.55:
            return self.rng.choice(NAMES + ("a", "b"))
        if self.floats and self.rng.random() < 0.5:
            return self.rng.choice(("0.5", "1.25", "-2.75", "3.0", "0.125"))
        return str(self.rng.randint(-7, 9))

    def expr(self, depth=0):
        if depth >= 2 or self.rng.random() < 0.3:
            return self.atom()
        left, right = self.expr(depth + 1), self.expr(depth + 1)
        kind = self.rng.choice(("+", "-", "*", "//", "%", "or", "and", "ifexp", "call", "neg",
                                "helper"))
        if kind == "helper":
            return f"step({left}, {right})"
        if kind in ("//", "%"):
            return f"({left} {kind} (abs({right}) + 1))"
        if kind == "*":
            return f"({left} * {self.rng.randint(-3, 3)})"
        if kind in ("or", "and"):
            return f"({left} {kind} {right})"
        if kind == "ifexp":
            return f"({left} if {self.cond(depth + 1)} else {right})"
        if kind == "call":
            fn = self.rng.choice(("abs", "min", "max"))
            return f"abs({left})" if fn == "abs" else f"{fn}({left}, {right})"
        return f"(-{left})"

    def cond(self, depth=0):
        left, right = self.expr(depth + 1), self.expr(depth + 1)
        op = self.rng.choice(("<", "<=", ">", ">=", "==", "!="))
        text = f"{left} {op} {right}"
        if self.rng.random() < 0.1:
            text += f" {self.rng.choice(('<', '<=', '!='))} {self.atom()}"  # chained
        r = self.rng.random()
        if r < 0.15:
            return f"not ({text})"
        if r < 0.3 and depth < 2:
            return f"({text}) {self.rng.choice(('and', 'or'))} ({self.cond(depth + 1)})"
        return text

    def assign(self, indent):
        name = self.rng.choice(NAMES)
        if self.rng.random() < 0.08:
            other = self.rng.choice([n for n in NAMES if n != name])
            return [f"{indent}{name}, {other} = {other}, {name}"]
        if self.rng.random() < 0.4:
            op = self.rng.choice(("+=", "-="))
            return [f"{indent}{name} {op} {self.expr()}", f"{indent}{name} = {name} % {PRIME}"]
        return [f"{indent}{name} = ({self.expr()}) % {PRIME}"]

    def block(self, indent, budget):
        lines = []
        for _ in range(self.rng.randint(1, 3)):
            lines += self.statement(indent, budget)
        return lines

    def statement(self, indent, budget):
        r = self.rng.random()
        if budget <= 0 or r < 0.4:
            return self.assign(indent)
        if r < 0.62:
            lines = [f"{indent}if {self.cond()}:"] + self.block(indent + "    ", budget - 1)
            if self.rng.random() < 0.3:
                lines += [f"{indent}elif {self.cond()}:"] + self.block(indent + "    ", budget - 1)
            if self.rng.random() < 0.5:
                lines += [f"{indent}else:"] + self.block(indent + "    ", budget - 1)
            return lines
        if r < 0.72 and self.loop_depth < 2:
            return self.loop(indent, budget, "for")
        if r < 0.82 and self.loop_depth < 2:
            return self.loop(indent, budget, "while")
        if r < 0.9 and self.loop_depth > 0:
            jump = self.rng.choice(("break", "continue"))
            return [f"{indent}if {self.cond()}:", f"{indent}    {jump}"]
        if r < 0.95:
            return [f"{indent}if {self.cond()}:", f"{indent}    return {self.result()}"]
        # With a tensor argument, so that the staged print runs on every call (a print of only
        # Python values runs once, while tracing, as in TensorFlow).
        return [f"{indent}print('at', {self.rng.randint(0, 99)}, {self.rng.choice(NAMES)}, a)"]

    def loop(self, indent, budget, kind):
        self.counter += 1
        self.loop_depth += 1
        inner = indent + "    "
        if kind == "for":
            var = f"i{self.counter}"
            bound = self.rng.choice(("int(a) % 5", "int(b) % 4", str(self.rng.randint(0, 4))))
            lines = [f"{indent}for {var} in range({bound}):"]
            body = self.block(inner, budget - 1)
            use = [f"{inner}x = (x + {var}) % {PRIME}"]
            body = use + body if self.rng.random() < 0.5 else body + use
        else:
            var = f"c{self.counter}"
            lines = [f"{indent}{var} = 0", f"{indent}while {var} < {self.rng.randint(0, 4)}:",
                     f"{inner}{var} += 1"]
            body = self.block(inner, budget - 1)
        self.loop_depth -= 1
        if self.rng.random() < 0.2:  # runs when the loop ends without `break`
            body += [f"{indent}else:"] + self.assign(inner)
        return lines + body

    def result(self):
        # Every path returns the same structure: three ints.
        return self.rng.choice(("(x, y, z)", "(x + y, y, z)", "(y, z, x)", "(x % 7, 0, y)"))

    def program(self):
        # With floats, z starts as a Python int in odd seeds (it meets floats: weak typing) and
        # as a float32 tensor in even ones.
        body = ["    x = a", "    y = b",
                "    z = a - a" if self.floats and self.seed % 2 == 0 else "    z = 0"]
        for _ in range(self.rng.randint(2, 4)):
            body += self.statement("    ", 3)
        return HELPER + "\n".join(["def f(a, b):"] + body + ["    return (x, y, z)"]) + "\n"


def make_program(seed, floats=False):
    return ProgramMaker(seed, floats).program()


def load(source, directory, name):
    path = os.path.join(directory, f"{name}.py")
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.f


def outcome(call):
    """(value, error class name, printed lines) of one run; tensors become Python ints."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            result = call()
    except Exception as e:  # noqa: BLE001 - errors are compared
        return None, type(e).__name__, out.getvalue()
    if isinstance(result, tuple):
        result = tuple(float(v) for v in result)
    return result, None, out.getvalue()


_NUMBER = re.compile(r"-?\d+(\.\d+)?(e[-+]?\d+)?")


def by_value(printed):
    """Printed output with every number written as a float: `5` and `5.0` read alike."""
    return _NUMBER.sub(lambda m: repr(float(m.group())), printed)


def compare(seed, directory, args_list, floats=False, exact_print=False):
    """None when staged equals Python for every argument pair, else a report.

    floats: float32 arguments and float literals. The plain run gets NumPy float32 scalars, so
    that both runs round every operation to float32 alike (bit for bit: neither contracts a
    multiply and an add into one rounding). Printed numbers are compared by value unless
    exact_print (the module docstring says why)."""
    import numpy as np

    import autograph as ag

    source = make_program(seed, floats)
    f = load(source, directory, f"fuzz_{seed}{'_f' if floats else ''}")
    staged = ag.function(f)
    for a, b in args_list:
        if floats:
            a, b = np.float32(a), np.float32(b)
        plain = outcome(lambda: f(a, b))
        got = outcome(lambda: staged(ag.constant(a), ag.constant(b)))
        if floats and not exact_print:
            plain, got = ((v, e, by_value(p)) for v, e, p in (plain, got))
        if plain != got:
            return f"seed {seed}, f({a}, {b}): Python {plain}, staged {got}\n{source}"
    return None


ARGS = ((3, 5), (-4, 2), (0, 0), (7, -3))
FLOAT_ARGS = ((3.5, 5.25), (-4.75, 2.0), (0.0, 0.0), (7.0, -3.125))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", default="0:500", help="start:stop")
    ap.add_argument("--show", action="store_true", help="print each failing program")
    ap.add_argument("--floats", action="store_true", help="float32 programs and arguments")
    ap.add_argument("--exact-print", action="store_true",
                    help="with --floats: printed 5 and 5.0 differ")
    opts = ap.parse_args()
    start, stop = (int(v) for v in opts.seeds.split(":"))
    failures = 0
    with tempfile.TemporaryDirectory() as directory:
        for seed in range(start, stop):
            report = compare(seed, directory, FLOAT_ARGS if opts.floats else ARGS,
                             opts.floats, opts.exact_print)
            if report:
                failures += 1
                print(report if opts.show else report.splitlines()[0], flush=True)
    print(f"{failures} of {stop - start} programs differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
