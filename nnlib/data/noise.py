"""Noise on purpose: Gaussian noise on inputs or targets, and flipped class labels.

Lesson 10 (regularization) trains on noisy copies of the data: noise on the inputs is a cheap
regularizer (for a linear model it acts like weight decay), and noise on the targets or flipped
labels shows a network memorising what cannot be learned. The toy generators use both too.
"""

from __future__ import annotations

import numpy as np

from ..random import resolve_rng
from ._checks import check_fraction, check_std

__all__ = ["add_noise", "flip_labels"]


def add_noise(x, std: float, rng=None, clip: tuple[float, float] | None = None) -> np.ndarray:
    """A copy of ``x`` plus independent Gaussian noise of standard deviation ``std``.

    Args:
        x: float array of any shape, inputs (N, D) or targets (N, K), for example.
        std: standard deviation σ of the noise, >= 0 (0 returns a plain copy).
        rng: numpy Generator or int seed; None uses ``nnlib.manual_seed``'s generator.
        clip: optional (low, high) to clip the result to, e.g. (0, 1) for pixel values.

    Returns:
        Array of the same shape and dtype as ``x`` (float32 stays float32).
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(
            f"add_noise: x must hold floating-point numbers, got dtype {x.dtype} "
            f"(convert with x.astype(np.float32))"
        )
    std = check_std(std, "std", "add_noise")
    noisy = x.copy()
    if std > 0:
        # Drawn in float64 and rounded once, so float32 data gets float32 noise of the same law.
        noisy += (std * resolve_rng(rng).standard_normal(x.shape)).astype(x.dtype)
    if clip is not None:
        low, high = clip
        if not low <= high:
            raise ValueError(f"add_noise: clip must be (low, high) with low <= high, got {clip}")
        np.clip(noisy, low, high, out=noisy)
    return noisy


def flip_labels(y, fraction: float, num_classes: int | None = None, rng=None) -> np.ndarray:
    """A copy of the integer labels ``y`` with exactly round(fraction·N) of them changed.

    Each chosen label is replaced by one of the *other* classes, uniformly, so that the
    fraction of wrong labels is exactly what was asked (a random relabel would keep 1/K of
    them unchanged).

    Args:
        y: integer class labels in 0..K-1, shape (N,).
        fraction: share of labels to flip, in [0, 1].
        num_classes: K; None takes max(y) + 1 (at least 2).
        rng: numpy Generator or int seed; None uses ``nnlib.manual_seed``'s generator.

    Returns:
        int64 array of shape (N,).
    """
    y = np.asarray(y)
    if y.ndim != 1 or not (np.issubdtype(y.dtype, np.integer) or y.size == 0):
        raise ValueError(
            f"flip_labels: y must be 1-D integer class labels, got dtype {y.dtype} "
            f"and shape {y.shape}"
        )
    fraction = check_fraction(fraction, "fraction", "flip_labels")
    k = max(int(y.max(initial=0)) + 1, 2) if num_classes is None else int(num_classes)
    if k < 2 or (y.size and (y.min() < 0 or y.max() >= k)):
        raise ValueError(
            f"flip_labels: labels must lie in 0..{k - 1} with at least 2 classes, got values "
            f"from {y.min(initial=0)} to {y.max(initial=0)} and num_classes={num_classes}"
        )
    rng = resolve_rng(rng)
    flipped = y.astype(np.int64)  # a copy: the caller's labels stay as they were
    count = round(fraction * y.size)
    chosen = rng.choice(y.size, size=count, replace=False)
    # Adding 1..K-1 modulo K always lands on a different class, each equally likely.
    flipped[chosen] = (flipped[chosen] + rng.integers(1, k, size=count)) % k
    return flipped
