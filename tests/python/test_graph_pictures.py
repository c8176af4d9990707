"""Graph pictures that read like the code: the user's names on inputs, loop state and results,
each Cond/While box labelled with its statement and line, the node outside its own boxes, a
tooltip with the user's line on every op, and a width that fits a notebook's output area."""
import inspect
import re
import shutil

import pytest

import autograph as ag


def collatz(a):
    n = 0
    while a != 1:
        if a % 2 == 0:
            a = a // 2
        else:
            a = 3 * a + 1
        n += 1
    return n


WHILE_LINE = inspect.getsourcelines(collatz)[1] + 2


@pytest.fixture(scope="module")
def dot():
    return ag.function(collatz).graph(ag.constant(27)).to_dot()


def test_names_of_inputs_loop_state_and_results(dot):
    assert 'out0 [label="n", shape=house]' in dot and "output 0" not in dot
    # The loop's own inputs (cond and body each have a and n).
    assert dot.count('label="placeholder a\\nint32()"') == 3
    assert dot.count('label="placeholder n\\nint32()"') == 2
    assert 'label="placeholder\\n' not in dot


def test_while_box_labelled_and_node_outside(dot):
    assert f'label="while a != 1 \u2014 line {WHILE_LINE}"; style=dashed' in dot
    # The while node and the edges into it are outside every cluster (an edge written inside a
    # cluster would draw the node in it).
    outside = re.sub(r"subgraph cluster_\d+ \{.*\n  \}\n", "", dot, flags=re.S)
    while_id = re.search(r'(n\d+) \[label="while', dot).group(1)
    assert f'{while_id} [label="while' in outside
    assert f"-> {while_id} [style=dotted, constraint=false]" in outside


def test_tooltips_name_the_line(dot):
    first = inspect.getsourcelines(collatz)[1]
    assert f'[label="floordiv\\nint32()", shape=box, tooltip="line {first + 4}: a = a // 2"]' \
        in dot


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz dot is not installed")
def test_collatz_fits_the_output_area():
    svg = ag.function(collatz).graph(ag.constant(27)).to_svg()
    width_pt = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
    assert width_pt * 4 / 3 <= 978
    assert 'xlink:title="line ' in svg  # the tooltips made it into the SVG


def branchy(x):
    if x > 0:
        print("positive", x)
        x = x - 1
    else:
        x = x + 1
    return x


def test_cond_box_and_branch_inputs_named():
    dot = ag.function(branchy).graph(ag.constant(3)).to_dot()
    first = inspect.getsourcelines(branchy)[1]
    assert f'label="if x > 0 \u2014 line {first + 1}"; style=dashed' in dot
    # The argument x, and the branches' inputs that receive it, are all drawn as x.
    assert dot.count('label="placeholder x\\nint32()"') == 3
    assert 'label="placeholder\\n' not in dot
    assert 'out0 [label="x", shape=house]' in dot
