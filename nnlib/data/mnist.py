"""MNIST and Fashion-MNIST: 70 000 greyscale 28×28 images each, in 10 classes.

From lesson 9 (training) on, the networks that learned the 8×8 digits move to these larger
sets. MNIST holds handwritten digits 0–9; Fashion-MNIST (Zalando Research) holds pictures of
clothes in the same format and is harder, so accuracy differences between models show.

The four files of each set (train/test images/labels) are downloaded on first use, checked
against their SHA-256 and cached (see ``download.py``); ``load_digits()`` needs no download.
"""

from __future__ import annotations

import numpy as np

from ._checks import pick_name
from .download import fetch
from .idx import IDXError, read_idx

__all__ = ["FASHION_MNIST_CLASSES", "load_fashion_mnist", "load_mnist"]

# Label c of Fashion-MNIST is FASHION_MNIST_CLASSES[c] (from the data set's README).
FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

_SPLITS = ("train", "test")


def load_mnist(split: str = "train", flatten: bool = True, base_url=None, progress=True):
    """MNIST handwritten digits: 60 000 training or 10 000 test images.

    Args:
        split: "train" or "test".
        flatten: return images as rows of 784 pixels; False keeps them (N, 28, 28).
        base_url: folder URL to download from instead of the official mirrors (or set
            ``NNLIB_DATA_URL``); files are cached in ``$NNLIB_DATA`` or the user cache folder.
        progress: show a progress bar while downloading.

    Returns:
        x: float32 (N, 784) (or (N, 28, 28)), pixel values in [0, 1], ink bright on black.
        y: int64 (N,), the digit 0..9.
    """
    return _load("mnist", split, flatten, base_url, progress)


def load_fashion_mnist(split: str = "train", flatten: bool = True, base_url=None, progress=True):
    """Fashion-MNIST: 60 000 training or 10 000 test images of clothes, 10 classes.

    Same arguments and returns as ``load_mnist``; the names of the labels 0..9 are in
    ``FASHION_MNIST_CLASSES``.
    """
    return _load("fashion_mnist", split, flatten, base_url, progress)


def _load(dataset: str, split: str, flatten: bool, base_url, progress):
    split = pick_name(split, _SPLITS, f"{dataset} split")
    prefix = "train" if split == "train" else "t10k"  # the files' own name for the test split
    image_file = fetch(dataset, f"{prefix}-images-idx3-ubyte.gz", base_url, progress)
    label_file = fetch(dataset, f"{prefix}-labels-idx1-ubyte.gz", base_url, progress)
    images, labels = read_idx(image_file), read_idx(label_file)
    if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
        raise IDXError(
            f"{dataset} {split}: expected images (N, H, W) and labels (N,), got shapes "
            f"{images.shape} from {image_file} and {labels.shape} from {label_file}"
        )
    x = images.reshape(len(images), -1) if flatten else images
    # uint8 0..255 -> float32 0..1: inputs of order 1 suit the default initialisations
    x = x.astype(np.float32)
    x /= 255
    return x, labels.astype(np.int64)
