"""History: what a training run records each epoch, as plain lists a notebook can plot (lesson 9).

Like Keras's ``History.history`` or cs231n's ``Solver.loss_history``: one list per metric, one
entry per epoch, so ``plt.plot(history.epochs, history["val_loss"])`` just works.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["History"]


@dataclass
class History:
    """Per-epoch metrics of a training run.

    Attributes:
        epochs: [1, 2, ...], the epochs completed.
        metrics: name -> list of one float per epoch. ``fit`` records "train_loss" and
            "train_acc" (accuracy, for classification), and "val_loss" and "val_acc" when
            given validation data; callbacks may add their own (e.g. "lr").
        stopped_early: True if early stopping ended the run.
        interrupted: True if the run was interrupted (Ctrl-C / "interrupt kernel").
        best_epoch: the epoch whose weights the model holds after early stopping, else None.
        seconds: wall-clock time of the run.
    """

    epochs: list[int] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    stopped_early: bool = False
    interrupted: bool = False
    best_epoch: int | None = None
    seconds: float = 0.0

    def record(self, epoch: int, **values: float) -> None:
        """Add one epoch's values; a metric first seen late is padded with NaN before."""
        self.epochs.append(epoch)
        for name, value in values.items():
            column = self.metrics.setdefault(name, [float("nan")] * (len(self.epochs) - 1))
            column.append(float(value))
        for column in self.metrics.values():  # a metric missing this epoch gets NaN
            if len(column) < len(self.epochs):
                column.append(float("nan"))

    def __getitem__(self, name: str) -> list[float]:
        try:
            return self.metrics[name]
        except KeyError:
            raise KeyError(
                f"no metric {name!r} in this history; it has {sorted(self.metrics)}"
            ) from None

    def __contains__(self, name: str) -> bool:
        return name in self.metrics

    def __len__(self) -> int:
        return len(self.epochs)

    def last(self, name: str) -> float:
        """The most recent value of a metric."""
        return self[name][-1]

    def as_dict(self) -> dict[str, list]:
        """{"epoch": [...], metric: [...], ...}: ready for pandas.DataFrame or json."""
        return {"epoch": list(self.epochs), **{k: list(v) for k, v in self.metrics.items()}}

    def __repr__(self) -> str:
        if not self.epochs:
            return "History(no epochs)"
        last = ", ".join(f"{k}={v[-1]:.4f}" for k, v in self.metrics.items())
        flags = " (stopped early)" if self.stopped_early else ""
        flags += " (interrupted)" if self.interrupted else ""
        return f"History({len(self.epochs)} epochs{flags}; last: {last})"
