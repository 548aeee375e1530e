"""The 8×8 handwritten digits that ship with nnlib: real images, no download.

1 797 greyscale images of the digits 0–9, about 180 of each, 8×8 pixels: small enough that
a NumPy network trains on them in seconds, real enough that it can overfit. The course's
first image classifier (lesson 9, training) and its regularization experiments (lesson 10)
use them, and everything else falls back on them offline.

Source: E. Alpaydin, C. Kaynak, *Optical Recognition of Handwritten Digits*, UCI Machine
Learning Repository, 1998, https://doi.org/10.24432/C50P49, CC BY 4.0 (see
``files/DIGITS_LICENSE.md``). The train/test split is fixed and stored with the data
(1 437 / 360 images, stratified: 20 % of each digit for testing), so that the accuracies
quoted in the lessons can be reproduced exactly.
"""

from __future__ import annotations

import numpy as np

from ._checks import pick_name

__all__ = ["load_digits"]

_FILE = "digits.npz"
_SPLITS = ("train", "test")


def load_digits(split: str | None = None, flatten: bool = True):
    """The 8×8 digits, all 1 797 of them or the fixed training or test part.

    Args:
        split: None for all images in the original order, "train" for the 1 437 training
            images or "test" for the 360 test images (each keeping the original order).
        flatten: return images as rows of 64 pixels (row by row); False keeps them (N, 8, 8).

    Returns:
        x: float32 (N, 64) (or (N, 8, 8)), pixel values in [0, 1] (the stored counts 0..16
            divided by 16), ink bright on black.
        y: int64 (N,), the digit 0..9.
    """
    from importlib.resources import files  # here, not at the top: it slows down import nnlib

    with (files(__package__) / "files" / _FILE).open("rb") as f, np.load(f) as archive:
        images, labels, is_test = archive["images"], archive["labels"], archive["is_test"]
    if split is not None:
        keep = is_test if pick_name(split, _SPLITS, "digits split") == "test" else ~is_test
        images, labels = images[keep], labels[keep]
    x = images.astype(np.float32)
    x /= 16  # each pixel counts the inked points of a 4×4 block: 0..16
    if not flatten:
        x = x.reshape(-1, 8, 8)
    return x, labels.astype(np.int64)
