"""Module machinery: parameters, naming, modes, dtype, saving, printing, skipping input grads."""

import numpy as np
import pytest

import nnlib


def mlp(seed=0, **kw):
    return nnlib.Sequential(
        nnlib.Linear(4, 8, rng=seed, **kw),
        nnlib.ReLU(),
        nnlib.Dropout(0.5, rng=seed),
        nnlib.Linear(8, 3, rng=seed + 1, **kw),
    )


def test_named_parameters_follow_pytorch_naming():
    names = [n for n, _ in mlp().named_parameters()]
    assert names == ["0.weight", "0.bias", "3.weight", "3.bias"]


def test_parameter_counts_of_the_lesson_networks():
    # Lesson 3: the 1-2-1 regression net has 7 parameters, the 2-2-1 classifier 9.
    assert (
        nnlib.Sequential(nnlib.Linear(1, 2), nnlib.Tanh(), nnlib.Linear(2, 1)).num_parameters() == 7
    )
    assert (
        nnlib.Sequential(nnlib.Linear(2, 2), nnlib.Tanh(), nnlib.Linear(2, 1)).num_parameters() == 9
    )


def test_weight_layout_is_out_by_in():
    layer = nnlib.Linear(5, 3, rng=0)
    assert layer.weight.shape == (3, 5)
    x = np.random.default_rng(0).standard_normal((2, 5))
    expected = np.stack([layer.weight.data @ xi + layer.bias.data for xi in x])
    np.testing.assert_allclose(layer(x), expected, rtol=1e-6)


def test_nested_sequential_is_a_layer():
    inner = mlp()
    outer = nnlib.Sequential(inner, nnlib.Tanh(), nnlib.Linear(3, 2, rng=5))
    assert [n for n, _ in outer.named_parameters()][:2] == ["0.0.weight", "0.0.bias"]
    assert outer.num_parameters() == inner.num_parameters() + 3 * 2 + 2
    outer.eval()
    assert not inner.layers[2].training
    outer.train()
    assert all(m.training for m in outer.modules())


def test_shared_parameter_is_listed_once():
    a = nnlib.Linear(3, 3, rng=0)
    net = nnlib.Sequential(a, nnlib.Tanh(), a)
    assert len(net.parameters()) == 2


def test_state_dict_round_trip_restores_outputs():
    x = np.random.default_rng(0).standard_normal((6, 4)).astype(np.float32)
    a, b = mlp(seed=1).eval(), mlp(seed=2).eval()
    assert not np.allclose(a(x), b(x))
    b.load_state_dict(a.state_dict())
    np.testing.assert_array_equal(a(x), b(x))


def test_state_dict_is_a_copy():
    net = mlp()
    state = net.state_dict()
    state["0.weight"][...] = 0
    assert np.abs(net.layers[0].weight.data).sum() > 0


def test_to_double_converts_parameters_and_outputs():
    net = mlp().eval()
    assert net.layers[0].weight.dtype == np.float32
    net.double()
    assert all(p.dtype == np.float64 for p in net.parameters())
    assert net(np.ones((2, 4))).dtype == np.float64
    with pytest.raises(TypeError, match="floating point"):
        net.to(np.int32)


def test_repr_reads_like_pytorch():
    text = repr(nnlib.Sequential(nnlib.Linear(2, 3), nnlib.LeakyReLU(0.1), nnlib.Linear(3, 1)))
    assert text == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): LeakyReLU(negative_slope=0.1)\n"
        "  (2): Linear(in_features=3, out_features=1, bias=True)\n"
        ")"
    )


def test_backward_without_input_grad_gives_the_same_parameter_gradients():
    x = np.random.default_rng(0).standard_normal((16, 4)).astype(np.float32)
    g = np.random.default_rng(1).standard_normal((16, 3)).astype(np.float32)
    full, lean = mlp(seed=3).eval(), mlp(seed=3).eval()
    full(x)
    lean(x)
    assert full.backward(g).shape == x.shape
    assert lean.backward(g, input_grad=False) is None
    for (name, p), q in zip(full.named_parameters(), lean.parameters(), strict=True):
        np.testing.assert_array_equal(p.grad, q.grad, err_msg=name)


def test_input_grad_false_skips_leading_parameter_free_layers():
    net = nnlib.Sequential(nnlib.Tanh(), nnlib.Linear(3, 2, rng=0))
    net(np.ones((2, 3)))
    assert net.backward(np.ones((2, 2)), input_grad=False) is None
    assert net.layers[1].weight.grad is not None


def test_manual_seed_makes_initialisation_reproducible():
    nnlib.manual_seed(42)
    a = nnlib.Linear(5, 5).weight.data.copy()
    nnlib.manual_seed(42)
    b = nnlib.Linear(5, 5).weight.data
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("init", "std"),
    [("he", np.sqrt(2 / 400)), ("small", 0.01), ("xavier", np.sqrt(2 / (400 + 300)))],
)
def test_initialisation_scales(init, std):
    layer = nnlib.Linear(400, 300, init=init, rng=0)
    assert layer.weight.data.std() == pytest.approx(std, rel=0.03)
    assert np.all(layer.bias.data == 0)
