"""Callbacks: code that runs at fixed points of ``fit`` (lessons 9 and 10).

A callback subclasses ``Callback`` and overrides the hooks it needs. Each hook receives the
``FitState`` of the run (model, optimizer, history, epoch, ...); setting
``state.stop_training = True`` ends training after the current epoch, as in Keras.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ..module import Module
from .checkpoint import save_checkpoint
from .history import History

__all__ = ["Callback", "EarlyStopping", "FitState", "ModelCheckpoint"]


@dataclass
class FitState:
    """What callbacks can see and change during ``fit``."""

    model: Module
    optimizer: object
    history: History
    epochs: int
    epoch: int = 0  # the current epoch, from 1
    batch: int = 0  # batches done in the current epoch
    logs: dict = field(default_factory=dict)  # this epoch's metrics, filled at its end
    stop_training: bool = False


class Callback:
    """Base class; every hook does nothing unless overridden."""

    def on_train_begin(self, state: FitState) -> None: ...

    def on_epoch_begin(self, state: FitState) -> None: ...

    def on_batch_end(self, state: FitState, loss: float) -> None: ...

    def on_epoch_end(self, state: FitState) -> None: ...

    def on_train_end(self, state: FitState) -> None: ...


class EarlyStopping(Callback):
    """Stop when a monitored metric has not improved for ``patience`` epochs (lesson 10).

    Args:
        monitor: a History metric, "val_loss" (default) or e.g. "val_acc".
        patience: epochs without improvement to wait before stopping.
        min_delta: an improvement must beat the best value by more than this.
        mode: "min", "max", or "auto" (max for names containing "acc", else min).
        restore_best: at the end, put the weights of the best epoch back into the model.
    """

    def __init__(
        self, monitor="val_loss", patience=5, min_delta=0.0, mode="auto", restore_best=True
    ):
        if patience < 0:
            raise ValueError(f"EarlyStopping: patience must be >= 0, got {patience}")
        if mode == "auto":
            mode = "max" if "acc" in monitor else "min"
        if mode not in ("min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'min', 'max' or 'auto', got {mode!r}")
        self.monitor, self.patience, self.min_delta = monitor, patience, abs(min_delta)
        self.mode, self.restore_best = mode, restore_best

    def on_train_begin(self, state):
        self.best, self.best_epoch, self.best_weights, self.wait = None, None, None, 0

    def on_epoch_end(self, state):
        if self.monitor not in state.logs:
            raise KeyError(
                f"EarlyStopping monitors {self.monitor!r}, but the epoch logged only "
                f"{sorted(state.logs)} (pass validation_data to fit for val_ metrics)"
            )
        value = state.logs[self.monitor]
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, state.epoch, 0
            if self.restore_best:
                self.best_weights = state.model.state_dict()
        else:
            self.wait += 1
            if self.wait >= self.patience:
                state.stop_training = True
                state.history.stopped_early = True

    def on_train_end(self, state):
        if self.restore_best and self.best_weights is not None:
            state.model.load_state_dict(self.best_weights)
            state.history.best_epoch = self.best_epoch

    def _improved(self, value: float) -> bool:
        if math.isnan(value):
            return False
        if self.best is None:
            return True
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta


class ModelCheckpoint(Callback):
    """Save a checkpoint after each epoch, or only when ``monitor`` reaches a new best."""

    def __init__(self, path, monitor: str | None = "val_loss", mode="auto", save_optimizer=True):
        self.path = Path(path)
        self.monitor, self.save_optimizer = monitor, save_optimizer
        self.mode = ("max" if monitor and "acc" in monitor else "min") if mode == "auto" else mode
        self.best = None

    def on_epoch_end(self, state):
        if self.monitor is not None:
            value = state.logs.get(self.monitor, math.nan)
            better = self.best is None or (
                value < self.best if self.mode == "min" else value > self.best
            )
            if math.isnan(value) or not better:
                return
            self.best = value
        optimizer = state.optimizer if self.save_optimizer else None
        save_checkpoint(self.path, state.model, optimizer, epoch=state.epoch)
