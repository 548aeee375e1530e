"""Every data set of the course by name: ``load_dataset("two_moons")``, ``load_dataset("mnist")``.

A single entry point, so that a lesson's widget can offer a drop-down of data sets and a typo
gets a suggestion instead of an AttributeError.
"""

from __future__ import annotations

from ._checks import pick_name
from .digits import load_digits
from .mnist import load_fashion_mnist, load_mnist
from .toy import blobs, circles, linearly_separable, spirals, two_moons, xor

__all__ = ["DATASETS", "load_dataset"]

# name -> the function that makes or loads it; keyword arguments are passed on to it.
DATASETS = {
    "digits": load_digits,
    "mnist": load_mnist,
    "fashion_mnist": load_fashion_mnist,
    "xor": xor,
    "two_moons": two_moons,
    "circles": circles,
    "spirals": spirals,
    "blobs": blobs,
    "linearly_separable": linearly_separable,
}


def load_dataset(name: str, **kwargs):
    """Load or generate the data set ``name``: ``DATASETS[name](**kwargs)``.

    Args:
        name: one of ``DATASETS`` ("digits", "mnist", "fashion_mnist", or a toy problem);
            case, "-" and spaces are forgiven ("Fashion-MNIST" works).
        **kwargs: passed on, e.g. ``split="test"`` or ``n=500, noise=0.2, rng=0``.

    Returns:
        (x, y) as the named function returns them (see its docstring for shapes and dtypes).
    """
    return DATASETS[pick_name(name, DATASETS, "dataset")](**kwargs)
