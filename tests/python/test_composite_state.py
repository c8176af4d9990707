"""Attributes and constant-key items assigned in staged blocks are state, like variables.

`acc.total += i` in a staged loop, `o.y = ...` in both branches of a staged if, `d['s'] = ...`
in an `ag.range` loop: each runs as plain Python and staged, with the same results, and the
converted code reads them through `ag__.ldu`. (As in tf.function and jax.jit, what a staged call
leaves in the Python object is the traced value, not the result: use what the function returns.)"""
import numpy as np
import pytest

import autograph as ag


class Obj:
    pass


def _value(x):
    return x.numpy().item() if isinstance(x, ag.Tensor) else x


def attribute_counter(acc, k):
    i = 0
    while i < k:
        acc.total += i
        acc.steps = acc.steps + 1
        i += 1
    return acc.total


def nested_attribute(model, xs):
    for x in xs:
        if x > 0:
            model.stats.positive += x
        else:
            model.stats.negative -= x
    return model.stats.positive - model.stats.negative


def item_accumulator(d, k):
    for i in ag.range(k):
        d['s'] = d['s'] + i * 2
        d[0] = d[0] + 1
    return d['s'] + d[0]


def attribute_made_in_branches(o, x):
    if x > 0:
        o.y = x * 2
    else:
        o.y = -x
    return o.y


def attribute_in_one_branch(o, x):
    if x > 0:
        o.y = x
    return x


def _acc(total, steps=0):
    acc = Obj()
    acc.total, acc.steps = total, steps
    return acc


def _model():
    model = Obj()
    model.stats = Obj()
    model.stats.positive, model.stats.negative = 0.0, 0.0
    return model


def test_attribute_is_while_loop_state():
    plain = _acc(0)
    assert attribute_counter(plain, 6) == 15 and plain.steps == 6
    staged = _acc(ag.constant(0), ag.constant(0))
    assert _value(ag.function(attribute_counter)(staged, ag.constant(6))) == 15


def test_nested_attribute_in_staged_for_and_if():
    xs = [1.5, -2.0, 3.0, -0.5]
    expected = nested_attribute(_model(), xs)
    got = ag.function(nested_attribute)(_model(), ag.constant(np.array(xs, np.float32)))
    assert _value(got) == pytest.approx(expected)


def test_constant_key_items_are_for_loop_state():
    expected = item_accumulator({'s': 0, 0: 10}, 5)
    d = {'s': ag.constant(0), 0: ag.constant(10)}
    assert _value(ag.function(item_accumulator)(d, ag.constant(5))) == expected == 35


def test_attribute_first_made_in_staged_if():
    for x in (3, -4):
        o = Obj()
        expected = attribute_made_in_branches(o, x)
        staged = Obj()
        got = ag.function(attribute_made_in_branches)(staged, ag.constant(x))
        assert _value(got) == expected


def test_python_if_keeps_python_semantics():
    # A plain bool runs the if as Python: the attribute exists only if the branch ran.
    o = Obj()
    ag.function(attribute_in_one_branch)(o, 0)
    assert not hasattr(o, 'y')
    ag.function(attribute_in_one_branch)(o, 2)
    assert o.y == 2


def test_attribute_missing_on_one_staged_path_names_it():
    with pytest.raises(ag.StagingError, match=r"o\.y"):
        ag.function(attribute_in_one_branch)(Obj(), ag.constant(1))


def test_converted_code_reads_composites_through_ldu():
    code = ag.to_code(attribute_counter)
    assert "return ag__.ldu(lambda: acc.steps, 'acc.steps'), ag__.ldu(lambda: acc.total, " \
        "'acc.total'), i" in code
    assert "acc.steps, acc.total, i = vars_" in code
    assert "nonlocal i\n" in code  # attributes are never declared nonlocal
    assert "('acc.steps', 'acc.total', 'i')" in code


def test_rebound_root_is_not_state():
    # `o` is a new object on every iteration: its attribute is not carried.
    def fresh_objects(k):
        total = 0
        for i in ag.range(k):
            o = Obj()
            o.v = i
            total += o.v
        return total

    assert "ldu" not in ag.to_code(fresh_objects)
    assert _value(ag.function(fresh_objects)(ag.constant(4))) == 6
