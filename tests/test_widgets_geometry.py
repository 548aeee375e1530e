"""Explorers of lessons 1-3 (neuron, activations, feature map), driven from Python.

Controls are set as a student would set them; the tests then check the model's numbers against
formulas computed here independently, and the artists' DATA against the model (never pixels).
"""

import itertools

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nnlib
from nnlib.widgets.activations import ActivationExplorer
from nnlib.widgets.feature_map import FeatureMap, fit_linear_readout
from nnlib.widgets.neuron import NeuronExplorer, NeuronModel, line_in_box

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def logistic(z):
    return 1 / (1 + np.exp(-z))


def covered_by_box(points, box, tol=1e-9):
    x0, x1, y0, y1 = box
    return np.all(
        (points[:, 0] >= x0 - tol)
        & (points[:, 0] <= x1 + tol)
        & (points[:, 1] >= y0 - tol)
        & (points[:, 1] <= y1 + tol)
    )


# -- shared by every explorer -------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, short_name, control, value",
    [
        (NeuronExplorer, "neuron", "w1", 3.0),
        (ActivationExplorer, "activations", "k", 4.0),
        (FeatureMap, "feature-map", "angle1", 30.0),
    ],
)
def test_explorer_displays_and_rerenders_on_a_control_change(make, short_name, control, value):
    explorer = make()
    bundle = explorer._repr_mimebundle_()
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    assert {"nnlib-explorer", f"nnlib-{short_name}"} <= set(explorer.widget._dom_classes)
    assert "nnlib-figure" in explorer.view.image._dom_classes
    assert explorer.view.image in explorer.widget.children
    assert explorer.status in explorer.widget.children
    before = bytes(explorer.view.image.value)
    assert before.startswith(PNG_SIGNATURE)
    explorer.controls[control].value = value
    after = bytes(explorer.view.image.value)
    assert after.startswith(PNG_SIGNATURE)
    assert after != before


@pytest.mark.parametrize("make", [NeuronExplorer, ActivationExplorer, FeatureMap])
def test_update_changes_artists_without_rendering(make):
    explorer = make()
    renders = explorer.view.renders
    explorer.update()
    assert explorer.view.renders == renders


@pytest.mark.parametrize(
    "make, settings, words",
    [
        (NeuronExplorer, {"dataset": "nand"}, ["dataset", "xor"]),
        (NeuronExplorer, {"activation": "relu"}, ["activation", "hard_threshold"]),
        (NeuronExplorer, {"w": (1.0, 2.0, 3.0)}, ["w", "(3,)"]),
        (ActivationExplorer, {"name": "swish"}, ["swish", "sigmoid"]),
        (ActivationExplorer, {"k": 0.0}, ["k", "> 0"]),
        (FeatureMap, {"dataset": "circles"}, ["circles", "xor quadrants"]),
        (FeatureMap, {"angles": (0.0,)}, ["angles", "(1,)"]),
    ],
)
def test_bad_settings_are_refused_with_a_message_naming_them(make, settings, words):
    with pytest.raises(ValueError) as error:
        make(**settings)
    for word in words:
        assert word in str(error.value)


# -- lesson 1: the neuron -------------------------------------------------------------------------


@given(
    w=st.tuples(st.floats(-6, 6), st.floats(-6, 6)).filter(lambda w: np.hypot(*w) > 1e-3),
    b=st.floats(-6, 6),
)
def test_line_in_box_endpoints_lie_on_the_line_and_in_the_box(w, b):
    box = (-0.5, 1.5, -1.0, 2.0)
    segment = line_in_box(w, b, box)
    if segment is None:
        # Then the line misses the box: w·x + b has the same sign at all four corners.
        corners = np.array([[x, y] for x in box[:2] for y in box[2:]])
        values = corners @ np.asarray(w) + b
        assert (values >= -1e-9).all() or (values <= 1e-9).all()
    else:
        np.testing.assert_allclose(segment @ np.asarray(w) + b, 0, atol=1e-9 * (1 + abs(b)))
        assert covered_by_box(segment, box)


def test_neuron_decision_line_and_normal_follow_the_sliders():
    explorer = NeuronExplorer(dataset="or")
    c, a = explorer.controls, explorer.artists
    for w1, w2, b in [(1.5, -2.0, 0.3), (0.0, 3.0, -1.5)]:
        c["w1"].value, c["w2"].value, c["b"].value = w1, w2, b
        w = np.array([w1, w2])
        xs, ys = a["decision_line"].get_data()
        ends = np.column_stack([xs, ys])
        assert ends.shape == (2, 2)
        np.testing.assert_allclose(ends @ w + b, 0, atol=1e-9)
        assert covered_by_box(ends, explorer.box)
        normal = np.array([np.ravel(a["normal"].U)[0], np.ravel(a["normal"].V)[0]])
        # The arrow points along +w (towards class 1) from the middle of the segment.
        np.testing.assert_allclose(normal / np.linalg.norm(normal), w / np.linalg.norm(w))
        np.testing.assert_allclose(a["normal"].get_offsets()[0], ends.mean(axis=0))


def test_neuron_line_outside_the_view_is_hidden_not_wrong():
    explorer = NeuronExplorer(dataset="and")
    c = explorer.controls
    c["w1"].value, c["w2"].value, c["b"].value = 1.0, 0.0, 6.0  # the line x₁ = −6
    assert len(explorer.artists["decision_line"].get_xdata()) == 0
    assert not explorer.artists["normal"].get_visible()
    c["b"].value = -0.5  # back in view
    assert len(explorer.artists["decision_line"].get_xdata()) == 2
    assert explorer.artists["normal"].get_visible()


@pytest.mark.parametrize("activation", ["sigmoid", "hard_threshold"])
def test_neuron_heatmap_is_the_units_output_on_the_grid(activation):
    explorer = NeuronExplorer(dataset="blobs", activation=activation, w=(-1.2, 0.7), b=0.4)
    xx, yy = np.meshgrid(explorer.grid_xs, explorer.grid_ys)  # row i is ys[i] (origin lower)
    z = -1.2 * xx + 0.7 * yy + 0.4
    expected = logistic(z) if activation == "sigmoid" else (z > 0).astype(float)
    heat = explorer.artists["heatmap"]
    np.testing.assert_allclose(np.asarray(heat.get_array()), expected, atol=1e-12)
    # Pixel centres sit on the grid: the extent reaches half a pixel beyond the first/last.
    x0, x1, y0, y1 = heat.get_extent()
    dx = explorer.grid_xs[1] - explorer.grid_xs[0]
    np.testing.assert_allclose(
        [x0, x1], [explorer.grid_xs[0] - dx / 2, explorer.grid_xs[-1] + dx / 2]
    )
    assert y0 < explorer.grid_ys[0] < explorer.grid_ys[-1] < y1


def test_neuron_loss_and_gradient_arrow_match_the_formulas():
    explorer = NeuronExplorer(dataset="and", noisy=True, w=(0.8, -1.3), b=0.2)
    m = explorer.model
    X, t = m.X, m.t
    p = logistic(X @ np.array([0.8, -1.3]) + 0.2)
    loss = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
    grad_w = ((p - t)[:, None] * X).mean(axis=0)
    grad_b = (p - t).mean()
    assert m.loss() == pytest.approx(loss, rel=1e-10)
    got_w, got_b = m.gradient()
    np.testing.assert_allclose(got_w, grad_w, rtol=1e-10)
    assert got_b == pytest.approx(grad_b, rel=1e-10)
    arrow = explorer.artists["gradient"]
    np.testing.assert_allclose(arrow.get_offsets()[0], [0.8, -1.3])
    np.testing.assert_allclose([np.ravel(arrow.U)[0], np.ravel(arrow.V)[0]], -grad_w, rtol=1e-10)
    np.testing.assert_allclose(explorer.artists["weights"].get_xydata()[0], [0.8, -1.3])


def test_neuron_loss_surface_is_the_loss_at_each_grid_weight_and_follows_b():
    explorer = NeuronExplorer(dataset="xor", noisy=True)
    c, m = explorer.controls, explorer.model
    axis = explorer.weight_axis
    c["b"].value = -1.0
    old_contours = explorer.artists["contours"]
    point_artist = explorer.artists["weights"]
    c["b"].value = 1.5  # the surface depends on b: a new contour set replaces the old one
    new_contours = explorer.artists["contours"]
    assert new_contours is not old_contours
    weight_ax = explorer.view.axes[1]
    assert old_contours not in weight_ax.collections and new_contours in weight_ax.collections
    assert explorer.artists["weights"] is point_artist  # everything else is kept
    for i, j in [(0, 0), (10, 50), (30, 30), (60, 5)]:
        w = np.array([axis[j], axis[i]])  # row i is w₂ = axis[i], column j is w₁ = axis[j]
        p = logistic(m.X @ w + 1.5)
        expected = -np.mean(m.t * np.log(p) + (1 - m.t) * np.log(1 - p))
        assert explorer.loss_grid[i, j] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("dataset", ["and", "or", "blobs"])
def test_neuron_step_walks_downhill_and_moves_the_sliders(dataset):
    explorer = NeuronExplorer(dataset=dataset, w=(-1.0, 1.0), b=0.5)
    c, m = explorer.controls, explorer.model
    c["lr"].value = 0.5
    before = m.loss()
    explorer.step()
    after = m.loss()
    assert after < before
    np.testing.assert_allclose([c["w1"].value, c["w2"].value, c["b"].value], [*m.w, m.b])
    explorer.steps_per_frame = 10
    for _ in range(2):
        c["step"].click()
    assert m.loss() < after
    assert len(explorer.artists["trail"].get_xdata()) == 3  # one point per frame


def test_neuron_run_takes_one_frame_per_play_tick():
    explorer = NeuronExplorer(dataset="or", steps_per_frame=3)
    m = explorer.model
    expected = NeuronModel(dataset="or")
    for _ in range(3):
        expected.step()
    explorer.controls["run"].value += 1
    np.testing.assert_allclose(m.w, expected.w)
    assert m.b == pytest.approx(expected.b)


def test_neuron_xor_is_never_fully_separated_by_gradient_descent():
    explorer = NeuronExplorer(dataset="xor", steps_per_frame=50)
    assert "no line separates" in explorer.status.value
    m = explorer.model
    for start in [(-5.0, 4.0, 1.0), (3.0, 3.0, -4.0), (6.0, -6.0, 0.0)]:
        m.w, m.b = np.array(start[:2]), start[2]
        for _ in range(300):  # the model alone, so that every single step can be checked
            m.step()
            assert m.accuracy() <= 0.75
    explorer.step()  # and one frame through the explorer
    assert m.accuracy() <= 0.75
    # Gradient descent ends at the minimum of the XOR loss, w = 0, b = 0, loss log 2.
    assert m.loss() == pytest.approx(np.log(2), abs=1e-3)
    np.testing.assert_allclose([*m.w, m.b], 0, atol=0.05)


@given(st.floats(-50, 50), st.floats(-50, 50), st.floats(-50, 50))
def test_no_line_gets_all_four_xor_corners(w1, w2, b):
    X, y = nnlib.data.logic_gate("xor", dtype=np.float64)
    prediction = X @ np.array([w1, w2]) + b > 0
    assert np.mean(prediction == (y == 1)) <= 0.75


def test_neuron_too_large_learning_rate_is_explained_and_stays_finite():
    # At w = 0, b = 0 on AND the gradient is (0, 0, 1/4): a step of 19 overshoots to b ≈ −4.75.
    explorer = NeuronExplorer(dataset="and", w=(0.0, 0.0), b=0.0)
    explorer.controls["lr"].value = 19.0
    explorer.controls["run"].playing = True
    before = explorer.model.loss()
    explorer.step()
    assert explorer.model.loss() > before
    assert "learning rate" in explorer.status.value
    assert not explorer.controls["run"].playing
    assert np.isfinite(np.asarray(explorer.artists["heatmap"].get_array())).all()
    explorer.controls["reset"].click()
    np.testing.assert_allclose([*explorer.model.w, explorer.model.b], [0.0, 0.0, 0.0])
    assert "learning rate" not in explorer.status.value


def test_neuron_dataset_switch_moves_points_and_view():
    explorer = NeuronExplorer(dataset="and")
    explorer.controls["dataset"].value = "blobs"
    m, points = explorer.model, explorer.artists["points"]
    np.testing.assert_allclose(points.get_offsets(), m.X)
    class_one = points.get_facecolors()[:, 0] > 0.5  # red for class 1, blue for class 0
    np.testing.assert_array_equal(class_one, m.t == 1)
    assert covered_by_box(m.X, explorer.view.axes[0].get_xlim() + explorer.view.axes[0].get_ylim())


# -- lesson 2: activation functions ----------------------------------------------------------


@pytest.mark.parametrize("name", list(nnlib.ACTIVATIONS))
def test_activation_lines_are_f_and_chain_rule_slope(name):
    explorer = ActivationExplorer(k=2.5, c=-0.7)
    a = explorer.artists
    explorer.controls["activation"].value = name  # renders: each formula must be valid mathtext
    info = nnlib.ACTIVATIONS[name]
    z = a["value"].get_xdata()
    u = 2.5 * z - 0.7
    np.testing.assert_allclose(a["value"].get_ydata(), info.fn(u))
    np.testing.assert_allclose(a["slope"].get_ydata(), 2.5 * info.grad(u))
    assert info.formula in a["formula"].get_text()
    assert info.derivative in a["formula"].get_text()


@pytest.mark.parametrize(
    "name, k, threshold",
    [("sigmoid", 3.0, 0.05), ("relu", 1.0, 0.5), ("tanh", 0.4, 0.2), ("sine", 1.3, 0.3)],
)
def test_activation_shading_covers_exactly_the_saturated_z(name, k, threshold):
    explorer = ActivationExplorer(name=name, k=k, threshold=threshold)
    z = explorer.artists["slope"].get_xdata()
    flat = np.abs(explorer.artists["slope"].get_ydata()) < threshold
    assert flat.any() and not flat.all()
    covered = np.zeros(len(z), dtype=bool)
    for path in explorer.artists["saturation"].get_paths():
        xs = path.vertices[:, 0]
        covered |= (z >= xs.min()) & (z <= xs.max())
    np.testing.assert_array_equal(covered, flat)


def test_activation_sigmoid_approaches_the_step_as_k_grows():
    explorer = ActivationExplorer(compare_step=True)
    c, m = explorer.controls, explorer.model
    gaps = []
    for k in [0.5, 2.0, 8.0, 25.0]:
        c["k"].value = k
        gaps.append(m.step_gap())
        # With c = 0 the largest gap outside the window sits at its edge: σ(−k·window).
        assert gaps[-1] == pytest.approx(logistic(-k * m.window), rel=1e-2)
    assert all(later < earlier for earlier, later in itertools.pairwise(gaps))
    assert gaps[-1] < 0.01
    step = explorer.artists["step"]
    assert step.get_visible()
    np.testing.assert_array_equal(step.get_ydata(), (step.get_xdata() > 0).astype(float))
    assert f"{gaps[-1]:.4f}" in explorer.artists["readout"].get_text()
    c["c"].value = 2.5  # the step moves to z₀ = −c/k
    assert m.jump == pytest.approx(-0.1)
    np.testing.assert_array_equal(step.get_ydata(), (step.get_xdata() > -0.1).astype(float))


def test_activation_step_overlay_only_for_functions_that_level_off():
    explorer = ActivationExplorer(compare_step=True)
    explorer.controls["activation"].value = "relu"
    assert not explorer.artists["step"].get_visible()
    assert "does not level off" in explorer.status.value
    explorer.controls["activation"].value = "tanh"
    step = explorer.artists["step"]
    assert step.get_visible()
    assert set(np.unique(step.get_ydata())) == {-1.0, 1.0}
    explorer.controls["compare_step"].value = False
    assert not step.get_visible()


# -- lesson 3: the feature map ----------------------------------------------------------------


def unit_pre_activations(X, angles, biases, flips):
    """z for two units with normals (cos θ, sin θ), computed here without the model."""
    z = np.empty((len(X), 2))
    for i in range(2):
        theta = np.radians(angles[i])
        sign = -1.0 if flips[i] else 1.0
        z[:, i] = sign * (X[:, 0] * np.cos(theta) + X[:, 1] * np.sin(theta) + biases[i])
    return z


def test_feature_map_hidden_points_are_relu_of_the_units():
    explorer = FeatureMap(dataset="noisy xor corners", angles=(20.0, 110.0), biases=(-0.4, 0.3))
    z = unit_pre_activations(explorer.model.X, (20.0, 110.0), (-0.4, 0.3), (False, False))
    np.testing.assert_allclose(explorer.artists["hidden_points"].get_offsets(), np.maximum(z, 0))
    # Each unit's line satisfies w·x + b = 0 and its normal arrow points along w.
    for i, line in enumerate(explorer.artists["unit_lines"]):
        ends = np.column_stack(line.get_data())
        w = explorer.model.weights[i]
        np.testing.assert_allclose(ends @ w + explorer.model.bias[i], 0, atol=1e-9)
        arrow = np.array([explorer.artists["normals"].U[i], explorer.artists["normals"].V[i]])
        np.testing.assert_allclose(arrow / np.linalg.norm(arrow), w)


def test_feature_map_default_separates_xor_and_the_line_shown_does_it():
    explorer = FeatureMap()
    X, y = explorer.model.X, explorer.model.y
    assert explorer.model.dataset == "xor corners"
    assert explorer.accuracy == 1.0
    H = np.asarray(explorer.artists["hidden_points"].get_offsets())
    v1, v2, v0 = explorer.readout
    np.testing.assert_array_equal(H @ [v1, v2] + v0 > 0, y == 1)
    ends = np.column_stack(explorer.artists["readout_line"].get_data())
    np.testing.assert_allclose(ends @ [v1, v2] + v0, 0, atol=1e-9)
    # The shading in the input plane is what the 2-2-1 network predicts there.
    xx, yy = np.meshgrid(explorer.grid_xs, explorer.grid_ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    hidden = np.maximum(unit_pre_activations(grid, (-45, 135), (0, 0), (False, False)), 0)
    expected = (hidden @ [v1, v2] + v0 > 0).reshape(xx.shape)
    np.testing.assert_array_equal(np.asarray(explorer.artists["prediction"].get_array()), expected)
    assert "Separable" in explorer.status.value
    assert X.shape == (4, 2)


def test_feature_map_noisy_default_also_separates():
    explorer = FeatureMap(dataset="noisy xor corners")
    assert len(explorer.model.X) == 100
    assert explorer.accuracy == 1.0


@pytest.mark.parametrize("unit", [1, 2])
def test_feature_map_flip_sends_a_hidden_coordinate_to_relu_of_minus_z(unit):
    explorer = FeatureMap(dataset="noisy xor corners")
    m = explorer.model
    z_before = m.pre_activations().copy()
    explorer.controls[f"flip{unit}"].value = True
    H = np.asarray(explorer.artists["hidden_points"].get_offsets())
    i, other = unit - 1, 2 - unit
    np.testing.assert_allclose(H[:, i], np.maximum(-z_before[:, i], 0))
    np.testing.assert_allclose(H[:, other], np.maximum(z_before[:, other], 0))
    # Both units now fire on the same side of the same line: one class-1 corner lands on
    # the class-0 points at the origin, and no line in hidden space separates them.
    assert explorer.accuracy < 1.0
    explorer.controls[f"flip{3 - unit}"].value = True  # flip both: mirror image, separable
    assert explorer.accuracy == 1.0


def test_feature_map_units_active_everywhere_leave_xor_inseparable():
    # If neither ReLU clips any point, h is an affine image of x, and XOR stays inseparable.
    explorer = FeatureMap(angles=(0.0, 90.0), biases=(0.5, 0.5))
    assert (explorer.model.pre_activations() > 0).all()
    assert explorer.accuracy <= 0.75


def test_feature_map_line_leaving_the_view_is_hidden():
    explorer = FeatureMap(angles=(0.0, 135.0), biases=(1.5, 0.0))  # unit 1: x₁ = −1.5
    assert len(explorer.artists["unit_lines"][0].get_xdata()) == 0
    assert len(explorer.artists["unit_lines"][1].get_xdata()) == 2


@given(st.integers(0, 10_000))
def test_fit_linear_readout_separates_separable_points(seed):
    rng = np.random.default_rng(seed)
    normal = rng.normal(size=2)
    normal /= np.linalg.norm(normal)
    H = rng.uniform(-1, 1, size=(40, 2))
    distance = H @ normal - 0.1
    keep = np.abs(distance) > 0.05  # a margin, so that the classes are strictly separable
    H, y = H[keep], (distance[keep] > 0).astype(np.int64)
    assume(len(np.unique(y)) == 2)
    beta, accuracy = fit_linear_readout(H, y)
    assert accuracy == 1.0
    np.testing.assert_array_equal(H @ beta[:2] + beta[2] > 0, y == 1)
