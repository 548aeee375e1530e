"""Confusion matrices: which classes a classifier mixes up (lessons 9 and 10).

Accuracy is one number; the confusion matrix shows where the errors go (on digits, 4s taken
for 9s). The counting itself is ``nnlib.metrics.confusion_matrix``, plain NumPy; this module
only draws it.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from ..metrics import confusion_matrix
from ._axes import axes_or_new

__all__ = ["confusion_matrix", "normalize_confusion", "plot_confusion_matrix"]

NORMALIZE_AXES = {"true": 1, "pred": 0, "all": None}


def normalize_confusion(counts: np.ndarray, normalize) -> np.ndarray:
    """Counts (C, C) as fractions.

    ``normalize``: "true" (or True) divides each row by its class size, so the diagonal is each
    class's recall; "pred" divides each column, giving precision; "all" divides by N.
    A class with no examples gets a row (or column) of zeros rather than 0/0.
    """
    if normalize is True:
        normalize = "true"
    if normalize not in NORMALIZE_AXES:
        raise ValueError(
            f'normalize must be False, True, "true", "pred" or "all"; got {normalize!r}'
        )
    axis = NORMALIZE_AXES[normalize]
    totals = counts.sum(axis=axis, keepdims=axis is not None)
    out = np.zeros(counts.shape, dtype=np.float64)
    return np.divide(counts, totals, out=out, where=np.asarray(totals) > 0)


def plot_confusion_matrix(
    y_true,
    y_pred,
    class_names=None,
    normalize=False,
    ax: Axes | None = None,
    num_classes: int | None = None,
    cmap: str = "Blues",
    annotate: bool = True,
) -> Axes:
    """Draw the confusion matrix of predictions, rows = true class, columns = predicted.

    Inputs:
        y_true: (N,) integer labels 0..C-1.
        y_pred: (N,) predicted labels 0..C-1 (``scores.argmax(axis=1)``).
        class_names: C tick labels; default 0..C-1.
        normalize: False for counts, or True / "true" / "pred" / "all" for fractions
            (see ``normalize_confusion``).
        ax: the Axes to draw on; a new figure if None.
        num_classes: C, when a class may be absent from both arrays.
        cmap: sequential colormap (darker = more examples).
        annotate: write each cell's value in it (skip for many classes).

    Returns:
        The Axes. Its image's array (``ax.images[0].get_array()``) is the (C, C) matrix shown,
        and ``ax.texts`` holds the C·C annotations in row-major order.
    """
    counts = confusion_matrix(y_true, y_pred, num_classes)
    fractions = normalize not in (False, None)
    matrix = normalize_confusion(counts, normalize) if fractions else counts
    C = len(matrix)
    if class_names is None:
        class_names = [str(k) for k in range(C)]
    elif len(class_names) != C:
        raise ValueError(f"{len(class_names)} class names given for {C} classes")
    ax = axes_or_new(ax, figsize=(1.2 + 0.55 * C, 1.0 + 0.5 * C))
    image = ax.imshow(matrix, cmap=cmap, vmin=0, interpolation="nearest")
    if annotate:
        # Dark cells get white text: the threshold is half the largest value.
        threshold = matrix.max() / 2
        for i in range(C):
            for j in range(C):
                value = matrix[i, j]
                text = f"{value:.2f}" if fractions else f"{value:d}"
                color = "white" if value > threshold else "black"
                ax.text(j, i, text, ha="center", va="center", color=color, fontsize="small")
    ticks = np.arange(C)
    ax.set_xticks(ticks, labels=class_names)
    ax.set_yticks(ticks, labels=class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if not fractions:
        accuracy = np.trace(counts) / max(counts.sum(), 1)
        ax.set_title(f"accuracy {accuracy:.1%} on {counts.sum()} examples", fontsize="medium")
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    return ax
