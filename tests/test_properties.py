"""Mathematical properties every implementation must satisfy, whatever the inputs."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import nnlib

finite = st.floats(-50, 50, allow_nan=False, width=64)
matrices = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 7)), elements=finite)


@given(z=matrices)
def test_softmax_rows_sum_to_one(z):
    p = nnlib.softmax(z)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-12)


@given(z=matrices, shift=st.floats(-1e3, 1e3))
def test_softmax_is_shift_invariant(z, shift):
    np.testing.assert_allclose(nnlib.softmax(z + shift), nnlib.softmax(z), atol=1e-12)


@given(z=matrices)
def test_log_softmax_is_log_of_softmax(z):
    np.testing.assert_allclose(np.exp(nnlib.log_softmax(z)), nnlib.softmax(z), atol=1e-12)


@given(z=matrices)
def test_sigmoid_symmetry(z):
    sig = nnlib.ACTIVATIONS["sigmoid"].fn
    np.testing.assert_allclose(sig(-z), 1 - sig(z), atol=1e-15)


@given(z=matrices)
def test_tanh_is_rescaled_sigmoid(z):
    sig, tanh = nnlib.ACTIVATIONS["sigmoid"].fn, nnlib.ACTIVATIONS["tanh"].fn
    np.testing.assert_allclose(tanh(z), 2 * sig(2 * z) - 1, atol=1e-12)


def test_steep_sigmoid_approaches_hard_threshold():
    z = np.array([-1.0, -0.1, 0.1, 1.0])
    sig, step = nnlib.ACTIVATIONS["sigmoid"].fn, nnlib.ACTIVATIONS["hard_threshold"].fn
    gaps = [np.abs(sig(k * z) - step(z)).max() for k in (1, 10, 100, 1000)]
    assert all(a > b for a, b in itertools.pairwise(gaps))
    assert gaps[-1] < 1e-40


def random_loss_case(rng, name, n):
    if name == "mse":
        return nnlib.MSELoss(), rng.standard_normal((n, 3)) * 5, rng.standard_normal((n, 3))
    if name == "bce":
        return nnlib.BCEWithLogitsLoss(), rng.standard_normal((n, 3)) * 5, rng.uniform(0, 1, (n, 3))
    if name == "ce":
        return nnlib.CrossEntropyLoss(), rng.standard_normal((n, 4)) * 5, rng.integers(0, 4, n)
    return nnlib.HingeLoss(), rng.standard_normal(n) * 5, rng.choice([-1.0, 1.0], n)


@pytest.mark.parametrize("name", ["mse", "bce", "ce", "hinge"])
@given(n=st.integers(1, 20), seed=st.integers(0, 10_000))
def test_losses_are_non_negative(name, n, seed):
    loss, pred, target = random_loss_case(np.random.default_rng(seed), name, n)
    assert loss(pred, target) >= 0


@pytest.mark.parametrize("name", ["mse", "bce", "ce", "hinge"])
def test_sum_reduction_is_n_times_mean(name):
    rng = np.random.default_rng(0)
    loss, pred, target = random_loss_case(rng, name, 10)
    mean = loss(pred, target)
    grad_mean = loss.backward()
    loss.reduction = "sum"
    n = pred.size if name in ("mse", "bce") else len(pred)
    assert loss(pred, target) == pytest.approx(n * mean)
    np.testing.assert_allclose(loss.backward(), n * grad_mean)


def test_mse_half_convention():
    pred, target = np.array([[3.0], [1.0]]), np.array([[1.0], [1.0]])
    assert nnlib.MSELoss()(pred, target) == pytest.approx((2**2 + 0) / 2)
    half = nnlib.MSELoss(half=True)
    assert half(pred, target) == pytest.approx(0.5 * (2**2 + 0) / 2)
    np.testing.assert_allclose(half.backward(), (pred - target) / 2)  # (y − t)/N


def test_cross_entropy_with_one_hot_probabilities_equals_labels():
    rng = np.random.default_rng(1)
    logits, labels = rng.standard_normal((6, 4)), rng.integers(0, 4, 6)
    a, b = nnlib.CrossEntropyLoss(), nnlib.CrossEntropyLoss()
    assert a(logits, labels) == pytest.approx(b(logits, np.eye(4)[labels]))
    np.testing.assert_allclose(a.backward(), b.backward())


def test_hinge_is_zero_beyond_the_margin():
    loss = nnlib.HingeLoss()
    assert loss(np.array([2.0, -3.0]), np.array([1.0, -1.0])) == 0
    np.testing.assert_array_equal(loss.backward(), [0, 0])


def small_net(seed=0, dtype=np.float64):
    return nnlib.Sequential(
        nnlib.Linear(3, 4, rng=seed, dtype=dtype),
        nnlib.PReLU(4, dtype=dtype),
        nnlib.Linear(4, 2, rng=seed + 1, dtype=dtype),
    )


def test_gradient_shapes_equal_parameter_shapes():
    net = small_net()
    net(np.random.default_rng(0).standard_normal((5, 3)))
    net.backward(np.ones((5, 2)))
    assert net.num_parameters() == 3 * 4 + 4 + 4 + 4 * 2 + 2
    for name, p in net.named_parameters():
        assert p.grad is not None, name
        assert p.grad.shape == p.data.shape, name
        assert p.grad.dtype == p.data.dtype, name


def test_two_backward_passes_without_zero_grad_double_the_gradient():
    net = small_net()
    x = np.random.default_rng(0).standard_normal((5, 3))
    g = np.random.default_rng(1).standard_normal((5, 2))
    net(x)
    net.backward(g)
    once = {n: p.grad.copy() for n, p in net.named_parameters()}
    net.backward(g)
    for name, p in net.named_parameters():
        np.testing.assert_allclose(p.grad, 2 * once[name], rtol=1e-12)
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_eval_mode_dropout_is_the_identity():
    drop = nnlib.Dropout(0.7, rng=0).eval()
    x = np.random.default_rng(0).standard_normal((50, 20)).astype(np.float32)
    out = drop(x)
    np.testing.assert_array_equal(out, x)
    g = np.ones_like(x)
    np.testing.assert_array_equal(drop.backward(g), g)


def test_train_mode_dropout_keeps_the_mean_and_is_seeded():
    x = np.ones((400, 500), dtype=np.float32)
    a, b = nnlib.Dropout(0.3, rng=7), nnlib.Dropout(0.3, rng=7)
    out = a(x)
    np.testing.assert_array_equal(out, b(x))
    assert out.dtype == np.float32
    assert set(np.unique(out)) == {np.float32(0), np.float32(1 / 0.7)}
    assert abs((out == 0).mean() - 0.3) < 0.01
    assert abs(out.mean() - 1) < 0.01


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved_through_every_module_and_loss(dtype):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 6)).astype(dtype)
    for name in nnlib.ACTIVATIONS:
        module = nnlib.PReLU(dtype=dtype) if name == "prelu" else nnlib.get_activation(name)
        out = module(x)
        assert out.dtype == dtype, name
        assert module.backward(np.ones_like(out)).dtype == dtype, name
    layer = nnlib.Linear(6, 3, dtype=dtype)
    out = layer(x)
    assert out.dtype == dtype
    assert layer.backward(np.ones_like(out)).dtype == dtype
    assert layer.weight.grad.dtype == dtype
    assert nnlib.Dropout(0.5, rng=0)(x).dtype == dtype
    cases = [
        (nnlib.MSELoss(), out, np.zeros((4, 3))),
        (nnlib.BCEWithLogitsLoss(), out, np.zeros((4, 3))),
        (nnlib.CrossEntropyLoss(), out, np.array([0, 1, 2, 0])),
        (nnlib.HingeLoss(), out[:, 0], np.ones(4)),
    ]
    for loss, pred, target in cases:
        loss(pred, target)
        assert loss.backward().dtype == dtype, type(loss).__name__
    assert nnlib.softmax(x).dtype == dtype
    assert nnlib.log_softmax(x).dtype == dtype


def test_linear_defaults_to_float32_like_pytorch():
    layer = nnlib.Linear(3, 2)
    assert layer.weight.dtype == np.float32 and layer.bias.dtype == np.float32
    assert layer(np.ones((1, 3))).dtype == np.float32  # float64 input is cast to the layer's dtype
