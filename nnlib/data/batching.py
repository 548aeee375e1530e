"""Mini-batches: the unit of work of stochastic gradient descent (lessons 5 and 9).

One epoch visits every example once, in a new random order each epoch, a batch at a time.
Shuffling is one permutation of the indices and each batch one fancy-indexing copy: no Python
loop over examples.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..random import resolve_rng

__all__ = ["batches"]


def batches(
    x: np.ndarray,
    y: np.ndarray | None = None,
    batch_size: int = 32,
    shuffle: bool = True,
    rng=None,
    drop_last: bool = False,
) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """Yield (x_batch, y_batch) pairs covering the data once.

    Args:
        x: inputs, shape (N, ...).
        y: targets, shape (N, ...), or None (then y_batch is None).
        batch_size: B, examples per batch; the last batch may be smaller unless ``drop_last``.
        shuffle: visit the examples in a random order (from ``rng``).
        rng: numpy Generator or int seed; None uses ``nnlib.manual_seed``'s generator.

    Yields:
        x_batch of shape (B, ...), y_batch of shape (B, ...) or None.
    """
    n = len(x)
    if y is not None and len(y) != n:
        raise ValueError(
            f"batches: x has {n} examples but y has {len(y)} (shapes {np.shape(x)} and "
            f"{np.shape(y)})"
        )
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batches: batch_size must be a positive integer, got {batch_size!r}")
    order = resolve_rng(rng).permutation(n) if shuffle else None
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        if order is None:  # slices are views: no copy at all
            yield (
                x[start : start + batch_size],
                None if y is None else y[start : start + batch_size],
            )
        else:
            idx = order[start : start + batch_size]
            yield x[idx], None if y is None else y[idx]
