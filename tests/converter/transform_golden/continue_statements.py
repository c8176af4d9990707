def sum_positive(xs):
    s = 0
    for x in xs:
        if x < 0:
            continue
        s += x
    return s


def odd_squares(n):
    i = 0
    out = 0
    while i < n:
        i += 1
        if i % 2 == 0:
            continue
        out += i * i
    return out


CASES = [("sum_positive", ([1, -2, 3, -4],)), ("odd_squares", (7,))]
