"""Softmax and log-softmax over the class axis (lesson 5, softmax regression).

Both subtract each row's maximum first: softmax is unchanged by adding a constant to every
logit, and after the shift the largest exponent is e⁰ = 1, so nothing overflows.
"""

from __future__ import annotations

import numpy as np

__all__ = ["log_softmax", "softmax"]


def softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(z)ₖ = e^{zₖ} / Σⱼ e^{zⱼ} along ``axis``.

    Shapes: z (N, C) -> probabilities (N, C), each row summing to 1 (any shape works).
    """
    z = np.asarray(z)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


def log_softmax(z: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax(z)ₖ = zₖ − log Σⱼ e^{zⱼ}, via the log-sum-exp trick.

    Shapes: z (N, C) -> log-probabilities (N, C). Exact where softmax would round to 0.
    """
    z = np.asarray(z)
    shifted = z - z.max(axis=axis, keepdims=True)
    shifted -= np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return shifted
