"""Classification metrics as plain NumPy functions (lessons 9 and 10).

They live apart from ``nnlib.viz`` so that computing a confusion matrix never needs matplotlib:
a training loop or a test can call them, and ``nnlib.viz.plot_confusion_matrix`` draws the
result.
"""

from __future__ import annotations

import numpy as np

__all__ = ["confusion_matrix"]


def confusion_matrix(y_true, y_pred, num_classes: int | None = None) -> np.ndarray:
    """Count how often each true class was predicted as each class.

    Inputs:
        y_true: (N,) integer class labels in 0..C-1.
        y_pred: (N,) integer predicted labels in 0..C-1 (take ``scores.argmax(axis=1)`` first
            if you have scores or probabilities of shape (N, C)).
        num_classes: C; by default 1 + the largest label seen, so pass it when a class may be
            missing from both arrays.

    Returns:
        counts: (C, C) int64 array; ``counts[i, j]`` is the number of examples of true class i
            predicted as class j. Rows are true classes, so the diagonal holds the correct
            predictions and ``counts.sum(axis=1)`` the size of each class.
    """
    y_true = _labels(y_true, "y_true")
    y_pred = _labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"confusion_matrix: y_true has shape {y_true.shape} but y_pred has shape "
            f"{y_pred.shape}; they need one label per example each"
        )
    largest = int(max(y_true.max(initial=-1), y_pred.max(initial=-1)))
    if num_classes is None:
        num_classes = largest + 1
    elif largest >= num_classes:
        raise ValueError(
            f"confusion_matrix: label {largest} found but num_classes={num_classes} "
            f"(labels must lie in 0..{num_classes - 1})"
        )
    # Pair (i, j) gets the single index i·C + j, so one bincount counts every pair at once.
    pair_index = y_true * num_classes + y_pred
    counts = np.bincount(pair_index, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes).astype(np.int64, copy=False)


def _labels(y, name: str) -> np.ndarray:
    """``y`` as a 1-D int64 array of non-negative labels, or a clear error."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]  # a column of labels, as (N, 1) targets often are
    if y.ndim != 1:
        hint = " (for scores or one-hot rows, pass y.argmax(axis=1))" if y.ndim == 2 else ""
        raise ValueError(
            f"confusion_matrix: {name} must be a 1-D array of class labels, "
            f"got shape {y.shape}{hint}"
        )
    if y.size and y.dtype.kind == "f" and not np.array_equal(y, np.round(y)):
        raise ValueError(f"confusion_matrix: {name} holds non-integer values; expected labels")
    if y.dtype.kind not in "biuf":
        raise TypeError(f"confusion_matrix: {name} must hold integer labels, got {y.dtype}")
    y = y.astype(np.int64)
    if y.size and y.min() < 0:
        raise ValueError(
            f"confusion_matrix: {name} holds the negative label {y.min()}; labels are 0..C-1 "
            "(map ±1 targets to 0/1 first, e.g. (y > 0).astype(int))"
        )
    return y
