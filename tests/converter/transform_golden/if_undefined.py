def only_in_branch(c):
    if c:
        z = 10
        w = 1
    return z


def read_then_write(x, c):
    if c:
        x = x + 1
        t = x * 2
        x = t
    return x


CASES = [("only_in_branch", (True,)), ("only_in_branch", (False,)), ("read_then_write", (1, True)), ("read_then_write", (1, False))]
