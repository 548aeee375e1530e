"""Decision boundaries of 2-D classifiers (lessons 1-3, 9 and 10).

Lesson 1 draws the perceptron's line, lesson 3 the curved boundaries a hidden layer buys, and
lessons 9-10 the effect of training and regularization on them. The model is evaluated on a
grid of points covering the data, in one vectorised call, and the result drawn as a heatmap
with the boundary on top.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.contour import ContourSet
from matplotlib.image import AxesImage

from ..activations import sigmoid
from ..autodiff import Tensor
from ..functional import softmax
from ..module import Module
from ._axes import axes_or_new

__all__ = ["DecisionBoundary", "decision_grid", "plot_decision_boundary"]

BINARY_CMAP = "RdBu_r"  # P(class 1) = 0 is blue, 1 is red, 0.5 is white: the boundary
CLASS_COLORS = plt.get_cmap("tab10").colors


@dataclass
class DecisionBoundary:
    """What ``plot_decision_boundary`` computed and drew; stored as ``ax.decision_boundary``.

    Attributes:
        xs, ys: (R,) grid coordinates along each axis.
        grid: (R·R, 2) the points the model saw; point k is (xs[k % R], ys[k // R]).
        scores: (R·R, K) the model's raw outputs on ``grid`` (K = 1 for a single logit).
        proba: (R, R) the probability shown: P(class 1) for two classes, else the largest
            softmax probability (the model's confidence). Row i is ys[i], column j is xs[j].
        prediction: (R, R) int, the predicted class at each grid point.
        image: the heatmap artist (its array is ``proba``, ``prediction`` or an RGBA image).
        contours: the boundary lines (empty when the whole grid is one class).
    """

    xs: np.ndarray
    ys: np.ndarray
    grid: np.ndarray
    scores: np.ndarray
    proba: np.ndarray
    prediction: np.ndarray
    image: AxesImage | None = None
    contours: list[ContourSet] = field(default_factory=list)


def decision_grid(model_or_fn, X, resolution: int = 200, margin: float = 0.1):
    """Evaluate a model on a regular grid covering 2-D data, in one call.

    Inputs:
        model_or_fn: an nnlib Module, or any callable mapping points (M, 2) to scores (M,),
            (M, 1) or (M, K). A Module is run in eval mode (Dropout off), then its mode restored.
        X: (N, 2) the data the grid must cover.
        resolution: R, grid points along each axis.
        margin: space added around the data on each side, as a fraction of its range.

    Returns:
        xs, ys: (R,) coordinates; grid: (R·R, 2) points; scores: (R·R, K) float64 outputs.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(
            f"decision boundaries are drawn for 2-D inputs: X must have shape (N, 2), got {X.shape}"
        )
    if not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {resolution!r}")
    low, high = X.min(axis=0), X.max(axis=0)
    span = np.where(high > low, high - low, 1.0)  # all points on a line: still show a square
    low, high = low - margin * span, high + margin * span
    xs = np.linspace(low[0], high[0], resolution)
    ys = np.linspace(low[1], high[1], resolution)
    xx, yy = np.meshgrid(xs, ys)  # (R, R), row i is ys[i]
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    scores = _evaluate(model_or_fn, grid)
    return xs, ys, grid, scores


def plot_decision_boundary(
    model_or_fn,
    X,
    y=None,
    ax: Axes | None = None,
    resolution: int = 200,
    proba: bool = True,
    outputs: str = "logits",
    margin: float = 0.1,
    class_names=None,
    colorbar: bool = True,
) -> Axes:
    """Draw what a classifier predicts over the plane, and the data on top.

    Inputs:
        model_or_fn: an nnlib Module or a callable mapping (M, 2) points to scores: (M,) or
            (M, 1) for a binary classifier (one logit), (M, K) for K classes.
        X: (N, 2) data points.
        y: (N,) class labels 0..K-1 (±1 targets and one-hot rows (N, K) work too), or None.
        ax: the Axes to draw on; a new figure if None.
        resolution: grid points per axis (R·R points go through the model in one call).
        proba: True draws probabilities (binary: P(class 1); K classes: class colours faded by
            confidence); False draws the hard class regions only.
        outputs: "logits" (scores, turned into probabilities with sigmoid / softmax) or
            "probs" (the model already outputs probabilities, e.g. it ends with Sigmoid).
        margin: space around the data, as a fraction of its range.
        class_names: K names for the legend; default "class 0", "class 1", ...
        colorbar: add a colour bar for the binary probability heatmap.

    Returns:
        The Axes. ``ax.decision_boundary`` holds the grid, scores and predictions
        (a ``DecisionBoundary``), so a notebook or test can inspect what was drawn.
    """
    if outputs not in ("logits", "probs"):
        raise ValueError(f'outputs must be "logits" or "probs", got {outputs!r}')
    xs, ys, grid, scores = decision_grid(model_or_fn, X, resolution, margin)
    X = np.asarray(X, dtype=np.float64)
    R = len(xs)
    ax = axes_or_new(ax)
    extent = _pixel_edges(xs) + _pixel_edges(ys)
    probs = _class_probabilities(scores, outputs)  # (R·R, K) with K >= 2
    num_classes = probs.shape[1]
    prediction = probs.argmax(axis=1).reshape(R, R)
    binary = num_classes == 2
    shown = (probs[:, 1] if binary else probs.max(axis=1)).reshape(R, R)
    result = DecisionBoundary(xs, ys, grid, scores, shown, prediction)

    imshow = dict(origin="lower", extent=extent, aspect="auto", interpolation="nearest")
    if binary and proba:
        result.image = ax.imshow(shown, cmap=BINARY_CMAP, vmin=0, vmax=1, **imshow)
        if colorbar:
            ax.figure.colorbar(result.image, ax=ax, label="P(class 1)")
    elif binary:
        # Hard regions in the light middle part of the same blue/red colormap.
        result.image = ax.imshow(prediction, cmap=BINARY_CMAP, vmin=-1, vmax=2, **imshow)
    else:
        rgba = _class_colors(num_classes)[prediction]
        if proba:  # opaque where the model is sure, faint where it hesitates
            certainty = (shown - 1 / num_classes) / (1 - 1 / num_classes)
            rgba[..., 3] = 0.15 + 0.6 * certainty
        else:
            rgba[..., 3] = 0.4
        result.image = ax.imshow(rgba, **imshow)

    # The boundary of class k is where p_k equals the best other class: p_k − max_{j≠k} p_j = 0.
    # With two classes that is p_1 = 0.5, so one line is enough.
    for k in [1] if binary else range(num_classes):
        lead = _lead_over_others(probs, k).reshape(R, R)
        if lead.min() < 0 < lead.max():  # otherwise class k wins everywhere or nowhere
            result.contours.append(
                ax.contour(xs, ys, lead, levels=[0.0], colors="k", linewidths=1.5)
            )

    if y is not None:
        _scatter_classes(ax, X, y, num_classes, class_names)
    ax.set_xlim(extent[:2])
    ax.set_ylim(extent[2:])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.decision_boundary = result
    return ax


# -- helpers -------------------------------------------------------------------------------


def _evaluate(model_or_fn, grid: np.ndarray) -> np.ndarray:
    """Scores (M, K) of the model on ``grid`` (M, 2), as float64."""
    if isinstance(model_or_fn, Module):
        modes = [(m, m.training) for m in model_or_fn.modules()]
        model_or_fn.eval()  # a boundary drawn through Dropout would flicker at random
        try:
            out = model_or_fn(grid)
        finally:
            for m, mode in modes:
                m.training = mode
    elif callable(model_or_fn):
        out = model_or_fn(grid)
    else:
        raise TypeError(
            f"expected an nnlib Module or a function of the points, got {type(model_or_fn)}"
        )
    if isinstance(out, Tensor):
        out = out.data
    out = np.asarray(out, dtype=np.float64)
    if out.ndim == 1:
        out = out[:, None]
    if out.ndim != 2 or out.shape[0] != len(grid):
        raise ValueError(
            f"the model mapped points of shape {grid.shape} to shape {out.shape}; expected "
            f"({len(grid)},), ({len(grid)}, 1) or ({len(grid)}, K): one row of scores per point"
        )
    return out


def _class_probabilities(scores: np.ndarray, outputs: str) -> np.ndarray:
    """(M, K) scores -> (M, K') class probabilities with K' >= 2 (one logit means two classes)."""
    if scores.shape[1] == 1:
        p1 = sigmoid(scores[:, 0]) if outputs == "logits" else scores[:, 0]
        return np.column_stack([1 - p1, p1])
    return softmax(scores, axis=1) if outputs == "logits" else scores


def _lead_over_others(probs: np.ndarray, k: int) -> np.ndarray:
    """p_k − max_{j≠k} p_j for each row of probs (M, K): positive exactly where k wins."""
    others = np.delete(probs, k, axis=1)
    return probs[:, k] - others.max(axis=1)


def _pixel_edges(centres: np.ndarray) -> list[float]:
    """imshow's extent puts pixel *edges* at the limits; our grid values are pixel centres."""
    half = (centres[1] - centres[0]) / 2
    return [float(centres[0] - half), float(centres[-1] + half)]


def _class_colors(num_classes: int) -> np.ndarray:
    """(K, 4) RGBA colours: blue/red for two classes (as the heatmap), else tab10."""
    if num_classes == 2:
        cmap = plt.get_cmap(BINARY_CMAP)
        return np.array([cmap(0.0), cmap(1.0)])
    return np.array([to_rgba(CLASS_COLORS[k % len(CLASS_COLORS)]) for k in range(num_classes)])


def _point_classes(y, n: int) -> np.ndarray:
    """Class index per point from labels (N,), a column (N, 1), ±1 targets or one-hot (N, K)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        y = y.argmax(axis=1)
    y = y.reshape(-1)
    if len(y) != n:
        raise ValueError(f"y has {len(y)} labels but X has {n} points")
    if np.isin(y, (-1, 1)).all() and (y == -1).any():
        return (y > 0).astype(np.int64)  # ±1 targets of the perceptron / hinge loss
    return y.astype(np.int64)


def _scatter_classes(ax: Axes, X: np.ndarray, y, num_classes: int, class_names) -> None:
    labels = _point_classes(y, len(X))
    colors = _class_colors(max(num_classes, int(labels.max()) + 1))
    for k in np.unique(labels):
        name = class_names[k] if class_names is not None else f"class {k}"
        at = labels == k
        ax.scatter(X[at, 0], X[at, 1], color=colors[k], edgecolors="k", s=25, label=name)
    ax.legend(loc="best", fontsize="small", framealpha=0.8)
