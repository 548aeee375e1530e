"""Learning curves: loss and accuracy per epoch, training vs validation (lessons 9 and 10).

The gap between the two curves is how lesson 10 shows overfitting, and the epoch with the best
validation loss is where early stopping keeps the weights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

__all__ = ["plot_history"]

SPLITS = (("train", "C0", "-"), ("val", "C1", "--"))  # (prefix, colour, line style)
TITLES = {"loss": "loss", "acc": "accuracy"}


def plot_history(history, ax=None, metrics=None, best_epoch: int | None = None):
    """Plot each metric of a training run per epoch, train and validation on the same Axes.

    Inputs:
        history: an nnlib ``History``, or a dict of lists such as
            ``{"train_loss": [...], "val_loss": [...]}`` (an optional "epoch" list gives the
            x values; else epochs are 1, 2, ...). Every list holds one value per epoch.
        ax: one Axes per metric (a single Axes for a single metric), or None for a new figure
            with the metrics side by side.
        metrics: a metric name or a sequence of them. "loss" plots "train_loss" and
            "val_loss" (whichever exist); a full key such as "lr" plots that list alone.
            Default: ("loss", "acc"), leaving out any the run did not record.
        best_epoch: epoch to mark with a vertical line; default ``history.best_epoch``
            (set by early stopping), or the "best_epoch" entry of a dict.

    Returns:
        The Axes if ``metrics`` is one name, else a list of Axes, one per metric. Each curve is
        a Line2D labelled "train" / "val" (or by its key) whose ydata is the recorded list.
    """
    epochs, columns, marked = _columns(history)
    if best_epoch is None:
        best_epoch = marked
    single = isinstance(metrics, str)
    if metrics is None:
        metrics = [m for m in ("loss", "acc") if _keys_for(m, columns)]
        if not metrics:
            raise KeyError(
                f"the history has neither loss nor accuracy; its metrics are {sorted(columns)}"
            )
    elif single:
        metrics = [metrics]
    metrics = list(metrics)
    axes = _axes_for(ax, len(metrics))

    for metric, axis in zip(metrics, axes, strict=True):
        keys = _keys_for(metric, columns)
        if not keys:
            raise KeyError(f"no metric {metric!r} in the history; it has {sorted(columns)}")
        for key in keys:
            values = np.asarray(columns[key], dtype=float)
            if len(values) != len(epochs):
                raise ValueError(
                    f"{key!r} has {len(values)} values but there are {len(epochs)} epochs"
                )
            color, style, label = _style(key, metric)
            axis.plot(epochs, values, color=color, linestyle=style, marker=".", label=label)
        if best_epoch is not None:
            axis.axvline(best_epoch, color="0.4", linestyle=":", label=f"best epoch ({best_epoch})")
        axis.set_xlabel("epoch")
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))  # no epoch 2.5
        axis.set_ylabel(TITLES.get(metric, metric))
        axis.legend(fontsize="small")
        axis.grid(alpha=0.3)
    return axes[0] if single else axes


def _columns(history) -> tuple[np.ndarray, Mapping[str, Sequence[float]], int | None]:
    """(epochs, {metric: values}, best epoch or None) from a History or a dict of lists."""
    if hasattr(history, "metrics") and hasattr(history, "epochs"):  # an nnlib History
        return np.asarray(history.epochs), history.metrics, getattr(history, "best_epoch", None)
    if not isinstance(history, Mapping):
        raise TypeError(f"expected an nnlib History or a dict of lists, got {type(history)}")
    columns = {k: v for k, v in history.items() if k not in ("epoch", "best_epoch") and _is_list(v)}
    if not columns:
        raise ValueError("the history dict holds no lists of values to plot")
    n = max(len(v) for v in columns.values())
    epochs = np.asarray(history["epoch"]) if "epoch" in history else np.arange(1, n + 1)
    best = history.get("best_epoch")
    return epochs, columns, None if best is None or _is_nan(best) else best


def _keys_for(metric: str, columns) -> list[str]:
    """The recorded keys a metric name stands for: train_/val_ pair, or the key itself."""
    keys = [f"{prefix}_{metric}" for prefix, _, _ in SPLITS if f"{prefix}_{metric}" in columns]
    if not keys and metric in columns:
        keys = [metric]
    return keys


def _style(key: str, metric: str) -> tuple[str, str, str]:
    for prefix, color, style in SPLITS:
        if key == f"{prefix}_{metric}":
            return color, style, prefix
    return "C2", "-", key


def _axes_for(ax, count: int) -> list[Axes]:
    if ax is None:
        _, axes = plt.subplots(1, count, figsize=(4.5 * count, 3.5), layout="constrained")
        return list(np.atleast_1d(axes))
    axes = [ax] if isinstance(ax, Axes) else list(np.ravel(ax))
    if len(axes) != count:
        raise ValueError(f"{count} metric(s) to plot but {len(axes)} Axes given")
    return axes


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple, np.ndarray))


def _is_nan(value) -> bool:
    return isinstance(value, float) and math.isnan(value)
