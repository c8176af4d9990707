"""Random programs (program_fuzz.py) run as plain Python and staged: the same result or error.

200 fixed seeds of int programs and 100 of float programs (--floats), four argument pairs each
(a few seconds). Run program_fuzz.py itself to try thousands more; reduce what it finds and add
it to corpus_fuzz_found.py.
"""
import pytest

from program_fuzz import ARGS, FLOAT_ARGS, by_value, compare

SEEDS = range(200)
FLOAT_SEEDS = range(100)


@pytest.mark.parametrize("first", range(0, len(SEEDS), 50))
def test_random_programs_staged_match_python(first, tmp_path):
    failures = [report for seed in SEEDS[first:first + 50]
                if (report := compare(seed, str(tmp_path), ARGS))]
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("first", range(0, len(FLOAT_SEEDS), 50))
def test_random_float_programs_staged_match_python(first, tmp_path):
    failures = [report for seed in FLOAT_SEEDS[first:first + 50]
                if (report := compare(seed, str(tmp_path), FLOAT_ARGS, floats=True))]
    assert not failures, "\n\n".join(failures)


def test_float_mode_reads_printed_numbers_by_value():
    assert by_value("at 56 9967 3.5\n") == by_value("at 56 9967.0 3.5\n")
    assert by_value("at 1 -2 0.125") == "at 1.0 -2.0 0.125"
    assert by_value("at 56 9967 3.5") != by_value("at 56 9967.5 3.5")


def test_the_fuzzer_sees_a_difference(tmp_path, monkeypatch):
    """The comparison itself can fail: a program whose staged run is made to differ."""
    import program_fuzz

    monkeypatch.setattr(program_fuzz, "make_program",
                        lambda seed, floats=False: "def f(a, b):\n    return (a, b, 0)\n")
    real_outcome = program_fuzz.outcome
    calls = []

    def outcome(call):
        calls.append(1)
        value, error, printed = real_outcome(call)
        # Every second call is the staged run: pretend it returned something else.
        if len(calls) % 2 == 0:
            value = (value[0] + 1,) + value[1:]
        return value, error, printed

    monkeypatch.setattr(program_fuzz, "outcome", outcome)
    report = program_fuzz.compare(0, str(tmp_path), ((1, 2),))
    assert report is not None and "f(1, 2)" in report
