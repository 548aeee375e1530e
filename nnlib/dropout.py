"""Dropout: randomly silence units while training (lesson 10, regularization).

Inverted dropout: in training mode each element is kept with probability 1 − p and the kept
ones are scaled by 1/(1 − p), so the expected output equals the input and evaluation mode can
simply be the identity, with no rescaling at test time.
"""

from __future__ import annotations

import numpy as np

from .module import Module, check_grad_out, missing_forward_error
from .random import resolve_rng

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each element with probability ``p`` in training mode; the identity in eval mode.

    Args:
        p: drop probability, 0 ≤ p < 1.
        rng: numpy Generator or int seed for the masks; None uses ``nnlib.manual_seed``'s.

    Shapes: forward x (any) -> same shape; backward grad_out (same) -> grad_x (same), using the
    mask of the last forward pass (so a gradient check must reuse one mask, see the tests).
    """

    def __init__(self, p: float = 0.5, rng=None):
        if not 0 <= p < 1:
            raise ValueError(f"Dropout: p must satisfy 0 <= p < 1, got {p}")
        self.p = float(p)
        self.rng = resolve_rng(rng)
        self._scale: np.ndarray | None = None  # mask / (1 − p), or None in eval mode
        self._shape: tuple | None = None

    def forward(self, x):
        x = np.asarray(x)
        self._shape = x.shape
        if not self.training or self.p == 0:
            self._scale = None
            return x
        dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
        keep = self.rng.random(x.shape, dtype=np.float32) >= self.p
        self._scale = keep * np.asarray(1 / (1 - self.p), dtype=dtype)
        return x * self._scale

    def backward(self, grad_out):
        if self._shape is None:
            raise missing_forward_error(self)
        grad_out = check_grad_out(self, grad_out, self._shape)
        return grad_out if self._scale is None else grad_out * self._scale

    def extra_repr(self):
        return f"p={self.p}"
