"""`ag.data`: input pipelines named as in tf.data (SPEC §7)."""
from .dataset import INFINITE, UNKNOWN, Dataset

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN
AUTOTUNE = -1  # accepted by prefetch/map like tf.data.AUTOTUNE

__all__ = ["AUTOTUNE", "Dataset", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY"]
