"""Training: the fit loop, its history, callbacks and checkpoints (lessons 9 and 10)."""

from .callbacks import Callback, EarlyStopping, FitState, ModelCheckpoint
from .checkpoint import load_checkpoint, save_checkpoint
from .history import History
from .loop import accuracy, evaluate, fit, predict

__all__ = [
    "Callback",
    "EarlyStopping",
    "FitState",
    "History",
    "ModelCheckpoint",
    "accuracy",
    "evaluate",
    "fit",
    "load_checkpoint",
    "predict",
    "save_checkpoint",
]
