"""Tests of nnlib.autodiff: every operation's gradient against finite differences, the chain rule
at work (fan-out, the lesson's worked example, deep chains), dtypes, stability, errors and the
graph walk used to draw computation graphs."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnlib import autodiff as ad
from nnlib.autodiff import Tensor

EPS = 1e-5  # balances the truncation error (∝ EPS²) and the rounding error (∝ 1/EPS) in float64
TOLERANCE = 1e-7
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
SEEDS = st.integers(0, 2**32 - 1)


def rel_error(a, b, tiny=1e-12) -> float:
    """Largest element-wise |a − b| / max(|a| + |b|, tiny)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), tiny), initial=0.0))


def sample(rng, shape, domain: str) -> np.ndarray:
    """Float64 inputs where finite differences are accurate for the op under test.

    "positive": [0.5, 2] (log, fractional powers, divisors; and operands whose gradients are sums,
    so that no sum of opposite-signed terms cancels to nearly zero and makes a relative error
    meaningless); "signed": ±[0.2, 2], a step of EPS never crosses ReLU's kink at 0;
    "trig": ±[0.2, 1.4], away from the zeros of sin' = cos and cos' = −sin.
    """
    low, high = {"positive": (0.5, 2.0), "signed": (0.2, 2.0), "trig": (0.2, 1.4)}[domain]
    values = rng.uniform(low, high, shape)
    if domain != "positive":
        values *= rng.choice([-1.0, 1.0], shape)
    return np.asarray(values)


def check_gradients(fn, arrays, rng) -> None:
    """Compare the gradients ``backward`` gives for the inputs of ``fn`` (a function of Tensors)
    with two-sided finite differences of L = sum(w * fn(...)) for random positive weights w."""
    tensors = [Tensor(a) for a in arrays]
    out = fn(*tensors)
    weights = np.asarray(rng.uniform(0.5, 1.5, out.shape))
    out.backward(weights)
    for i, (array, tensor) in enumerate(zip(arrays, tensors, strict=True)):
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            plus, minus = [a.copy() for a in arrays], [a.copy() for a in arrays]
            plus[i][index] += EPS
            minus[i][index] -= EPS
            # Subtracting the outputs before weighting keeps the untouched elements exactly 0.
            change = fn(*map(Tensor, plus)).data - fn(*map(Tensor, minus)).data
            numeric[index] = np.sum(change * weights) / (2 * EPS)
        assert tensor.grad.shape == array.shape
        error = rel_error(tensor.grad, numeric)
        assert error <= TOLERANCE, f"input {i}: relative error {error:.2e}"


# -- every operation, gradient-checked --------------------------------------------------------
UNARY = {
    "neg": (lambda x: -x, "signed"),
    "exp": (lambda x: x.exp(), "signed"),
    "log": (lambda x: x.log(), "positive"),
    "tanh": (lambda x: x.tanh(), "signed"),
    "sigmoid": (lambda x: x.sigmoid(), "signed"),
    "relu": (lambda x: x.relu(), "signed"),
    "cos": (lambda x: x.cos(), "trig"),
    "sin": (lambda x: x.sin(), "trig"),
    "square": (lambda x: x**2, "signed"),
    "cube": (lambda x: x**3, "signed"),
    "sqrt": (lambda x: x**0.5, "positive"),
    "power -1.5": (lambda x: x**-1.5, "positive"),
    "transpose": (lambda x: x.T, "signed"),
    "sum": (lambda x: x.sum(), "signed"),
    "mean": (lambda x: x.mean(), "signed"),
    "plus constant": (lambda x: x + 1.5, "signed"),
    "constant minus": (lambda x: 2.5 - x, "signed"),
    "times constant": (lambda x: x * -3.0, "signed"),
    "constant times": (lambda x: 0.5 * x, "signed"),
    "over constant": (lambda x: x / 4.0, "signed"),
    "constant over": (lambda x: 3.0 / x, "positive"),
}


@pytest.mark.parametrize("name", UNARY)
@given(shape=SHAPES, seed=SEEDS)
def test_unary_gradients(name, shape, seed):
    fn, domain = UNARY[name]
    rng = np.random.default_rng(seed)
    check_gradients(fn, [sample(rng, shape, domain)], rng)


BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


@pytest.mark.parametrize("op", BINARY)
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=4), seed=SEEDS)
def test_binary_gradients_with_broadcasting(op, shapes, seed):
    fn = BINARY[op]
    rng = np.random.default_rng(seed)
    a, b = (sample(rng, shape, "positive") for shape in shapes.input_shapes)
    check_gradients(fn, [a, b], rng)
    # A plain array on either side is a constant; the Tensor still gets its gradient.
    check_gradients(lambda x: fn(x, b), [a], rng)
    check_gradients(lambda y: fn(a, y), [b], rng)
    assert isinstance(fn(a, Tensor(b)), Tensor)  # ndarray on the left defers to the Tensor


@given(
    n=st.integers(1, 4),
    k=st.integers(1, 4),
    m=st.integers(1, 4),
    left_is_vector=st.booleans(),
    right_is_vector=st.booleans(),
    seed=SEEDS,
)
def test_matmul_gradients(n, k, m, left_is_vector, right_is_vector, seed):
    rng = np.random.default_rng(seed)
    a = sample(rng, (k,) if left_is_vector else (n, k), "positive")
    b = sample(rng, (k,) if right_is_vector else (k, m), "positive")
    out = Tensor(a) @ Tensor(b)
    np.testing.assert_allclose(out.data, a @ b, rtol=1e-15)
    check_gradients(lambda x, y: x @ y, [a, b], rng)
    check_gradients(lambda y: a @ y, [b], rng)  # __rmatmul__


@st.composite
def reductions(draw):
    shape = draw(SHAPES)
    ndim = len(shape)
    single = st.integers(-ndim, ndim - 1) if ndim else st.nothing()
    axis = draw(st.none() | single | hnp.valid_tuple_axes(ndim))
    return shape, axis, draw(st.booleans())


@pytest.mark.parametrize("reduction", ["sum", "mean"])
@given(case=reductions(), seed=SEEDS)
def test_reduction_gradients_along_axes(reduction, case, seed):
    shape, axis, keepdims = case
    rng = np.random.default_rng(seed)
    x = sample(rng, shape, "signed")
    out = getattr(Tensor(x), reduction)(axis=axis, keepdims=keepdims)
    expected = getattr(x, reduction)(axis=axis, keepdims=keepdims)
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.data, expected, rtol=1e-14)
    check_gradients(lambda t: getattr(t, reduction)(axis=axis, keepdims=keepdims), [x], rng)


# -- forward values against NumPy (gradient checks only test consistency with the forward) ------
FORWARD = {
    "exp": (lambda t: t.exp(), np.exp),
    "log": (lambda t: t.log(), np.log),
    "tanh": (lambda t: t.tanh(), np.tanh),
    "sigmoid": (lambda t: t.sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    "relu": (lambda t: t.relu(), lambda x: np.maximum(x, 0)),
    "cos": (lambda t: t.cos(), np.cos),
    "sin": (lambda t: t.sin(), np.sin),
    "power": (lambda t: t**1.5, lambda x: x**1.5),
    "transpose": (lambda t: t.T, np.transpose),
}


@pytest.mark.parametrize("name", FORWARD)
def test_forward_values_match_numpy(name, rng):
    op, reference = FORWARD[name]
    x = rng.uniform(0.1, 5.0, (3, 4))
    if name not in ("log", "power"):
        x *= rng.choice([-1, 1], x.shape)
    out = op(Tensor(x))
    np.testing.assert_allclose(out.data, reference(x), rtol=1e-14)
    assert out.op and len(out.parents) == 1


@pytest.mark.parametrize("name", ["exp", "log", "tanh", "sigmoid", "relu", "cos", "sin"])
def test_module_functions_are_the_methods(name, rng):
    x = Tensor(rng.uniform(0.5, 2.0, 5))
    by_function, by_method = getattr(ad, name)(x), getattr(x, name)()
    np.testing.assert_array_equal(by_function.data, by_method.data)
    assert by_function.op == by_method.op == name and by_function.parents == (x,)
    # Numbers and arrays are accepted too and become float64 leaves.
    np.testing.assert_array_equal(
        getattr(ad, name)([1.0, 2.0]).data, getattr(Tensor([1, 2]), name)().data
    )


# -- the chain rule at work ---------------------------------------------------------------------
@given(x=st.floats(-3, 3))
def test_fan_out_sums_the_contributions(x):
    # z = y² + y with y = 2x: x reaches z only through y, but y is used twice, so
    # dz/dy = 2y + 1 (one term per use) and dz/dx = (2y + 1) · 2.
    xt = Tensor(x)
    y = xt * 2
    z = y * y + y
    z.backward()
    assert y.grad.item() == pytest.approx(2 * (2 * x) + 1, rel=1e-15, abs=1e-15)
    assert xt.grad.item() == pytest.approx((2 * (2 * x) + 1) * 2, rel=1e-15, abs=1e-15)


def test_backward_twice_adds_exactly_and_zero_grad_resets_the_graph(rng):
    x = Tensor(rng.uniform(0.5, 2.0, (3, 2)), name="x")
    w = Tensor(rng.uniform(0.5, 2.0, (2,)), name="w")
    loss = ((x @ w).tanh() * (x @ w)).mean()  # x @ w used twice
    loss.backward()
    first = {node: node.grad.copy() for node in loss.topological_order()}
    loss.backward()
    for node, grad in first.items():
        np.testing.assert_array_equal(node.grad, 2 * grad)  # not 3×: earlier passes not re-sent
    loss.zero_grad()
    assert all(not node.grad.any() for node in loss.topological_order())
    loss.backward()
    for node, grad in first.items():
        np.testing.assert_array_equal(node.grad, grad)


def worked_example(t: Tensor):
    """The lesson's example: f(x, y) = y + e^{xy} with x = cos t and y = t²."""
    x, y = ad.cos(t), t**2
    x.name, y.name = "x", "y"
    return x, y, y + ad.exp(x * y)


@given(t=hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-3, 3)))
def test_worked_example_matches_the_hand_derived_derivative(t):
    tt = Tensor(t, name="t")
    x, y, f = worked_example(tt)
    f.sum().backward()  # the f's of different t are independent: one backward gives every df/dt
    # By hand: ∂f/∂x = y e^{xy}, ∂f/∂y = 1 + x e^{xy}, dx/dt = −sin t, dy/dt = 2t, and
    # df/dt = ∂f/∂x · dx/dt + ∂f/∂y · dy/dt.
    xv, yv = np.cos(t), t**2
    df_dx, df_dy = yv * np.exp(xv * yv), 1 + xv * np.exp(xv * yv)
    terms = (df_dx * -np.sin(t), df_dy * 2 * t)
    scale = np.abs(terms[0]) + np.abs(terms[1]) + 1  # the sum may cancel to ~0
    assert np.all(np.abs(x.grad - df_dx) <= 1e-13 * (np.abs(df_dx) + 1))
    assert np.all(np.abs(y.grad - df_dy) <= 1e-13 * (np.abs(df_dy) + 1))
    assert np.all(np.abs(tt.grad - (terms[0] + terms[1])) <= 1e-13 * scale)


def test_a_chain_of_10_000_nodes_needs_no_recursion():
    x = Tensor(0.5)
    y = x
    for _ in range(9_999):
        y = -y
    assert len(y.topological_order()) == 10_000
    y.backward()  # a recursive walk would raise RecursionError here
    assert x.grad == -1.0  # d/dx of (−1)^9999 x
    y.zero_grad()
    assert x.grad == 0.0


# -- dtypes -------------------------------------------------------------------------------------
def every_op(x: Tensor, w: Tensor) -> Tensor:
    """An expression using every operation, with Python-number and float64-array constants."""
    h = ad.sigmoid(x @ w + np.ones(2)) * 2.0 - 1 / (x.T.T ** np.float64(2) + 1) @ ad.relu(w)
    h = ad.tanh(h) + ad.exp(-h) / 3 + ad.log(h * h + 1) - ad.cos(h) * ad.sin(h)
    return (np.float64(0.5) * h).mean(axis=0) + h.sum(keepdims=True).mean()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_preserved_by_every_op_and_gradient(dtype, rng):
    x = Tensor(rng.standard_normal((4, 3)).astype(dtype))
    w = Tensor(rng.standard_normal((3, 2)).astype(dtype))
    out = every_op(x, w)
    out.sum().backward()
    nodes = out.topological_order()
    assert len(nodes) > 30
    for node in nodes:
        assert node.data.dtype == dtype, f"{node} computes in {node.data.dtype}"
        assert node.grad.dtype == dtype and node.grad.shape == node.data.shape
        assert np.all(np.isfinite(node.grad))


def test_default_dtypes_and_mixed_precision():
    assert Tensor(1).dtype == Tensor([1, 2]).dtype == Tensor(np.arange(3)).dtype == np.float64
    assert Tensor(True).dtype == Tensor(2.5).dtype == np.float64
    data = np.ones(3, np.float32)
    assert Tensor(data).data is data  # a float array is used as is
    half, full = Tensor(data), Tensor(np.ones(3))
    out = (half * full).sum()
    out.backward()
    assert out.dtype == np.float64  # NumPy's promotion, but each input keeps its own grad dtype
    assert half.grad.dtype == np.float32 and full.grad.dtype == np.float64


# -- stability ------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_activations_are_stable_at_large_inputs(name, dtype):
    x = Tensor(np.array([-1e4, -1e3, -50.0, 0.0, 50.0, 1e3, 1e4], dtype))
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        out = getattr(x, name)()
        out.backward(np.ones(7))
    assert np.all(np.isfinite(out.data)) and np.all(np.isfinite(x.grad))
    low, high = {"sigmoid": (0, 1), "tanh": (-1, 1), "relu": (0, 1e4)}[name]
    assert out.data[0] == low and out.data[-1] == high
    if name != "relu":  # saturated: the gradient vanishes
        assert x.grad[0] == x.grad[-1] == 0


# -- clear errors -----------------------------------------------------------------------------
def test_backward_of_a_non_scalar_needs_a_gradient():
    out = Tensor(np.ones((2, 3))) * 2
    with pytest.raises(ValueError, match=r"shape \(2, 3\).*\.sum\(\)"):
        out.backward()
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 3\)"):
        out.backward(np.ones((3, 2)))
    Tensor(np.ones((1, 1))).backward()  # a single number in any shape is a valid seed


def test_matmul_mismatch_names_both_shapes():
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"\(2, 3\) @ \(4, 5\).*3 columns.*4 rows"):
        a @ b
    with pytest.raises(ValueError, match=r"\(2, 2, 3\) @ \(3,\)"):
        Tensor(np.ones((2, 2, 3))) @ np.ones(3)


def test_wrong_operand_types_are_refused_with_their_name():
    x = Tensor([1.0, 2.0])
    for bad in ["a", None, object(), {"a": 1}, [1.0, "a"]]:
        with pytest.raises(TypeError, match="number or an array of numbers"):
            x + bad
    with pytest.raises(TypeError, match="str"):
        "a" * x
    with pytest.raises(TypeError, match="NoneType"):
        ad.exp(None)
    with pytest.raises(TypeError, match="complex"):
        Tensor(np.ones(2, complex))
    with pytest.raises(TypeError, match="inhomogeneous"):
        Tensor([[1.0, 2.0], [3.0]])
    with pytest.raises(TypeError, match=r"exp\(p \* log\(x\)\)"):
        x**x


# -- the graph, for drawing -----------------------------------------------------------------
def labelled_edges(out: Tensor) -> list[tuple[str, str]]:
    return sorted((parent.label, child.label) for parent, child in out.graph()[1])


def test_graph_of_the_worked_example():
    t = Tensor(0.5, name="t")
    *_, f = worked_example(t)
    nodes, edges = f.graph()
    assert nodes[0] is t and nodes[-1] is f and len(edges) == 7
    assert sorted(n.label for n in nodes) == sorted(["t", "x", "y", "*", "exp", "+"])
    assert labelled_edges(f) == sorted(
        [("t", "x"), ("t", "y"), ("x", "*"), ("y", "*"), ("*", "exp"), ("y", "+"), ("exp", "+")]
    )


def test_constants_are_leaves_and_each_use_is_an_edge():
    x = Tensor(3.0, name="x")
    assert labelled_edges(x * 2) == [("2", "*"), ("x", "*")]
    assert labelled_edges(x * x) == [("x", "*"), ("x", "*")]
    assert len((x * x).topological_order()) == 2
    assert Tensor(np.ones((2, 3))).label == "array(2, 3)"
    assert x.topological_order() == [x] and x.graph() == ([x], [])


@st.composite
def random_graphs(draw):
    """A random expression over 3 leaves, each step applying an op to earlier nodes (all values
    0, so that no chain of products can overflow: only the shape of the graph matters here)."""
    nodes = [Tensor(0.0, name=f"leaf{i}") for i in range(3)]
    ops = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b, lambda a, b: a.tanh()]
    for _ in range(draw(st.integers(1, 25))):
        op = draw(st.sampled_from(ops))
        a, b = (draw(st.sampled_from(nodes)) for _ in range(2))
        nodes.append(op(a, b))
    return nodes


@given(nodes=random_graphs())
def test_topological_order_puts_every_parent_before_its_child(nodes):
    out = nodes[-1]
    order = out.topological_order()
    position = {node: i for i, node in enumerate(order)}
    assert len(position) == len(order) and order[-1] is out
    assert all(position[p] < position[child] for child in order for p in child.parents)
    ancestors, frontier = {out}, [out]  # the nodes out depends on, found the naive way
    while frontier:
        frontier = [p for node in frontier for p in node.parents if p not in ancestors]
        ancestors.update(frontier)
    assert set(order) == ancestors
    assert len(out.graph()[1]) == sum(len(node.parents) for node in order)


def test_repr_is_short_and_names_shape_op_and_name():
    x = Tensor(np.ones((2, 3), np.float32), name="x")
    h = (x * 2).tanh()
    h.name = "h"
    assert repr(h) == "Tensor(shape=(2, 3), dtype=float32, op='tanh', name='h')"
    assert repr(Tensor(0.25)) == "Tensor(0.25, dtype=float64)"
