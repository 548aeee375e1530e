"""The same network built from layers and from autodiff nodes gives the same gradients.

Two independent derivations agreeing (hand-written backward methods vs the generic
reverse-mode engine) is strong evidence that both are right.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnlib
from nnlib import autodiff as ad

ACTS = {
    "tanh": (nnlib.Tanh, lambda t: t.tanh()),
    "sigmoid": (nnlib.Sigmoid, lambda t: t.sigmoid()),
    "relu": (nnlib.ReLU, lambda t: t.relu()),
}


def autodiff_cross_entropy(logits: ad.Tensor, labels: np.ndarray) -> ad.Tensor:
    """Mean negative log-softmax of the true class, written with the engine's own ops."""
    n, c = logits.shape
    shift = logits.data.max(axis=1, keepdims=True)  # a constant: softmax does not depend on it
    z = logits - shift
    log_norm = z.exp().sum(axis=1, keepdims=True).log()
    one_hot = np.eye(c)[labels]
    return -((z - log_norm) * one_hot).sum() / n


@pytest.mark.parametrize("act", list(ACTS))
@given(n=st.integers(1, 8), seed=st.integers(0, 10_000))
def test_mlp_gradients_agree(act, n, seed):
    rng = np.random.default_rng(seed)
    module_cls, node_fn = ACTS[act]
    net = nnlib.Sequential(
        nnlib.Linear(3, 5, rng=seed, dtype=np.float64),
        module_cls(),
        nnlib.Linear(5, 4, rng=seed + 1, dtype=np.float64),
    )
    x = rng.standard_normal((n, 3))
    labels = rng.integers(0, 4, n)

    loss_fn = nnlib.CrossEntropyLoss()
    layer_loss = loss_fn(net(x), labels)
    grad_x = net.backward(loss_fn.backward())

    w1, b1, w2, b2 = (ad.Tensor(p.data.copy()) for p in net.parameters())
    xt = ad.Tensor(x)
    hidden = node_fn(xt @ w1.T + b1)
    graph_loss = autodiff_cross_entropy(hidden @ w2.T + b2, labels)
    graph_loss.backward()

    assert graph_loss.item() == pytest.approx(layer_loss, rel=1e-12)
    np.testing.assert_allclose(xt.grad, grad_x, rtol=1e-10, atol=1e-14)
    for node, p in zip((w1, b1, w2, b2), net.parameters(), strict=True):
        np.testing.assert_allclose(node.grad, p.grad, rtol=1e-10, atol=1e-14)


def test_mse_regression_gradients_agree():
    rng = np.random.default_rng(0)
    net = nnlib.Sequential(
        nnlib.Linear(1, 2, rng=1, dtype=np.float64),
        nnlib.Sigmoid(),
        nnlib.Linear(2, 1, rng=2, dtype=np.float64),
    )
    x, t = rng.standard_normal((10, 1)), rng.standard_normal((10, 1))
    loss_fn = nnlib.MSELoss(half=True)
    loss_fn(net(x), t)
    net.backward(loss_fn.backward())

    w1, b1, w2, b2 = (ad.Tensor(p.data.copy()) for p in net.parameters())
    y = (ad.Tensor(x) @ w1.T + b1).sigmoid() @ w2.T + b2
    (((y - t) ** 2) * 0.5).mean().backward()
    for node, p in zip((w1, b1, w2, b2), net.parameters(), strict=True):
        np.testing.assert_allclose(node.grad, p.grad, rtol=1e-10)
