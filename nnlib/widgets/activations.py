"""Every activation function next to its derivative, stretched and shifted (lesson 2).

The explorer plots g(z) = f(k·z + c) and its slope g′(z) = k·f′(k·z + c) (the chain rule's
factor k) for any entry of ``nnlib.ACTIVATIONS``; k and c play the weight and bias of a unit
with one input. The shaded band is where |g′| is below a threshold: a unit sitting there passes
almost no gradient back (saturation). Ticking "compare with hard threshold" overlays the step
that σ(k·z + c) tends to as k grows, and the status line reports how far σ still is from it
outside a small window around the jump: why a steep logistic unit can stand in for a
threshold unit and still be trained by gradient descent.

    >>> from nnlib.widgets import ActivationExplorer
    >>> ActivationExplorer(name="tanh", k=3.0)   # doctest: +SKIP
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import PolyCollection

from ..activations import ACTIVATIONS, ActivationInfo
from ._controls import assemble, show_status, slider, status_line
from ._explorer import Explorer
from ._view import FigureView

__all__ = ["ActivationExplorer", "ActivationModel"]

# f(k·z) tends to a step as k → ∞ when f has finite limits at ±∞: (limit at −∞, at +∞).
STEP_LIMITS = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "hard_threshold": (0.0, 1.0)}
Y_CAP = 6.5  # the y axis follows the curves, cut off at about this height


class ActivationModel:
    """g(z) = f(k·z + c) and g′(z) = k·f′(k·z + c) on a grid of z, for one registry entry.

    Args:
        name: a key of ``nnlib.ACTIVATIONS``.   k: input scale (> 0).   c: input shift.
        threshold: |g′| below it counts as saturated.
        window: half-width around the step's jump left out of the step comparison (at the
            jump itself no smooth function can be close to a step).
        z_range, num: the plotted z values, ``num`` points.

    Attributes:
        z: (num,) float64 grid of inputs.
    """

    def __init__(
        self,
        name: str = "sigmoid",
        k: float = 1.0,
        c: float = 0.0,
        threshold: float = 0.05,
        window: float = 0.25,
        z_range=(-5.0, 5.0),
        num: int = 801,
    ):
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATIONS)}")
        if not k > 0:
            raise ValueError(f"the input scale k must be > 0, got {k}")
        self.name, self.k, self.c = name, float(k), float(c)
        self.threshold, self.window = float(threshold), float(window)
        self.z = np.linspace(z_range[0], z_range[1], num)

    @property
    def info(self) -> ActivationInfo:
        return ACTIVATIONS[self.name]

    def value(self) -> np.ndarray:
        """g(z) = f(k·z + c), shape (num,)."""
        return self.info.fn(self.k * self.z + self.c)

    def slope(self) -> np.ndarray:
        """g′(z) = k·f′(k·z + c), shape (num,): the chain rule through u = k·z + c."""
        return self.k * self.info.grad(self.k * self.z + self.c)

    def saturated(self) -> np.ndarray:
        """(num,) bool, True where |g′(z)| < threshold: almost no gradient gets through."""
        return np.abs(self.slope()) < self.threshold

    # -- the steep-logistic limit ------------------------------------------------------------
    @property
    def jump(self) -> float:
        """z₀ = −c/k, where k·z + c = 0: the position of the step f(k·z + c) tends to."""
        return -self.c / self.k + 0.0  # + 0.0 turns −0.0 into 0.0 for the readout

    def step_curve(self) -> np.ndarray | None:
        """(num,) the limit of f(k·z + c) as k grows (None if f has no finite limits)."""
        if self.name not in STEP_LIMITS:
            return None
        low, high = STEP_LIMITS[self.name]
        return np.where(self.z > self.jump, high, low)

    def step_gap(self) -> float | None:
        """max |f(k·z + c) − step(z − z₀)| over the z with |z − z₀| ≥ window (None if no step).

        For the sigmoid it is σ(−k·window), which falls to 0 as k grows.
        """
        step = self.step_curve()
        outside = np.abs(self.z - self.jump) >= self.window
        if step is None or not outside.any():
            return None
        return float(np.max(np.abs(self.value() - step)[outside]))


class ActivationExplorer(Explorer):
    """Lesson 2: an activation f and its derivative, f(k·z + c), saturation and the step limit.

    Settings are passed on to ``ActivationModel`` (name, k, c, threshold, window, ...), plus
    ``compare_step`` (show the hard-threshold overlay from the start).

    Attributes:
        model, controls (dict), view (FigureView), widget, status, artists (dict).
    """

    short_name = "activations"

    def __init__(self, compare_step: bool = False, **settings):
        self.model = ActivationModel(**settings)
        m = self.model
        self.controls = {
            "activation": widgets.Dropdown(
                options=list(ACTIVATIONS), value=m.name, description="activation"
            ),
            "k": slider("scale k", m.k, 0.1, 25.0, 0.1, fmt=".1f"),
            "c": slider("shift c", m.c, -5.0, 5.0, 0.1, fmt=".1f"),
            "threshold": slider("saturated where |g′| <", m.threshold, 0.01, 0.5, 0.01),
            "compare_step": widgets.Checkbox(
                value=bool(compare_step), description="compare with hard threshold"
            ),
        }
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.status = status_line()
        self._build_view()
        self.update()
        self.view.refresh()

    def _build_view(self) -> None:
        self.view = FigureView(ncols=1, figsize=(8, 4.4), dpi=80)
        ax = self.view.axes[0]
        z = self.model.z
        a = {}
        # The shading is our own PolyCollection of rectangles, one per run of saturated z;
        # update() replaces its vertices (set_verts), so the artist itself is never redrawn
        # from scratch. x is in data units, y in axes units (full height at any y limits).
        a["saturation"] = PolyCollection(
            [],
            transform=ax.get_xaxis_transform(),
            facecolor="0.6",
            alpha=0.3,
            linewidth=0,
            label="saturated: gradient almost vanishes",
        )
        ax.add_collection(a["saturation"])
        (a["step"],) = ax.plot(
            z,
            np.zeros_like(z),
            color="0.3",
            linestyle=":",
            linewidth=2,
            label="hard-threshold limit",
        )
        (a["value"],) = ax.plot(
            z, np.zeros_like(z), color="C0", linewidth=2.5, label="g(z) = f(kz + c)"
        )
        (a["slope"],) = ax.plot(
            z,
            np.zeros_like(z),
            color="C3",
            linestyle="--",
            linewidth=2,
            label="g′(z) = k·f′(kz + c)",
        )
        ax.axhline(0, color="0.5", linewidth=0.8)
        ax.axvline(0, color="0.5", linewidth=0.8)
        ax.set_xlim(z[0], z[-1])
        ax.set_xlabel("z")
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right", fontsize="small", framealpha=0.85)
        box = dict(boxstyle="round", facecolor="white", alpha=0.85, edgecolor="0.7")
        a["formula"] = ax.text(
            0.02, 0.97, "", transform=ax.transAxes, va="top", fontsize=12, bbox=box
        )
        a["readout"] = ax.text(0.02, 0.70, "", transform=ax.transAxes, va="top", fontsize=10)
        self.artists = a
        for ax in self.view.axes:
            ax.locator_params(nbins=5)  # fewer tick labels: text is most of the render time
        c = self.controls
        self.widget = assemble(
            self.short_name,
            [[c["activation"], c["k"], c["c"]], [c["threshold"], c["compare_step"]]],
            self.view.image,
            self.status,
        )

    def update(self) -> None:
        """Read the controls into the model and update every artist (no rendering)."""
        c, m, a = self.controls, self.model, self.artists
        m.name, m.k, m.c = c["activation"].value, float(c["k"].value), float(c["c"].value)
        m.threshold = float(c["threshold"].value)
        value, slope = m.value(), m.slope()
        a["value"].set_ydata(value)
        a["slope"].set_ydata(slope)
        a["saturation"].set_verts(_runs_as_rectangles(m.z, np.abs(slope) < m.threshold))

        step = m.step_curve()
        show_step = c["compare_step"].value and step is not None
        a["step"].set_visible(show_step)
        if step is not None:
            a["step"].set_ydata(step)

        shown = [value, slope] + ([step] if show_step else [])
        # The slope is always shown whole; f (a ReLU times k = 25 reaches 125) is cut off
        # beyond the larger of Y_CAP and the slope's range.
        cap = max(Y_CAP, 1.1 * float(np.max(np.abs(slope))))
        low = max(min(float(np.min(v)) for v in shown), -cap)
        high = min(max(float(np.max(v)) for v in shown), cap)
        pad = 0.08 * max(high - low, 1.0)
        self.view.axes[0].set_ylim(low - pad, high + pad)

        info = m.info
        a["formula"].set_text(
            f"$f(z) = {info.formula}$\n$f'(z) = {info.derivative}$\n"
            rf"$g(z) = f(kz + c),\quad g'(z) = k\,f'(kz + c)$"
        )
        note = "" if info.elementwise else " (shown with two fixed pieces)"
        self.view.axes[0].set_title(
            f"{info.name}{note}: g(z) = f({m.k:g}·z {m.c:+g}), slope {m.k:g}·f′", fontsize="medium"
        )
        self._show_step_gap(show_step)

    def _show_step_gap(self, show_step: bool) -> None:
        m = self.model
        gap = m.step_gap()
        readout = ""
        if gap is None:
            text = (
                f"{m.name} does not level off at ±∞: no step to compare with (try sigmoid or tanh)."
                if self.controls["compare_step"].value
                else "Grey band: |g′| below the threshold, where a unit stops learning."
            )
        else:
            text = (
                f"Outside |z − z₀| < {m.window:g} (z₀ = {m.jump:.2f}), f(kz + c) differs from "
                f"the hard threshold by at most {gap:.4f}; raise k and it shrinks."
            )
            if show_step:
                readout = f"max |g − step| = {gap:.4f}\n(outside |z − z₀| < {m.window:g})"
        self.artists["readout"].set_text(readout)
        show_status(self.status, text)


def _runs_as_rectangles(z: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
    """One rectangle per run of True in ``mask``, each covering its grid cells.

    A run z[i..j] becomes [z[i] − h, z[j] + h] × [0, 1] with h half the grid spacing, so a
    single saturated point still shows, and an unsaturated neighbour lies outside (at ±2h).
    Returns a list of (4, 2) vertex arrays (x in data units, y in axes units).
    """
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
    half = (z[1] - z[0]) / 2
    left, right = z[starts] - half, z[ends] + half
    return [
        np.array([[lo, 0.0], [hi, 0.0], [hi, 1.0], [lo, 1.0]])
        for lo, hi in zip(left, right, strict=True)
    ]
