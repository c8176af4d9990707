"""Functions whose converted code (ag.to_code) and errors are golden-tested."""
import autograph as ag


def huber_loss(a, delta):
    if abs(a) <= delta:
        loss = a * a / 2
    else:
        loss = delta * (abs(a) - delta / 2)
    return loss


def first_index(xs, target):
    for i in range(len(xs)):
        if xs[i] == target:
            return i
    return -1


def squares(n):
    out = []
    ag.set_element_type(out, ag.int32)
    i = 0
    while i < n:
        out.append(i * i)
        i += 1
    return ag.stack(out)


def clamp_print(x, lo, hi):
    y = lo if x < lo else (hi if x > hi else x)
    if y != x and not lo > hi:
        print("clamped", x, "to", y)
    assert lo <= hi, "empty range"
    return y


# ---- errors ----
def defined_in_one_branch(x):
    if x > 0:
        y = x * 2
    return y


def dtype_changes_in_loop(n):
    x = ag.constant(1)
    i = 0
    while i < n:
        x = ag.cast(x, ag.float32) + 0.5
        i += 1
    return x


def undefined_before_loop(n):
    i = 0
    while i < n:
        last = i * 2
        i += 1
    return last


def generator(n):
    for i in range(n):
        yield i


def try_in_staged_loop(n):
    i = 0
    while i < n:
        try:
            i += 1
        except ValueError:
            pass
    return i


def failing_assert(x):
    y = x + 1
    assert y < 5, "y must stay below 5"
    return y


@ag.do_not_convert
def library_like(x):
    if x > 0:
        return x
    return -x


def calls_unconverted(x):
    return library_like(x) + 1


def shape_changes_in_loop(n):
    x = ag.zeros((2,), ag.float32)
    i = 0
    while i < n:
        x = ag.stack([x, x])  # a rank change: not relaxed
        i += 1
    return x


def branches_disagree_on_dtype(x):
    if x > 0:
        y = ag.cast(x, ag.float32)
    else:
        y = x
    return y
