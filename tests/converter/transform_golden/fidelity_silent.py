def late_binding(n):
    fs = []
    for i in range(n):
        fs.append(lambda: i)
    return [f() for f in fs]


def deleted_in_branches(a):
    x = 1
    if a > 0:
        del x
    else:
        del x, a
        a = 0
    return a


def deleted_then_read(a):
    x = 1
    if a > 0:
        del x
    return x


def try_return(a):
    try:
        return a[0]
    except IndexError:
        pass
    return -1


def falls_off(a, b):
    if a > 0:
        if b > 0:
            return 1
    else:
        return 2


def never_falls_off(n):
    i = 0
    while True:
        i += 1
        if i >= n:
            return i


def finally_always_returns(x):
    try:
        if x > 0:
            return 1
        return 2
    finally:
        x = 0


COUNT = 0


def global_in_loop(n):
    global COUNT
    for i in range(n):
        COUNT += 1
    return n


CASES = [("late_binding", (3,)), ("deleted_in_branches", (1,)), ("deleted_in_branches", (-1,)),
         ("deleted_then_read", (1,)), ("deleted_then_read", (-1,)), ("try_return", ([],)),
         ("try_return", ([5],)), ("falls_off", (1, -1)), ("falls_off", (1, 1)),
         ("falls_off", (-1, 0)), ("never_falls_off", (4,)),
         ("finally_always_returns", (1,)), ("finally_always_returns", (-1,)),
         ("global_in_loop", (3,))]
