def checked_div(a, b):
    assert b != 0, 'division by zero: %d' % a
    assert a >= 0
    return divmod(a, b)


def kwargs(xs, *rest, **kw):
    print('values', *xs, sep=', ', **kw)
    return sorted(xs, key=lambda v: -v, reverse=False), max(*rest) if rest else None


CASES = [("checked_div", (7, 2)), ("checked_div", (7, 0)), ("checked_div", (-1, 2)), ("kwargs", ([3, 1, 2], 4, 5))]
