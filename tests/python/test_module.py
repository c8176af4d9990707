"""ag.Module: variables, trainable_variables and submodules found through attributes."""
import numpy as np
import pytest

import autograph as ag


class Leaf(ag.Module):
    def __init__(self, value, name=None):
        super().__init__(name=name)
        self.w = ag.Variable(np.float32(value), name=f"w{value}")
        self.frozen = ag.Variable(np.float32(-value), trainable=False, name=f"f{value}")


class Tree(ag.Module):
    def __init__(self):
        super().__init__()
        self.first = Leaf(1)
        self.in_list = [Leaf(2), (Leaf(3),)]
        self.in_dict = {"b": Leaf(4), "a": ag.Variable(np.float32(5.0), name="v5")}
        self.shared = self.first  # reached twice: listed once
        self.number = 7  # not a variable: ignored


def test_variables_found_through_attributes_lists_tuples_dicts_once_in_order():
    t = Tree()
    names = [v.name for v in t.variables]
    assert names == ["w1", "f1", "w2", "f2", "w3", "f3", "w4", "f4", "v5"]
    assert [v.name for v in t.trainable_variables] == ["w1", "w2", "w3", "w4", "v5"]
    assert [v.name for v in t.non_trainable_variables] == ["f1", "f2", "f3", "f4"]
    assert len(t.submodules) == 4
    assert all(isinstance(m, Leaf) for m in t.submodules)
    # Stable: asking again gives the same objects in the same order.
    assert [id(v) for v in t.variables] == [id(v) for v in t.variables]


def test_variables_created_later_are_seen_and_cycles_are_cut():
    t = Tree()
    t.first.parent = t  # a back reference must not loop forever
    t.extra = ag.Variable(np.float32(9.0), name="late")
    assert [v.name for v in t.variables][-1] == "late"
    assert t not in t.submodules


def test_nested_submodules_are_listed_outermost_first():
    class Outer(ag.Module):
        def __init__(self):
            super().__init__()
            self.inner = Tree()

    o = Outer()
    assert isinstance(o.submodules[0], Tree)
    assert len(o.submodules) == 5
    assert len(o.variables) == 9


def test_default_names_are_unique_snake_case_and_names_are_checked():
    a, b = Leaf(1), Leaf(2)
    assert a.name.startswith("leaf") and b.name.startswith("leaf") and a.name != b.name
    assert Leaf(3, name="mine").name == "mine"
    with pytest.raises(ValueError, match="identifier"):
        Leaf(4, name="not valid")


def test_module_variables_train_inside_a_staged_function():
    class Scale(ag.Module):
        def __init__(self):
            super().__init__()
            self.w = ag.Variable(np.float32(2.0))

        def __call__(self, x):
            return self.w * x

    m = Scale()

    @ag.function
    def step(x):
        with ag.GradientTape() as tape:
            y = m(x)
        (g,) = tape.gradient(y, m.trainable_variables)
        m.w.assign_sub(0.5 * g)
        return y

    step(ag.constant(np.float32(3.0)))
    assert m.w.numpy() == pytest.approx(0.5)


def test_a_layers_ops_are_grouped_by_its_name_scope_in_the_picture():
    model = ag.keras.Sequential([ag.keras.layers.Dense(4, activation="relu", name="hidden"),
                                 ag.keras.layers.Dense(2, name="logits")])

    @ag.function
    def f(x):
        return model(x)

    x = ag.constant(np.ones((3, 5), np.float32))
    dot = f.get_concrete_function(x).graph.to_dot()
    # One dashed box per layer, labelled with the scope path (the model's own scope first).
    for scope in (f'{model.name}/hidden', f'{model.name}/logits'):
        assert f'label="{scope}"; style=dashed' in dot
    with ag.name_scope("outer"):  # eagerly: nothing to name, and no error
        assert float(ag.reduce_sum(model(x))) == float(ag.reduce_sum(f(x)))
