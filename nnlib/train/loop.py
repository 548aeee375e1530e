"""The training loop: ``fit`` a model to data, then ``evaluate`` and ``predict`` (lesson 9).

``fit`` is the loop students will meet again in PyTorch, written once:

    for epoch in range(epochs):
        for x_batch, y_batch in batches(x, y, batch_size, shuffle=True):
            loss = loss_fn(model(x_batch), y_batch)       # forward
            optimizer.zero_grad()
            model.backward(loss_fn.backward())            # backward
            optimizer.step()                              # update
        ... evaluate on the validation set, record the history, run callbacks ...

plus what a well-kept loop needs: seeded shuffling, a progress bar, early stopping through
callbacks, and a clean stop on Ctrl-C / "interrupt kernel" that keeps the history so far.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Sequence

import numpy as np

from ..data.batching import batches
from ..losses import BCEWithLogitsLoss, CrossEntropyLoss, HingeLoss, Loss
from ..module import Module
from ..random import resolve_rng
from .callbacks import Callback, FitState
from .history import History
from .progress import progress_bar

__all__ = ["accuracy", "evaluate", "fit", "predict"]

_CLASSIFICATION_LOSSES = (CrossEntropyLoss, BCEWithLogitsLoss, HingeLoss)


def fit(
    model: Module,
    loss_fn: Loss,
    optimizer,
    x: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int = 10,
    batch_size: int = 32,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    shuffle: bool = True,
    rng=None,
    callbacks: Sequence[Callback] = (),
    progress: bool | None = None,
) -> History:
    """Train ``model`` on (x, y) with mini-batch gradient descent; return the History.

    Args:
        model: any nnlib Module, e.g. a Sequential.
        loss_fn: an nnlib loss; accuracy is recorded too for CrossEntropyLoss,
            BCEWithLogitsLoss and HingeLoss.
        optimizer: an ``nnlib.optim`` optimizer over ``model.parameters()``.
        x: inputs, shape (N, D).  y: targets, shape (N,) labels or (N, K).
        epochs: passes over the data.  batch_size: examples per gradient step.
        validation_data: (x_val, y_val), evaluated after every epoch ("val_loss", "val_acc").
        shuffle, rng: a new random order each epoch, from ``rng`` (Generator, seed or None).
        callbacks: ``Callback`` objects (e.g. ``EarlyStopping``).
        progress: True/False to force the progress bar; None shows it only to a human.

    Returns:
        History with one entry per completed epoch of "train_loss" (the mean over the epoch's
        batches), "train_acc", and the "val_" metrics. If interrupted (Ctrl-C), training stops
        after the current step, ``history.interrupted`` is True and the model holds the weights
        after that last complete step.
    """
    x, y = _check_data(model, x, y, "fit")
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
            raise TypeError("fit: validation_data must be a pair (x_val, y_val)")
        validation_data = _check_data(model, *validation_data, "fit (validation_data)")
    if not isinstance(epochs, (int, np.integer)) or epochs < 0:
        raise ValueError(f"fit: epochs must be a non-negative integer, got {epochs!r}")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"fit: batch_size must be a positive integer, got {batch_size!r}")

    rng = resolve_rng(rng)
    history = History()
    state = FitState(model, optimizer, history, epochs)
    classify = isinstance(loss_fn, _CLASSIFICATION_LOSSES)
    # The first layer's input is data: its gradient is never needed (see Sequential.backward).
    backward_kwargs = {"input_grad": False} if _accepts_input_grad(model) else {}
    batches_per_epoch = math.ceil(len(x) / batch_size)
    bar = progress_bar(epochs * batches_per_epoch, desc="training", show=progress)
    was_training = model.training
    interrupt = _InterruptGuard()
    start = time.perf_counter()
    for callback in callbacks:
        callback.on_train_begin(state)
    try:
        with interrupt:
            for epoch in range(1, epochs + 1):
                state.epoch, state.batch, state.logs = epoch, 0, {}
                for callback in callbacks:
                    callback.on_epoch_begin(state)
                model.train()
                loss_sum = correct = 0.0
                for xb, yb in batches(x, y, batch_size, shuffle=shuffle, rng=rng):
                    out = model(xb)
                    loss = loss_fn(out, yb)
                    optimizer.zero_grad()
                    model.backward(loss_fn.backward(), **backward_kwargs)
                    optimizer.step()
                    loss_sum += loss * len(xb)
                    if classify:
                        correct += _count_correct(loss_fn, out, yb)
                    state.batch += 1
                    bar.update(1)
                    for callback in callbacks:
                        callback.on_batch_end(state, loss)
                    if interrupt.requested:
                        break
                if interrupt.requested:
                    break
                logs = {"train_loss": loss_sum / len(x)}
                if classify:
                    logs["train_acc"] = correct / len(x)
                if validation_data is not None:
                    val = evaluate(
                        model, loss_fn, *validation_data, batch_size=max(batch_size, 1024)
                    )
                    logs.update({f"val_{k}": v for k, v in val.items()})
                state.logs = logs
                history.record(epoch, **logs)
                bar.set_postfix({k: f"{v:.4f}" for k, v in logs.items()}, refresh=False)
                for callback in callbacks:
                    callback.on_epoch_end(state)
                if state.stop_training:
                    break
    finally:
        history.interrupted = interrupt.requested
        bar.close()
        model.train(was_training)
        for callback in callbacks:
            callback.on_train_end(state)
        history.seconds = time.perf_counter() - start
    if history.interrupted:
        print(
            f"Training interrupted in epoch {state.epoch} after {state.batch} batches; the "
            f"history keeps the {len(history)} complete epochs, and the model the weights after "
            "the last complete step."
        )
    return history


def predict(model: Module, x: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    """The model's outputs for ``x`` (N, D), in evaluation mode, batch by batch: shape (N, K).

    The model's train/eval mode is restored afterwards.
    """
    x = np.asarray(x)
    was_training = model.training
    model.eval()
    try:
        outputs = [model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)]
    finally:
        model.train(was_training)
    return np.concatenate(outputs) if outputs else np.empty((0,))


def accuracy(scores: np.ndarray, y: np.ndarray) -> float:
    """Fraction of correct predictions from scores (N, C) or logits (N,)/(N, 1).

    With C ≥ 2 columns the prediction is the arg-max and ``y`` holds integer labels (N,);
    with one column (a binary logit) it is ``score > 0`` and ``y`` holds 0/1 or ±1 labels.
    """
    scores, y = np.asarray(scores), np.asarray(y)
    if len(scores) != len(y):
        raise ValueError(f"accuracy: {len(scores)} predictions but {len(y)} labels")
    if len(y) == 0:
        raise ValueError("accuracy: no examples")
    if scores.ndim == 2 and scores.shape[1] > 1:
        return float(np.mean(scores.argmax(axis=1) == y.reshape(-1)))
    return float(np.mean((scores.reshape(-1) > 0) == (y.reshape(-1) > 0)))


def evaluate(
    model: Module, loss_fn: Loss, x: np.ndarray, y: np.ndarray, batch_size: int = 1024
) -> dict[str, float]:
    """Loss (and accuracy, for classification losses) of ``model`` on (x, y), in eval mode.

    Returns:
        {"loss": mean loss over the N examples, "acc": accuracy} ("acc" only for CrossEntropy,
        BCEWithLogits and Hinge losses).
    """
    x, y = _check_data(model, x, y, "evaluate")
    out = predict(model, x, batch_size)
    result = {"loss": loss_fn(out, y)}
    if isinstance(loss_fn, _CLASSIFICATION_LOSSES):
        result["acc"] = accuracy(out, y)
    return result


def _count_correct(loss_fn: Loss, out: np.ndarray, y: np.ndarray) -> int:
    if isinstance(loss_fn, CrossEntropyLoss) and y.ndim == 1:
        return int(np.count_nonzero(out.argmax(axis=1) == y))
    if isinstance(loss_fn, CrossEntropyLoss):  # class probabilities as targets
        return int(np.count_nonzero(out.argmax(axis=1) == y.argmax(axis=1)))
    return int(np.count_nonzero((out > 0) == (y > 0)))  # binary: logit sign vs 0/1 or ±1 label


def _check_data(model, x, y, where: str):
    if not isinstance(model, Module):
        raise TypeError(f"{where}: model must be an nnlib Module, got {type(model).__name__}")
    x, y = np.asarray(x), np.asarray(y)
    if len(x) == 0:
        raise ValueError(f"{where}: no training examples (x has shape {x.shape})")
    if len(x) != len(y):
        raise ValueError(
            f"{where}: x has {len(x)} examples but y has {len(y)} (shapes {x.shape} and {y.shape})"
        )
    return x, y


def _accepts_input_grad(model: Module) -> bool:
    from ..linear import Linear
    from ..sequential import Sequential

    return isinstance(model, (Sequential, Linear))


class _InterruptGuard:
    """Turns Ctrl-C into a flag the loop checks between steps, so no step is cut in half.

    A step interrupted inside ``optimizer.step()`` would leave some parameters updated and
    others not. In the main thread, SIGINT (which Jupyter's "interrupt kernel" also sends) only
    sets ``requested``; a second Ctrl-C raises KeyboardInterrupt as usual. Elsewhere (Python
    handles signals only in the main thread) a KeyboardInterrupt is caught and sets the flag,
    but may then have cut a step short.
    """

    def __init__(self):
        self.requested = False
        self._previous = None

    def _handler(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        if exc_type is KeyboardInterrupt:
            self.requested = True
            return True  # swallow it: fit returns the history so far
        return False
