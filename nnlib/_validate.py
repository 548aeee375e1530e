"""Input checks shared by layers and losses: clear errors that name the problem and the shapes.

They sit on the training hot path, so each is a handful of cheap NumPy calls.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_float_array", "check_finite"]


def as_float_array(x, dtype: np.dtype, where: str, ndim: int | None = None) -> np.ndarray:
    """``x`` as an ndarray of ``dtype`` (no copy when it already is one), with ``ndim`` checked.

    ``where`` names the caller in error messages, e.g. ``"Linear(2 -> 3).forward"``.
    """
    if not isinstance(x, np.ndarray) or x.dtype != dtype:
        try:
            x = np.asarray(x, dtype=dtype)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{where}: expected an array of numbers, got {type(x).__name__}"
            ) from exc
    if ndim is not None and x.ndim != ndim:
        raise ValueError(f"{where}: expected a {ndim}-D array, got {x.ndim}-D of shape {x.shape}")
    return x


def check_finite(x: np.ndarray, where: str) -> None:
    """Raise ValueError if ``x`` holds NaN or ±inf, saying how many and where the first is.

    A single sum is the cheap test: it is finite whenever every element is (barring overflow
    of the sum itself, which the exact test below then clears).
    """
    if np.isfinite(np.add.reduce(x, axis=None)):
        return
    bad = ~np.isfinite(x)
    if not bad.any():
        return  # the sum overflowed, the entries are fine
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    raise ValueError(
        f"{where}: input of shape {x.shape} contains {int(bad.sum())} NaN/inf value(s), "
        f"the first at index {first} ({x[first]}); check the data or lower the learning rate"
    )
