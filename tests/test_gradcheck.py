"""Tests of nnlib.gradcheck: finite differences, relative error, and the diagnosing checks.

The modules and losses below are written here, by hand, so that these tests depend on nothing
but ``Module`` and ``Parameter``: a correct affine layer, and copies of it with one planted bug
each, which the check must catch and name.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib.gradcheck import (
    GradcheckReport,
    check_loss,
    check_module,
    numerical_gradient,
    rel_error,
)
from nnlib.module import Module, Parameter

TOL = 1e-7


# -- hand-written modules: one correct, then one planted bug each ------------------------------
class Affine(Module):
    """y = x @ W.T + b. x: (N, D_in), W: (D_out, D_in), b: (D_out,), y: (N, D_out)."""

    def __init__(self, d_in, d_out, seed=0, dtype=np.float64):
        rng = np.random.default_rng(seed)
        self.weight = Parameter(rng.standard_normal((d_out, d_in)).astype(dtype))
        self.bias = Parameter(rng.standard_normal(d_out).astype(dtype))

    def forward(self, x):
        self.x = x
        return x @ self.weight.data.T + self.bias.data

    def backward(self, grad_out):
        self.weight.accumulate_grad(grad_out.T @ self.x)
        self.bias.accumulate_grad(grad_out.sum(axis=0))
        return grad_out @ self.weight.data


class TransposedWeightGrad(Affine):
    def backward(self, grad_out):
        self.weight.accumulate_grad(self.x.T @ grad_out)  # BUG: x.T @ g is dL/dW transposed
        self.bias.accumulate_grad(grad_out.sum(axis=0))
        return grad_out @ self.weight.data


class DoubledWeightGrad(Affine):
    def backward(self, grad_out):
        self.weight.accumulate_grad(2 * grad_out.T @ self.x)  # BUG: a stray factor 2
        self.bias.accumulate_grad(grad_out.sum(axis=0))
        return grad_out @ self.weight.data


class SignFlippedInputGrad(Affine):
    def backward(self, grad_out):
        return -super().backward(grad_out)  # BUG: minus sign


class TransposedInputGrad(Affine):
    def backward(self, grad_out):
        return super().backward(grad_out).T  # BUG: (D_in, N) instead of (N, D_in)


class ForgotWeightGrad(Affine):
    def backward(self, grad_out):
        self.bias.accumulate_grad(grad_out.sum(axis=0))  # BUG: weight never accumulated
        return grad_out @ self.weight.data


class ZeroWeightGrad(Affine):
    def backward(self, grad_out):
        self.weight.accumulate_grad(np.zeros_like(self.weight.data))  # BUG: zeros
        self.bias.accumulate_grad(grad_out.sum(axis=0))
        return grad_out @ self.weight.data


class BiasGradNotSummed(Affine):
    def backward(self, grad_out):
        self.weight.accumulate_grad(grad_out.T @ self.x)
        # BUG: per-example gradients (N, D_out), not summed over the batch. Assigning .grad
        # directly skips the shape check of accumulate_grad, as student code often does.
        self.bias.grad = grad_out.copy()
        return grad_out @ self.weight.data


class BatchMean(Module):
    """y = mean over the batch. x: (N, D), y: (D,)."""

    def forward(self, x):
        self.n = x.shape[0]
        return x.mean(axis=0)

    def backward(self, grad_out):
        return np.tile(grad_out / self.n, (self.n, 1))


class BatchMeanMissingOneOverN(BatchMean):
    def backward(self, grad_out):
        return np.tile(grad_out, (self.n, 1))  # BUG: the 1/N of the mean is missing


class BatchMeanExtraOneOverN(BatchMean):
    def backward(self, grad_out):
        return np.tile(grad_out / self.n**2, (self.n, 1))  # BUG: divided by N twice


class Tanh(Module):
    def forward(self, x):
        self.y = np.tanh(x)
        return self.y

    def backward(self, grad_out):
        return grad_out * (1 - self.y**2)


class Chain(Module):
    """Layers applied in order, registered as attributes "0", "1", ... (as in a Sequential)."""

    def __init__(self, *layers):
        for i, layer in enumerate(layers):
            setattr(self, str(i), layer)

    def forward(self, x):
        for layer in self.children():
            x = layer.forward(x)
        return x

    def backward(self, grad_out):
        for layer in reversed(list(self.children())):
            grad_out = layer.backward(grad_out)
        return grad_out


class WithUnusedParameter(Affine):
    def __init__(self, d_in, d_out):
        super().__init__(d_in, d_out)
        self.unused = Parameter(np.ones(3))  # no effect on the output: no gradient, correctly


class RandomMask(Module):
    """y = x * mask, a fresh random 0/2 mask at each forward (like dropout in training)."""

    def __init__(self, seed, same_mask_each_call):
        self.seed, self.same_mask_each_call = seed, same_mask_each_call
        self.rng = np.random.default_rng(seed)

    def forward(self, x):
        if self.same_mask_each_call:
            self.rng = np.random.default_rng(self.seed)
        self.mask = 2.0 * (self.rng.random(x.shape) < 0.5)
        return x * self.mask

    def backward(self, grad_out):
        return grad_out * self.mask


# -- hand-written losses with the nnlib loss API --------------------------------------------------
class MeanSquaredError:
    """L = mean((pred − target)²) over all elements; backward() returns dL/dpred."""

    def __call__(self, pred, target):
        self.diff = pred - target
        return float(np.mean(self.diff**2))

    def backward(self):
        return 2 * self.diff / self.diff.size


class MSEMissingMean(MeanSquaredError):
    def backward(self):
        return 2 * self.diff  # BUG: the 1/(number of elements) of the mean is missing


class MSEForgotTheTwo(MeanSquaredError):
    def backward(self):
        return self.diff / self.diff.size  # BUG: d(u²)/du = 2u, the 2 is missing


class SoftmaxCrossEntropy:
    """Mean over N of −log softmax(logits)[label]. logits: (N, C), labels: ints (N,)."""

    def __call__(self, logits, labels):
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs, self.labels = np.exp(log_probs), labels
        return float(-log_probs[np.arange(len(labels)), labels].mean())

    def backward(self):
        grad = self.probs.copy()
        grad[np.arange(len(self.labels)), self.labels] -= 1
        return grad / len(self.labels)


class CrossEntropyNoMean(SoftmaxCrossEntropy):
    def backward(self):
        return super().backward() * len(self.labels)  # BUG: summed, not averaged


# -- numerical_gradient ----------------------------------------------------------------------------
def test_numerical_gradient_of_sum_of_squares_is_2x():
    x = np.random.default_rng(0).standard_normal((3, 4))
    grad = numerical_gradient(lambda v: np.sum(v**2), x)
    assert grad.shape == x.shape and grad.dtype == np.float64
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8, atol=1e-9)


def test_numerical_gradient_of_sin_through_a_closure_is_cos():
    x = np.linspace(-3, 3, 7)
    grad = numerical_gradient(lambda: np.sin(x).sum(), x)  # f reads x without an argument
    np.testing.assert_allclose(grad, np.cos(x), rtol=1e-8, atol=1e-9)


def test_numerical_gradient_of_a_0d_array():
    x = np.array(1.5)
    assert numerical_gradient(lambda v: v**3, x) == pytest.approx(3 * 1.5**2, rel=1e-8)


def test_a_function_with_only_defaulted_arguments_is_called_without_x():
    x = np.array([1.0, 2.0])
    grad = numerical_gradient(lambda scale=3.0: scale * x.sum(), x)
    np.testing.assert_allclose(grad, [3.0, 3.0], rtol=1e-8)


def test_x_is_restored_exactly_even_if_f_raises():
    x = np.random.default_rng(1).standard_normal(5)
    before = x.copy()
    numerical_gradient(lambda v: np.sum(np.exp(v)), x)
    assert np.array_equal(x, before)

    calls = []

    def fails_on_third_call(v):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return v.sum()

    with pytest.raises(RuntimeError, match="boom"):
        numerical_gradient(fails_on_third_call, x)
    assert np.array_equal(x, before)


def test_central_difference_is_far_more_accurate_than_forward():
    x = np.array([0.5, 1.0, 2.0])
    exact = np.cos(x)
    central = numerical_gradient(lambda v: np.sin(v).sum(), x, h=1e-4, method="central")
    forward = numerical_gradient(lambda v: np.sin(v).sum(), x, h=1e-4, method="forward")
    central_error, forward_error = np.abs(central - exact).max(), np.abs(forward - exact).max()
    assert central_error * 1000 < forward_error


@pytest.mark.parametrize(("method", "order"), [("forward", 1), ("central", 2)])
def test_error_order_in_h(method, order):
    """Halving h divides the truncation error by 2**order: O(h) forward, O(h²) central."""
    x = np.array([0.7])
    errors = [
        abs(numerical_gradient(lambda v: np.sin(v).sum(), x, h=h, method=method)[0] - np.cos(0.7))
        for h in (1e-2, 5e-3)
    ]
    assert errors[0] / errors[1] == pytest.approx(2**order, rel=0.05)


def test_float32_round_off_is_why_checks_run_in_float64():
    x64 = np.linspace(0.5, 2.0, 6)
    errors = {}
    for dtype in (np.float32, np.float64):
        x = x64.astype(dtype)
        grad = numerical_gradient(lambda v: np.sin(v).sum(), x, h=1e-6)
        assert grad.dtype == np.float64 and x.dtype == dtype
        errors[dtype] = np.abs(grad - np.cos(x64)).max()
    assert errors[np.float64] < 1e-8
    assert errors[np.float32] > 1e3 * errors[np.float64]


@pytest.mark.parametrize(
    ("x", "kwargs", "error", "match"),
    [
        ([1.0, 2.0], {}, TypeError, "ndarray.*got list"),
        (np.array([1, 2]), {}, TypeError, "floating-point"),
        (np.ones(2), {"method": "backward"}, ValueError, "method"),
        (np.ones(2), {"h": 0.0}, ValueError, "positive"),
    ],
)
def test_numerical_gradient_rejects_bad_input(x, kwargs, error, match):
    with pytest.raises(error, match=match):
        numerical_gradient(lambda v: np.sum(v), x, **kwargs)


def test_f_must_return_a_scalar():
    with pytest.raises(ValueError, match=r"scalar.*\(3,\)"):
        numerical_gradient(lambda v: v * 2, np.ones(3))


# -- rel_error -------------------------------------------------------------------------------------
def test_rel_error_both_zero_is_zero_without_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert rel_error(np.zeros(4), np.zeros(4)) == 0.0
        assert np.array_equal(rel_error(np.zeros(4), np.zeros(4), elementwise=True), np.zeros(4))


def test_rel_error_formula_and_floor():
    assert rel_error(1.0, 3.0) == pytest.approx(2 / 4)
    # Below the floor, the difference is divided by the floor instead: |0 − 1e-13| / 1e-12.
    assert rel_error(0.0, 1e-13) == pytest.approx(0.1)
    assert rel_error(0.0, 1e-13, floor=1e-10) == pytest.approx(1e-3)


def test_rel_error_elementwise_and_max_agree():
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((3, 5)), rng.standard_normal((3, 5))
    errors = rel_error(a, b, elementwise=True)
    assert errors.shape == (3, 5)
    assert rel_error(a, b) == errors.max()
    assert 0 <= errors.min() and errors.max() <= 1  # |a − b| <= |a| + |b|


@given(
    a=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=6),
    seed=st.integers(0, 1000),
    scale=st.floats(1e-3, 1e3),
)
def test_rel_error_is_symmetric_and_scale_invariant(a, seed, scale):
    a = np.array(a)
    b = a + np.random.default_rng(seed).standard_normal(a.shape)
    assert rel_error(a, b) == rel_error(b, a)
    assert rel_error(scale * a, scale * b, floor=1e-300) == pytest.approx(
        rel_error(a, b, floor=1e-300), rel=1e-9
    )


def test_rel_error_of_non_finite_values_fails_any_tolerance_quietly():
    assert not rel_error([np.inf, 1.0], [np.inf, 1.0]) <= 1.0
    assert not rel_error([np.nan], [1.0]) <= 1.0


def test_rel_error_rejects_different_shapes():
    with pytest.raises(ValueError, match=r"\(2,\) and \(3,\)"):
        rel_error(np.ones(2), np.ones(3))


# -- check_module: correct modules pass ------------------------------------------------------------
def test_correct_affine_passes_with_one_row_per_tensor():
    x = np.random.default_rng(3).standard_normal((5, 3))
    report = check_module(Affine(3, 2), x, tol=TOL)
    assert isinstance(report, GradcheckReport) and report.ok
    assert [(r.name, r.shape) for r in report.rows] == [
        ("input", (5, 3)),
        ("weight", (2, 3)),
        ("bias", (2,)),
    ]
    for row in report.rows:
        assert row.passed and row.max_rel_error <= TOL and row.diagnosis == ""
        assert row.analytic.shape == row.numeric.shape == row.shape
    assert report.assert_ok() is report


@given(
    n=st.integers(1, 6),
    d_in=st.integers(1, 5),
    d_out=st.integers(1, 5),
    scale=st.sampled_from([1e-3, 1.0, 1e3]),
    seed=st.integers(0, 2**16),
)
def test_correct_affine_passes_for_any_shape_seed_and_scale(n, d_in, d_out, scale, seed):
    x = scale * np.random.default_rng(seed).standard_normal((n, d_in))
    check_module(Affine(d_in, d_out, seed=seed), x, seed=seed, tol=TOL).assert_ok()


def test_nested_parameters_are_named_by_their_path():
    net = Chain(Affine(3, 4, seed=1), Tanh(), Affine(4, 2, seed=2))
    report = check_module(net, np.random.default_rng(4).standard_normal((6, 3)), tol=TOL)
    assert [r.name for r in report.rows] == ["input", "0.weight", "0.bias", "2.weight", "2.bias"]
    report.assert_ok()


def test_round_off_on_tiny_true_gradients_is_not_reported_as_a_bug():
    # tanh'(8) ≈ 5e-7: the finite difference of tanh there is mostly round-off.
    x = np.array([[8.0, -8.0, 0.3], [7.5, 0.1, -9.0]])
    report = check_module(Tanh(), x, tol=TOL)
    row = report["input"]
    assert rel_error(row.analytic, row.numeric) > TOL  # a bare relative error would fail ...
    report.assert_ok()  # ... but these entries are below the finite-difference noise


def test_a_parameter_without_influence_may_have_no_gradient():
    report = check_module(WithUnusedParameter(3, 2), np.ones((2, 3)), tol=TOL)
    assert report["unused"].analytic is None and not report["unused"].numeric.any()
    report.assert_ok()


def test_float32_module_is_checked_in_float64_and_left_untouched():
    module = Affine(3, 3, seed=5, dtype=np.float32)
    x = np.random.default_rng(5).standard_normal((4, 3)).astype(np.float32)
    weight_before, bias_before, x_before = module.weight.data.copy(), module.bias.data, x.copy()
    report = check_module(module, x, tol=TOL)
    report.assert_ok()
    assert all(row.analytic.dtype == row.numeric.dtype == np.float64 for row in report.rows)
    assert module.weight.dtype == module.bias.dtype == x.dtype == np.float32
    assert np.array_equal(module.weight.data, weight_before) and module.bias.data is bias_before
    assert np.array_equal(x, x_before)
    assert module.weight.grad is None and module.bias.grad is None


def test_a_bug_in_a_float32_module_is_diagnosed_in_float64():
    x = np.random.default_rng(6).standard_normal((4, 3)).astype(np.float32)
    report = check_module(DoubledWeightGrad(3, 2, dtype=np.float32), x, tol=TOL)
    assert "factor 2" in report["weight"].diagnosis


def test_random_module_is_refused_and_a_reseeded_one_checked():
    x = np.random.default_rng(7).standard_normal((4, 5))
    with pytest.raises(ValueError, match=r"different outputs.*eval mode"):
        check_module(RandomMask(seed=0, same_mask_each_call=False), x)
    check_module(RandomMask(seed=0, same_mask_each_call=True), x, tol=TOL).assert_ok()


# -- check_module: each planted bug is caught and named --------------------------------------------
PLANTED_BUGS = [
    (TransposedWeightGrad(3, 3), (4, 3), "weight", "transposed"),
    (DoubledWeightGrad(3, 2), (4, 3), "weight", "off by a constant factor 2 "),
    (SignFlippedInputGrad(3, 2), (4, 3), "input", "wrong sign"),
    (TransposedInputGrad(3, 2), (4, 3), "input", "transposed: analytic has shape (3, 4)"),
    (ForgotWeightGrad(3, 2), (4, 3), "weight", "zero where it should not be"),
    (ZeroWeightGrad(3, 2), (4, 3), "weight", "zero where it should not be"),
    (BiasGradNotSummed(3, 2), (4, 3), "bias", "shape mismatch: analytic (4, 2), expected (2,)"),
    (BatchMeanMissingOneOverN(), (32, 2), "input", "off by a factor N = 32"),
    (BatchMeanExtraOneOverN(), (32, 2), "input", "off by a factor 1/N = 1/32"),
]


@pytest.mark.parametrize(
    ("module", "x_shape", "bad", "diagnosis"),
    PLANTED_BUGS,
    ids=[type(bug[0]).__name__ for bug in PLANTED_BUGS],
)
def test_planted_bug_is_caught_and_diagnosed(module, x_shape, bad, diagnosis):
    x = np.random.default_rng(8).standard_normal(x_shape)
    report = check_module(module, x, tol=TOL)
    assert not report.ok
    for row in report.rows:
        assert row.passed == (row.name != bad), str(report)
    assert diagnosis in report[bad].diagnosis, str(report)


def test_missing_one_over_n_names_mean_versus_sum():
    x = np.random.default_rng(9).standard_normal((32, 2))
    diagnosis = check_module(BatchMeanMissingOneOverN(), x)["input"].diagnosis
    assert diagnosis.startswith("off by a factor N = 32 (analytic ≈ 32 × numeric)")
    assert diagnosis.endswith("a missing or extra 1/N (mean vs sum)?")


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3])
def test_bugs_are_caught_at_every_input_scale(scale):
    x = scale * np.random.default_rng(10).standard_normal((4, 3))
    report = check_module(DoubledWeightGrad(3, 2), x, tol=TOL)
    assert not report["weight"].passed and "factor 2" in report["weight"].diagnosis


def test_unrecognised_bug_points_at_the_worst_entry():
    class OneWrongEntry(Affine):
        def backward(self, grad_out):
            grad_in = super().backward(grad_out)
            grad_in[1, 2] += 0.5  # BUG: no recognisable pattern
            return grad_in

    report = check_module(OneWrongEntry(3, 2), np.ones((3, 3)), tol=TOL)
    assert report["input"].diagnosis.startswith("worst at (1, 2):")


def test_non_finite_analytic_gradient_is_named():
    class NaNInputGrad(Affine):
        def backward(self, grad_out):
            return super().backward(grad_out) * np.nan  # BUG: e.g. 0/0 in a backward formula

    report = check_module(NaNInputGrad(3, 2), np.ones((2, 3)), tol=TOL)
    assert report["input"].diagnosis == "NaN or inf in the analytic"


# -- the report ---------------------------------------------------------------------------------
def test_report_table_assert_ok_and_html():
    x = np.random.default_rng(11).standard_normal((4, 3))
    report = check_module(SignFlippedInputGrad(3, 2), x, tol=TOL)
    text = str(report)
    lines = text.splitlines()
    assert "SignFlippedInputGrad" in lines[0] and "FAILED" in lines[0]
    assert lines[1].split()[:2] == ["tensor", "shape"]
    body = {line.split()[0]: line for line in lines[3:]}
    assert set(body) == {"input", "weight", "bias"}
    assert "FAIL" in body["input"] and "wrong sign" in body["input"]
    # Fixed width: the result column starts at the same place on every line.
    result_column = lines[1].index("result")
    assert {line[result_column:].split()[0] for line in lines[3:]} == {"FAIL", "ok"}
    with pytest.raises(AssertionError) as raised:
        report.assert_ok()
    assert text in str(raised.value)
    assert "<table>" in report._repr_html_() and "wrong sign" in report._repr_html_()
    with pytest.raises(KeyError, match="input"):
        report["no such tensor"]


def test_passing_report_says_so():
    report = check_module(Affine(2, 2), np.ones((2, 2)), tol=TOL)
    assert "passed" in str(report).splitlines()[0]


# -- check_loss ------------------------------------------------------------------------------------
def test_correct_losses_pass():
    rng = np.random.default_rng(12)
    report = check_loss(
        MeanSquaredError(), rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    )
    assert [r.name for r in report.rows] == ["pred"] and report.rows[0].shape == (5, 3)
    report.assert_ok()
    logits, labels = 3 * rng.standard_normal((6, 4)), rng.integers(0, 4, 6)
    check_loss(SoftmaxCrossEntropy(), logits, labels, tol=TOL).assert_ok()


@given(n=st.integers(1, 8), c=st.integers(2, 6), seed=st.integers(0, 2**16))
def test_correct_cross_entropy_passes_for_any_batch(n, c, seed):
    rng = np.random.default_rng(seed)
    logits, labels = 3 * rng.standard_normal((n, c)), rng.integers(0, c, n)
    check_loss(SoftmaxCrossEntropy(), logits, labels, tol=TOL).assert_ok()


def regression_targets(rng, pred):
    return rng.standard_normal(pred.shape)


def class_labels(rng, logits):
    return rng.integers(0, logits.shape[1], logits.shape[0])


@pytest.mark.parametrize(
    ("loss_fn", "pred_shape", "make_target", "diagnosis"),
    [
        (MSEMissingMean(), (32,), regression_targets, "off by a factor N = 32"),
        (MSEMissingMean(), (4, 3), regression_targets, "off by a factor N·D = 12"),
        (MSEForgotTheTwo(), (4, 3), regression_targets, "off by a constant factor 1/2 "),
        (CrossEntropyNoMean(), (8, 3), class_labels, "off by a factor N = 8"),
    ],
)
def test_loss_bugs_are_diagnosed(loss_fn, pred_shape, make_target, diagnosis):
    rng = np.random.default_rng(13)
    pred = rng.standard_normal(pred_shape)
    report = check_loss(loss_fn, pred, make_target(rng, pred), tol=TOL)
    assert not report.ok and diagnosis in report["pred"].diagnosis, str(report)


def test_check_loss_uses_float64_copies():
    pred = np.random.default_rng(14).standard_normal((3, 2)).astype(np.float32)
    before = pred.copy()
    loss_fn = MeanSquaredError()
    report = check_loss(loss_fn, pred, np.zeros((3, 2), dtype=np.float32), tol=TOL)
    report.assert_ok()
    assert report["pred"].analytic.dtype == np.float64
    assert pred.dtype == np.float32 and np.array_equal(pred, before)
    assert not hasattr(loss_fn, "diff")  # the caller's loss object was never called
