def squares(n):
    lst = []
    for i in range(n):
        lst.append(i * i)
    return lst


def drain(xs):
    total = 0
    while len(xs) > 0:
        v = xs.pop()
        total += v
    xs.pop
    return total


CASES = [("squares", (5,)), ("drain", ([1, 2, 3],))]
