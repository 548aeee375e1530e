"""The training loop: history, seeding, early stopping, interrupts, checkpoints, helpers."""

import os
import signal

import numpy as np
import pytest

import nnlib
from nnlib.train import (
    Callback,
    EarlyStopping,
    FitState,
    History,
    ModelCheckpoint,
    accuracy,
    evaluate,
    fit,
    load_checkpoint,
    predict,
    save_checkpoint,
)


def problem(n=600, d=10, c=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)).astype(np.float32)
    y = (x @ rng.standard_normal((d, c))).argmax(axis=1)
    return x, y


def model_and_optimizer(seed=0, d=10, c=3, lr=0.05):
    net = nnlib.Sequential(
        nnlib.Linear(d, 32, init="he", rng=seed), nnlib.ReLU(), nnlib.Linear(32, c, rng=seed + 1)
    )
    return net, nnlib.optim.SGD(net.parameters(), lr=lr, momentum=0.9)


def train(epochs=5, seed=0, callbacks=(), progress=False):
    x, y = problem()
    net, opt = model_and_optimizer()
    history = fit(net, nnlib.CrossEntropyLoss(), opt, x[:500], y[:500], epochs=epochs,
                  batch_size=50, validation_data=(x[500:], y[500:]), rng=seed,
                  callbacks=callbacks, progress=progress)  # fmt: skip
    return net, opt, history


def test_history_records_every_epoch_and_training_helps():
    net, _, history = train(epochs=8)
    assert history.epochs == list(range(1, 9))
    for name in ("train_loss", "train_acc", "val_loss", "val_acc"):
        assert len(history[name]) == 8
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]
    assert history["val_acc"][-1] > 0.85
    x, y = problem()
    final = evaluate(net, nnlib.CrossEntropyLoss(), x[500:], y[500:])
    assert final["loss"] == pytest.approx(history["val_loss"][-1], rel=1e-6)
    assert final["acc"] == history["val_acc"][-1]
    assert not history.interrupted and not history.stopped_early


def test_train_loss_is_the_mean_over_the_epochs_batches():
    seen = []

    class Record(Callback):
        def on_batch_end(self, state, loss):
            seen.append(loss)

    _, _, history = train(epochs=1, callbacks=[Record()])
    assert len(seen) == 10
    assert history["train_loss"][0] == pytest.approx(np.mean(seen), rel=1e-6)


def test_shuffling_is_seeded():
    a, _, _ = train(epochs=2, seed=3)
    b, _, _ = train(epochs=2, seed=3)
    c, _, _ = train(epochs=2, seed=4)
    for pa, pb in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(pa.data, pb.data)
    assert not np.array_equal(a.parameters()[0].data, c.parameters()[0].data)


def test_early_stopping_restores_the_best_weights():
    x, y = problem(n=300, seed=1)
    net, opt = model_and_optimizer(lr=0.3)  # a large learning rate overfits 100 examples fast
    history = fit(net, nnlib.CrossEntropyLoss(), opt, x[:100], y[:100], epochs=200,
                  batch_size=10, validation_data=(x[100:], y[100:]), rng=0, progress=False,
                  callbacks=[EarlyStopping(patience=4)])  # fmt: skip
    assert history.stopped_early and len(history) < 200
    best = int(np.argmin(history["val_loss"])) + 1
    assert history.best_epoch == best
    assert len(history) == best + 4  # stopped after `patience` epochs without improvement
    now = evaluate(net, nnlib.CrossEntropyLoss(), x[100:], y[100:])["loss"]
    assert now == pytest.approx(history["val_loss"][best - 1], rel=1e-6)


@pytest.mark.parametrize(
    ("values", "mode", "patience", "stops_after"),
    [
        ([3, 2, 2.5, 2.4, 2.6, 1], "min", 2, 4),
        ([3, 2, 1, 0.5], "min", 0, None),
        ([0.5, 0.6, 0.6, 0.55], "max", 1, 3),
    ],
)
def test_early_stopping_patience(values, mode, patience, stops_after):
    stopper = EarlyStopping(monitor="m", patience=patience, mode=mode)
    state = FitState(nnlib.Linear(1, 1), None, History(), epochs=len(values))
    stopper.on_train_begin(state)
    stopped = None
    for epoch, value in enumerate(values, start=1):
        state.epoch, state.logs = epoch, {"m": value}
        stopper.on_epoch_end(state)
        if state.stop_training:
            stopped = epoch
            break
    assert stopped == stops_after


def test_early_stopping_names_a_missing_metric():
    with pytest.raises(KeyError, match="pass validation_data"):
        x, y = problem()
        net, opt = model_and_optimizer()
        fit(net, nnlib.CrossEntropyLoss(), opt, x, y, epochs=2, progress=False,
            callbacks=[EarlyStopping()])  # fmt: skip


def replay(steps, seed=0, batch_size=50):
    """The same training, by hand, stopped after exactly ``steps`` optimizer steps."""
    x, y = problem()
    x, y = x[:500], y[:500]
    net, opt = model_and_optimizer()
    loss_fn, rng, done = nnlib.CrossEntropyLoss(), nnlib.random.resolve_rng(seed), 0
    while done < steps:
        for xb, yb in nnlib.data.batches(x, y, batch_size, rng=rng):
            loss_fn(net(xb), yb)
            opt.zero_grad()
            net.backward(loss_fn.backward())
            opt.step()
            done += 1
            if done == steps:
                break
    return net


class SendInterrupt(Callback):
    """Acts like Ctrl-C / Jupyter's "interrupt kernel" after a given number of steps."""

    def __init__(self, after_steps):
        self.after, self.steps = after_steps, 0

    def on_batch_end(self, state, loss):
        self.steps += 1
        if self.steps == self.after:
            os.kill(os.getpid(), signal.SIGINT)


def test_ctrl_c_stops_cleanly_and_keeps_the_history():
    previous_handler = signal.getsignal(signal.SIGINT)
    net, _, history = train(epochs=5, callbacks=[SendInterrupt(after_steps=23)])
    assert history.interrupted
    assert history.epochs == [1, 2]  # 23 steps = 2 full epochs of 10 batches + 3
    assert signal.getsignal(signal.SIGINT) is previous_handler
    expected = replay(23)
    for p, q in zip(net.parameters(), expected.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


def test_an_interrupt_inside_optimizer_step_does_not_cut_the_step_in_half():
    x, y = problem()
    net, opt = model_and_optimizer()
    real_step = opt.step

    def step_with_interrupt():
        # The signal arrives while parameters are being updated: the update must complete.
        if opt.steps[0] == 6:
            os.kill(os.getpid(), signal.SIGINT)
        real_step()

    opt.step = step_with_interrupt
    history = fit(net, nnlib.CrossEntropyLoss(), opt, x[:500], y[:500], epochs=3,
                  batch_size=50, rng=0, progress=False)  # fmt: skip
    assert history.interrupted and len(history) == 0
    expected = replay(7)
    for p, q in zip(net.parameters(), expected.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


def test_a_keyboard_interrupt_raised_in_the_loop_is_also_caught():
    class Raise(Callback):
        def on_epoch_end(self, state):
            if state.epoch == 2:
                raise KeyboardInterrupt

    _, _, history = train(epochs=5, callbacks=[Raise()])
    assert history.interrupted and history.epochs == [1, 2]


def test_checkpoint_round_trip_resumes_training_exactly(tmp_path):
    x, y = problem()
    loss_fn = nnlib.CrossEntropyLoss()
    straight, opt = model_and_optimizer()
    fit(straight, loss_fn, opt, x, y, epochs=4, batch_size=50, rng=1, progress=False, shuffle=False)

    first, opt1 = model_and_optimizer()
    fit(first, loss_fn, opt1, x, y, epochs=2, batch_size=50, rng=1, progress=False, shuffle=False)
    save_checkpoint(tmp_path / "run.npz", first, opt1, epoch=2)
    resumed, opt2 = model_and_optimizer(seed=9)  # different initial weights, fresh optimizer
    extra = load_checkpoint(tmp_path / "run.npz", resumed, opt2)
    assert extra == {"epoch": 2}
    fit(resumed, loss_fn, opt2, x, y, epochs=2, batch_size=50, rng=1, progress=False, shuffle=False)
    for p, q in zip(straight.parameters(), resumed.parameters(), strict=True):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-6, atol=1e-7)


def test_checkpoint_write_is_atomic(tmp_path, monkeypatch):
    net, opt = model_and_optimizer()
    path = tmp_path / "model.npz"
    save_checkpoint(path, net, opt)
    good = path.read_bytes()

    def crash(file, **arrays):
        file.write(b"PK\x03\x04 half a zip file")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(path, net, opt)
    assert path.read_bytes() == good  # the old checkpoint survives whole
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]  # no temporary file left


def test_loading_validates_names_and_shapes_and_changes_nothing(tmp_path):
    net, opt = model_and_optimizer()
    save_checkpoint(tmp_path / "a.npz", net, opt)
    other = nnlib.Sequential(nnlib.Linear(10, 16, rng=0), nnlib.ReLU(), nnlib.Linear(16, 3))
    before = other.state_dict()
    with pytest.raises(ValueError, match=r"0.weight: expected shape \(16, 10\), got \(32, 10\)"):
        load_checkpoint(tmp_path / "a.npz", other)
    for k, v in other.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_optimizer_mismatch_leaves_the_model_unchanged(tmp_path):
    net, opt = model_and_optimizer()
    save_checkpoint(tmp_path / "a.npz", net, opt)
    target, _ = model_and_optimizer(seed=5)
    adam = nnlib.optim.Adam(target.parameters())
    before = target.state_dict()
    with pytest.raises(ValueError, match="nothing was loaded"):
        load_checkpoint(tmp_path / "a.npz", target, adam)
    for k, v in target.state_dict().items():
        np.testing.assert_array_equal(v, before[k])


def test_corrupt_or_missing_checkpoint(tmp_path):
    net, _ = model_and_optimizer()
    (tmp_path / "bad.npz").write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="not a readable nnlib checkpoint"):
        load_checkpoint(tmp_path / "bad.npz", net)
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        load_checkpoint(tmp_path / "missing.npz", net)


def test_model_checkpoint_keeps_the_best_epoch(tmp_path):
    path = tmp_path / "best.npz"
    _, _, history = train(epochs=6, callbacks=[ModelCheckpoint(path, monitor="val_acc")])
    net, _ = model_and_optimizer(seed=7)
    extra = load_checkpoint(path, net)
    assert extra["epoch"] == int(np.argmax(history["val_acc"])) + 1


def test_predict_evaluate_accuracy():
    x, y = problem()
    net, _ = model_and_optimizer()
    net.layers.insert(1, nnlib.Dropout(0.5, rng=0))
    net.train()
    out = predict(net, x, batch_size=64)
    assert out.shape == (600, 3) and net.training  # mode restored
    np.testing.assert_array_equal(out, net.eval()(x))
    assert accuracy(out, y) == np.mean(out.argmax(1) == y)
    assert accuracy(np.array([2.0, -1.0, 0.5]), np.array([1, 0, 0])) == pytest.approx(2 / 3)
    assert accuracy(np.array([[2.0], [-1.0]]), np.array([1, -1])) == 1.0
    result = evaluate(nnlib.Sequential(nnlib.Linear(10, 1)), nnlib.MSELoss(), x, x[:, :1])
    assert set(result) == {"loss"}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"y": np.zeros(5, dtype=int)}, ValueError, "x has 600 examples but y has 5"),
        ({"x": np.zeros((0, 10)), "y": np.zeros(0, dtype=int)}, ValueError, "no training examples"),
        ({"epochs": -1}, ValueError, "epochs must be"),
        ({"batch_size": 0}, ValueError, "batch_size must be"),
        ({"validation_data": np.zeros(3)}, TypeError, "a pair"),
        ({"y": np.full(600, 7)}, ValueError, "label 7 is out of range for 3 classes"),
    ],
)
def test_bad_input_to_fit(kwargs, error, message):
    x, y = problem()
    net, opt = model_and_optimizer()
    args = {"x": x, "y": y, **kwargs}
    x, y = args.pop("x"), args.pop("y")
    with pytest.raises(error, match=message):
        fit(net, nnlib.CrossEntropyLoss(), opt, x, y, progress=False, **args)


def test_progress_bar_shows_only_when_wanted(capsys, monkeypatch):
    train(epochs=1, progress=None)  # pytest's stderr is not a terminal: silent
    assert capsys.readouterr().err == ""
    train(epochs=1, progress=True)
    assert "training" in capsys.readouterr().err
    monkeypatch.setenv("CI", "true")
    from nnlib.train.progress import should_show_progress

    assert not should_show_progress(None)
