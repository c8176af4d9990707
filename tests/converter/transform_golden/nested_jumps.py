def grid_search(n, target):
    found = None
    i = 0
    while i < n:
        j = 0
        while j < n:
            if i * j == target:
                found = (i, j)
                break
            j += 1
        if found is not None:
            break
        i += 1
    return found


def skip_and_stop(xs):
    out = 0
    for x in xs:
        if x < 0:
            continue
        if x > 100:
            break
        out += x
    else:
        out = -out
    return out


def nested_return(m):
    for row in m:
        for v in row:
            if v < 0:
                return v
        if len(row) == 0:
            return 0
    return None


def while_else(n):
    k = 0
    while k < n:
        k += 2
    else:
        k = k * 10
    return k


CASES = [("grid_search", (5, 6)), ("grid_search", (3, 100)), ("skip_and_stop", ([1, -2, 3],)), ("skip_and_stop", ([1, 200, 3],)), ("nested_return", ([[1, 2], [3, -4]],)), ("nested_return", ([[1], []],)), ("nested_return", ([[1]],)), ("while_else", (5,))]
