"""The universal approximator (lesson 4) and the playground (lessons 9-10), driven from Python.

Controls are set as a student would set them; the tests then check the model's numbers and
the data of the artists (never pixels).
"""

import itertools
import json

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import nnlib
from nnlib.activations import sigmoid
from nnlib.data import REGRESSION_TARGETS
from nnlib.widgets.playground import (
    DIVERGED_MESSAGE,
    GRID,
    MAX_LAYERS,
    MAX_WIDTH,
    Playground,
    PlaygroundModel,
)
from nnlib.widgets.universal import UniversalApproximator, UniversalModel

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# -- universal approximator: construct mode ------------------------------------------------


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_construct_error_falls_as_units_grow_for_a_smooth_target(activation):
    errors = [
        UniversalModel(target="sin", units=n, activation=activation).max_error
        for n in (4, 10, 20, 50, 100)
    ]
    assert all(later < earlier for earlier, later in itertools.pairwise(errors))
    assert errors[4] < errors[2] / 3 < errors[0] / 6


def test_sigmoid_construction_is_the_sum_of_bumps_and_a_network():
    m = UniversalModel(target="poly", units=13, activation="sigmoid", steepness=8.0)
    net = m.network
    assert isinstance(net, nnlib.Sequential)
    assert [type(layer) for layer in net] == [nnlib.Linear, nnlib.Sigmoid, nnlib.Linear]
    assert net[0].weight.shape == (13, 1) and net[2].weight.shape == (1, 13)
    # The proof's formula, written out independently of the network: 6 bumps of width h on
    # [-1, 1] (the outer edges half a bump further out), each as high as the target at its
    # centre: Σₖ f(cₖ)·[σ(s(x − eₖ)) − σ(s(x − eₖ₊₁))], with slope s = steepness / h.
    h = 2 / 6
    edges = -1 + h * np.arange(7)
    edges[0], edges[-1] = edges[0] - h / 2, edges[-1] + h / 2
    np.testing.assert_allclose(m.edges, edges)
    heights = REGRESSION_TARGETS["poly"](-1 + h * (np.arange(6) + 0.5))
    slope = 8.0 / h
    x = m.x[:, None]
    bumps = heights * (sigmoid(slope * (x - edges[:-1])) - sigmoid(slope * (x - edges[1:])))
    np.testing.assert_allclose(m.output, bumps.sum(axis=1), atol=1e-12)
    # ... and the network itself, run on any points, computes the same function.
    np.testing.assert_allclose(net(x)[:, 0], m.output, atol=1e-12)
    # 13 units: 6 bumps, the 13th unit is left over with output weight 0
    assert m.output_weights[12] == 0 and "left over" in m.describe()


def test_relu_construction_is_the_piecewise_linear_interpolant():
    m = UniversalModel(target="sin", units=7, activation="relu")
    assert [type(layer) for layer in m.network] == [nnlib.Linear, nnlib.ReLU, nnlib.Linear]
    knots = np.linspace(-1, 1, 8)
    expected = np.interp(m.x, knots, np.sin(np.pi * knots))
    np.testing.assert_allclose(m.output, expected, atol=1e-12)
    # abs has its kink on a knot: the ReLU network is then exact
    assert UniversalModel(target="abs", units=4, activation="relu").max_error < 1e-12


def test_step_target_keeps_a_large_max_error_at_the_jump_while_the_mean_falls():
    # N // 2 even: a bump edge sits on the jump (with an odd count a bump straddles it)
    models = [UniversalModel(target="step", units=n) for n in (12, 20, 40, 100)]
    for m in models:
        assert m.max_error > 0.4
        assert abs(m.x[np.argmax(m.abs_error)]) < 0.05  # the worst point is at the jump
    means = [m.mean_error for m in models]
    assert all(later < earlier for earlier, later in itertools.pairwise(means))
    assert means[-1] < means[0] / 5
    # a smooth target has no such floor
    assert UniversalModel(target="sin", units=100).max_error < 0.1


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_unit_contributions_sum_to_the_output_minus_its_bias(activation):
    u = UniversalApproximator(units=9, activation=activation, show_units=True)
    u.controls["target"].value = "poly"
    for _ in range(2):
        segments = u.view.unit_lines.get_segments()
        assert len(segments) == 9
        m = u.model
        for segment in segments:
            np.testing.assert_array_equal(segment[:, 0], m.x)
        total = np.sum([segment[:, 1] for segment in segments], axis=0)
        np.testing.assert_allclose(total, m.output - m.output_bias, atol=1e-10)
        u.step()  # and the same holds for a trained network
    assert u.model.mode == "train"


def test_artists_follow_the_controls():
    u = UniversalApproximator(units=20)
    before = bytes(u.view.image.value)
    assert bytes(before).startswith(PNG_MAGIC)
    u.controls["units"].value = 60
    assert u.model.units == 60
    np.testing.assert_array_equal(u.view.approx_line.get_ydata(), u.model.output)
    assert bytes(u.view.image.value) != before and bytes(u.view.image.value).startswith(PNG_MAGIC)
    text = u.view.error_text.get_text()
    assert f"{u.model.max_error:.3f}" in text and f"{u.model.mean_error:.3f}" in text
    u.controls["target"].value = "abs"
    np.testing.assert_array_equal(u.view.target_line.get_ydata(), np.abs(u.model.x))
    # the dots mark the heights of the proof: the target at each bump centre
    x_dots, y_dots = u.view.height_points.get_data()
    np.testing.assert_array_equal(y_dots, np.abs(x_dots))
    assert len(x_dots) == 30
    assert not u.view.unit_lines.get_visible()
    u.controls["show_units"].value = True
    assert u.view.unit_lines.get_visible() and len(u.view.unit_lines.get_segments()) == 60
    u.controls["activation"].value = "relu"
    assert u.controls["steepness"].disabled


# -- universal approximator: hand-tune and train modes ---------------------------------------


def test_hand_tune_sliders_set_the_heights_and_move_the_curve():
    u = UniversalApproximator(units=30)
    u.controls["mode"].value = "hand-tune"
    # a slider per height makes sense for a few units only: N is capped at 8
    assert u.controls["units"].value == u.model.units == 8
    assert sorted(k for k in u.controls if k.startswith("height")) == [
        f"height{i}" for i in range(4)
    ]
    np.testing.assert_array_equal(u.model.output, 0.0 * u.model.output)  # heights start at 0
    u.controls["height1"].value = 0.8
    assert u.model.hand_heights.tolist() == [0.0, 0.8, 0.0, 0.0]
    curve = u.view.approx_line.get_ydata()
    np.testing.assert_array_equal(curve, u.model.output)
    # the raised bump is 0.8 high at its centre and flat far from it
    centre = u.model.anchors[1]
    assert np.interp(centre, u.model.x, curve) == pytest.approx(0.8, abs=0.02)
    assert abs(curve[u.model.x > 0.5]).max() < 1e-3
    u.controls["units"].value = 5
    assert sorted(k for k in u.controls if k.startswith("height")) == ["height0", "height1"]
    u.controls["activation"].value = "relu"  # one value per knot: N + 1 sliders
    assert len([k for k in u.controls if k.startswith("height")]) == 6
    u.controls["height0"].value = 0.5
    assert u.model.output[0] == pytest.approx(0.5)
    u.controls["mode"].value = "construct"
    assert u.controls["units"].max == 100


def test_train_mode_lowers_the_error_over_frames():
    u = UniversalApproximator(target="sin", units=20, mode="train")
    start = u.model.mean_error
    errors = []
    for frame in range(1, 9):
        u.controls["play"].value = frame  # the browser's timer advancing the Play widget
        errors.append(u.model.mean_error)
    assert u.model.train_steps == 8 * u.model.steps_per_frame
    assert errors[-1] < errors[0] < start
    assert errors[-1] < start / 5
    np.testing.assert_array_equal(u.view.approx_line.get_ydata(), u.model.output)
    u.controls["reset"].click()
    assert u.model.train_steps == 0 and u.model.mean_error == pytest.approx(start)


def test_universal_model_rejects_impossible_settings():
    with pytest.raises(ValueError, match="units"):
        UniversalModel(units=0)
    with pytest.raises(ValueError, match="hand-tune"):
        UniversalModel(units=20, mode="hand-tune")
    with pytest.raises(ValueError, match="target"):
        UniversalModel(target="cosine")


# -- playground ---------------------------------------------------------------------------------


def artist_arrays(p):
    """Every array the playground's artists hold, as float arrays."""
    v = p.view
    arrays = [np.asarray(v.boundary_image.get_array(), dtype=float)]
    arrays += [np.asarray(i.get_array(), dtype=float) for row in v.unit_images for i in row]
    arrays += [np.asarray(line.get_ydata(), dtype=float) for line in (v.train_curve, v.test_curve)]
    arrays += [
        np.asarray(pts.get_offsets(), dtype=float) for pts in (v.train_points, v.test_points)
    ]
    return arrays


def test_training_steps_lower_the_training_loss():
    p = Playground(dataset="moons", hidden=[8], activation="relu", seed=1)
    first = p.model.history["train"][0]
    for _ in range(15):
        assert p.step()
    assert p.model.settings["step"] == 15 * p.model.settings["steps_per_frame"]
    assert p.model.history["train"][-1] < 0.6 * first
    assert "step 300" in p.status.value


def test_loss_curves_show_the_recorded_losses():
    p = Playground(dataset="xor", hidden=[4])
    before = bytes(p.view.image.value)
    for _ in range(4):
        p.controls["step"].click()
    h = p.model.history
    assert len(h["train"]) == 5
    np.testing.assert_array_equal(p.view.train_curve.get_xdata(), h["step"])
    np.testing.assert_array_equal(p.view.train_curve.get_ydata(), h["train"])
    np.testing.assert_array_equal(p.view.test_curve.get_ydata(), h["test"])
    assert h["train"][-1] == pytest.approx(p.model.losses()[0])
    assert bytes(p.view.image.value) != before and bytes(p.view.image.value).startswith(PNG_MAGIC)


def test_hidden_unit_heatmaps_are_the_hidden_activations_on_the_grid():
    p = Playground(dataset="circles", hidden=[3, 2], activation="tanh")
    p.step()
    net = p.model.network
    grid = p.model.grid
    assert grid.shape == (GRID * GRID, 2)
    h1 = np.tanh(grid @ net[0].weight.data.T + net[0].bias.data)
    h2 = np.tanh(h1 @ net[2].weight.data.T + net[2].bias.data)
    logits = h2 @ net[4].weight.data.T + net[4].bias.data
    for layer, h in enumerate([h1, h2]):
        for unit in range(h.shape[1]):
            shown = p.view.unit_images[layer][unit].get_array()
            np.testing.assert_allclose(shown, h[:, unit].reshape(GRID, GRID), atol=1e-6)
    np.testing.assert_allclose(
        p.view.boundary_image.get_array(), sigmoid(logits).reshape(GRID, GRID), atol=1e-6
    )
    # pre-allocated tiles: only the 3 + 2 used ones are visible
    visible = [[ax.get_visible() for ax in column] for column in p.view.unit_axes]
    assert [sum(column) for column in visible] == [3, 2, 0, 0]
    assert len(p.view.unit_axes) == MAX_LAYERS and len(p.view.unit_axes[0]) == MAX_WIDTH
    # the grid point k is (xs[k % R], ys[k // R]), row i of an image is ys[i]
    np.testing.assert_allclose(grid[GRID + 3], [p.model.xs[3], p.model.ys[1]], rtol=1e-6)


def test_state_round_trips_and_continues_identically():
    p = Playground(dataset="spiral", hidden=[5, 3], activation="relu", lr=0.2, l2=1e-3, seed=4)
    for _ in range(3):
        p.step()
    state = p.state
    text = json.dumps(state, allow_nan=False)
    assert state["step"] == 60 and state["hidden"] == [5, 3] and "weights" in state
    q = Playground(state=json.loads(text))
    assert q.state == state
    assert PlaygroundModel(q.state).state == q.state
    for _ in range(2):
        p.step()
        q.step()
    assert q.state == p.state
    assert q.model.history["train"][-1] == p.model.history["train"][-1]


def test_a_preconfigured_state_gives_the_architecture_and_the_same_losses():
    config = {"dataset": "xor", "hidden": [3, 2], "activation": "sigmoid", "seed": 7, "lr": 0.5}
    a = Playground(state=config)
    shapes = [p.shape for p in a.model.network.parameters()]
    assert shapes == [(3, 2), (3,), (2, 3), (2,), (1, 2), (1,)]
    assert isinstance(a.model.network[1], nnlib.Sigmoid)
    assert a.controls["layers"].value == 2
    assert (a.controls["width1"].value, a.controls["width2"].value) == (3, 2)
    assert a.controls["dataset"].value == "xor" and a.controls["lr"].value == 0.5
    for _ in range(3):
        a.step()
    b = PlaygroundModel(config)
    for _ in range(3):
        b.train_frame()
    assert b.history["train"] == a.model.history["train"]
    # without weights, "step" fast-forwards from the seed: the same run again
    c = PlaygroundModel({**config, "step": 60})
    assert c.settings["step"] == 60
    assert c.history["train"][-1] == a.model.history["train"][-1]
    assert c.state == a.state
    # another seed is another run
    d = PlaygroundModel({**config, "seed": 8, "step": 60})
    assert d.history["train"][-1] != a.model.history["train"][-1]


def test_changing_data_or_architecture_resets_but_the_learning_rate_does_not():
    p = Playground(dataset="circles", hidden=[4, 4], seed=2)
    p.step()
    p.controls["lr"].value = 0.3  # applies from the next step on
    assert p.model.settings["step"] == 20 and p.model.optimizer.lr == 0.3
    p.controls["dataset"].value = "moons"
    assert p.model.settings["step"] == 0 and len(p.model.history["train"]) == 1
    fresh = PlaygroundModel({"dataset": "moons", "hidden": [4, 4], "seed": 2, "lr": 0.3})
    np.testing.assert_array_equal(p.model.x_train, fresh.x_train)
    assert p.state == fresh.state
    p.step()
    p.controls["layers"].value = 3
    assert p.model.settings["hidden"] == [4, 4, 4] and p.model.settings["step"] == 0
    assert p.controls["width3"].layout.display != "none"
    assert p.controls["width4"].layout.display == "none"
    p.controls["width1"].value = 7
    assert p.model.network[0].weight.shape == (7, 2)
    p.controls["layers"].value = 0  # logistic regression: no hidden tile shown
    assert len(p.model.network) == 1
    assert not any(ax.get_visible() for column in p.view.unit_axes for ax in column)


@pytest.mark.parametrize("activation", ["identity", "tanh", "leaky_relu"])
def test_an_absurd_learning_rate_stops_with_a_message_and_no_nan_on_screen(activation):
    p = Playground(dataset="spiral", hidden=[8, 8], activation=activation, lr=10.0)
    p.controls["play"].playing = True
    p.controls["play"].value = 1  # a frame from the browser's timer
    for _ in range(40):
        if p.model.diverged:
            break
        p.step()
    assert p.model.diverged
    assert DIVERGED_MESSAGE in p.status.value
    assert not p.controls["play"].playing
    for array in artist_arrays(p):
        assert np.isfinite(array).all()
    json.dumps(p.state, allow_nan=False)  # the state kept the last finite weights
    step = p.model.settings["step"]
    assert not p.step() and p.model.settings["step"] == step
    p.controls["play"].value = 2
    assert p.model.settings["step"] == step
    p.controls["reset"].click()
    assert not p.model.diverged and DIVERGED_MESSAGE not in p.status.value
    assert p.model.settings["step"] == 0


def test_playground_state_rejects_bad_settings():
    with pytest.raises(ValueError, match="unknown state key"):
        PlaygroundModel({"learning_rate": 0.1})
    with pytest.raises(ValueError, match="hidden"):
        PlaygroundModel({"hidden": [4, 9]})
    with pytest.raises(ValueError, match="hidden"):
        PlaygroundModel({"hidden": [1, 1, 1, 1, 1]})
    with pytest.raises(ValueError, match="dataset"):
        PlaygroundModel({"dataset": "swiss roll"})
    with pytest.raises(ValueError, match="expected shape"):
        PlaygroundModel({**Playground(hidden=[2]).state, "hidden": [3]})


def test_explorers_follow_the_common_api():
    for explorer, name in [(UniversalApproximator(), "universal"), (Playground(), "playground")]:
        classes = explorer.widget._dom_classes
        assert "nnlib-explorer" in classes and f"nnlib-{name}" in classes
        assert "nnlib-figure" in explorer.view.image._dom_classes
        assert explorer.view.image in explorer.widget.children
        bundle = explorer._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
