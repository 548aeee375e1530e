"""Gradient clipping: shrink all the gradients together when their total norm is too large.

Lesson 9 (training MLPs: optimizers) uses it against exploding gradients.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..module import Parameter
from .optimizer import flag, number, parameter_list

__all__ = ["clip_grad_norm_"]


def clip_grad_norm_(
    params: Iterable[Parameter] | Parameter,
    max_norm: float,
    error_if_nonfinite: bool = False,
) -> float:
    """Scale the gradients in place so that their joint L2 norm is at most ``max_norm``.

    As PyTorch's ``nn.utils.clip_grad_norm_``: with all the gradients seen as one long vector
    g, of norm ‖g‖ = √(Σ ‖p.grad‖²), every gradient is multiplied by

        c = max_norm / (‖g‖ + 10⁻⁶)     when c < 1, and left untouched otherwise.

    The direction of the step is kept; only its length is capped, so one huge gradient (on a
    cliff of the loss surface) cannot throw the parameters far away.

    Inputs:
        params: iterable of Parameters (or a single one); those whose grad is None are skipped.
        max_norm: the largest allowed norm, >= 0.
        error_if_nonfinite: raise a ValueError if the norm is NaN or infinite, rather than
            scaling by it (which turns the gradients into NaN and zeros).
    Returns:
        The total norm ‖g‖ before clipping, a Python float (0.0 if there are no gradients).
    """
    if isinstance(params, Parameter):
        params = [params]
    params = parameter_list(params, "clip_grad_norm_", allow_empty=True)
    max_norm = number("clip_grad_norm_", "max_norm", max_norm)
    error_if_nonfinite = flag("clip_grad_norm_", "error_if_nonfinite", error_if_nonfinite)
    grads = [p.grad for p in params if p.grad is not None]
    total = math.sqrt(sum(_squared_norm(g) for g in grads))
    if error_if_nonfinite and not math.isfinite(total):
        raise ValueError(
            f"clip_grad_norm_: the total gradient norm is {total}; some gradient holds NaN or "
            "inf (lower the learning rate, or pass error_if_nonfinite=False)"
        )
    scale = max_norm / (total + 1e-6)
    if scale < 1:
        with np.errstate(invalid="ignore"):  # inf·0 = NaN is the documented outcome
            for g in grads:
                g *= scale
    return total


def _squared_norm(g: np.ndarray) -> float:
    """Σ g², summed in float64: a float32 gradient of norm 1e20 would overflow float32's Σ g²."""
    flat = g.astype(np.float64, copy=False).ravel()
    return float(np.dot(flat, flat))
