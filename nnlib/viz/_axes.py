"""The one helper every plot shares: draw on the caller's Axes, or on a new figure."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes


def axes_or_new(ax: Axes | None, figsize: tuple[float, float] = (5.0, 4.0)) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches when ``ax`` is None.

    Taking an optional Axes lets a notebook put several plots side by side
    (``fig, (a, b) = plt.subplots(1, 2)``) and still call each function in one line.
    """
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax
