"""Each notebook runs top to bottom on the xautograph kernel (nbclient) and shows what it
teaches. Cells tagged `raises-exception` must fail, with the error their prose explains; every
other cell must succeed. The executed copies are written to $XAG_NOTEBOOK_OUT for inspection.
"""
import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
NOTEBOOKS = Path(os.environ.get("XAG_NOTEBOOK_DIR", HERE.parent.parent / "notebooks"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def execute(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert nb.metadata.kernelspec.name == "xautograph"
    for cell in nb.cells:
        assert not cell.get("outputs"), f"{name} is stored with outputs"
    client = NotebookClient(nb, kernel_name="xautograph", timeout=300,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    out = os.environ.get("XAG_NOTEBOOK_OUT")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, Path(out) / name)
    return [c for c in nb.cells if c.cell_type == "code"]


def text(cell):
    """stdout, results and displays of a cell as plain text; errors as their traceback."""
    parts = []
    for o in cell.outputs:
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type == "error":
            parts.append(ANSI.sub("", "\n".join(o.traceback)) + "\n")
        else:
            parts.append(o.data.get("text/plain", "") + "\n")
    # Streams arrive in pieces (one message per write): joined as they were printed.
    return "".join(parts).rstrip("\n")


def cell_with(cells, source_start):
    matches = [c for c in cells if c.source.startswith(source_start)]
    assert matches, f"no cell starts with {source_start!r}"
    return matches[0]


def errors(cells):
    """(ename, traceback text) of every failing cell, each tagged raises-exception."""
    found = []
    for c in cells:
        errs = [o for o in c.outputs if o.output_type == "error"]
        tagged = "raises-exception" in c.metadata.get("tags", [])
        assert bool(errs) == tagged, f"cell {c.source[:60]!r}: error={bool(errs)} tag={tagged}"
        if errs:
            found.append((errs[0].ename, ANSI.sub("", "\n".join(errs[0].traceback))))
    return found


def assert_user_lines_only(traceback):
    for marker in ("ag__", "if_body", "autograph/", "run_cell_magic", "fscope"):
        assert marker not in traceback, traceback


def test_01_tour():
    cells = execute("01_tour.ipynb")
    huber_cell = cell_with(cells, "%%autograph\ndef huber_loss")
    html = huber_cell.outputs[0].data["text/html"]
    assert 'class="ag-sbs"' in html and "if_stmt" in html
    assert text(cell_with(cells, "print(huber_loss")).split() == ["0.125", "2.5"]
    assert text(cell_with(cells, "type(huber_loss)")) == "('Function', 1)"
    assert text(cell_with(cells, "int(collatz_steps")) == "3142"
    assert text(cell_with(cells, "int(first_divisor")) == "(7, 97)"
    assert "[ 0,  1,  4,  9, 16, 25]" in text(cell_with(cells, "squares(ag.constant(6))"))
    # The Python-only print runs once, while tracing; the tensor prints on every call.
    assert text(cell_with(cells, "countdown(ag.constant(3))")).startswith(
        "tracing countdown\nn = 3\nn = 2\nn = 1\nlift-off at 0\n"
        "n = 2\nn = 1\nlift-off at 0\n<ag.Tensor")
    assert "array(7" in text(cell_with(cells, "tick(ag.constant(3))"))
    [(ename, tb)] = errors(cells)
    assert ename == "InvalidArgumentError"
    assert re.search(r"Cell In\[\d+\], line 3, in countdown", tb)
    assert 'assert n >= 0, "n must not be negative"' in tb
    assert_user_lines_only(tb)


def test_02_staging_rules():
    cells = execute("02_staging_rules.ipynb")
    python_if, tensor_if = text(cell_with(cells, "print(apply.graph")).splitlines()
    assert python_if == "['placeholder', 'const', 'multiply']"
    assert "where" in tensor_if or "cond" in tensor_if
    # The marks: a Python `if` vs a tensor `if`, an unrolled vs a staged loop, print at trace
    # time, and why power retraced.
    ret = "return: the returned tensors become the graph's outputs"
    assert text(cell_with(cells, "print(apply.explain")).splitlines() == [
        "line 3: ran in Python while tracing (condition was True)", f"line 5: {ret}",
        "line 3: staged: tensor condition (`scale`, scale: bool)", f"line 5: {ret}"]
    pane = text(cell_with(cells, "%%autograph\ndef apply"))
    assert ("line 3: trace 1: ran in Python while tracing (condition was True); trace 2: "
            "staged: tensor condition (`scale`, scale: bool)") in pane
    assert "   3 M     if scale:" in pane
    assert text(cell_with(cells, "print(unrolled.explain")).splitlines() == [
        "line 3: unrolled 3 times (`range(3)` is a Python range)", f"line 5: {ret}",
        "line 8: staged: loop over a tensor (int32 (?,)) (`ag.range(n)`)", f"line 10: {ret}"]
    assert text(cell_with(cells, "noisy(ag.constant(1))")).splitlines()[:5] == [
        "tracing noisy", "x is 1", "x is 2",
        "line 3: ran in Python while tracing: prints once per trace, not on later calls",
        "line 4: staged: ag.print, prints each time the graph runs"]
    assert text(cell_with(cells, "print(power.traces")).splitlines()[-1] == "  x: shape () → (2,)"
    unrolled, looped = text(cell_with(cells, "print(unrolled.graph")).splitlines()
    assert "while" not in unrolled and unrolled.count("'add'") == 2
    assert "while" in looped
    assert text(cell_with(cells, "power(ag.constant(2.0), 2)")) == "3"
    assert text(cell_with(cells, "%%autograph --show none\nclass Stats")) == "2.0"
    assert text(cell_with(cells, "%%autograph --show none\ndef reverse_digits")) == "4321"
    found = errors(cells)
    assert [e for e, _ in found] == ["StagingError", "InvalidArgumentError",
                                     "InvalidArgumentError", "ConversionError", "SyntaxError"]
    staging, assertion, shape, conversion, syntax = [tb for _, tb in found]
    assert re.search(r"Cell In\[\d+\], line 3, in one_branch", staging) and "'y'" in staging
    assert re.search(r"Cell In\[\d+\], line 3, in safe_sqrt", assertion)
    assert "return ag.reshape(x, [5])" in shape
    assert re.search(r"Cell In\[\d+\], line 4", conversion) and "yield i" in conversion
    assert re.search(r"Cell In\[\d+\], line 3\n\s+return x \+", syntax)
    for tb in (staging, assertion, shape, conversion, syntax):
        assert_user_lines_only(tb)
    assert text(cells[-1]) == "4.0"


def test_03_graph():
    cells = execute("03_graph.ipynb")
    svgs = [o for c in cells for o in c.outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) >= 4  # three %autograph_graph pictures and the Graph's own _repr_svg_
    assert all("<svg" in o.data["image/svg+xml"] for o in svgs)
    assert "'while'" in text(cell_with(cells, "g = count_halvings.graph"))
    # `--show graph` drew the graph of the first trace (made by the %autograph_graph below it)
    # in place of its note.
    shown = cell_with(cells, "%%autograph --show graph")
    assert "<svg" in shown.outputs[0].data["image/svg+xml"]
    assert text(shown).startswith("ag.Graph 'scaled_sum'")
    assert errors(cells) == []


def test_04_performance():
    cells = execute("04_performance.ipynb")
    checks = text(cell_with(cells, 'print(int(runs["collatz"]')).splitlines()
    assert checks[0] == "134100 134100" and checks[1] == "303 303"
    a, b = checks[2].split()
    assert a == b and checks[3] == "True"
    table = text(cell_with(cells, "table = ")).splitlines()
    assert table[0].split() == ["workload", "staged", "s", "CPython", "s", "speed-up"]
    assert [row.split()[0] for row in table[1:]] == ["collatz", "primes", "huber", "list",
                                                     "rnn", "newton"]
    plot = cell_with(cells, "import matplotlib").outputs[0]
    assert "<svg" in plot.data["image/svg+xml"]
    tiers = text(cell_with(cells, "native_collatz = ag.function")).splitlines()
    assert tiers[0].split(": ")[1] in ("interpreter", "native")
    assert tiers[1].startswith("then: native (compiled in "), tiers
    timing = text(cell_with(cells, "interpreted_collatz = ag.function")).splitlines()
    assert re.fullmatch(r"interpreter [\d.]+ ms, native [\d.]+ ms", timing[0]), timing
    assert timing[1] == "the two tiers agree: True"
    assert errors(cells) == []


def test_05_gradients():
    cells = execute("05_gradients.ipynb")
    assert text(cell_with(cells, "x = ag.constant(3.0)")) == "8.0"
    [(ename, tb)] = errors(cells)
    assert ename == "InvalidArgumentError" and "persistent=True" in tb
    assert re.search(r"Cell In\[\d+\], line 1", tb)
    assert_user_lines_only(tb)
    assert text(cell_with(cells, "with ag.GradientTape(persistent=True)")) == "6.0 -0.99 None"
    dw0, dw1, db = map(float, re.findall(r"-?\d+\.\d*", text(cell_with(cells, "w = ag.Var"))))
    assert (dw0, dw1, db) == pytest.approx((-43 / 3, -22.5, -23 / 3))  # 2/3 sum (pred - y) x
    assert text(cell_with(cells, "x = ag.constant(2.0)")) == "12.0 12.0"
    assert text(cell_with(cells, "staged_dw, staged_db")) == "True True"
    first, last, traces = text(cell_with(cells, "lr = ag.constant")).split()
    assert float(first) == pytest.approx(18.917) and float(last) < 0.1 and traces == "1"
    dump = text(cell_with(cells, "g = train_step.get_concrete_function"))
    assert "ones_like" in dump and "sum_to_like" in dump and "var_assign_sub" in dump
    assert all("[gradient]" not in ln for ln in dump.splitlines() if "var_" in ln)
    pictures = [o.data["image/svg+xml"] for c in cells for o in c.outputs
                if "image/svg+xml" in o.get("data", {})]
    assert len(pictures) == 2  # the training step's Graph and %autograph_graph of the loop
    for svg in pictures:  # backward nodes filled orange, and the legend saying so
        assert "#ffd8a8" in svg and "gradient (backward pass)" in svg
    sbs = cell_with(cells, "%%autograph\ndef power_until_100").outputs[0].data["text/html"]
    assert 'class="ag-sbs"' in sbs and "while_stmt" in sbs
    assert text(cell_with(cells, "y, dy = grad_power")) == "(243.0, 405.0)"
    loop = text(cell_with(cells, "print(grad_power.get_concrete_function"))
    assert re.search(r"tensor_list_push_back\(.*\[gradient\]", loop)
    assert re.search(r"tensor_list_pop\(.*\[gradient\]", loop)
    assert loop.count("= while(") == 2
    assert text(cell_with(cells, "x = 3.0")) == "[3.0, 9.0, 27.0, 81.0]\n405.0"
    y, dy = eval(text(cell_with(cells, "y, dy = long_loop")))  # noqa: S307 - a tuple of floats
    assert y == pytest.approx(1.483, abs=2e-3) and dy == pytest.approx(2.888, abs=2e-3)


def test_06_training():
    cells = execute("06_training.ipynb")
    assert errors(cells) == []
    assert text(cell_with(cells, "(x_train, y_train)")).splitlines() == [
        "(1437, 8, 8) float32 (1437,) int32 (360, 8, 8)", "23 batches per epoch"]
    # The guide's loop: the staged ag.print every 10 steps of each epoch, then Python's line.
    epochs = "\n".join(text(cell_with(cells, start)) for start in ("history = {", "for _ in"))
    step = r"Step (\d+) : loss (\d+\.\d+) ; accuracy (\d+\.\d+)"
    lines = [ln for ln in epochs.splitlines() if ln.strip()]
    assert [re.fullmatch(step, ln).group(1) for ln in lines if ln.startswith("Step")] == \
        ["10", "20"] * 20
    test_accuracy = [float(m.group(1)) for m in re.finditer(
        r"epoch +\d+: 23 steps, mean loss \d\.\d+, accuracy \d\.\d+, test accuracy (\d\.\d+)",
        epochs)]
    assert len(test_accuracy) == 20 and lines[2].startswith("epoch  1:")
    assert test_accuracy[-1] >= 0.95 and test_accuracy[0] < test_accuracy[-1]
    traces = int(re.search(r"traces of train: (\d+)", epochs).group(1))
    assert traces <= 2  # the first call may trace twice: it makes the weights and Adam's slots
    assert "<svg" in cell_with(cells, "import matplotlib").outputs[0].data["image/svg+xml"]
    picture = cell_with(cells, "x0, y0 = ").outputs[0].data["image/svg+xml"]
    assert "#ffd8a8" in picture and "gradient (backward pass)" in picture and "matmul" in picture
    assert text(cell_with(cells, "epoch_ops = ")).splitlines()[:2] == [
        "while nodes in the epoch graph: 1", "matmuls: one step 5 - the epoch 5"]
    # Model.fit on the full Fashion-MNIST: tqdm's bar and a line per epoch, then >= 0.84.
    fit = text(cell_with(cells, "ag.keras.utils.set_random_seed(0)\nfashion"))
    assert re.search(r"Epoch 5/5 - [\d.]+s - loss: [\d.]+ - accuracy: 0\.\d+", fit)
    assert "5/5 [" in fit and "epoch/s" in fit
    accuracy = float(re.search(r"test accuracy (\d\.\d+)",
                               text(cell_with(cells, "test_loss, test_accuracy"))).group(1))
    assert accuracy >= 0.84


def test_every_notebook_is_tested():
    names = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    tested = sorted(n[len("test_"):] for n in globals() if re.match(r"test_\d\d_", n))
    assert names == tested
