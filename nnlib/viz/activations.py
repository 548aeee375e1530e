"""An activation function next to its derivative, with its flat regions shaded (lesson 2).

Backpropagation multiplies the gradient by f′(z) at every unit, so where f′ is nearly zero
(a saturated sigmoid, a ReLU for z < 0) almost no gradient gets through: the shaded regions
are where a unit stops learning. Lesson 7 comes back to this for vanishing gradients.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from ..activations import ACTIVATIONS, ActivationInfo
from ._axes import axes_or_new

__all__ = ["plot_activation"]


def plot_activation(
    name_or_info,
    ax: Axes | None = None,
    z_range: tuple[float, float] = (-5.0, 5.0),
    scale: float = 1.0,
    shift: float = 0.0,
    num: int = 801,
    saturation: float = 0.05,
) -> Axes:
    """Plot g(z) = f(scale·z + shift) and its slope g′(z) = scale·f′(scale·z + shift).

    With the defaults this is f and f′ themselves; ``scale`` and ``shift`` play the weight
    and bias of a unit with one input, and show how they stretch and move the curve (and,
    by the chain rule, multiply the slope by the weight).

    Inputs:
        name_or_info: a name in ``nnlib.ACTIVATIONS`` ("sigmoid", "relu", ...) or an
            ``ActivationInfo``.
        ax: the Axes to draw on; a new figure if None.
        z_range: (low, high) of the horizontal axis.
        scale, shift: the a and b of f(a·z + b).
        num: number of z values, (num,) points per curve.
        saturation: shade where |g′(z)| < saturation: the gradient almost vanishes there.

    Returns:
        The Axes. ``ax.lines[0]`` is g (ydata g(z) on xdata z) and ``ax.lines[1]`` is g′;
        the legend shows the formulas from the registry.
    """
    info = _lookup(name_or_info)
    ax = axes_or_new(ax, figsize=(5.5, 3.8))
    z = np.linspace(z_range[0], z_range[1], num)
    u = scale * z + shift
    value = info.fn(u)
    slope = scale * info.grad(u)  # chain rule: d/dz f(az + b) = a·f′(az + b)

    ax.plot(z, value, color="C0", linewidth=2, label=rf"$f(z) = {info.formula}$")
    ax.plot(
        z, slope, color="C3", linestyle="--", linewidth=2, label=rf"$f'(z) = {info.derivative}$"
    )
    flat = np.abs(slope) < saturation
    if flat.any():
        # Spans the full height whatever the y limits: x in data units, y in Axes units.
        ax.fill_between(
            z,
            0,
            1,
            where=flat,
            transform=ax.get_xaxis_transform(),
            color="0.6",
            alpha=0.25,
            linewidth=0,
            label=f"|slope| < {saturation:g}: gradient vanishes",
        )
    ax.axhline(0, color="0.5", linewidth=0.8)
    ax.axvline(0, color="0.5", linewidth=0.8)
    ax.set_xlim(z_range)
    ax.set_xlabel("z")
    title = info.name if info.elementwise else f"{info.name} (shown with two fixed pieces)"
    if scale != 1.0 or shift != 0.0:
        title += f": f({scale:g}·z {shift:+g}), slope {scale:g}·f′"
    ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    return ax


def _lookup(name_or_info) -> ActivationInfo:
    if isinstance(name_or_info, ActivationInfo):
        return name_or_info
    key = str(name_or_info).lower().replace("-", "_").replace(" ", "_")
    if key not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name_or_info!r}; known: {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[key]
