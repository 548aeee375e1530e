"""Data for the course: toy problems, real digits, and the helpers that feed them to a network.

Used from lesson 1 on. Everything here works offline; only the Fashion-MNIST and MNIST loaders
download (once, with checksums), and only when called.

* toy problems (``toy.py``): ``xor``, ``logic_gate``, ``two_moons``, ``circles``, ``spirals``,
  ``blobs``, ``linearly_separable``, ``regression_1d``;
* real images: ``load_digits`` (8×8, shipped), ``load_mnist``, ``load_fashion_mnist``
  (28×28, downloaded), ``read_idx``; ``load_dataset(name)`` finds any of them by name;
* helpers: ``batches``, ``train_val_test_split``, ``standardize``/``Standardizer``,
  ``one_hot``, ``add_noise``, ``flip_labels``, ``random_shift``, ``augment_images``.
"""

from .augment import augment_images, random_shift
from .batching import batches
from .catalog import DATASETS, load_dataset
from .digits import load_digits
from .download import ChecksumError, DownloadError, cache_dir
from .idx import IDXError, read_idx
from .mnist import FASHION_MNIST_CLASSES, load_fashion_mnist, load_mnist
from .noise import add_noise, flip_labels
from .preprocess import Standardizer, one_hot, standardize
from .split import train_val_test_split
from .toy import (
    LOGIC_GATES,
    REGRESSION_TARGETS,
    blobs,
    circles,
    linearly_separable,
    logic_gate,
    regression_1d,
    spirals,
    two_moons,
    xor,
)

__all__ = [
    "DATASETS",
    "FASHION_MNIST_CLASSES",
    "LOGIC_GATES",
    "REGRESSION_TARGETS",
    "ChecksumError",
    "DownloadError",
    "IDXError",
    "Standardizer",
    "add_noise",
    "augment_images",
    "batches",
    "blobs",
    "cache_dir",
    "circles",
    "flip_labels",
    "linearly_separable",
    "load_dataset",
    "load_digits",
    "load_fashion_mnist",
    "load_mnist",
    "logic_gate",
    "one_hot",
    "random_shift",
    "read_idx",
    "regression_1d",
    "spirals",
    "standardize",
    "train_val_test_split",
    "two_moons",
    "xor",
]
