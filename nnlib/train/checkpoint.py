"""Checkpoints: a model's and an optimizer's state in one file, written atomically (lesson 9).

The file is a NumPy ``.npz`` archive (no pickle, so loading one cannot run code): keys
``model/<parameter name>`` and ``optimizer/<state key>``, plus a format version. It is first
written to a temporary file in the same folder, flushed to disk, then renamed over the target:
a rename is atomic, so a crash leaves either the old checkpoint or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from ..module import Module

__all__ = ["load_checkpoint", "save_checkpoint"]

_FORMAT = 1


def save_checkpoint(path, model: Module, optimizer=None, **extra) -> Path:
    """Write ``model`` (and ``optimizer``) state to ``path`` atomically; return the path.

    ``extra`` values (numbers or arrays, e.g. ``epoch=5``) are stored under ``extra/<name>``
    and returned by ``load_checkpoint``.
    """
    path = Path(path)
    arrays = {"format": np.array(_FORMAT)}
    arrays.update({f"model/{k}": v for k, v in model.state_dict().items()})
    if optimizer is not None:
        arrays.update({f"optimizer/{k}": np.asarray(v) for k, v in optimizer.state_dict().items()})
    arrays.update({f"extra/{k}": np.asarray(v) for k, v in extra.items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:  # including KeyboardInterrupt: never leave the temporary file behind
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_checkpoint(path, model: Module, optimizer=None) -> dict:
    """Load a checkpoint written by ``save_checkpoint`` into ``model`` (and ``optimizer``).

    Parameter names and shapes are validated (see ``Module.load_state_dict``); on any problem a
    ValueError explains it and neither the model nor the optimizer is changed.

    Returns:
        the ``extra`` values saved with the checkpoint, as a dict.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        with np.load(path, allow_pickle=False) as archive:
            saved = {k: archive[k] for k in archive.files}
    except (OSError, ValueError, EOFError) as exc:
        raise ValueError(f"{path} is not a readable nnlib checkpoint ({exc})") from exc
    if saved.get("format") is None or int(saved["format"]) != _FORMAT:
        raise ValueError(f"{path} is not an nnlib checkpoint of format {_FORMAT}")
    model_state = _section(saved, "model/")
    optimizer_state = _section(saved, "optimizer/")
    if optimizer is not None and not optimizer_state:
        raise ValueError(f"{path} holds no optimizer state, but an optimizer was given")

    before = model.state_dict()
    model.load_state_dict(model_state)  # validates everything first; loads all or nothing
    if optimizer is not None:
        try:
            optimizer.load_state_dict(optimizer_state)
        except (TypeError, ValueError):
            model.load_state_dict(before)  # keep the pair consistent: undo the model's load
            raise
    return {k: (v.item() if v.ndim == 0 else v) for k, v in _section(saved, "extra/").items()}


def _section(saved: dict, prefix: str) -> dict:
    return {k[len(prefix) :]: v for k, v in saved.items() if k.startswith(prefix)}
