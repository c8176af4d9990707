def total(xs):
    s = 0
    for x in xs:
        s += x
    return s


def last_index(xs):
    for i, x in enumerate(xs):
        pass
    return i


def huber(xs, delta):
    loss = 0.0
    for x in xs:
        a = abs(x)
        if a <= delta:
            loss += 0.5 * x * x
        else:
            loss += delta * (a - 0.5 * delta)
    return loss


CASES = [("total", ([1, 2, 3],)), ("last_index", ([5, 6, 7],)), ("last_index", ([],)), ("huber", ([0.5, -2.0, 3.0], 1.0))]
