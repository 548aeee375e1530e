"""Preparing inputs and targets for a network: standardized features and one-hot labels.

Lesson 9 (training) standardizes inputs, because gradient descent converges much faster when
every feature has a similar scale (the loss surface is then closer to round than to a long
narrow valley); lesson 5 (losses) turns class labels into one-hot rows for the MSE loss.

The mean and standard deviation are learned from the *training* set only and then applied
unchanged to validation and test data: computing them on all the data would leak information
about the test set into training.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Standardizer", "one_hot", "standardize"]


class Standardizer:
    """Rescale each feature (column) to mean 0 and standard deviation 1: z = (x − μ) / σ.

    ``fit(x_train)`` learns μ and σ of shape (D,) from x of shape (N, D) (or (N, ...): one
    statistic per feature, over axis 0); ``transform(x)`` applies them to any x of the same
    feature shape and ``inverse_transform(z)`` undoes it, e.g. to read predictions in the
    original units. A feature that never varies (σ = 0, as the border pixels of the digits)
    is only centred, not divided by zero.

    Attributes:
        mean: μ, float64 array of shape x.shape[1:], or None before ``fit``.
        std: σ with zeros replaced by 1, same shape, or None before ``fit``.
    """

    def __init__(self):
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None

    def fit(self, x) -> Standardizer:
        x = _features(x, "Standardizer.fit")
        if len(x) == 0:
            raise ValueError(f"Standardizer.fit: need at least one example, got shape {x.shape}")
        # statistics in float64: a float32 sum of 60 000 values loses digits
        self.mean = x.mean(axis=0, dtype=np.float64)
        std = x.std(axis=0, dtype=np.float64)
        self.std = np.where(std > 0, std, 1.0)
        return self

    def transform(self, x) -> np.ndarray:
        """(x − μ) / σ, same shape and dtype as ``x``."""
        x = self._checked(x, "transform")
        return ((x - self.mean) / self.std).astype(x.dtype, copy=False)

    def inverse_transform(self, z) -> np.ndarray:
        """z·σ + μ, same shape and dtype as ``z``."""
        z = self._checked(z, "inverse_transform")
        return (z * self.std + self.mean).astype(z.dtype, copy=False)

    def fit_transform(self, x) -> np.ndarray:
        return self.fit(x).transform(x)

    def _checked(self, x, method: str) -> np.ndarray:
        if self.mean is None:
            raise RuntimeError(f"Standardizer.{method}: call fit(x_train) first")
        x = _features(x, f"Standardizer.{method}")
        if x.shape[1:] != self.mean.shape:
            raise ValueError(
                f"Standardizer.{method}: x of shape {x.shape} has features of shape "
                f"{x.shape[1:]}, but the Standardizer was fitted on features of shape "
                f"{self.mean.shape}"
            )
        return x

    def __repr__(self) -> str:
        fitted = "not fitted" if self.mean is None else f"features {self.mean.shape}"
        return f"Standardizer({fitted})"


def standardize(x_train, *others):
    """Fit a Standardizer on ``x_train``; return it applied to ``x_train`` and to ``others``.

        >>> x_train, x_test, scaler = standardize(x_train, x_test)

    Args:
        x_train: float array (N, D), the data whose statistics are used.
        *others: more arrays (M, D) to transform with the same statistics (validation, test).

    Returns:
        The transformed x_train, the transformed others in order, and the fitted Standardizer
        last (its ``transform`` handles data that comes later).
    """
    scaler = Standardizer().fit(x_train)
    return (scaler.transform(x_train), *(scaler.transform(x) for x in others), scaler)


def one_hot(y, num_classes: int | None = None, dtype=np.float32) -> np.ndarray:
    """Rows of the identity matrix picked by the labels: label c becomes e_c.

    Args:
        y: integer class labels in 0..K-1, shape (N,).
        num_classes: K; None takes max(y) + 1.

    Returns:
        Array (N, K) of ``dtype`` with a single 1 in each row.
    """
    y = np.asarray(y)
    if y.ndim != 1 or not (np.issubdtype(y.dtype, np.integer) or y.size == 0):
        raise ValueError(
            f"one_hot: y must be 1-D integer class labels, got dtype {y.dtype} and shape "
            f"{y.shape}" + (" (already one-hot?)" if y.ndim == 2 else "")
        )
    k = int(y.max(initial=-1)) + 1 if num_classes is None else num_classes
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"one_hot: num_classes must be a positive integer, got {num_classes!r}")
    if y.size and (y.min() < 0 or y.max() >= k):
        bad = y[(y < 0) | (y >= k)][0]
        raise ValueError(f"one_hot: label {bad} is out of range for {k} classes (0..{k - 1})")
    # Indexing the identity matrix: row y[i] of I is the one-hot vector of y[i].
    return np.eye(k, dtype=dtype)[y]


def _features(x, where: str) -> np.ndarray:
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"{where}: x must hold floating-point numbers, got dtype {x.dtype} "
            f"(convert with x.astype(np.float32))"
        )
    if x.ndim == 0:
        raise ValueError(f"{where}: x must have shape (N, ...), got a scalar")
    return x
