"""Every corpus function run as plain Python and staged with ag.function: same results, same
printed output, same kind of error."""
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import autograph as ag  # noqa: E402
import corpus_branches  # noqa: E402,F401
import corpus_more  # noqa: E402,F401
import corpus_stacks  # noqa: E402,F401
import corpus_objects  # noqa: E402,F401
import corpus_loops  # noqa: E402,F401
import corpus_seeds  # noqa: E402,F401
import corpus_fidelity_silent  # noqa: E402,F401
import corpus_fidelity_accept  # noqa: E402,F401
import corpus_fidelity_ops  # noqa: E402,F401
import corpus_fuzz_found  # noqa: E402,F401
import corpus_recursion  # noqa: E402,F401
import corpus_leftovers  # noqa: E402,F401
import corpus_strings  # noqa: E402,F401
from harness import (  # noqa: E402
    CASES, assert_close, assert_same_output, plain_args, same_error, staged_args, to_numpy,
)


def _ids():
    seen = {}
    ids = []
    for fn, _, _ in CASES:
        base = f"{fn.__module__.replace('corpus_', '')}.{fn.__name__}"
        seen[base] = seen.get(base, 0) + 1
        ids.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return ids


@pytest.mark.parametrize("fn,args,options", CASES, ids=_ids())
def test_staged_matches_python(fn, args, options, capsys):
    if options.get("xfail"):
        pytest.xfail(options["xfail"])
    plain_exc = staged_exc = None
    try:
        expected = to_numpy(fn(*plain_args(args)))
    except Exception as e:  # noqa: BLE001 - errors are part of the comparison
        plain_exc = e
    plain_out = capsys.readouterr().out
    try:
        result = to_numpy(ag.function(fn)(*staged_args(args)))
    except Exception as e:  # noqa: BLE001
        staged_exc = e
    staged_out = capsys.readouterr().out
    if options.get("staged_error"):
        # Python returns, staging cannot do the same: an error naming the user's code.
        cls, pattern = options["staged_error"]
        assert isinstance(staged_exc, cls), (staged_exc, plain_exc)
        assert re.search(pattern, str(staged_exc)), str(staged_exc)
        return
    if plain_exc is not None:
        assert staged_exc is not None, f"Python raised {plain_exc!r}, staged returned {result}"
        assert same_error(staged_exc, plain_exc), (staged_exc, plain_exc)
    else:
        if staged_exc is not None:
            raise staged_exc
        assert_close(result, expected)
    assert_same_output(staged_out, plain_out)


def test_corpus_size():
    assert len({c[0] for c in CASES}) >= 120
