"""Argument checks shared by the data generators and loaders.

Each raises an error that names the function, the argument and the value it got, so that a
typo in a lesson cell is found from the message alone.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["check_count", "check_fraction", "check_std", "pick_name"]


def check_count(value, name: str, where: str, minimum: int = 1) -> int:
    """``value`` as an int, or ValueError/TypeError if it is not an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{where}: {name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{where}: {name} must be at least {minimum}, got {value}")
    return int(value)


def check_fraction(value, name: str, where: str, upper: float = 1.0) -> float:
    """``value`` as a float in [0, ``upper``], or a ValueError saying so."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{where}: {name} must be a number in [0, {upper:g}], got {value!r}")
    if not 0.0 <= value <= upper:  # False for NaN as well
        raise ValueError(f"{where}: {name} must lie in [0, {upper:g}], got {value}")
    return float(value)


def check_std(value, name: str, where: str) -> float:
    """``value`` as a float standard deviation: finite and >= 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{where}: {name} must be a number >= 0, got {value!r}")
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{where}: {name} is a standard deviation, it must be >= 0; got {value}")
    return float(value)


def pick_name(name, valid, what: str) -> str:
    """``name`` normalised (lower case, '-' and ' ' as '_') if it is in ``valid``.

    Otherwise a ValueError lists the valid names and suggests the closest one, the usual cure
    for "fashion-mnist" or "two_moon".
    """
    if not isinstance(name, str):
        raise TypeError(f"{what} must be a string, one of {', '.join(valid)}; got {name!r}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    if key in valid:
        return key
    import difflib  # only needed on this error path

    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.5)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ValueError(f"unknown {what} {name!r}{hint} (valid: {', '.join(valid)})")
