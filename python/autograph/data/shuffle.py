"""`Dataset.shuffle` as a keyed permutation of positions, computed with integer ag ops.

Why a permutation function and not a shuffled buffer or a precomputed order:
* A staged `for x in ds.shuffle(...)` must reorder on every call of the traced function (each
  call is a new iteration), with no Python running between calls. So the order is computed in
  the graph from a key: the shuffle's seed mixed with an iteration counter held in an
  ag.Variable that each iteration reads and increments (a side effect of the graph, like an
  optimizer's step count). A permutation fixed at trace time would repeat every epoch.
* The runtime's random ops take their seed as a static attribute, and it has no sort, so the
  order cannot be "argsort of random keys". Instead position k maps to `permute(k)`, a
  swap-or-not shuffle (Hoang, Morris, Rogaway 2012): each round pairs x with K - x (mod n)
  and swaps the pair when a hash of the pair says so. Every round is its own inverse, so the
  map is a bijection of [0, n) for any n, computed element-wise: no loop, so the staged for
  loop stays ONE While, and a batch's positions are permuted as one vector.
* Outside a repeat the whole order is computed once per iteration, before the loop (one vector
  of n positions); under a repeat each pass has its own order, so positions are permuted per
  batch from the pass's epoch.
`buffer_size` is accepted as in tf.data, but the order is a uniform-looking permutation of the
whole dataset (what tf.data gives when buffer_size >= the dataset's size, the usual choice).
"""
import random as _pyrandom

from .. import _core
from .. import dtypes
from .. import ops
from ..variables import Variable, init_scope
from . import readers
from .readers import i64

ROUNDS = 16  # swap-or-not rounds; each is 9 element-wise ops on the positions
_MASK32 = 0xFFFFFFFF


def _mix(x):
    """A 32-bit integer hash (int64 tensors holding values in [0, 2**32); products stay below
    2**59, so no int64 overflow)."""
    x = x & _MASK32
    x = ((x ^ (x // 65536)) * 0x45D9F3B) & _MASK32
    x = ((x ^ (x // 65536)) * 0x45D9F3B) & _MASK32
    return x ^ (x // 65536)


def round_keys(key, e):
    """Per round (K mod-n offset seeds, hash keys) for iteration key `key` and epoch `e`."""
    base = _mix(i64(key) ^ _mix(i64(e) + 0x9E3779B9))
    return [(_mix(base + 2 * r + 1), _mix(base + 2 * r + 2)) for r in range(ROUNDS)]


def permute(k, n, keys):
    """Position k (int64, any shape) of a shuffled [0, n) -> its position in the input."""
    x = i64(k)
    for r, (offset, hkey) in enumerate(keys):
        # partner = (K - x) mod n with K = offset mod n in [0, n): one wrap, no division (the
        # runtime's int64 ops cost ~10 ns an element, and this runs n * ROUNDS times).
        d = offset % n - x
        partner = ops.where(d < 0, d + n, d)
        high = ops.maximum(x, partner)
        # The swap bit: the top bit of a multiplicative hash of the pair's key.
        v = ((high ^ hkey) * _MULTIPLIERS[r]) & _MASK32
        x = ops.where(v >= 0x80000000, partner, x)
    return x


# Odd 31-bit multipliers, one per round (fixed: the key is what varies).
_MULTIPLIERS = [(0x9E3779B1 * (2 * r + 1) + 0x7F4A7C15 * r) % 0x7FFFFFFF | 1
                for r in range(ROUNDS)]


class ShuffleReader(readers.Reader):
    def __init__(self, reader, key, repeated):
        n = reader.length
        if n is None:
            raise ValueError("shuffle() of an infinite dataset: apply repeat() after shuffle()")
        self.reader, self.key, self.vectorized = reader, key, reader.vectorized
        self.length = n
        self.n = readers.maximum(n, 1)
        self.order = None
        if not repeated:
            # Each iteration's order, once, before the loop (see the module docstring).
            self.order = permute(ops.range(i64(0), i64(n)), self.n, round_keys(key, 0))

    def _positions(self, k, e):
        if self.order is not None:
            return ops.gather(self.order, k) if k.shape else self.order[k]
        return permute(k, self.n, round_keys(self.key, e))

    def item(self, k, e):
        return self.reader.item(self._positions(i64(k), e), e)

    def rows(self, idx, e):
        return self.reader.rows(self._positions(i64(idx), e), e)


class IterationKeys:
    """The key of each iteration of one shuffled dataset: its seed mixed with the number of
    iterations begun so far (an ag.Variable, so staged loops count too)."""

    def __init__(self, seed, reshuffle_each_iteration):
        if seed is None:
            seed = _pyrandom.SystemRandom().getrandbits(31)
        self.seed = int(seed) & 0x7FFFFFFF
        self.counter = None
        if reshuffle_each_iteration:
            # Made outside any trace even when the dataset is built inside a staged function.
            with init_scope():
                self.counter = Variable(0, trainable=False, name="shuffle_iterations",
                                        dtype=dtypes.int64)

    def next_key(self):
        """This iteration's key; counts the iteration."""
        if self.counter is None:
            count = i64(0)
        elif _core.tracing():
            count = self.counter.read_value()
            self.counter.assign_add(i64(1))
        else:
            count = i64(int(self.counter.numpy()))
            self.counter.assign_add(i64(1))
        return _mix(i64(self.seed) * 0x10001 ^ _mix(count))
