def abs_value(x):
    if x < 0:
        return -x
    return x


def first_negative(xs):
    for i, x in enumerate(xs):
        if x < 0:
            return i
    return -1


def search(xs, target):
    i = 0
    while i < len(xs):
        if xs[i] == target:
            return i
        i += 1


def early_plain(x):
    """Only a top-level return: left alone."""
    y = x + 1
    return y


CASES = [("abs_value", (-3,)), ("abs_value", (4,)), ("first_negative", ([1, -1, -2],)), ("first_negative", ([1],)), ("search", ([4, 5], 5)), ("search", ([4, 5], 7)), ("early_plain", (1,))]
