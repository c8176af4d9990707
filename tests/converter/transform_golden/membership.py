def member(x, xs):
    if x in xs:
        return 1
    return 2 if x not in range(3) else 3


def chained_member(a, b, xs):
    return a < b in xs


CASES = [("member", (1, [1, 2])), ("member", (5, [1, 2])), ("member", (2, [])), ("chained_member", (1, 2, [2])), ("chained_member", (3, 2, [2]))]
