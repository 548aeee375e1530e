"""Toy data sets in two dimensions, small enough to plot and to learn in seconds.

Lesson 1 (the perceptron) uses the logic gates and ``linearly_separable``; lessons 3 to 5 show
with ``xor``, ``two_moons``, ``circles`` and ``spirals`` what a hidden layer buys; lesson 5
fits ``regression_1d`` curves; lesson 10 adds input and label noise to show overfitting.

Conventions, shared by every generator:

* inputs X: float32 (or ``dtype``) of shape (N, 2), or (N, 1) for ``regression_1d``;
* classification labels y: int64 of shape (N,), classes 0..K-1, balanced (sizes differ by at
  most one), in a shuffled order; for ``BCEWithLogitsLoss`` use ``y[:, None].astype(X.dtype)``;
* regression targets y: float of shape (N, 1);
* ``noise`` is the standard deviation of Gaussian noise added to the inputs (targets for
  ``regression_1d``), ``label_noise`` the fraction of labels flipped to another class;
* ``rng`` is a numpy Generator, an int seed, or None for ``nnlib.manual_seed``'s generator:
  the same seed gives the same data.
"""

from __future__ import annotations

import numpy as np

from ..random import resolve_rng
from ._checks import check_count, check_fraction, check_std, pick_name
from .noise import flip_labels

__all__ = [
    "LOGIC_GATES",
    "REGRESSION_TARGETS",
    "blobs",
    "circles",
    "linearly_separable",
    "logic_gate",
    "regression_1d",
    "spirals",
    "two_moons",
    "xor",
]

# Truth tables on the four corners (0,0), (0,1), (1,0), (1,1), in that order.
LOGIC_GATES = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "xor": (0, 1, 1, 0),
    "nand": (1, 1, 1, 0),
}

# The noise-free target functions of regression_1d, for plotting the truth beside a fit.
REGRESSION_TARGETS = {
    "sin": lambda x: np.sin(np.pi * x),  # one full period on [-1, 1]
    "abs": np.abs,  # a kink at 0: ReLU networks fit it exactly, tanh ones only approximately
    "step": lambda x: (x >= 0).astype(x.dtype),  # a jump: hard for any smooth model
    "poly": lambda x: 2 * x**3 - x,  # a cubic with two bends
}

_CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


def logic_gate(name: str, copies: int = 1, noise: float = 0.0, rng=None, dtype=np.float32):
    """The truth table of a two-input logic gate: "and", "or", "xor" or "nand".

    Args:
        name: the gate.
        copies: how many copies of the four corners to stack (useful with ``noise``).
        noise: std of Gaussian noise added to the corner coordinates.
        rng: Generator, seed or None (only used when ``noise`` > 0).

    Returns:
        X of shape (4·copies, 2) with the corners (0,0), (0,1), (1,0), (1,1) repeated in that
        order (truth-table order, not shuffled), and y int64 of shape (4·copies,).
    """
    gate = pick_name(name, LOGIC_GATES, "logic gate")
    copies = check_count(copies, "copies", "logic_gate")
    noise = check_std(noise, "noise", "logic_gate")
    x = np.tile(_CORNERS, (copies, 1)).astype(dtype)
    y = np.tile(np.array(LOGIC_GATES[gate], dtype=np.int64), copies)
    if noise > 0:
        x += (noise * resolve_rng(rng).standard_normal(x.shape)).astype(dtype)
    return x, y


def xor(n: int = 200, noise: float = 0.0, label_noise: float = 0.0, rng=None, dtype=np.float32):
    """Points in the square [-1, 1]², labelled 1 where x₀ and x₁ have different signs.

    The four-quadrant version of XOR: no straight line separates it, one hidden layer does.

    Returns:
        X of shape (N, 2), y int64 of shape (N,) (2 classes).
    """
    rng, n, y = _start("xor", n, 2, noise, label_noise, rng)
    magnitude = rng.uniform(0.0, 1.0, size=(n, 2))
    sign0 = rng.choice([-1.0, 1.0], size=n)
    # class 1: opposite signs (quadrants II and IV); class 0: equal signs (I and III)
    sign1 = np.where(y == 1, -sign0, sign0)
    x = magnitude * np.stack([sign0, sign1], axis=1)
    return _finish(x, y, noise, label_noise, 2, rng, dtype)


def two_moons(
    n: int = 200, noise: float = 0.1, label_noise: float = 0.0, rng=None, dtype=np.float32
):
    """Two interleaved half circles: class 0 the upper moon, class 1 the lower one.

    Upper moon (cos t, sin t), lower moon (1 − cos t, 0.5 − sin t), t uniform in [0, π]; the
    moons hook into each other, so no line separates them.

    Returns:
        X of shape (N, 2) in about [-1, 2] × [-0.5, 1], y int64 of shape (N,) (2 classes).
    """
    rng, n, y = _start("two_moons", n, 2, noise, label_noise, rng)
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    x = np.where((y == 0)[:, None], upper, lower)
    return _finish(x, y, noise, label_noise, 2, rng, dtype)


def circles(
    n: int = 200,
    noise: float = 0.05,
    factor: float = 0.5,
    label_noise: float = 0.0,
    rng=None,
    dtype=np.float32,
):
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor`` inside it.

    Separable by the radius, a nonlinear feature; no line separates them.

    Returns:
        X of shape (N, 2), y int64 of shape (N,) (2 classes).
    """
    if not 0 < factor < 1:
        raise ValueError(f"circles: factor is the inner radius, in (0, 1); got {factor}")
    rng, n, y = _start("circles", n, 2, noise, label_noise, rng)
    angle = rng.uniform(0.0, 2 * np.pi, size=n)
    radius = np.where(y == 0, 1.0, factor)
    x = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return _finish(x, y, noise, label_noise, 2, rng, dtype)


def spirals(
    n: int = 300,
    arms: int = 2,
    noise: float = 0.02,
    turns: float = 1.0,
    label_noise: float = 0.0,
    rng=None,
    dtype=np.float32,
):
    """``arms`` interleaved spirals, one class each, winding ``turns`` times out to radius 1.

    Arm k is r·(cos θ, sin θ) with θ = 2π·turns·r + 2πk/arms and r uniform in [0.05, 1]: every
    arm is the previous one rotated by 2π/arms. A classic stress test for small networks.

    Returns:
        X of shape (N, 2) in about [-1, 1]², y int64 of shape (N,) (``arms`` classes).
    """
    arms = check_count(arms, "arms", "spirals", minimum=2)
    if not turns > 0:
        raise ValueError(f"spirals: turns must be > 0, got {turns}")
    rng, n, y = _start("spirals", n, arms, noise, label_noise, rng)
    r = rng.uniform(0.05, 1.0, size=n)
    theta = 2 * np.pi * turns * r + 2 * np.pi * y / arms
    x = r[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1)
    return _finish(x, y, noise, label_noise, arms, rng, dtype)


def blobs(
    n: int = 200,
    classes: int | None = None,
    std: float = 0.5,
    centers=None,
    label_noise: float = 0.0,
    rng=None,
    dtype=np.float32,
):
    """Gaussian clouds, one per class, of standard deviation ``std`` around their centre.

    Args:
        classes: K, the number of clouds (default 3, or len(centers)). Unless ``centers``
            are given, they sit evenly spaced on a circle of radius 2 (K = 2: two clouds 4
            apart).
        std: the spread of each cloud (the input noise, so there is no separate ``noise``).
        centers: optional array (K, D) of centres; X then has D columns.

    Returns:
        X of shape (N, 2) (or (N, D)), y int64 of shape (N,) (K classes).
    """
    if centers is None:
        classes = check_count(3 if classes is None else classes, "classes", "blobs")
        angle = 2 * np.pi * np.arange(classes) / classes
        centers = 2.0 * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    else:
        centers = np.asarray(centers, dtype=np.float64)
        if centers.ndim != 2 or len(centers) < 1:
            raise ValueError(f"blobs: centers must have shape (K, D), got {centers.shape}")
        if classes is not None and classes != len(centers):
            raise ValueError(f"blobs: classes={classes} but {len(centers)} centers were given")
        classes = len(centers)
    std = check_std(std, "std", "blobs")
    rng, n, y = _start("blobs", n, classes, 0.0, label_noise, rng)
    x = centers[y] + std * rng.standard_normal((n, centers.shape[1]))
    return _finish(x, y, 0.0, label_noise, classes, rng, dtype)


def linearly_separable(
    n: int = 200,
    margin: float = 0.1,
    noise: float = 0.0,
    label_noise: float = 0.0,
    rng=None,
    dtype=np.float32,
):
    """Two classes on either side of a random line through the origin, with a gap between.

    Along the line's unit normal w (a random direction) class 1 lies at distances in
    [margin, 1] and class 0 at [-1, -margin]; along the line itself, in [-1, 1]. With no
    noise the perceptron is guaranteed to converge on it (the gap is 2·margin).

    Returns:
        X of shape (N, 2), y int64 of shape (N,) (2 classes).
    """
    margin = check_fraction(margin, "margin", "linearly_separable")
    rng, n, y = _start("linearly_separable", n, 2, noise, label_noise, rng)
    angle = rng.uniform(0.0, 2 * np.pi)
    normal = np.array([np.cos(angle), np.sin(angle)])
    along = np.array([-normal[1], normal[0]])
    distance = rng.uniform(margin, 1.0, size=n) * np.where(y == 1, 1.0, -1.0)
    x = distance[:, None] * normal + rng.uniform(-1.0, 1.0, size=n)[:, None] * along
    return _finish(x, y, noise, label_noise, 2, rng, dtype)


def regression_1d(
    name: str = "sin",
    n: int = 100,
    noise: float = 0.1,
    x_range: tuple[float, float] = (-1.0, 1.0),
    rng=None,
    dtype=np.float32,
):
    """Noisy samples of a function of one variable: "sin", "abs", "step" or "poly".

    y = f(x) + noise·ε with ε ~ N(0, 1) and x uniform in ``x_range`` (sorted, so that
    ``plt.plot(x, y)`` draws a curve). The noise-free f is ``REGRESSION_TARGETS[name]``.

    Returns:
        x of shape (N, 1) and y of shape (N, 1), both ``dtype``.
    """
    target = REGRESSION_TARGETS[pick_name(name, REGRESSION_TARGETS, "regression target")]
    n = check_count(n, "n", "regression_1d")
    noise = check_std(noise, "noise", "regression_1d")
    low, high = x_range
    if not low < high:
        raise ValueError(f"regression_1d: x_range must be (low, high), low < high; got {x_range}")
    rng = resolve_rng(rng)
    x = np.sort(rng.uniform(low, high, size=(n, 1)), axis=0)
    y = target(x) + noise * rng.standard_normal((n, 1))
    return x.astype(dtype), y.astype(dtype)


def _start(where: str, n, classes: int, noise, label_noise, rng):
    """Check the common arguments; return the Generator, N and balanced labels (not shuffled)."""
    n = check_count(n, "n", where)
    check_std(noise, "noise", where)
    check_fraction(label_noise, "label_noise", where)
    # np.arange(n) % K gives every class N // K or N // K + 1 examples.
    return resolve_rng(rng), n, np.arange(n, dtype=np.int64) % classes


def _finish(x, y, noise, label_noise, classes, rng, dtype):
    """Add input noise, flip labels, shuffle, and cast X to ``dtype``."""
    if noise > 0:
        x = x + noise * rng.standard_normal(x.shape)
    if label_noise > 0:
        y = flip_labels(y, label_noise, num_classes=classes, rng=rng)
    order = rng.permutation(len(y))
    return x[order].astype(dtype), y[order]
