"""Loss functions: how wrong a prediction is, and which way to change it (lesson 5).

Each loss is called like a PyTorch loss, ``value = loss_fn(pred, target)``, and returns a
Python float; ``loss_fn.backward()`` then returns dL/d(pred), the array that starts
backpropagation through the network (``model.backward(loss_fn.backward())``).

Conventions, stated once: ``reduction="mean"`` (the default) averages over the N examples
(and, for MSE and BCE, over every output element, as PyTorch), so the gradient carries a 1/N;
``reduction="sum"`` adds them up instead.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, check_finite
from .functional import log_softmax
from .module import Module, missing_forward_error

__all__ = ["BCEWithLogitsLoss", "CrossEntropyLoss", "HingeLoss", "Loss", "MSELoss"]

_REDUCTIONS = ("mean", "sum")


class Loss(Module):
    """Base class: ``__call__(pred, target)`` returns the loss, ``backward()`` dL/d(pred)."""

    def __init__(self, reduction: str = "mean"):
        if reduction not in _REDUCTIONS:
            raise ValueError(f"reduction must be one of {_REDUCTIONS}, got {reduction!r}")
        self.reduction = reduction
        self._grad: np.ndarray | None = None

    def __call__(self, pred, target) -> float:
        return self.forward(pred, target)

    def forward(self, pred, target) -> float:
        raise NotImplementedError

    def backward(self, grad_out: float = 1.0) -> np.ndarray:
        """dL/d(pred), same shape and dtype as ``pred``; ``grad_out`` scales it (dL_total/dL)."""
        if self._grad is None:
            raise missing_forward_error(self)
        return self._grad if grad_out == 1.0 else self._grad * self._grad.dtype.type(grad_out)

    def _pred(self, pred) -> np.ndarray:
        if not isinstance(pred, np.ndarray) or pred.dtype.kind != "f":
            pred = as_float_array(pred, np.float64, f"{type(self).__name__}: pred")
        check_finite(pred, f"{type(self).__name__}: pred")
        return pred

    def _same_shape_target(self, pred, target, check=True) -> np.ndarray:
        """``target`` as an array like ``pred``; its values checked finite unless ``check=False``
        (for losses whose own range check on the target already rejects NaN and inf)."""
        where = f"{type(self).__name__}: target"
        target = as_float_array(target, pred.dtype, where)
        if target.shape != pred.shape:
            hint = ""
            if pred.ndim == 2 and pred.shape[1] == 1 and target.shape == pred.shape[:1]:
                hint = " (use target.reshape(-1, 1) to match a single-output network)"
            raise ValueError(
                f"{type(self).__name__}: pred has shape {pred.shape} but target has shape "
                f"{target.shape}; they must be equal{hint}"
            )
        if check:
            check_finite(target, where)
        return target

    def _reduce_scale(self, count: int, dtype) -> np.floating:
        """The factor the per-element gradient gets: 1/count for "mean", 1 for "sum"."""
        return dtype.type(1 / count if self.reduction == "mean" else 1)

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(Loss):
    """Squared error: mean over all elements of (pred − target)², as PyTorch.

    Lecture notes write ½(y − t)² so that the derivative is simply y − t; ``half=True`` uses
    that convention. With N examples and the default ``reduction="mean"``:

        L = (1/n) Σ (y − t)²        dL/dy = (2/n)(y − t)      n = number of elements
        L = (1/n) Σ ½(y − t)²       dL/dy = (1/n)(y − t)      (half=True)

    Shapes: pred (N, ...) and target of the same shape -> float.
    """

    def __init__(self, reduction: str = "mean", half: bool = False):
        super().__init__(reduction)
        self.half = bool(half)

    def forward(self, pred, target) -> float:
        pred = self._pred(pred)
        target = self._same_shape_target(pred, target)
        diff = pred - target
        factor = 0.5 if self.half else 1.0
        scale = self._reduce_scale(diff.size, pred.dtype)
        self._grad = diff * (scale * pred.dtype.type(2 * factor))
        return float(factor * np.vdot(diff, diff) * scale)

    def extra_repr(self) -> str:
        parts = [super().extra_repr(), "half=True" if self.half else ""]
        return ", ".join(p for p in parts if p)


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on logits z (a sigmoid output unit fused with its loss).

    L = −[t log σ(z) + (1 − t) log(1 − σ(z))] = log(1 + eᶻ) − t·z, and NumPy's logaddexp
    computes log(1 + eᶻ) = logaddexp(0, z) without overflow. dL/dz = σ(z) − t: the log undoes
    the exp, so the gradient does not vanish when the unit is confidently wrong (no saturation).

    Shapes: logits (N, ...) and targets in [0, 1] of the same shape -> float.
    """

    def forward(self, pred, target) -> float:
        z = self._pred(pred)
        t = self._same_shape_target(z, target, check=False)
        if t.size and not (t.min() >= 0 and t.max() <= 1):  # False for NaN too
            check_finite(t, "BCEWithLogitsLoss: target")
            raise ValueError(
                f"BCEWithLogitsLoss: targets must lie in [0, 1], got values from {t.min()} to "
                f"{t.max()} (labels ±1? use (y + 1) / 2)"
            )
        softplus = np.logaddexp(0, z)  # log(1 + eᶻ) = −log(1 − σ(z)), stable for any z
        scale = self._reduce_scale(z.size, z.dtype)
        # −t·log σ(z) − (1 − t)·log(1 − σ(z)) = log(1 + eᶻ) − t·z
        # (per element, so that large terms cancel before they are summed)
        loss = (softplus - t * z).sum()
        grad = np.exp(z - softplus)  # σ(z) = eᶻ / (1 + eᶻ), reusing log(1 + eᶻ)
        grad -= t
        grad *= scale
        self._grad = grad
        return float(loss * scale)


class CrossEntropyLoss(Loss):
    """Softmax followed by negative log-likelihood, fused and computed with log-sum-exp.

    L = −(1/N) Σₙ log softmax(zₙ)[tₙ]        dL/dz = (softmax(z) − onehot(t)) / N

    Args:
        reduction: "mean" (default) or "sum" over the N examples.

    Shapes: logits (N, C); target (N,) integer class labels in 0..C−1, or (N, C) class
    probabilities (each row sums to 1) -> float.
    """

    def forward(self, pred, target) -> float:
        z = self._pred(pred)
        if z.ndim != 2:
            raise ValueError(
                f"CrossEntropyLoss: logits must have shape (N, C), got shape {z.shape}"
                + (" (for one example use logits[None, :])" if z.ndim == 1 else "")
            )
        n, c = z.shape
        log_p = log_softmax(z)
        scale = self._reduce_scale(n, z.dtype)
        target = np.asarray(target)
        if target.shape == z.shape and target.dtype.kind == "f":
            probs = self._same_shape_target(z, target)
            loss = -(probs * log_p).sum()
            grad = np.exp(log_p) - probs
        else:
            labels = self._labels(target, n, c)
            rows = np.arange(n)
            loss = -log_p[rows, labels].sum()
            grad = np.exp(log_p)
            grad[rows, labels] -= 1
        grad *= scale
        self._grad = grad
        return float(loss * scale)

    @staticmethod
    def _labels(target: np.ndarray, n: int, c: int) -> np.ndarray:
        if target.dtype.kind not in "iu":
            kind = "floats" if target.dtype.kind == "f" else f"dtype {target.dtype}"
            raise TypeError(
                f"CrossEntropyLoss: class labels must be integers 0..{c - 1}, got {kind} of "
                f"shape {target.shape} (use y.astype(int), or pass probabilities of shape "
                f"({n}, {c}))"
            )
        if target.shape != (n,):
            raise ValueError(
                f"CrossEntropyLoss: expected {n} labels of shape ({n},) for logits of shape "
                f"({n}, {c}), got labels of shape {target.shape}"
            )
        if n and (target.min() < 0 or target.max() >= c):
            bad = target[(target < 0) | (target >= c)][0]
            raise ValueError(
                f"CrossEntropyLoss: label {bad} is out of range for {c} classes (0..{c - 1})"
            )
        return target


class HingeLoss(Loss):
    """Hinge loss of a margin classifier: max(0, 1 − y z), labels y ∈ {−1, +1}.

    Zero once an example is on the right side with margin 1; dL/dz = −y where 1 − y z > 0,
    else 0 (the 6.867 example of lesson 7).

    Shapes: scores (N,) or (N, 1), and labels ±1 of the same shape -> float.
    """

    def forward(self, pred, target) -> float:
        z = self._pred(pred)
        y = self._same_shape_target(z, target, check=False)
        if y.size and not np.all(np.abs(y) == 1):  # False for NaN and inf too
            raise ValueError(
                "HingeLoss: labels must be -1 or +1, got values "
                f"{np.unique(y)[:5].tolist()} (labels 0/1? use 2 * y - 1)"
            )
        margin = 1 - y * z
        active = margin > 0
        scale = self._reduce_scale(z.size, z.dtype)
        self._grad = np.where(active, -y, 0) * scale
        return float(np.where(active, margin, 0).sum() * scale)
