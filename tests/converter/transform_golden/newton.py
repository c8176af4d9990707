def newton(v, tol):
    x = v
    while abs(x * x - v) > tol:
        x = 0.5 * (x + v / x)
    return x


def rnn_like(xs, w):
    h = 0.0
    t = 0
    while t < len(xs):
        h = h * w + xs[t]
        t += 1
    return h


CASES = [("newton", (2.0, 1e-9)), ("rnn_like", ([1.0, 2.0, 3.0], 0.5))]
