"""A plain-Python reference of the ag__ operator contract (converter/transforms/README.md).

Only for tests: it runs converted code the way the real operators do when no
tensor is involved (everything as Python), so converted golden outputs can be
executed and compared with the original functions. It also checks the parts of
the contract that staging relies on: get_state/set_state round-trip the
declared names, and nouts counts a prefix of them.
"""


class Undefined:
    def __init__(self, symbol_name):
        self.symbol_name = symbol_name

    def __repr__(self):
        return "Undefined(%r)" % self.symbol_name


class UndefinedReturnValue:
    pass


STD = object()


class FunctionScope:
    def __init__(self, function_name, scope_name, options):
        self.function_name = function_name
        self.scope_name = scope_name
        self.options = options

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def ret(self, value, did_return, may_fall_off=False):
        if isinstance(value, UndefinedReturnValue):
            return None
        return value


def retval(value):
    return value


def converted_call(f, args, kwargs, fscope):
    assert isinstance(args, tuple)
    assert kwargs is None or isinstance(kwargs, dict)
    assert isinstance(fscope, FunctionScope)
    return f(*args, **(kwargs or {}))


def _check_state(get_state, set_state, symbol_names):
    state = get_state()
    assert isinstance(state, tuple) and len(state) == len(symbol_names), (state, symbol_names)
    set_state(state)


def if_stmt(cond, body, orelse, get_state, set_state, symbol_names, nouts, opts=None):
    assert 0 <= nouts <= len(symbol_names)
    _check_state(get_state, set_state, symbol_names)
    if cond:
        body()
    else:
        orelse()


def while_stmt(test, body, get_state, set_state, symbol_names, opts):
    assert isinstance(opts, dict)
    _check_state(get_state, set_state, symbol_names)
    while test():
        body()


def for_stmt(iter_, extra_test, body, get_state, set_state, symbol_names, opts):
    assert isinstance(opts, dict) and "iterate_names" in opts
    _check_state(get_state, set_state, symbol_names)
    for itr in iter_:
        if extra_test is not None and not extra_test():
            break
        body(itr)


def if_exp(cond, if_true, if_false, expr_repr):
    return if_true() if cond else if_false()


def if_exp_chain(cond, if_true, expr_repr, *rest):
    # rest: (test, if_true, expr_repr) of each later link, then the last if_false.
    assert isinstance(expr_repr, str) and len(rest) % 3 == 1
    while not cond:
        if len(rest) == 1:
            return rest[0]()
        cond, if_true, expr_repr, rest = rest[0](), rest[1], rest[2], rest[3:]
    return if_true()


def and_(a, b):
    return a() and b()


def or_(a, b):
    return a() or b()


def in_(x, container):
    return x in container


def not_in(x, container):
    return x not in container


def not_(a):
    return not a


def assert_stmt(expression, msg_fn):
    if not expression:
        raise AssertionError(msg_fn() if msg_fn is not None else None)


def list_append(target, element):
    target.append(element)
    return target


def list_pop(target, index):
    value = target.pop() if index is None else target.pop(index)
    return target, value


def ld(value):
    if isinstance(value, Undefined):
        raise UnboundLocalError(
            "local variable '%s' referenced before assignment" % value.symbol_name)
    return value
