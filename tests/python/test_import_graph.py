"""The modules of python/autograph import each other without cycles.

The graph is read from the source with `ast`: every `import` statement is an edge, at module
level and inside functions alike. A function-level import is still a dependency: it only moves
the moment the cycle is entered from import time to call time, and it is how cycles hide (a
"lazy" import that breaks a module-level cycle). So both kinds count, in one graph.

Edges go to the module a statement loads: `from . import ops` is an edge to `autograph.ops`,
`from .errors import X` one to `autograph.errors`, `import autograph` one to the package's
`__init__`. Importing a submodule also runs its parent packages' `__init__`: those are edges too,
except for the importing module's own ancestors, which are initialized before it runs (every
submodule would otherwise form a cycle with an `__init__` that imports it). `_core`, the C++
extension, is a leaf: what it imports from C++ at call time (`autograph.dtypes`, `.ops`,
`.errors`, for conversions and errors) is not in the Python source.
"""
import ast
import pathlib

import pytest

PACKAGE = "autograph"
SOURCE = pathlib.Path(__file__).resolve().parents[2] / "python" / PACKAGE
EXTENSIONS = {f"{PACKAGE}._core"}


def _module_name(path):
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    return {_module_name(p): p for p in sorted(SOURCE.rglob("*.py"))}


def _resolve(module, is_package, node):
    """The base module an ImportFrom names (`..x` from autograph.operators.y -> autograph.x)."""
    if node.level == 0:
        return node.module
    base = module.split(".")
    if not is_package:
        base.pop()
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _edges(module, path, known):
    is_package = path.name == "__init__.py"
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node)
            names = []
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                names.append(sub if sub in known else base)
        else:
            continue
        for name in names:
            if name in known:
                targets.add(name)
                targets.update(_implicit_parents(module, name, known))
    targets.discard(module)
    return targets


def _implicit_parents(module, target, known):
    """The packages that importing `target` runs first, other than `module`'s own ancestors
    (those are initialized before `module` runs at all): `autograph.operators.staging`,
    imported from `autograph.control_flow`, runs `autograph/operators/__init__.py` too."""
    parts = target.split(".")
    ancestors = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    for i in range(1, len(parts)):
        parent = ".".join(parts[:i])
        if parent in known and parent not in ancestors:
            yield parent


def import_graph():
    modules = _modules()
    known = set(modules) | EXTENSIONS
    return {m: _edges(m, p, known) for m, p in modules.items()}


def find_cycle(graph):
    """One cycle as a list of modules [a, b, ..., a], or None."""
    state = {}  # module -> 1 while on the DFS stack, 2 when done
    stack = []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_graph_covers_the_package():
    graph = import_graph()
    assert len(graph) > 30
    # Spot checks that both kinds of import are read: module level and inside a function.
    assert f"{PACKAGE}.ops" in graph[f"{PACKAGE}.operators.control_flow"]
    assert f"{PACKAGE}.notebook.tracebacks" in graph[f"{PACKAGE}._kernel_hooks"]
    assert f"{PACKAGE}._core" in graph[f"{PACKAGE}.tensor"]


def test_no_import_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize("source,expected", [
    ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
])
def test_find_cycle(source, expected):
    assert find_cycle(source) == expected


def test_resolve_relative_imports():
    node = ast.parse("from ..x import y").body[0]
    assert _resolve(f"{PACKAGE}.operators.staging", False, node) == f"{PACKAGE}.x"
    node = ast.parse("from . import y").body[0]
    assert _resolve(f"{PACKAGE}.operators", True, node) == f"{PACKAGE}.operators"
