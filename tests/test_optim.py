"""Optimizers and gradient clipping: formulas against plain re-implementations, properties,
dtype, checkpoints and errors. Optional cross-checks against torch.optim at the end."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnlib import optim
from nnlib.module import Module, Parameter
from nnlib.optim import SGD, Adagrad, Adam, Optimizer, RMSprop, clip_grad_norm_

SHAPES = [(3, 2), (3,), (1, 3), (1,)]


# -- straightforward re-implementations of each formula, one parameter at a time, float64 ------
def reference_sgd(params, grad_steps, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False):
    params, buffers = [p.copy() for p in params], [None] * len(params)
    for grads in grad_steps:
        for i, grad in enumerate(grads):
            if grad is None:
                continue
            d = grad + weight_decay * params[i]
            if momentum != 0:
                if buffers[i] is None:
                    buffers[i] = d.copy()
                else:
                    buffers[i] = momentum * buffers[i] + (1 - dampening) * d
                d = d + momentum * buffers[i] if nesterov else buffers[i]
            params[i] = params[i] - lr * d
    return params


def reference_adagrad(
    params, grad_steps, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10
):
    params = [p.copy() for p in params]
    sums = [np.full_like(p, initial_accumulator_value) for p in params]
    steps = [0] * len(params)
    for grads in grad_steps:
        for i, grad in enumerate(grads):
            if grad is None:
                continue
            steps[i] += 1
            d = grad + weight_decay * params[i]
            sums[i] = sums[i] + d * d
            decayed_lr = lr / (1 + (steps[i] - 1) * lr_decay)
            params[i] = params[i] - decayed_lr * d / (np.sqrt(sums[i]) + eps)
    return params


def reference_rmsprop(
    params, grad_steps, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False
):
    params = [p.copy() for p in params]
    mean_sq = [np.zeros_like(p) for p in params]
    mean = [np.zeros_like(p) for p in params]
    velocity = [np.zeros_like(p) for p in params]
    for grads in grad_steps:
        for i, grad in enumerate(grads):
            if grad is None:
                continue
            d = grad + weight_decay * params[i]
            mean_sq[i] = alpha * mean_sq[i] + (1 - alpha) * d**2
            variance = mean_sq[i]
            if centered:
                mean[i] = alpha * mean[i] + (1 - alpha) * d
                variance = mean_sq[i] - mean[i] ** 2
            scaled = d / (np.sqrt(variance) + eps)
            if momentum > 0:
                velocity[i] = momentum * velocity[i] + scaled
                scaled = velocity[i]
            params[i] = params[i] - lr * scaled
    return params


def reference_adam(
    params, grad_steps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False
):
    params = [p.copy() for p in params]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    v_max = [np.zeros_like(p) for p in params]
    steps = [0] * len(params)
    for grads in grad_steps:
        for i, grad in enumerate(grads):
            if grad is None:
                continue
            steps[i] += 1
            t = steps[i]
            d = grad + weight_decay * params[i]
            m[i] = betas[0] * m[i] + (1 - betas[0]) * d
            v[i] = betas[1] * v[i] + (1 - betas[1]) * d * d
            v_max[i] = np.maximum(v_max[i], v[i])
            m_hat = m[i] / (1 - betas[0] ** t)
            v_hat = (v_max[i] if amsgrad else v[i]) / (1 - betas[1] ** t)
            params[i] = params[i] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return params


REFERENCES = {SGD: reference_sgd, Adagrad: reference_adagrad, RMSprop: reference_rmsprop}
REFERENCES[Adam] = reference_adam

CONFIGS = [
    (SGD, {"lr": 0.1}),
    (SGD, {"lr": 0.1, "weight_decay": 0.05}),
    (SGD, {"lr": 0.05, "momentum": 0.9}),
    (SGD, {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.05}),
    (SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.05}),
    (Adagrad, {}),
    (Adagrad, {"lr": 0.2, "lr_decay": 0.1, "initial_accumulator_value": 0.3}),
    (Adagrad, {"lr": 0.2, "weight_decay": 0.05, "eps": 1e-6}),
    (RMSprop, {}),
    (RMSprop, {"lr": 0.02, "alpha": 0.9, "weight_decay": 0.05}),
    (RMSprop, {"lr": 0.02, "momentum": 0.7}),
    (RMSprop, {"lr": 0.02, "centered": True}),
    (RMSprop, {"lr": 0.02, "centered": True, "momentum": 0.5, "weight_decay": 0.05}),
    (Adam, {}),
    (Adam, {"lr": 0.05, "betas": (0.8, 0.9), "weight_decay": 0.05}),
    (Adam, {"lr": 0.05, "amsgrad": True}),
    (Adam, {"lr": 0.05, "amsgrad": True, "weight_decay": 0.05, "eps": 1e-4}),
]
CONFIG_IDS = [
    f"{cls.__name__}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for cls, kw in CONFIGS
]


def problem(seed=0, n_steps=6, gaps=False):
    """Initial values and a sequence of gradients; with ``gaps`` some gradients are None."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s) for s in SHAPES]
    grad_steps = [[rng.standard_normal(s) for s in SHAPES] for _ in range(n_steps)]
    if gaps:  # params[1] misses step 1, params[3] steps 2 and 3: their step counts then differ
        grad_steps[1][1] = None
        grad_steps[2][3] = grad_steps[3][3] = None
    return init, grad_steps


def run(cls, kwargs, init, grad_steps, dtype=np.float64):
    params = [Parameter(np.array(a, dtype=dtype)) for a in init]
    opt = cls(params, **kwargs)
    for grads in grad_steps:
        for p, g in zip(params, grads, strict=True):
            p.grad = None if g is None else np.array(g, dtype=dtype)
        opt.step()
    return params, opt


# -- the formulas ---------------------------------------------------------------------------------
@pytest.mark.parametrize("gaps", [False, True], ids=["all-grads", "some-None"])
@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=CONFIG_IDS)
def test_matches_reference_formula(cls, kwargs, gaps):
    init, grad_steps = problem(gaps=gaps)
    params, _ = run(cls, kwargs, init, grad_steps)
    expected = REFERENCES[cls](init, grad_steps, **kwargs)
    for p, e in zip(params, expected, strict=True):
        np.testing.assert_allclose(p.data, e, rtol=1e-12, atol=1e-14)


def test_parameters_without_gradient_are_skipped_and_keep_their_state():
    init, grad_steps = problem(n_steps=3)
    params, opt = run(Adam, {"lr": 0.1}, init, grad_steps)
    before = [p.data.copy() for p in params]
    state_before = opt.state_dict()
    params[1].grad = None
    opt.step()
    assert opt.steps == [4, 3, 4, 4]
    np.testing.assert_array_equal(params[1].data, before[1])
    np.testing.assert_array_equal(opt.state[1]["exp_avg"], state_before["exp_avg.1"])
    assert not np.array_equal(params[0].data, before[0])


def test_sgd_with_zero_gradient_and_no_weight_decay_leaves_parameters_unchanged():
    for kwargs in [{}, {"momentum": 0.9}, {"momentum": 0.9, "nesterov": True}]:
        init, _ = problem()
        zeros = [[np.zeros(s) for s in SHAPES]] * 4
        params, _ = run(SGD, {"lr": 0.5, **kwargs}, init, zeros)
        for p, a in zip(params, init, strict=True):
            np.testing.assert_array_equal(p.data, a)


def test_sgd_weight_decay_alone_shrinks_parameters_geometrically():
    init, _ = problem()
    zeros = [[np.zeros(s) for s in SHAPES]] * 3
    params, _ = run(SGD, {"lr": 0.5, "weight_decay": 0.1}, init, zeros)
    for p, a in zip(params, init, strict=True):
        np.testing.assert_allclose(p.data, a * (1 - 0.5 * 0.1) ** 3, rtol=1e-12)


@given(
    grad=hnp.arrays(
        np.float64,
        st.integers(1, 8),
        elements=st.floats(1e-3, 1e3) | st.floats(-1e3, -1e-3),
    ),
    lr=st.floats(1e-4, 1.0),
)
def test_adam_first_step_moves_each_parameter_by_lr_times_sign_of_grad(grad, lr):
    p = Parameter(np.ones_like(grad))
    p.grad = grad.copy()
    Adam([p], lr=lr).step()
    # exactly lr·|g|/(|g| + ε), whatever the gradient's scale: bias correction at work
    np.testing.assert_allclose(1.0 - p.data, lr * np.sign(grad), rtol=1e-4)


def test_changing_lr_between_steps_takes_effect():
    p = Parameter(np.zeros(3))
    opt = SGD([p], lr=0.1)
    for lr in [0.1, 0.5, 0.0, 2.0]:
        opt.lr = lr
        before = p.data.copy()
        p.grad = np.array([1.0, -2.0, 3.0])
        opt.step()
        np.testing.assert_allclose(before - p.data, lr * p.grad)


VALLEY_CONFIGS = [
    (SGD, {"lr": 0.03}),
    (SGD, {"lr": 0.01, "momentum": 0.9}),
    (SGD, {"lr": 0.01, "momentum": 0.9, "nesterov": True}),
    (Adagrad, {"lr": 0.5}),
    (RMSprop, {"lr": 0.03}),
    (RMSprop, {"lr": 0.01, "centered": True, "momentum": 0.5}),
    (Adam, {"lr": 0.1}),
    (Adam, {"lr": 0.1, "amsgrad": True}),
]


@pytest.mark.parametrize(("cls", "kwargs"), VALLEY_CONFIGS)
def test_each_optimizer_descends_a_long_narrow_valley(cls, kwargs):
    # f(w) = ½(w₀² + 50·w₁²): curvatures 1 and 50, the ill-conditioned bowl of lesson 9.
    curvature = np.array([1.0, 50.0])

    def f(w):
        return 0.5 * np.sum(curvature * w * w)

    w = Parameter(np.array([-4.0, 1.0]))
    opt = cls([w], **kwargs)
    start = f(w.data)
    for _ in range(200):
        w.grad = curvature * w.data
        opt.step()
    assert f(w.data) < 0.01 * start


# -- speed-related contracts: in place, dtype preserved ------------------------------------------
@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=CONFIG_IDS)
def test_float32_stays_float32_in_place_and_close_to_float64(cls, kwargs):
    init, grad_steps = problem(gaps=True)
    params = [Parameter(np.array(a, dtype=np.float32)) for a in init]
    arrays = [p.data for p in params]
    # NumPy float64 hyper-parameters must not promote the arithmetic to float64 either
    opt = cls(
        params, **{k: np.float64(v) if isinstance(v, float) else v for k, v in kwargs.items()}
    )
    for t, grads in enumerate(grad_steps):
        opt.lr = np.float64(opt.lr) if t % 2 else opt.lr
        for p, g in zip(params, grads, strict=True):
            p.grad = None if g is None else g.astype(np.float32)
        opt.step()
    assert type(opt.weight_decay) is float  # stored as a Python float, a "weak" scalar
    for p, a in zip(params, arrays, strict=True):
        assert p.data is a and p.data.dtype == np.float32
    for state in opt.state:
        assert all(v.dtype == np.float32 for v in state.values())
    expected, _ = run(cls, kwargs, init, grad_steps)
    for p, e in zip(params, expected, strict=True):
        np.testing.assert_allclose(p.data, e.data, rtol=1e-4, atol=1e-5)


def test_mixed_dtypes_are_each_preserved():
    a, b = Parameter(np.ones(3, np.float32)), Parameter(np.ones(2, np.float64))
    opt = Adam([a, b], lr=0.1)
    a.grad, b.grad = np.ones(3, np.float32), np.ones(2)
    opt.step()
    assert (a.data.dtype, b.data.dtype) == (np.float32, np.float64)
    np.testing.assert_allclose(a.data, 0.9, rtol=1e-6)
    np.testing.assert_allclose(b.data, 0.9, rtol=1e-6)


def test_state_takes_the_dtype_the_parameters_have_at_the_first_step():
    p = Parameter(np.ones(3, np.float32))
    opt = SGD([p], lr=0.1, momentum=0.9)
    p.data = p.data.astype(np.float64)  # what model.double() does after the optimizer was made
    p.grad = np.full(3, 1 / 3)
    opt.step()
    assert opt.state[0]["momentum_buffer"].dtype == np.float64
    np.testing.assert_allclose(p.data, 1 - 0.1 / 3, rtol=1e-15)


# -- zero_grad and bad gradients ------------------------------------------------------------------
def test_zero_grad_sets_none_or_zeros_in_place():
    p, q = Parameter(np.ones(3)), Parameter(np.ones(2))
    opt = SGD([p, q], lr=0.1)
    p.grad = np.ones(3)
    kept = p.grad
    opt.zero_grad(set_to_none=False)
    assert p.grad is kept and not p.grad.any() and q.grad is None
    opt.zero_grad()
    assert p.grad is None and q.grad is None


@pytest.mark.parametrize("with_gap", [False, True])
def test_gradient_of_the_wrong_shape_is_reported(with_gap):
    p, q = Parameter(np.ones((2, 3))), Parameter(np.ones(2))
    opt = SGD([p, q], lr=0.1)
    p.grad, q.grad = np.ones((3, 2)), None if with_gap else np.ones(2)
    with pytest.raises(ValueError, match=r"params\[0\] has shape \(2, 3\) but its grad has shape"):
        opt.step()
    np.testing.assert_array_equal(p.data, 1.0)


# -- gradient clipping ----------------------------------------------------------------------------
grad_lists = st.lists(
    hnp.arrays(np.float64, st.integers(1, 5), elements=st.floats(-100, 100)), min_size=1, max_size=4
)


@given(grads=grad_lists, max_norm=st.floats(0.01, 50))
def test_clip_grad_norm_caps_the_norm_and_keeps_the_direction(grads, max_norm):
    params = [Parameter(np.zeros_like(g)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = g.copy()
    total = clip_grad_norm_(params, max_norm)
    assert total == pytest.approx(np.sqrt(sum(np.sum(g * g) for g in grads)), rel=1e-12)
    clipped = np.concatenate([p.grad for p in params])
    original = np.concatenate(grads)
    assert np.linalg.norm(clipped) <= max_norm * (1 + 1e-9)
    if total + 1e-6 <= max_norm:  # PyTorch's rule: scale by c = max_norm / (total + 1e-6) if c < 1
        np.testing.assert_array_equal(clipped, original)
    else:  # one common factor for every gradient
        np.testing.assert_allclose(clipped, original * (max_norm / (total + 1e-6)), rtol=1e-12)


def test_clip_grad_norm_leaves_small_gradients_untouched_and_skips_none():
    p, q = Parameter(np.zeros(2)), Parameter(np.zeros(3))
    p.grad = np.array([0.3, -0.4])
    kept = p.grad
    assert clip_grad_norm_([p, q], max_norm=1.0) == pytest.approx(0.5)
    assert p.grad is kept and q.grad is None
    np.testing.assert_array_equal(p.grad, [0.3, -0.4])
    assert clip_grad_norm_(p, max_norm=0.1) == pytest.approx(0.5)  # a single Parameter works
    np.testing.assert_allclose(p.grad, [0.06, -0.08], rtol=1e-5)
    assert clip_grad_norm_([q], max_norm=1.0) == 0.0


def test_clip_grad_norm_float32_keeps_dtype_and_does_not_overflow():
    p = Parameter(np.zeros(4, np.float32))
    p.grad = np.full(4, 1e20, np.float32)  # Σg² = 4e40 overflows float32, the norm 2e20 does not
    assert clip_grad_norm_([p], max_norm=1.0) == pytest.approx(2e20, rel=1e-6)
    assert p.grad.dtype == np.float32
    np.testing.assert_allclose(p.grad, 0.5, rtol=1e-5)


def test_clip_grad_norm_non_finite():
    p = Parameter(np.zeros(2))
    p.grad = np.array([np.inf, 1.0])
    with pytest.raises(ValueError, match="total gradient norm is inf"):
        clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    np.testing.assert_array_equal(p.grad, [np.inf, 1.0])
    assert clip_grad_norm_([p], 1.0) == np.inf  # as PyTorch: scaled by 0, inf becomes NaN
    assert np.isnan(p.grad[0]) and p.grad[1] == 0


def test_clip_grad_norm_rejects_bad_max_norm():
    p = Parameter(np.zeros(2))
    with pytest.raises(ValueError, match=r"max_norm=-1\.0"):
        clip_grad_norm_([p], -1.0)


# -- checkpoints ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=CONFIG_IDS)
def test_state_dict_round_trip_through_a_file_gives_identical_next_steps(cls, kwargs, tmp_path):
    init, grad_steps = problem(n_steps=6, gaps=True)
    params, opt = run(cls, kwargs, init, grad_steps[:3])
    np.savez(tmp_path / "opt.npz", **opt.state_dict())
    with np.load(tmp_path / "opt.npz") as saved:
        saved = dict(saved)
    copies = [Parameter(p.data.copy()) for p in params]
    fresh = cls(copies, lr=123.0)  # hyper-parameters come back from the checkpoint too
    fresh.load_state_dict(saved)
    assert fresh.hyper_parameters() == opt.hyper_parameters()
    for grads in grad_steps[3:]:
        for a, b, g in zip(params, copies, grads, strict=True):
            a.grad = b.grad = None if g is None else g.copy()
        opt.step()
        fresh.step()
    for a, b in zip(params, copies, strict=True):
        np.testing.assert_array_equal(a.data, b.data)


def test_state_dict_is_a_plain_copy():
    init, grad_steps = problem(n_steps=2)
    _, opt = run(SGD, {"lr": 0.1, "momentum": 0.9}, init, grad_steps)
    saved = opt.state_dict()
    assert saved["num_params"] == 4 and saved["lr"] == 0.1 and saved["momentum"] == 0.9
    np.testing.assert_array_equal(saved["step"], [2, 2, 2, 2])
    assert saved["momentum_buffer.0"].shape == SHAPES[0]
    saved["momentum_buffer.0"][...] = 7.0
    assert not np.any(opt.state[0]["momentum_buffer"] == 7.0)


def bad_states(saved):
    """Checkpoints that must be refused, each with the words the error should contain."""
    wrong_shape = {**saved, "exp_avg.2": np.zeros((3, 1))}
    missing = {k: v for k, v in saved.items() if k != "exp_avg_sq.1"}
    extra = {**saved, "velocity.0": np.zeros(3)}
    negative_lr = {**saved, "exp_avg.0": np.ones(SHAPES[0]), "lr": -0.1}
    bad_steps = {**saved, "step": np.array([1.5, 2, 2, 2])}
    fewer = {**saved, "num_params": 3}
    return [
        (wrong_shape, r"exp_avg.2: expected shape \(1, 3\)"),
        (missing, "missing keys: exp_avg_sq.1"),
        (extra, "unexpected keys: velocity.0"),
        (negative_lr, "lr=-0.1"),
        (bad_steps, "step: expected 4 non-negative integers"),
        (fewer, "the saved state is for 3 parameters, this optimizer has 4"),
    ]


def test_load_state_dict_validates_and_loads_nothing_on_error():
    init, grad_steps = problem(n_steps=2)
    _, source = run(Adam, {"lr": 0.1}, init, grad_steps)
    _, target = run(Adam, {"lr": 0.01}, init, grad_steps[:1])
    before = target.state_dict()
    for bad, message in bad_states(source.state_dict()):
        with pytest.raises(ValueError, match=message):
            target.load_state_dict(bad)
        after = target.state_dict()
        assert after.keys() == before.keys()
        for key, value in before.items():
            np.testing.assert_array_equal(after[key], value)
    with pytest.raises(TypeError, match="expects a dict"):
        target.load_state_dict([1, 2])


# -- errors on construction -----------------------------------------------------------------------
BAD_HYPER_PARAMETERS = [
    (SGD, {"lr": -0.1}, "lr=-0.1"),
    (SGD, {"lr": float("nan")}, "lr=nan"),
    (SGD, {"lr": 0.1, "momentum": -0.5}, "momentum=-0.5"),
    (SGD, {"lr": 0.1, "weight_decay": -1e-4}, "weight_decay=-0.0001"),
    (SGD, {"lr": 0.1, "dampening": -1}, "dampening=-1.0"),
    (SGD, {"lr": 0.1, "nesterov": True}, "nesterov=True needs momentum > 0.*momentum=0.0"),
    (SGD, {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "nesterov": True}, "dampening=0.1"),
    (Adagrad, {"lr": -1}, "lr=-1.0"),
    (Adagrad, {"lr_decay": -0.1}, "lr_decay=-0.1"),
    (Adagrad, {"initial_accumulator_value": -1}, "initial_accumulator_value=-1.0"),
    (Adagrad, {"eps": -1e-10}, "eps=-1e-10"),
    (RMSprop, {"alpha": 1.5}, r"alpha=1.5, it must be in \[0, 1\]"),
    (RMSprop, {"momentum": -0.9}, "momentum=-0.9"),
    (RMSprop, {"eps": -1.0}, "eps=-1.0"),
    (Adam, {"betas": (1.0, 0.999)}, r"betas\[0\]=1.0, it must be in \[0, 1\)"),
    (Adam, {"betas": (0.9, -0.1)}, r"betas\[1\]=-0.1"),
    (Adam, {"betas": (0.9,)}, "betas must be a pair"),
    (Adam, {"weight_decay": -0.1}, "weight_decay=-0.1"),
]


@pytest.mark.parametrize(("cls", "kwargs", "message"), BAD_HYPER_PARAMETERS)
def test_bad_hyper_parameters_are_refused_by_name(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls([Parameter(np.zeros(2))], **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"lr": "0.1"}, "lr must be a number"), ({"lr": 0.1, "nesterov": 0.9}, "True or False")],
)
def test_hyper_parameters_of_the_wrong_type_are_refused(kwargs, message):
    with pytest.raises(TypeError, match=message):
        SGD([Parameter(np.zeros(2))], **kwargs)


def test_bad_params_are_refused():
    p = Parameter(np.zeros(2))
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="empty parameter list"):
        Adam(iter([]))
    with pytest.raises(TypeError, match=r"params\[1\] is a ndarray, not a Parameter"):
        SGD([p, np.zeros(2)], lr=0.1)
    with pytest.raises(TypeError, match="single Parameter"):
        SGD(p, lr=0.1)
    with pytest.raises(TypeError, match=r"pass model.parameters\(\)"):
        SGD(Module(), lr=0.1)
    with pytest.raises(TypeError, match="iterable of Parameters"):
        SGD(3, lr=0.1)
    with pytest.raises(ValueError, match="appears twice"):
        SGD([p, p], lr=0.1)


def test_package_exports_and_repr():
    assert set(optim.__all__) == {"SGD", "Adagrad", "RMSprop", "Adam", "Optimizer"} | {
        "clip_grad_norm_"
    }
    opt = Adam([Parameter(np.zeros(2))], lr=0.01)
    assert isinstance(opt, Optimizer)
    assert repr(opt).startswith("Adam(1 parameters, lr=0.01, betas=(0.9, 0.999)")


# -- optional: the same numbers as torch.optim ----------------------------------------------------
@pytest.mark.parametrize("gaps", [False, True], ids=["all-grads", "some-None"])
@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=CONFIG_IDS)
def test_matches_torch_optim(cls, kwargs, gaps):
    torch = pytest.importorskip("torch")
    init, grad_steps = problem(seed=1, gaps=gaps)
    params, _ = run(cls, kwargs, init, grad_steps)
    tensors = [torch.tensor(a, requires_grad=True) for a in init]
    torch_opt = getattr(torch.optim, cls.__name__)(tensors, **kwargs)
    for grads in grad_steps:
        for t, g in zip(tensors, grads, strict=True):
            t.grad = None if g is None else torch.tensor(g)
        torch_opt.step()
    for p, t in zip(params, tensors, strict=True):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_clip_grad_norm_matches_torch():
    torch = pytest.importorskip("torch")
    init, grad_steps = problem(seed=2)
    params = [Parameter(a.copy()) for a in init]
    tensors = [torch.tensor(a) for a in init]
    for p, t, g in zip(params, tensors, grad_steps[0], strict=True):
        p.grad, t.grad = 3 * g, torch.tensor(3 * g)
    ours = clip_grad_norm_(params, 1.5)
    theirs = torch.nn.utils.clip_grad_norm_(tensors, 1.5)
    assert ours == pytest.approx(float(theirs), rel=1e-12)
    for p, t in zip(params, tensors, strict=True):
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=1e-12)
