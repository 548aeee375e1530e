"""Progress bars for long work: tqdm's notebook-aware bar, or nothing (lesson 9 onwards).

tqdm is an optional dependency (in the ``course`` extra); without it, or when asked, or where
nobody is watching (not a terminal nor a Jupyter kernel, or on CI), the bar is a silent no-op.
"""

from __future__ import annotations

import os
import sys

__all__ = ["progress_bar", "should_show_progress"]


def should_show_progress(requested: bool | None = None) -> bool:
    """Whether to draw a bar: ``requested`` if given, else only for a watching human."""
    if requested is not None:
        return bool(requested)
    if os.environ.get("CI"):
        return False
    return _in_jupyter_kernel() or sys.stderr.isatty()


def progress_bar(total: int, desc: str = "", show: bool | None = None):
    """A tqdm bar over ``total`` steps (``.update(n)``, ``.set_postfix(...)``, ``.close()``).

    In Jupyter it is the notebook widget bar (tqdm.auto); elsewhere a text bar; and a no-op
    object with the same methods when ``should_show_progress(show)`` is False or tqdm is absent.
    """
    if should_show_progress(show):
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return _Silent()
        return tqdm(total=total, desc=desc, leave=True, dynamic_ncols=True)
    return _Silent()


class _Silent:
    """Stands in for a tqdm bar when nothing should be shown."""

    def update(self, n: int = 1) -> None:
        pass

    def set_postfix(self, *args, **kwargs) -> None:
        pass

    def close(self) -> None:
        pass


def _in_jupyter_kernel() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None or "ipykernel" not in sys.modules:
        return False
    ipython = shell.get_ipython()
    return ipython is not None and type(ipython).__name__ == "ZMQInteractiveShell"
