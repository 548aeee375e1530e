"""Adagrad: a learning rate per parameter, shrinking with the gradients it has seen.

Lesson 9 (training MLPs: optimizers) compares its path on 2-D loss surfaces with SGD's.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..module import Parameter
from .optimizer import Optimizer, number

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011), as PyTorch's ``optim.Adagrad``.

    Update of a parameter p whose gradient is g, at its t-th step:

        g ← g + λ·p                           weight decay λ, if λ ≠ 0
        s ← s + g²                            sum of squared gradients, s starts at s₀
        p ← p − lr_t · g / (√s + ε)           with lr_t = lr / (1 + (t − 1)·η)

    (squares, roots and divisions element by element). A coordinate that has seen large
    gradients takes small steps and a rarely-moved one large steps, so a stretched bowl is
    descended as if it were round; but s only grows, so the steps shrink for ever.

    Inputs:
        params: iterable of Parameters, e.g. ``model.parameters()``.
        lr: learning rate, >= 0.   lr_decay: η >= 0.   weight_decay: λ >= 0.
        initial_accumulator_value: s₀ >= 0.   eps: ε >= 0, keeps the division finite.
    """

    buffer_names = ("sum",)

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
    ):
        super().__init__(
            params,
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )

    def _checked_hyper_parameters(self, h: dict) -> dict:
        return {name: number("Adagrad", name, value) for name, value in h.items()}

    def _initial_value(self, name: str) -> float:
        return self.initial_accumulator_value

    def _update(self, g: np.ndarray, state: dict, step: int, out: np.ndarray) -> None:
        s = state["sum"]
        np.multiply(g, g, out=out)
        s += out  # s + g²
        np.sqrt(s, out=out)
        out += self.eps  # √s + ε
        np.divide(g, out, out=out)
        out *= self.lr / (1 + (step - 1) * self.lr_decay)  # lr_t · g / (√s + ε)
