def sign(x):
    if x > 0:
        y = 1
    elif x < 0:
        y = -1
    else:
        y = 0
    return y


def clip_inplace(x, hi):
    if x > hi:
        x = hi
    return x


CASES = [("sign", (3,)), ("sign", (-2,)), ("sign", (0,)), ("clip_inplace", (5, 3)), ("clip_inplace", (1, 3))]
