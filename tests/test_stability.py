"""Extreme inputs (±1e4) give finite outputs and gradients, and NumPy never warns."""

import numpy as np
import pytest

import nnlib

EXTREMES = np.array([[-1e4, -1e3, -50.0, -1e-3, 0.0, 1e-3, 50.0, 1e3, 1e4]])


@pytest.fixture(autouse=True)
def numpy_raises():
    # Overflow, division by zero and invalid operations raise; underflow to 0 is harmless
    # (and silent in NumPy by default).
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        yield


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", list(nnlib.ACTIVATIONS))
def test_activations_at_extremes(name, dtype):
    x = EXTREMES.astype(dtype)
    if name == "maxout":
        x = np.concatenate([x, x[:, ::-1]], axis=1)
    module = nnlib.PReLU(dtype=dtype) if name == "prelu" else nnlib.get_activation(name)
    out = module(x)
    grad = module.backward(np.ones_like(out))
    assert np.isfinite(out).all() and np.isfinite(grad).all()
    info = nnlib.ACTIVATIONS[name]
    assert np.isfinite(info.fn(x)).all() and np.isfinite(info.grad(x)).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_at_extremes(dtype):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [1e4, 1e4, 1e4]], dtype=dtype)
    ce = nnlib.CrossEntropyLoss()
    value = ce(logits, np.array([1, 0, 2]))  # the first two are confidently wrong
    assert np.isfinite(value) and value > 1e3
    assert np.isfinite(ce.backward()).all()

    bce = nnlib.BCEWithLogitsLoss()
    value = bce(logits, np.ones_like(logits))
    assert np.isfinite(value) and np.isfinite(bce.backward()).all()

    hinge = nnlib.HingeLoss()
    assert np.isfinite(hinge(logits[:, 0], np.array([1.0, 1.0, -1.0])))

    mse = nnlib.MSELoss()
    assert np.isfinite(mse(logits, np.zeros_like(logits)))


def test_softmax_at_extremes():
    z = np.array([[1e4, 0.0, -1e4]], dtype=np.float32)
    p = nnlib.softmax(z)
    assert np.isfinite(p).all() and p[0, 0] == 1
    assert np.isfinite(nnlib.log_softmax(z)).all()


def test_network_gradients_at_extremes():
    net = nnlib.Sequential(
        nnlib.Linear(2, 8, rng=0), nnlib.Sigmoid(), nnlib.Linear(8, 3, rng=1), nnlib.Tanh()
    )
    x = np.array([[1e4, -1e4], [-1e4, 1e4]])
    loss = nnlib.CrossEntropyLoss()
    assert np.isfinite(loss(net(x), np.array([0, 2])))
    net.backward(loss.backward())
    assert all(np.isfinite(p.grad).all() for p in net.parameters())
