"""Stochastic gradient descent, with momentum and Nesterov momentum.

Lesson 9 (training MLPs: optimizers) follows its path, and momentum's, on 2-D loss surfaces;
lesson 10 (regularization) uses its weight decay.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..module import Parameter
from .optimizer import Optimizer, flag, number

__all__ = ["SGD"]


class SGD(Optimizer):
    """Gradient descent: take a step of size lr against the gradient (PyTorch's ``optim.SGD``).

    Update of a parameter p whose gradient is g, at its t-th step:

        g ← g + λ·p                     weight decay λ (an L2 penalty λ/2·|p|²), if λ ≠ 0
        p ← p − lr·g                    if momentum μ = 0; otherwise, with a buffer b:
        b ← g                           at t = 1
        b ← μ·b + (1 − τ)·g             at t > 1 (dampening τ)
        d ← g + μ·b  if nesterov, else  d ← b
        p ← p − lr·d

    The buffer b is a running sum of past gradients: in a long narrow valley, the components
    that flip sign from step to step cancel out and the ones along the valley floor add up.
    Nesterov's variant steps along the gradient plus the velocity it is about to add.

    Inputs:
        params: iterable of Parameters, e.g. ``model.parameters()``.
        lr: learning rate, >= 0 (no default, as the right one depends on the problem).
        momentum: μ >= 0.   dampening: τ >= 0.   weight_decay: λ >= 0.
        nesterov: bool; needs momentum > 0 and dampening = 0.
    """

    buffer_names = ("momentum_buffer",)

    def __init__(
        self,
        params: Iterable[Parameter],
        lr: float,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
    ):
        super().__init__(
            params,
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
        )

    def _checked_hyper_parameters(self, h: dict) -> dict:
        checked = {
            "lr": number("SGD", "lr", h["lr"]),
            "momentum": number("SGD", "momentum", h["momentum"]),
            "dampening": number("SGD", "dampening", h["dampening"]),
            "weight_decay": number("SGD", "weight_decay", h["weight_decay"]),
            "nesterov": flag("SGD", "nesterov", h["nesterov"]),
        }
        if checked["nesterov"] and (checked["momentum"] == 0 or checked["dampening"] != 0):
            raise ValueError(
                "SGD: nesterov=True needs momentum > 0 and dampening = 0, got "
                f"momentum={checked['momentum']!r}, dampening={checked['dampening']!r}"
            )
        return checked

    def _update(self, g: np.ndarray, state: dict, step: int, out: np.ndarray) -> None:
        lr, mu = self.lr, self.momentum
        if mu == 0:
            np.multiply(g, lr, out=out)  # lr·g
            return
        b = state["momentum_buffer"]
        if step == 1:
            np.copyto(b, g)  # PyTorch starts the buffer at g itself, not at (1 − τ)·g
        else:
            b *= mu  # μ·b
            if self.dampening == 0:
                b += g  # + g
            else:
                np.multiply(g, 1 - self.dampening, out=out)
                b += out  # + (1 − τ)·g
        if self.nesterov:
            np.multiply(b, mu, out=out)
            out += g
            out *= lr  # lr·(g + μ·b)
        else:
            np.multiply(b, lr, out=out)  # lr·b
