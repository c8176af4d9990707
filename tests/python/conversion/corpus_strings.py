"""Corpus: string tensors (issue 15, SPEC §3) in staged loops and branches: concatenation,
comparison, ag.strings.*, printing, lists of strings, Python strings as part of the signature.
`np.str_(...)` arguments become string tensors in the staged call (NumPy scalars do) and stay
Python strings in the plain one; results compare as text (staged strings come back as bytes)."""
import numpy as np

import autograph as ag
from harness import Py, case

WORDS = np.array(["apple", "bob", "kiwi", "bob", "fig"])


@case(3)
@case(0)
def greeting_built_in_loop(n):
    s = "hello"
    for i in range(n):
        s = s + "!"
    return s


@case(np.str_("x"))
@case(np.str_("y"))
def branch_on_string_equality(name):
    if name == "x":
        out = "yes, " + name
    else:
        out = "no"
    return out


@case(5)
def format_of_a_counter(n):
    total = 0
    for i in range(n):
        total += i
    return ag.strings.format("total: {} after {} steps", [total, n])


@case(4)
@case(1)
def join_list_built_in_loop(n):
    parts = []
    ag.set_element_type(parts, ag.string)
    for i in range(n):
        parts.append(ag.strings.format("p{}", i))
    return ag.strings.join(parts, separator=", ")


@case(3)
def print_strings_in_loop(n):
    s = "ab"
    for i in range(n):
        s = s + "c"
        print("now", s)
    ag.print("done:", s)
    return s


@case(np.str_("Hello, World"))
def length_upper_lower(word):
    up = ag.strings.upper(word)
    low = ag.strings.lower(word)
    n = ag.strings.length(word) + ag.strings.length(up, unit="UTF8_CHAR")
    return up, low, n


@case(WORDS, np.str_("bob"))
@case(WORDS, np.str_("pear"))
def count_matches_in_string_vector(words, target):
    n = 0
    for w in words:
        if w == target:
            n += 1
    return n


@case(WORDS, 4)
def concatenate_indexed_words(words, n):
    s = ""
    for i in range(n):
        if i > 0:
            s = s + " "
        s = s + words[i]
    return s


@case(6)
def grow_until_length(limit):
    s = ""
    while ag.strings.length(s) < limit:
        s = s + "ab"
    return s


@case(Py("hi"), 2)
@case(Py("bye"), 2)
def python_string_in_signature(prefix, n):
    s = prefix
    for i in range(n):
        s = s + "?"
    return s, prefix + "."


@case(np.array([3, -1, 0, 7], np.int32))
def where_picks_strings(x):
    labels = ag.where(x > 0, "pos", "non-pos")
    count = 0
    for lab in labels:
        if lab != "pos":
            count += 1
    return labels, count


@case(np.str_("ann"), 3)
def while_loop_string_state(name, n):
    i = 0
    msg = name
    while i < n:
        msg = ag.strings.join([msg, ag.strings.format("{}", i)], separator="-")
        i += 1
    return msg, ag.strings.length(msg)


@case(np.str_("bob"), staged_error=(ag.InvalidArgumentError,
                                    r"cannot add a string tensor and an int32 tensor"))
def string_plus_number_is_an_error(name):
    # Python raises TypeError; staged, TensorFlow's kind of error naming this line.
    return name + 1


@case(3)
def upper_in_branch_of_loop(n):
    s = ""
    for i in range(n):
        if i % 2 == 0:
            s = s + ag.strings.upper("a")
        else:
            s = s + ag.strings.lower("B")
    return s, s == "AbA"
