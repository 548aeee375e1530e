"""Bad input gets an error that names the problem and the shapes involved."""

import numpy as np
import pytest

import nnlib


def test_linear_shape_mismatch_names_both_sizes():
    with pytest.raises(ValueError, match=r"shape \(4, 3\).*expects 5"):
        nnlib.Linear(5, 2)(np.zeros((4, 3)))


def test_linear_wrong_ndim():
    with pytest.raises(ValueError, match=r"2-D array, got 1-D of shape \(5,\)"):
        nnlib.Linear(5, 2)(np.zeros(5))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_is_rejected_with_its_position(bad):
    x = np.zeros((3, 4))
    x[1, 2] = bad
    with pytest.raises(ValueError, match=r"1 NaN/inf value\(s\), the first at index \(1, 2\)"):
        nnlib.Linear(4, 2)(x)
    with pytest.raises(ValueError, match="NaN/inf"):
        nnlib.CrossEntropyLoss()(x, np.zeros(3, dtype=int))


def test_huge_but_finite_input_is_accepted():
    x = np.full((2, 2), 3e38, dtype=np.float32)  # a sum would overflow, no element does
    # The layer's own product overflows too (to ±inf, or NaN where those cancel): silence that,
    # what is tested is that the finiteness check lets the input through.
    with np.errstate(over="ignore", invalid="ignore"):
        assert nnlib.Linear(2, 1, dtype=np.float32, rng=0)(x).shape == (2, 1)


def test_labels_out_of_range():
    with pytest.raises(ValueError, match=r"label 3 is out of range for 3 classes \(0..2\)"):
        nnlib.CrossEntropyLoss()(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match="label -1"):
        nnlib.CrossEntropyLoss()(np.zeros((2, 3)), np.array([-1, 0]))


def test_labels_of_wrong_type_or_shape():
    with pytest.raises(TypeError, match="must be integers"):
        nnlib.CrossEntropyLoss()(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"expected 2 labels of shape \(2,\).*\(2, 1\)"):
        nnlib.CrossEntropyLoss()(np.zeros((2, 3)), np.array([[0], [1]]))
    with pytest.raises(ValueError, match=r"logits must have shape \(N, C\).*logits\[None, :\]"):
        nnlib.CrossEntropyLoss()(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match=r"-1 or \+1.*2 \* y - 1"):
        nnlib.HingeLoss()(np.zeros(3), np.array([0.0, 1.0, 1.0]))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        nnlib.BCEWithLogitsLoss()(np.zeros(2), np.array([-1.0, 1.0]))


def test_regression_target_shape_mismatch_suggests_reshape():
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\).*reshape\(-1, 1\)"):
        nnlib.MSELoss()(np.zeros((4, 1)), np.zeros(4))


@pytest.mark.parametrize(
    "module",
    [
        nnlib.Linear(2, 2),
        nnlib.ReLU(),
        nnlib.Sigmoid(),
        nnlib.Tanh(),
        nnlib.PReLU(),
        nnlib.Maxout(2),
        nnlib.Dropout(0.5),
        nnlib.Identity(),
        nnlib.Sequential(nnlib.Linear(2, 2)),
    ],
    ids=lambda m: type(m).__name__,
)
def test_backward_before_forward(module):
    with pytest.raises(RuntimeError, match=r"backward was called before .*forward"):
        module.backward(np.ones((1, 2)))


def test_loss_backward_before_forward():
    with pytest.raises(RuntimeError, match="before"):
        nnlib.MSELoss().backward()


def test_grad_out_of_the_wrong_shape():
    layer = nnlib.Linear(3, 2)
    layer(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"grad_out has shape \(2, 4\).*output had shape \(4, 2\)"):
        layer.backward(np.zeros((2, 4)))


def test_transposed_parameter_gradient_is_named():
    p = nnlib.Parameter(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="transposed"):
        p.accumulate_grad(np.zeros((3, 2)))


def test_unknown_activation_suggests_the_closest_name():
    with pytest.raises(ValueError, match=r"unknown activation 'relu6'.*Did you mean 'relu'"):
        nnlib.get_activation("relu6")
    with pytest.raises(ValueError, match="Known activations: identity"):
        nnlib.get_activation("swish")


def test_sequential_rejects_classes_and_non_modules():
    with pytest.raises(TypeError, match=r"item 1 .*ReLU instead of ReLU\(\)"):
        nnlib.Sequential(nnlib.Linear(2, 2), nnlib.ReLU)


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_linear_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match="positive integer"):
        nnlib.Linear(bad, 2)


def test_unknown_init_and_bad_dropout():
    with pytest.raises(ValueError, match="unknown init 'kaiming'"):
        nnlib.Linear(2, 2, init="kaiming")
    with pytest.raises(ValueError, match="0 <= p < 1"):
        nnlib.Dropout(1.0)
    with pytest.raises(ValueError, match="multiple of pieces=3"):
        nnlib.Maxout(3)(np.zeros((2, 4)))


def net():
    return nnlib.Sequential(nnlib.Linear(2, 3, rng=0), nnlib.ReLU(), nnlib.Linear(3, 1, rng=1))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("2.bias"), "missing keys: 2.bias"),
        (lambda s: s.update(extra=np.zeros(1)), "unexpected keys: extra"),
        (lambda s: s.update({"0.weight": np.zeros((2, 3))}), r"0.weight: expected shape \(3, 2\)"),
    ],
)
def test_load_state_dict_problems_load_nothing(change, message):
    target = net()
    before = target.state_dict()
    state = nnlib.Sequential(*net().layers).state_dict()
    for p in state.values():
        p += 1  # every value differs from target's, so a partial load would show
    change(state)
    with pytest.raises(ValueError, match=message):
        target.load_state_dict(state)
    for name, value in target.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_load_state_dict_lists_every_problem_at_once():
    state = net().state_dict()
    state.pop("0.bias")
    state["2.weight"] = np.zeros((3, 1))
    with pytest.raises(ValueError, match=r"(?s)missing keys: 0.bias.*2.weight: expected shape"):
        net().load_state_dict(state)
