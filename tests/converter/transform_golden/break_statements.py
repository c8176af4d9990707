def count_primes(n):
    count = 0
    i = 2
    while i <= n:
        j = 2
        is_prime = True
        while j * j <= i:
            if i % j == 0:
                is_prime = False
                break
            j += 1
        if is_prime:
            count += 1
        i += 1
    return count


def find(xs, target):
    pos = -1
    for i, x in enumerate(xs):
        if x == target:
            pos = i
            break
    else:
        pos = -2
    return pos


CASES = [("count_primes", (50,)), ("find", ([1, 2, 3], 2)), ("find", ([1, 2, 3], 9))]
