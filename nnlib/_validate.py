"""Input checks shared by layers and losses: clear errors that name the problem and the shapes.

They sit on the training hot path, so the common case (valid input) costs one or two cheap
NumPy calls, and error messages are only put together when there is an error. ``where``
names the caller in messages, e.g. ``"Linear(2 -> 3).forward"``; it may be a string or a
function returning one, so that callers need not format it on every call.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["as_float_array", "check_finite"]


def as_float_array(x, dtype: np.dtype, where, ndim: int | None = None) -> np.ndarray:
    """``x`` as an ndarray of ``dtype`` (no copy when it already is one), with ``ndim`` checked."""
    if not isinstance(x, np.ndarray) or x.dtype != dtype:
        try:
            x = np.asarray(x, dtype=dtype)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{_text(where)}: expected an array of numbers, got {type(x).__name__}"
            ) from exc
    if ndim is not None and x.ndim != ndim:
        raise ValueError(
            f"{_text(where)}: expected a {ndim}-D array, got {x.ndim}-D of shape {x.shape}"
        )
    return x


def check_finite(x: np.ndarray, where) -> None:
    """Raise ValueError if ``x`` holds NaN or ±inf, saying how many and where the first is.

    The quick test is one BLAS dot product, Σ x²: NaN and ±inf make it NaN or inf. Only if it
    is not finite are the elements examined: values beyond about 1e19 (float32) also overflow
    it, and NumPy then warns, as the layer's own matrix product would on such values.
    """
    flat = x.ravel(order="K")  # a view for any contiguous array
    if math.isfinite(np.dot(flat, flat)):
        return
    finite = np.isfinite(x)
    if finite.all():
        return  # the sum of squares overflowed; every element is fine
    bad = ~finite
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    raise ValueError(
        f"{_text(where)}: input of shape {x.shape} contains {int(bad.sum())} NaN/inf value(s), "
        f"the first at index {first} ({x[first]}); check the data or lower the learning rate"
    )


def _text(where) -> str:
    return where() if callable(where) else str(where)
