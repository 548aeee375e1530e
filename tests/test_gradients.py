"""Every module and loss of nnlib, gradient-checked against finite differences in float64.

Shapes come from hypothesis; values from a seeded generator, moved away from the kinks of
piecewise-linear activations so that a finite-difference step never straddles one.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnlib
from nnlib.gradcheck import check_loss, check_module

from .conftest import away_from_kinks

TOL = 1e-7
batch = st.integers(1, 6)
width = st.integers(1, 7)
seeds = st.integers(0, 2**16)


def make_activation(name, width):
    if name == "prelu":
        return nnlib.PReLU(num_parameters=width, init=0.3)
    return nnlib.get_activation(name)


@pytest.mark.parametrize("name", [n for n, a in nnlib.ACTIVATIONS.items() if a.elementwise])
@given(n=batch, d=width, seed=seeds)
def test_activation_gradients(name, n, d, seed):
    rng = np.random.default_rng(seed)
    x = away_from_kinks(rng.standard_normal((n, d)) * 2)
    report = check_module(make_activation(name, d), x, seed=seed, tol=TOL)
    report.assert_ok()


@given(n=batch, d=width, pieces=st.integers(1, 4), seed=seeds)
def test_maxout_gradient(n, d, pieces, seed):
    rng = np.random.default_rng(seed)
    # Distinct, well-separated values in each group so the arg-max never flips within a step.
    x = rng.permutation(n * d * pieces).reshape(n, d * pieces) * 0.1 + 0.01
    check_module(nnlib.Maxout(pieces), x, seed=seed, tol=TOL).assert_ok()


@given(n=batch, d_in=width, d_out=width, bias=st.booleans(), seed=seeds)
def test_linear_gradient(n, d_in, d_out, bias, seed):
    rng = np.random.default_rng(seed)
    layer = nnlib.Linear(d_in, d_out, bias=bias, rng=seed)
    check_module(layer, rng.standard_normal((n, d_in)), seed=seed, tol=TOL).assert_ok()


@given(n=batch, seed=seeds, act=st.sampled_from(["tanh", "sigmoid", "relu", "softplus", "sine"]))
def test_sequential_gradient(n, seed, act):
    rng = np.random.default_rng(seed)
    net = nnlib.Sequential(
        nnlib.Linear(3, 5, rng=seed),
        nnlib.get_activation(act),
        nnlib.Sequential(nnlib.Linear(5, 4, rng=seed + 1), nnlib.get_activation(act)),
        nnlib.Linear(4, 2, rng=seed + 2),
    )
    for p in net.parameters():  # non-zero biases: no pre-activation sits exactly on a kink
        p.data[...] = rng.standard_normal(p.shape)
    check_module(net, rng.standard_normal((n, 3)), seed=seed, tol=TOL).assert_ok()


class FixedMaskDropout(nnlib.Dropout):
    """Dropout whose generator restarts at every forward, so each call draws the same mask."""

    def __init__(self, p, seed):
        super().__init__(p, rng=seed)
        self.seed = seed

    def forward(self, x):
        self.rng = np.random.default_rng(self.seed)
        return super().forward(x)


@given(n=batch, d=width, p=st.floats(0.0, 0.9), seed=seeds)
def test_dropout_gradient(n, d, p, seed):
    x = np.random.default_rng(seed).standard_normal((n, d))
    check_module(FixedMaskDropout(p, seed), x, seed=seed, tol=TOL).assert_ok()


def regression_targets(rng, shape):
    return rng.standard_normal(shape)


@given(n=batch, d=width, half=st.booleans(), reduction=st.sampled_from(["mean", "sum"]), seed=seeds)
def test_mse_gradient(n, d, half, reduction, seed):
    rng = np.random.default_rng(seed)
    loss = nnlib.MSELoss(reduction=reduction, half=half)
    pred, target = rng.standard_normal((n, d)), rng.standard_normal((n, d))
    check_loss(loss, pred, target, tol=TOL).assert_ok()


@given(n=batch, d=width, reduction=st.sampled_from(["mean", "sum"]), seed=seeds)
def test_bce_gradient(n, d, reduction, seed):
    rng = np.random.default_rng(seed)
    pred, target = rng.standard_normal((n, d)) * 3, rng.uniform(0, 1, (n, d))
    check_loss(nnlib.BCEWithLogitsLoss(reduction), pred, target, tol=TOL).assert_ok()


@given(n=batch, c=st.integers(2, 8), reduction=st.sampled_from(["mean", "sum"]), seed=seeds)
def test_cross_entropy_gradient_labels(n, c, reduction, seed):
    rng = np.random.default_rng(seed)
    logits, labels = rng.standard_normal((n, c)) * 3, rng.integers(0, c, n)
    check_loss(nnlib.CrossEntropyLoss(reduction), logits, labels, tol=TOL).assert_ok()


@given(n=batch, c=st.integers(2, 8), seed=seeds)
def test_cross_entropy_gradient_probabilities(n, c, seed):
    rng = np.random.default_rng(seed)
    logits, probs = rng.standard_normal((n, c)), nnlib.softmax(rng.standard_normal((n, c)))
    check_loss(nnlib.CrossEntropyLoss(), logits, probs, tol=TOL).assert_ok()


@given(n=batch, seed=seeds)
def test_hinge_gradient(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.choice([-1.0, 1.0], n)
    # Scores away from the hinge at y·z = 1.
    scores = labels * away_from_kinks(rng.standard_normal(n) * 2 - 1) + labels
    check_loss(nnlib.HingeLoss(), scores, labels, tol=TOL).assert_ok()


def test_every_registry_entry_is_checked_above():
    checked = {n for n, a in nnlib.ACTIVATIONS.items() if a.elementwise} | {"maxout"}
    assert checked == set(nnlib.ACTIVATIONS)


@pytest.mark.parametrize("name", list(nnlib.ACTIVATIONS))
def test_registry_pair_matches_numerical_derivative(name):
    """The (value, derivative) pairs the widgets plot agree with each other."""
    info = nnlib.ACTIVATIONS[name]
    z = away_from_kinks(np.linspace(-4, 4, 101), gap=0.05)
    h = 1e-6
    numeric = (info.fn(z + h) - info.fn(z - h)) / (2 * h)
    np.testing.assert_allclose(info.grad(z), numeric, rtol=1e-6, atol=1e-8)
