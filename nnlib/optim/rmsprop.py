"""RMSprop: divide each gradient by a running average of its recent magnitude.

Lesson 9 (training MLPs: optimizers) compares its path on 2-D loss surfaces with Adagrad's.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..module import Parameter
from .optimizer import Optimizer, flag, number

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture notes, 2012), as PyTorch's ``optim.RMSprop``.

    Update of a parameter p whose gradient is g (element by element):

        g ← g + λ·p                          weight decay λ, if λ ≠ 0
        v ← α·v + (1 − α)·g²                 running mean of g², v starts at 0
        if centered:  m ← α·m + (1 − α)·g,   v̂ = v − m²   (the running variance of g)
        else:         v̂ = v
        if momentum μ > 0:  b ← μ·b + g / (√v̂ + ε),   p ← p − lr·b
        else:               p ← p − lr · g / (√v̂ + ε)

    Adagrad's sum of g² made into a forgetting average: the steps no longer shrink for ever.
    One deliberate difference from PyTorch: with centered=True, v̂ is clipped at 0, because
    rounding can push v − m² slightly below 0, where √ would give NaN.

    Inputs:
        params: iterable of Parameters, e.g. ``model.parameters()``.
        lr: learning rate, >= 0.   alpha: α in [0, 1], the smoothing constant.
        eps: ε >= 0.   weight_decay: λ >= 0.   momentum: μ >= 0.   centered: bool.
    """

    buffer_names = ("square_avg", "momentum_buffer", "grad_avg")

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
    ):
        super().__init__(
            params,
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
        )

    def _checked_hyper_parameters(self, h: dict) -> dict:
        return {
            "lr": number("RMSprop", "lr", h["lr"]),
            "alpha": number("RMSprop", "alpha", h["alpha"], high=1.0),
            "eps": number("RMSprop", "eps", h["eps"]),
            "weight_decay": number("RMSprop", "weight_decay", h["weight_decay"]),
            "momentum": number("RMSprop", "momentum", h["momentum"]),
            "centered": flag("RMSprop", "centered", h["centered"]),
        }

    def _update(self, g: np.ndarray, state: dict, step: int, out: np.ndarray) -> None:
        alpha, v = self.alpha, state["square_avg"]
        np.multiply(g, g, out=out)
        out *= 1 - alpha
        v *= alpha
        v += out  # α·v + (1 − α)·g²
        if self.centered:
            m = state["grad_avg"]
            np.multiply(g, 1 - alpha, out=out)
            m *= alpha
            m += out  # α·m + (1 − α)·g
            np.multiply(m, m, out=out)
            np.subtract(v, out, out=out)  # v − m²
            np.maximum(out, 0, out=out)
            np.sqrt(out, out=out)
        else:
            np.sqrt(v, out=out)
        out += self.eps  # √v̂ + ε
        np.divide(g, out, out=out)  # g / (√v̂ + ε)
        if self.momentum > 0:
            b = state["momentum_buffer"]
            b *= self.momentum
            b += out  # μ·b + g / (√v̂ + ε)
            np.multiply(b, self.lr, out=out)
        else:
            out *= self.lr
