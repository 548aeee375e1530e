"""Data augmentation for small images: new training examples from old ones, for free.

Lesson 10 (regularization): a digit moved by a pixel, or with a little noise, is still the
same digit, so training on such copies teaches the network to ignore what does not matter and
reduces overfitting. Each call draws new random shifts, so call it once per epoch.

Everything is vectorised: one fancy-indexing gather moves all N images at once, each by its
own offset, without a Python loop over images.
"""

from __future__ import annotations

import math

import numpy as np

from ..random import resolve_rng
from ._checks import check_count, check_std
from .noise import add_noise

__all__ = ["augment_images", "random_shift"]


def random_shift(images, max_shift: int = 1, rng=None, image_shape=None) -> np.ndarray:
    """Move each image by its own random offset of up to ``max_shift`` pixels, filling with 0.

    Args:
        images: (N, H, W), or (N, H·W) flattened rows.
        max_shift: k; the row and column offsets are drawn uniformly from -k..k.
        rng: numpy Generator or int seed; None uses ``nnlib.manual_seed``'s generator.
        image_shape: (H, W) of flattened images; None assumes square images (H = W = √D).

    Returns:
        Array of the same shape and dtype as ``images``; pixels moved in from outside are 0.
    """
    images = np.asarray(images)
    max_shift = check_count(max_shift, "max_shift", "random_shift", minimum=0)
    square = _as_square(images, image_shape, "random_shift")
    n, h, w = square.shape
    rng = resolve_rng(rng)
    dy = rng.integers(-max_shift, max_shift + 1, size=n)
    dx = rng.integers(-max_shift, max_shift + 1, size=n)
    # A frame of k zeros around every image: out[i, r, c] = in[i, r − dy, c − dx] then reads
    # padded[i, r − dy + k, c − dx + k], which is a zero whenever it falls outside the image.
    k = max_shift
    padded = np.pad(square, ((0, 0), (k, k), (k, k)))
    rows = np.arange(h) + k - dy[:, None]  # (N, H)
    cols = np.arange(w) + k - dx[:, None]  # (N, W)
    shifted = padded[np.arange(n)[:, None, None], rows[:, :, None], cols[:, None, :]]
    return shifted.reshape(images.shape)


def augment_images(
    images,
    max_shift: int = 1,
    noise: float = 0.0,
    rng=None,
    image_shape=None,
    clip: tuple[float, float] | None = (0.0, 1.0),
) -> np.ndarray:
    """Random shifts (see ``random_shift``) followed by Gaussian pixel noise of std ``noise``.

    Args:
        images: float (N, H, W) or (N, H·W), pixel values in [0, 1] as the loaders return.
        max_shift: k, in pixels (0: no shift).
        noise: standard deviation of the pixel noise (0: none).
        clip: range to clip the noisy pixels to; None to leave them unclipped.

    Returns:
        A new array of the same shape and dtype as ``images``.
    """
    images = np.asarray(images)
    if not np.issubdtype(images.dtype, np.floating):
        raise TypeError(
            f"augment_images: images must hold floating-point pixels, got dtype {images.dtype}"
        )
    noise = check_std(noise, "noise", "augment_images")
    rng = resolve_rng(rng)
    out = random_shift(images, max_shift, rng, image_shape)  # a new array even for k = 0
    if noise > 0:
        out = add_noise(out, noise, rng, clip=clip)
    return out


def _as_square(images: np.ndarray, image_shape, where: str) -> np.ndarray:
    """View of ``images`` as (N, H, W), whether they came as (N, H, W) or (N, H·W)."""
    if images.ndim == 3:
        if image_shape is not None and tuple(image_shape) != images.shape[1:]:
            raise ValueError(
                f"{where}: image_shape={tuple(image_shape)} but the images have shape "
                f"{images.shape[1:]}"
            )
        return images
    if images.ndim != 2:
        raise ValueError(
            f"{where}: expected images of shape (N, H, W) or (N, H*W), got {images.shape}"
        )
    d = images.shape[1]
    if image_shape is None:
        side = math.isqrt(d)
        if side * side != d:
            raise ValueError(
                f"{where}: {d} pixels per image is not a square; pass image_shape=(H, W)"
            )
        image_shape = (side, side)
    h, w = image_shape
    if h * w != d:
        raise ValueError(
            f"{where}: image_shape={tuple(image_shape)} has {h * w} pixels, but the images have {d}"
        )
    return images.reshape(len(images), h, w)
