"""Helpers shared by the benchmark scripts: thread limits, timing, environment report."""

from __future__ import annotations

import os
import platform
import statistics
import time
from contextlib import contextmanager

import numpy as np


@contextmanager
def blas_threads(n: int):
    """Limit every BLAS/OpenMP pool in the process (NumPy's, scikit-learn's, PyTorch's) to n."""
    from threadpoolctl import threadpool_limits

    try:
        import torch
    except ImportError:
        torch = None
    old = torch.get_num_threads() if torch else None
    if torch:
        torch.set_num_threads(n)
    with threadpool_limits(limits=n):
        yield
    if torch:
        torch.set_num_threads(old)


def median_time(fn, repeats: int, warmup: int = 1) -> tuple[float, list[float]]:
    """Median wall time of ``fn()`` over ``repeats`` calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), times


def environment() -> str:
    keys = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    env = ", ".join(f"{k}={os.environ.get(k, '<unset>')}" for k in keys)
    return (
        f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cpus; {env}"
    )
