def logic(a, b, c):
    if a > 0 and b > 0 or not c:
        r = a if a > b else b
    else:
        r = 0
    return r


def chained(a, b, c):
    return a and b and c


CASES = [("logic", (1, 2, True)), ("logic", (-1, 2, True)), ("logic", (-1, 2, False)), ("chained", (1, 2, 3)), ("chained", (1, 0, 3))]
