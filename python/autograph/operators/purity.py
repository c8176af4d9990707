"""Which generated callables are *pure*: no side effect, no call, nothing that can fail.

Staging a pure branch needs no Cond: both sides can be computed and the result selected, and
the right operand of a staged `and`/`or` can be evaluated unconditionally. That saves a
subgraph per iteration in loops that `break` (the converter guards the rest of the body with
`if not break_:` and tests `not break_ and ...`). The check reads the callable's bytecode and
accepts only loads, stores, comparisons, `+ - * & | ^`, unary minus/invert, `ag__.not_(...)`,
and `//` or `%` by a nonzero constant."""
import dis

_SAFE_OPS = {
    "RESUME", "NOP", "CACHE", "COPY_FREE_VARS", "LOAD_FAST", "LOAD_DEREF", "LOAD_CONST",
    "LOAD_GLOBAL", "STORE_FAST", "STORE_DEREF", "COMPARE_OP", "UNARY_NEGATIVE",
    "UNARY_INVERT", "RETURN_VALUE", "POP_TOP", "PUSH_NULL", "SWAP", "COPY", "PRECALL", "CALL",
    "LOAD_METHOD", "LOAD_ATTR", "BUILD_TUPLE", "UNPACK_SEQUENCE", "KW_NAMES",
}
# BINARY_OP arguments that cannot fail: + & * | - ^ and their in-place forms.
_SAFE_BINARY = {0, 1, 5, 7, 10, 12, 13, 14, 18, 20, 23, 25}
_DIV_BY_CONST = {2, 6, 15, 19}  # // % //= %=

_cache = {}


def is_pure(fn):
    """True when calling `fn` (a generated branch, test or lambda) has no effect but its
    result and assignments to the enclosing function's variables, and cannot raise."""
    code = getattr(fn, "__code__", None)
    if code is None:
        return False
    verdict = _cache.get(code)
    if verdict is None:
        verdict = _cache[code] = _check(code)
    return verdict


def _check(code):
    calls = 0
    not_calls = 0
    prev = None
    for ins in dis.get_instructions(code):
        op = ins.opname
        if op == "BINARY_OP":
            if ins.arg in _SAFE_BINARY:
                pass
            elif ins.arg in _DIV_BY_CONST and prev is not None and prev.opname == "LOAD_CONST" \
                    and isinstance(prev.argval, int) and prev.argval > 0:
                pass
            else:
                return False
        elif op in ("LOAD_METHOD", "LOAD_ATTR"):
            if ins.argval != "not_":
                return False
            not_calls += 1
        elif op == "CALL":
            calls += 1
        elif op not in _SAFE_OPS:
            return False
        if op != "CACHE":
            prev = ins
    return calls == not_calls
