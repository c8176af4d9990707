"""A Dataset as the sequence a staged `for` loop walks.

`for x, y in ds` inside `ag.function` reaches `ag__.for_stmt` (operators/control_flow.py),
which asks `staged_sequence(ds)` for a StagedSequence: this one. Its reader is made where the
loop statement is, before the While, so per-iteration work (a shuffle's order, a filter's kept
positions, the shuffle counter's read and increment) happens once per run of the graph, not
once per element.
"""
from .. import dtypes
from ..operators.control_flow import StagedSequence


class DatasetSequence(StagedSequence):
    index_dtype = dtypes.int64

    def __init__(self, dataset):
        self.reader = dataset._reader(False)

    def length(self):
        return self.reader.length  # None: infinite (the loop ends by break/return only)

    def item(self, k):
        return self.reader.item(k, 0)
