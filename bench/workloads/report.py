"""Checks every column's results against the plain ones and prints run.py's tables from the
workers' reports (dicts as worker.py writes them, keyed by system)."""
import numpy as np

from harness import WORKLOADS

COLUMNS = ["staged", "interpreter", "eager", "CPython", "NumPy", "TensorFlow", "JAX", "torch.compile",
           "TorchScript", "Numba"]
SYSTEM_COLUMNS = dict(xautograph=["staged", "interpreter", "eager"], cpython=["CPython"], numpy=["NumPy"],
                      tensorflow=["TensorFlow"], jax=["JAX"], torch_compile=["torch.compile"],
                      torchscript=["TorchScript"], numba=["Numba"])
COMPILED = ["staged", "TensorFlow", "JAX", "torch.compile", "TorchScript", "Numba"]
# The reference of each workload: plain Python for the scalar ones, NumPy for the others.
REFERENCE = dict(collatz="CPython", primes="CPython", huber="NumPy", list="NumPy", rnn="NumPy",
                 newton="NumPy", primes_u="CPython", huber_u="CPython")


def merged(reports):
    """column -> workload -> cell, column -> workload -> reason, column -> empty-while entry."""
    cells, errors, empty = {}, {}, {}
    for rep in reports.values():
        cells.update(rep.get("cells", {}))
        for col, errs in rep.get("errors", {}).items():
            errors.setdefault(col, {}).update(errs)
        empty.update(rep.get("empty", {}))
    return cells, errors, empty


def agrees(name, got, want):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    if got.shape != want.shape:
        return False
    if name in ("collatz", "primes", "list"):
        return bool(np.array_equal(got, want))
    if name == "huber":  # float32 running sums against NumPy's pairwise sum
        return bool(np.allclose(got, want, rtol=1e-2))
    return bool(np.allclose(got, want, rtol=1e-3, atol=1e-4))


def check(results, cells):
    """Marks each cell whose result disagrees with its reference; returns the lines to print
    and whether the staged column is right."""
    lines, staged_ok = [], True
    for name in WORKLOADS:
        ref = results.get(f"{REFERENCE[name]}/{name}")
        if ref is None:
            lines.append(f"{name}: no {REFERENCE[name]} result to check against")
            continue
        for col in COLUMNS:
            got = results.get(f"{col}/{name}")
            if got is None or col == REFERENCE[name]:
                continue
            if not agrees(name, got, ref):
                cells[col][name]["wrong"] = True
                lines.append(f"{col} {name}: result differs from {REFERENCE[name]}'s")
                staged_ok = staged_ok and col != "staged"
    return lines, staged_ok


def cell_text(cell, key="time"):
    # '~' in the first-call table: that first call ran the smaller size (it is not scaled)
    text = ("~" if cell.get("approx") else "") + format(cell[key], ".4g")
    return text + ("*" if cell.get("variant") else "") + ("!" if cell.get("wrong") else "")


def table(cells, cols, key, title):
    """One row per workload; a column per system that ran (its cells '-' if it failed)."""
    if not cols:
        return
    print(f"\n{title}")
    print(f"{'workload':<9}" + "".join(f"{c:>14}" for c in cols)
          + (f"{'vs CPython':>12}{'vs NumPy':>10}" if key == "time" else ""))
    for name in WORKLOADS:
        line = f"{name:<9}"
        for c in cols:
            cell = cells.get(c, {}).get(name)
            line += f"{cell_text(cell, key) if cell and cell.get(key) is not None else '-':>14}"
        if key == "time":
            for ref, width in (("CPython", 11), ("NumPy", 9)):
                st, other = cells.get("staged", {}).get(name), cells.get(ref, {}).get(name)
                ok = st and other
                text = f"{other['time'] / st['time']:.2f}x" if ok else "-"
                line += f"{text:>{width + 1}}"
        print(line)


def jit_table(staged):
    """The staged column's tiers: LLVM compile time of each graph (on a background thread) and
    the time from the first call until native code took over."""
    rows = [(name, staged[name]["jit"]) for name in WORKLOADS if "jit" in staged.get(name, {})]
    if not rows:
        return
    print("\nJIT (staged column; 'interpreter' = the same graphs with jit=False), milliseconds")
    print(f"{'workload':<9}{'compile':>10}{'native after':>14}  tier")
    for name, j in rows:
        ms = [f"{j[k] * 1e3:.1f}" if j[k] >= 0 else "-" for k in ("compile_seconds",
                                                                  "ready_seconds")]
        tier = j["tier"] + (f" ({j['reason']})" if j["reason"] else "")
        print(f"{name:<9}{ms[0]:>10}{ms[1]:>14}  {tier}")


def print_all(reports, results, quick):
    cells, errors, empty = merged(reports)
    check_lines, staged_ok = check(results, cells)
    shown = [c for system in reports for c in SYSTEM_COLUMNS[system]]
    size = "quick sizes" if quick else "full sizes"
    table(cells, [c for c in COLUMNS if c in shown], "time",
          f"SPEC §6 workloads ({size}), seconds, best of runs after the "
          "first call; ratio = other / staged\n'~' scaled from a smaller size, '*' control flow "
          "written by hand for that system, '!' result differs, '-' see below")
    table(cells, [c for c in COMPILED if c in shown], "first",
          "first call (trace / compile + one run), seconds")
    jit_table(cells.get("staged", {}))

    print("\nempty staged while (i = 0; while i < n: i += 1), microseconds per iteration")
    for col in [c for c in COLUMNS if c in shown]:
        e = empty.get(col, dict(error="not measured (see the systems below)"))
        if "error" in e:
            print(f"  {col:<14} {'-':>10}   {e['error']}")
        else:
            note = f"   ({e['note']})" if e.get("note") else ""
            print(f"  {col:<14} {e['us']:>10.4g}   n = {e['n']}{note}")

    notes = [f"  {col} {name}: {cell['note']}" for col in COLUMNS
             for name, cell in cells.get(col, {}).items() if cell.get("note")]
    if notes:
        print("\nnotes")
        print("\n".join(notes))
    missing = [f"  {col} {name}: {why}" for col in COLUMNS for name, why in
               errors.get(col, {}).items()]
    if missing:
        print("\ncells left '-'")
        print("\n".join(missing))
    print("\nsystems (one process each)")
    for system, rep in reports.items():
        state = f"FAILED: {rep['fatal']}" if rep.get("fatal") else rep.get("version", "")
        pin = "; ".join(rep.get("pinning", []))
        print(f"  {system:<14} {state} [{rep.get('python', '?')}]" + (f"; {pin}" if pin else ""))
    for rep in reports.values():
        for line in rep.get("lines", []):
            print(line)
    print()
    print("\n".join(check_lines) if check_lines else
          "every result matches the plain Python / NumPy results")
    return staged_ok
