"""First-layer weights seen as images: what each hidden unit looks for (lessons 1 and 9).

A first-layer unit computes wᵀx, so its weight row w has one entry per input pixel and can be
shown as an image of the input's shape: the pixels it rewards (red) and penalises (blue). On
digits these are the "templates" of lesson 1 and the feature detectors learned in lesson 9.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.image import AxesImage

from ..module import Module, Parameter

__all__ = ["WeightGrid", "plot_weight_grid"]


@dataclass
class WeightGrid:
    """What ``plot_weight_grid`` drew; stored as ``ax.weight_grid``.

    Attributes:
        tiles: (H, h, w) the images as drawn (rescaled to [-1, 1] when not on a shared scale).
        tile_slices: for each tile, the (rows, columns) slices locating it in the mosaic, so
            ``image.get_array()[tile_slices[i]]`` is ``tiles[i]``.
        image: the one AxesImage holding the mosaic (gaps between tiles are NaN).
    """

    tiles: np.ndarray
    tile_slices: list[tuple[slice, slice]]
    image: AxesImage


def plot_weight_grid(
    weights,
    image_shape: tuple[int, int] | None = None,
    ncols: int | None = None,
    ax: Axes | None = None,
    shared_scale: bool = True,
    max_images: int | None = None,
    cmap: str = "RdBu_r",
    colorbar: bool = True,
) -> Axes:
    """Show each row of a weight matrix as a small image, all in one mosaic.

    Inputs:
        weights: (H, D) array, a Parameter, or a Linear layer (its ``weight``, shape
            (out_features, in_features)); row j is unit j's incoming weights. An (H, h, w)
            array of images is accepted as is.
        image_shape: (h, w) with h·w = D, e.g. (8, 8) or (28, 28); by default the square root
            of D when D is a perfect square.
        ncols: images per row of the mosaic; default ⌈√H⌉.
        ax: the Axes to draw on; a new figure if None.
        shared_scale: one colour scale for all images (compare magnitudes across units);
            False rescales each image by its own largest |w| (compare patterns only).
        max_images: draw only the first units (a 512-unit layer makes tiny tiles).
        cmap: a diverging colormap; white is placed at 0 by symmetric limits ±max|w|.
        colorbar: add a colour bar.

    Returns:
        The Axes; ``ax.weight_grid`` is a ``WeightGrid`` (the tiles and where they are).

    The mosaic is one image rather than one Axes per unit: drawing hundreds of subplots
    takes seconds, one image milliseconds.
    """
    tiles = _as_images(weights, image_shape)
    if max_images is not None:
        tiles = tiles[:max_images]
    count, h, w = tiles.shape
    if count == 0:
        raise ValueError("plot_weight_grid: there are no weight rows to draw")
    if not shared_scale:
        largest = np.abs(tiles).max(axis=(1, 2), keepdims=True)
        tiles = tiles / np.where(largest > 0, largest, 1.0)  # an all-zero unit stays zero
    ncols = math.ceil(math.sqrt(count)) if ncols is None else int(ncols)
    if ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols}")
    nrows = math.ceil(count / ncols)

    gap = 1  # one NaN pixel between tiles, drawn in grey, so neighbouring units do not merge
    mosaic = np.full((nrows * (h + gap) - gap, ncols * (w + gap) - gap), np.nan)
    tile_slices = []
    for i, tile in enumerate(tiles):
        r, c = divmod(i, ncols)
        where = (slice(r * (h + gap), r * (h + gap) + h), slice(c * (w + gap), c * (w + gap) + w))
        mosaic[where] = tile
        tile_slices.append(where)

    # Symmetric limits put 0 at the colormap's neutral middle: sign is what matters.
    limit = float(np.abs(tiles).max()) or 1.0
    if ax is None:
        width = min(1.0 + 0.9 * ncols, 12.0)
        _, ax = plt.subplots(figsize=(width, width * nrows / ncols + 0.4), layout="constrained")
    colors = plt.get_cmap(cmap).with_extremes(bad="0.75")
    image = ax.imshow(mosaic, cmap=colors, vmin=-limit, vmax=limit, interpolation="nearest")
    if colorbar:
        label = "weight" if shared_scale else "weight / max |weight| of the unit"
        ax.figure.colorbar(image, ax=ax, shrink=0.8, label=label)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(f"{count} units, each weight row as a {h}×{w} image", fontsize="medium")
    ax.weight_grid = WeightGrid(tiles, tile_slices, image)
    return ax


def _as_images(weights, image_shape) -> np.ndarray:
    """(H, h, w) float array from a Linear, a Parameter or an (H, D) / (H, h, w) array."""
    if isinstance(weights, Module):
        weights = getattr(weights, "weight", None)
        if weights is None:
            raise TypeError("plot_weight_grid: this module has no .weight to draw")
    if isinstance(weights, Parameter):
        weights = weights.data
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim == 3:
        return weights
    if weights.ndim != 2:
        raise ValueError(
            f"plot_weight_grid: expected weights of shape (H, D), one row per unit, "
            f"got {weights.shape}"
        )
    count, size = weights.shape
    if image_shape is None:
        side = math.isqrt(size)
        if side * side != size:
            raise ValueError(
                f"plot_weight_grid: rows have {size} entries, not a square number; pass "
                f"image_shape=(h, w) with h·w = {size}"
            )
        image_shape = (side, side)
    h, w = image_shape
    if h * w != size:
        raise ValueError(
            f"plot_weight_grid: image_shape {tuple(image_shape)} holds {h * w} pixels but each "
            f"weight row has {size} (weights of shape {weights.shape}); is it transposed?"
        )
    return weights.reshape(count, h, w)
