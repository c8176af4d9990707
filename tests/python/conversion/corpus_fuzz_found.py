"""Programs the random-program fuzzer (program_fuzz.py) found staged differently, reduced.

A variable bound before a staged statement and rebound inside it, whose old value the statement
never reads and whose new value nobody reads after, became a local of the statement's body
function, unbound there; a nested staged `if` that carries it then failed with "NameError:
cannot access free variable" (Python: the outer binding is still visible there).
"""
from harness import case


@case(3, 5)
@case(7, 20)
@case(-1, 0)
def rest_of_function_rebinds_after_early_return(a, b):
    x = a
    if b > 10:
        return x
    if a > 5:
        x = 1
    else:
        x = 2
    if x > 0 or a > 0:
        a = 0
    x = 3
    return a
