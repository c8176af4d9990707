def outer(n):
    total = 0

    def add(k):
        nonlocal total
        if k > 0:
            total += k
        return total

    for i in range(n):
        add(i)
    return total


G = 0


def bump(n):
    global G
    while n > 0:
        G += n
        n -= 1
    return G


CASES = [("outer", (4,)), ("bump", (3,))]
