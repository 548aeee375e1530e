"""Adam: momentum and RMSprop combined, with their start-up bias corrected.

Lesson 9 (training MLPs: optimizers) uses it as the default optimizer for training MLPs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..module import Parameter
from .optimizer import Optimizer, flag, number

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as PyTorch's ``optim.Adam``.

    Update of a parameter p whose gradient is g, at its t-th step (element by element):

        g ← g + λ·p                          weight decay λ (L2, not AdamW's), if λ ≠ 0
        m ← β₁·m + (1 − β₁)·g                running mean of g    (m, v start at 0)
        v ← β₂·v + (1 − β₂)·g²               running mean of g²
        v ← max(v_max, v) =: v_max           only if amsgrad
        p ← p − lr · m̂ / (√v̂ + ε)           m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)

    m and v start at 0, so early on they are too small by the factors 1 − βᵗ; dividing by
    those factors (bias correction) makes the first step exactly lr·g/(|g| + ε) ≈ lr·sign(g).

    Inputs:
        params: iterable of Parameters, e.g. ``model.parameters()``.
        lr: learning rate, >= 0.   betas: (β₁, β₂), each in [0, 1).
        eps: ε >= 0.   weight_decay: λ >= 0.   amsgrad: bool.
    """

    buffer_names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq")

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
    ):
        super().__init__(
            params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad
        )

    def _checked_hyper_parameters(self, h: dict) -> dict:
        betas = h["betas"]
        if np.ndim(betas) != 1 or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (beta1, beta2), got {betas!r}")
        return {
            "lr": number("Adam", "lr", h["lr"]),
            "betas": tuple(
                number("Adam", f"betas[{i}]", beta, high=1.0, high_open=True)
                for i, beta in enumerate(betas)
            ),
            "eps": number("Adam", "eps", h["eps"]),
            "weight_decay": number("Adam", "weight_decay", h["weight_decay"]),
            "amsgrad": flag("Adam", "amsgrad", h["amsgrad"]),
        }

    def _update(self, g: np.ndarray, state: dict, step: int, out: np.ndarray) -> None:
        beta1, beta2 = self.betas
        m, v = state["exp_avg"], state["exp_avg_sq"]
        np.multiply(g, g, out=out)
        out *= 1 - beta2
        v *= beta2
        v += out  # β₂·v + (1 − β₂)·g²
        g *= 1 - beta1
        m *= beta1
        m += g  # β₁·m + (1 − β₁)·g
        if self.amsgrad:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        np.sqrt(v, out=out)
        out /= math.sqrt(1 - beta2**step)
        out += self.eps  # √v̂ + ε
        np.divide(m, out, out=out)
        out *= self.lr / (1 - beta1**step)  # lr · m̂ / (√v̂ + ε)
