"""Training, validation and test sets: held-out data is how we measure generalisation.

Lesson 9 (training) picks hyperparameters on a validation set; lesson 10 (regularization)
watches the gap between training and validation loss. The test set is looked at once, at the
end. Stratifying keeps each class's share the same in every part, which matters for small
data sets such as the 8×8 digits.
"""

from __future__ import annotations

import math

import numpy as np

from ..random import resolve_rng
from ._checks import check_fraction

__all__ = ["train_val_test_split"]


def train_val_test_split(x, y, val: float = 0.0, test: float = 0.2, rng=None, stratify=None):
    """Split (x, y) at random into training, validation and test parts.

    The held-out sizes are ceil(val·N) and ceil(test·N) (as scikit-learn, so a non-zero
    fraction never gives an empty set), and the training set gets the rest. Within each part
    the examples keep their original order.

    Args:
        x: inputs, shape (N, ...).
        y: targets, shape (N, ...).
        val: fraction of the examples for validation, in [0, 1) (0: an empty validation part).
        test: fraction for the test set, in [0, 1).
        rng: numpy Generator or int seed; None uses ``nnlib.manual_seed``'s generator.
        stratify: split each class in the same proportions. None (the default) stratifies when
            y holds integer class labels of shape (N,), and not otherwise (regression).

    Returns:
        ((x_train, y_train), (x_val, y_val), (x_test, y_test)), each x of shape (Nᵢ, ...) and
        each y of shape (Nᵢ, ...).
    """
    x, y = np.asarray(x), np.asarray(y)
    n = len(x)
    if len(y) != n:
        raise ValueError(
            f"train_val_test_split: x has {n} examples but y has {len(y)} "
            f"(shapes {x.shape} and {y.shape})"
        )
    val = check_fraction(val, "val", "train_val_test_split")
    test = check_fraction(test, "test", "train_val_test_split")
    n_val, n_test = math.ceil(val * n), math.ceil(test * n)
    if n_val + n_test >= n:
        raise ValueError(
            f"train_val_test_split: val={val} and test={test} of {n} examples leave no "
            f"training examples ({n_val} validation + {n_test} test)"
        )
    labels_ok = y.ndim == 1 and np.issubdtype(y.dtype, np.integer)
    if stratify is None:
        stratify = labels_ok
    elif stratify and not labels_ok:
        raise ValueError(
            f"train_val_test_split: stratify=True needs integer class labels of shape (N,), "
            f"got dtype {y.dtype} and shape {y.shape}"
        )

    order = resolve_rng(rng).permutation(n)
    if stratify:
        part = _stratified_parts(y, order, n_val, n_test)
    else:  # the first n_test shuffled examples go to test, the next n_val to validation
        part = np.zeros(n, dtype=np.int8)
        part[order[:n_test]] = 2
        part[order[n_test : n_test + n_val]] = 1
    # flatnonzero returns sorted indices: each part keeps the original order.
    return tuple((x[idx], y[idx]) for idx in (np.flatnonzero(part == p) for p in range(3)))


def _stratified_parts(y, order, n_val, n_test) -> np.ndarray:
    """Part of each example (0 train, 1 validation, 2 test), each class split pro rata.

    One loop over classes, not examples: within a class, the shuffled ``order`` decides which
    of its examples go to test first, then to validation.
    """
    classes, counts = np.unique(y, return_counts=True)
    n_test_per_class = _apportion(counts, n_test)
    n_val_per_class = _apportion(counts - n_test_per_class, n_val)
    part = np.zeros(len(y), dtype=np.int8)
    shuffled_labels = y[order]
    for c, t, v in zip(classes, n_test_per_class, n_val_per_class, strict=True):
        members = order[shuffled_labels == c]  # this class's examples, in shuffled order
        part[members[:t]] = 2
        part[members[t : t + v]] = 1
    return part


def _apportion(sizes: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to ``sizes``, each at most its size, summing exactly to ``total``.

    The largest-remainder method: round every share down, then give the units still missing
    to the groups whose shares lost the most in rounding.
    """
    share = sizes * (total / sizes.sum())
    whole = np.floor(share).astype(np.int64)
    missing = total - int(whole.sum())
    # stable sort: ties go to the earlier class, so the result is deterministic
    whole[np.argsort(whole - share, kind="stable")[:missing]] += 1
    return whole
