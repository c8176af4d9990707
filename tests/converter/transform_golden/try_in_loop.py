def safe_sum(xs):
    s = 0
    for x in xs:
        try:
            s += int(x)
        except ValueError:
            pass
    return s


CASES = [("safe_sum", (["1", "x", "3"],))]
