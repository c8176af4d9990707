"""The converted code as a reader would write it (`%%autograph --show compact`, the pane's toggle).

The converter's output carries bookkeeping that the operators need but a reader does not:
get_state/set_state closures, `nonlocal` lines, the FunctionScope block, the do_return /
retval_ / break_ / continue_ flags, converted_call wrappers. `compact` drops it and writes the
control flow with ag.cond / ag.while_loop, statement by statement, and gives a source map in the
converter's format so the side-by-side view aligns it with the user's lines as it does the full
form. The result is for reading; the full form is what runs.
"""
import ast

# Variables the converter adds to a statement's state: not the user's loop variables.
_FLAGS = ("do_return", "retval_", "break_", "continue_")


def _is_flag(name):
    return any(name == f or name.startswith(f + "_") for f in _FLAGS) or name == "retval_"


def _is_op(node, name):
    """`ag__.<name>(...)`"""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == name and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "ag__")


def _lambda_body(node):
    return node.body if isinstance(node, ast.Lambda) else ast.Call(node, [], [])


class _Calls(ast.NodeTransformer):
    """converted_call(f, (a,), {k: v}, fscope) -> f(a, k=v); and_/or_/not_ -> and/or/not;
    ld(x) -> x."""

    def visit_Call(self, node):
        self.generic_visit(node)
        if _is_op(node, "converted_call") and len(node.args) >= 2:
            f, args = node.args[0], node.args[1]
            pos = list(args.elts) if isinstance(args, ast.Tuple) else [ast.Starred(args)]
            kw = []
            if len(node.args) > 2 and isinstance(node.args[2], ast.Dict):
                kw = [ast.keyword(arg=k.value if isinstance(k, ast.Constant) else None, value=v)
                      for k, v in zip(node.args[2].keys, node.args[2].values)]
            return ast.Call(f, pos, kw)
        if (_is_op(node, "and_") or _is_op(node, "or_")) and len(node.args) == 2:
            operands = [_lambda_body(a) for a in node.args]
            if node.func.attr == "and_" and _is_guard_test(operands[0]):
                return operands[1]  # `not break_ and x < 100`: the flag is bookkeeping
            op = ast.And() if node.func.attr == "and_" else ast.Or()
            return ast.BoolOp(op, operands)
        if _is_op(node, "not_") and len(node.args) == 1:
            return ast.UnaryOp(ast.Not(), node.args[0])
        if (_is_op(node, "ld") or _is_op(node, "ldu")) and node.args:
            return node.args[0]
        return node


def _is_guard_test(node):
    """`not do_return` / `ag__.not_(break_)`: a converter flag's test."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        operand = node.operand
    elif _is_op(node, "not_") and len(node.args) == 1:
        operand = node.args[0]
    else:
        return False
    return isinstance(operand, ast.Name) and _is_flag(operand.id)


def _expr(node):
    return ast.unparse(_Calls().visit(node))


def _names(node):
    """The user's variables in a statement's names tuple ('x', 'break_') -> ['x']."""
    if isinstance(node, ast.Tuple):
        return [e.value for e in node.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
                and not _is_flag(e.value)]
    return []


def _roles(tree):
    """{def name: (role, variables)} for the defs the operators receive: 'branch' (returns the
    if's outputs), 'loop' (takes and returns the loop variables), 'test' (takes them)."""
    roles = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if _is_op(node, "if_stmt") and len(node.args) >= 7 and _is_guard_test(node.args[0]):
            # `if not do_return:` the converter wraps around what follows a return: inline.
            for a, role in zip(node.args[1:3], ("inline", "drop")):
                if isinstance(a, ast.Name):
                    roles[a.id] = (role, [])
        elif _is_op(node, "if_stmt") and len(node.args) >= 7:
            nouts = node.args[6].value if isinstance(node.args[6], ast.Constant) else 0
            outs = [n for n in _names(node.args[5])[:nouts]]
            for a in node.args[1:3]:
                if isinstance(a, ast.Name):
                    roles[a.id] = ("branch", outs)
        elif _is_op(node, "while_stmt") and len(node.args) >= 5:
            names = _names(node.args[4])
            for a, role in zip(node.args[:2], ("test", "loop")):
                if isinstance(a, ast.Name):
                    roles[a.id] = (role, names)
        elif _is_op(node, "for_stmt") and len(node.args) >= 6:
            if isinstance(node.args[2], ast.Name):
                roles[node.args[2].id] = ("loop", _names(node.args[5]))
    return roles


def _statement(node):
    """The compact text of a simple statement (None: dropped as bookkeeping)."""
    if isinstance(node, ast.Nonlocal):
        return None
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
            node.targets[0], ast.Name) and _is_flag(node.targets[0].id):
        name, value = node.targets[0].id, node.value
        if name.startswith("retval_") and not _is_op(value, "UndefinedReturnValue"):
            return f"return {_expr(value)}"
        if isinstance(value, ast.Constant) and value.value is True:
            for flag, word in (("break_", "break"), ("continue_", "continue")):
                if name.startswith(flag):
                    return word
        return None
    if isinstance(node, ast.Return) and isinstance(node.value, ast.Call) and isinstance(
            node.value.func, ast.Attribute) and node.value.func.attr == "ret":
        return None
    call = node.value if isinstance(node, ast.Expr) else None
    if call is not None and _is_op(call, "if_stmt") and call.args and _is_guard_test(
            call.args[0]):
        return None
    if call is not None and _is_op(call, "if_stmt") and len(call.args) >= 7:
        nouts = call.args[6].value if isinstance(call.args[6], ast.Constant) else 0
        outs = _names(call.args[5])[:nouts]
        c, body, orelse = (_expr(a) for a in call.args[:3])
        return _assigned(outs, f"ag.cond({c}, {body}, {orelse})")
    if call is not None and _is_op(call, "while_stmt") and len(call.args) >= 5:
        names = _names(call.args[4])
        test, body = (_expr(a) for a in call.args[:2])
        return _assigned(names, f"ag.while_loop({test}, {body}, {_tuple(names)})")
    if call is not None and _is_op(call, "for_stmt") and len(call.args) >= 6:
        names = _names(call.args[5])
        it, body = _expr(call.args[0]), _expr(call.args[2])
        return _assigned(names, f"ag__.for_stmt({it}, {body}, {_tuple(names)})")
    if call is not None and _is_op(call, "assert_stmt") and call.args:
        msg = call.args[1] if len(call.args) > 1 else None
        text = f"assert {_expr(call.args[0])}"
        return text + (f", {_expr(_lambda_body(msg))}" if msg is not None and not (
            isinstance(msg, ast.Constant) and msg.value is None) else "")
    return _expr(node)


def _tuple(names):
    return "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"


def _assigned(names, call):
    return f"{', '.join(names)} = {call}" if names else call


def compact(converted, source_map):
    """(compact text, source map) of converted code and its converter source map."""
    tree = ast.parse(converted)
    roles = _roles(tree)
    mapped = {}
    for gen_line, _gc, orig_line, _oc in source_map:
        mapped[gen_line] = min(orig_line, mapped.get(gen_line, orig_line))
    lines = []  # (text, converted line it came from or None)

    def emit(body, depth):
        for node in body:
            pad = "    " * depth
            if isinstance(node, ast.FunctionDef) and node.name.startswith(("get_state",
                                                                           "set_state")):
                continue
            if isinstance(node, ast.With) and node.items and _is_op(
                    node.items[0].context_expr, "FunctionScope"):
                emit(node.body, depth)
            elif isinstance(node, ast.FunctionDef) and roles.get(node.name, ("",))[0] in (
                    "inline", "drop"):
                if roles[node.name][0] == "inline":
                    emit(node.body, depth)
            elif isinstance(node, ast.FunctionDef):
                role, names = roles.get(node.name, (None, []))
                params = [a.arg for a in node.args.args]
                if role in ("loop", "test"):
                    params += [n for n in names if n not in params]
                lines.append((f"{pad}def {node.name}({', '.join(params)}):", node.lineno))
                start = len(lines)
                emit(node.body, depth + 1)
                ends_in_return = len(lines) > start and lines[-1][0].lstrip().startswith(
                    "return")
                if role in ("branch", "loop") and names and not ends_in_return:
                    while len(lines) > start and lines[-1][0].strip() == "pass":
                        lines.pop()
                    lines.append((f"{pad}    return {', '.join(names)}", None))
                elif len(lines) == start:
                    lines.append((f"{pad}    pass", None))
            elif isinstance(node, (ast.If, ast.For, ast.While, ast.With, ast.Try,
                                   ast.ClassDef, ast.AsyncFunctionDef)):
                # Python control flow left as written (not converted): shown as is.
                for k, text in enumerate(ast.unparse(node).split("\n")):
                    lines.append((pad + text, node.lineno if k == 0 else None))
            else:
                text = _statement(node)
                if text is not None:
                    lines.append((pad + text, node.lineno))

    emit(tree.body, 0)
    new_map = [(i, 0, mapped[g], 0) for i, (_, g) in enumerate(lines, 1)
               if g is not None and g in mapped]
    return "\n".join(t for t, _ in lines) + "\n", new_map
