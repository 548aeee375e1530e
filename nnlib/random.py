"""One seedable source of randomness for the whole library, like ``torch.manual_seed``.

Weight initialisation and dropout draw from ``default_rng()`` unless given their own
``numpy.random.Generator``; calling ``manual_seed(0)`` at the top of a lesson therefore makes
every run of it identical.
"""

from __future__ import annotations

import numpy as np

__all__ = ["default_rng", "manual_seed", "resolve_rng"]

_generator = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the library-wide generator and return it."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def default_rng() -> np.random.Generator:
    """The library-wide generator (reseeded by ``manual_seed``)."""
    return _generator


def resolve_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    """A Generator from a Generator, a seed, or None (the library-wide generator)."""
    if rng is None:
        return _generator
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy Generator, an int seed or None, not {type(rng).__name__}")
