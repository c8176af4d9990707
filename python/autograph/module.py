"""`ag.Module`: a container of Variables and sub-modules found through its attributes.

As in TensorFlow's `tf.Module`, nothing is registered explicitly: `variables`,
`trainable_variables` and `submodules` walk the instance's attributes (and the lists, tuples and
dicts they hold) each time they are read, so a layer that creates its weights on its first call
shows them from then on. The walk is depth-first in attribute-assignment order, which puts a
model's weights in layer order (what `zip(grads, model.trainable_variables)` pairs up); every
object appears once even when reached twice (a shared layer) and cycles are cut.

`name` names the module, its weights' default names and its name scope: ops traced inside
`with module.name_scope:` (keras layers enter it on every call) carry the scope, and graph
pictures draw them in one box.
"""
import re

from .variables import Variable, name_scope

# How many modules of each default name were made, so default names are unique ("dense",
# "dense_1", ...) as in Keras.
_name_counts = {}


def _snake_case(name):
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()


def unique_name(base):
    """`base`, or `base_N` when modules named `base` already exist."""
    n = _name_counts.get(base, 0)
    _name_counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


class Module:
    """Base class of objects that own Variables (layers, models). See the module docstring."""

    def __init__(self, name=None):
        if name is None:
            name = unique_name(_snake_case(type(self).__name__))
        elif not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"ag.Module: name must be a valid Python identifier, got {name!r}")
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def name_scope(self):
        """`with module.name_scope:` groups the ops traced inside under the module's name in
        graph pictures (keras layers enter it on every call)."""
        return name_scope(self._name)

    @property
    def variables(self):
        """Every Variable of this module and its sub-modules, each once, in a stable order."""
        return tuple(self._walk(Variable))

    @property
    def trainable_variables(self):
        """The variables with `trainable=True` (what an optimizer updates)."""
        return tuple(v for v in self._walk(Variable) if v.trainable)

    @property
    def non_trainable_variables(self):
        return tuple(v for v in self._walk(Variable) if not v.trainable)

    @property
    def submodules(self):
        """Every Module reachable from this one (not itself), each once, outermost first."""
        return tuple(self._walk(Module))

    # Attributes whose values are never walked (back references would make every module of a
    # model reach the others).
    _untracked_attributes = ()

    def _walk(self, kind):
        seen = {id(self)}
        out = []

        def visit(value):
            if isinstance(value, Variable):
                if id(value) not in seen:
                    seen.add(id(value))
                    if kind is Variable:
                        out.append(value)
                return
            if isinstance(value, Module):
                if id(value) in seen:
                    return
                seen.add(id(value))
                if kind is Module:
                    out.append(value)
                value._visit_attributes(visit)
                return
            if isinstance(value, (list, tuple)):
                if id(value) in seen:
                    return
                seen.add(id(value))
                for v in value:
                    visit(v)
            elif isinstance(value, dict):
                if id(value) in seen:
                    return
                seen.add(id(value))
                for v in value.values():
                    visit(v)

        self._visit_attributes(visit)
        return out

    def _visit_attributes(self, visit):
        for key, value in vars(self).items():
            if key not in self._untracked_attributes:
                visit(value)

    def __repr__(self):
        return f"<{type(self).__name__} '{self._name}'>"
