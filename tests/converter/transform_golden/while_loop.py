def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def collatz(N):
    total = 0
    i = 1
    while i <= N:
        n = i
        while n != 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            total += 1
        i += 1
    return total


CASES = [("collatz_steps", (27,)), ("collatz", (50,))]
