"""`ag.keras.utils`: set_random_seed (weights of new layers, Dropout masks, fit's shuffling)."""
from .layers import set_random_seed  # noqa: F401 - re-export
