import autograph as ag


@ag.function
def collatz_total(n):
    """Sum of the Collatz stopping times of 1..n: nested `while` and `if` on int scalars."""
    total = 0
    i = 1
    while i <= n:
        x = i
        steps = 0
        while x != 1:
            if x % 2 == 0:
                x = x // 2
            else:
                x = 3 * x + 1
            steps += 1
        total += steps
        i += 1
    return total
