"""nnlib.viz: every plot is checked through the data of its artists, never through pixels."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")  # no window, and the same result on every machine

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.collections import PathCollection
from matplotlib.patches import FancyBboxPatch

import nnlib
from nnlib import viz
from nnlib.activations import sigmoid
from nnlib.autodiff import Tensor, cos, exp, sin, tanh
from nnlib.functional import softmax
from nnlib.metrics import confusion_matrix
from nnlib.train.history import History


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_import_nnlib_leaves_matplotlib_unloaded():
    code = (
        "import sys\n"
        "import nnlib, nnlib.metrics\n"
        "before = 'matplotlib' in sys.modules\n"
        "import nnlib.viz\n"
        "print(before, 'matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


# -- confusion matrix -------------------------------------------------------------------------


def test_confusion_matrix_counts_a_hand_made_case():
    y_true = [0, 0, 1, 2, 2, 2]
    y_pred = [0, 1, 1, 2, 0, 2]
    expected = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred), expected)
    padded = confusion_matrix(y_true, y_pred, num_classes=4)
    assert padded.shape == (4, 4)
    np.testing.assert_array_equal(padded[:3, :3], expected)
    assert padded[3].sum() == padded[:, 3].sum() == 0


@given(
    st.integers(1, 5).flatmap(
        lambda c: st.tuples(
            st.just(c),
            st.lists(st.tuples(st.integers(0, c - 1), st.integers(0, c - 1)), max_size=40),
        )
    )
)
def test_confusion_matrix_equals_counting_pairs_one_by_one(case):
    num_classes, pairs = case
    y_true = np.array([t for t, _ in pairs], dtype=int)
    y_pred = np.array([p for _, p in pairs], dtype=int)
    expected = np.zeros((num_classes, num_classes), dtype=int)
    for t, p in pairs:
        expected[t, p] += 1
    counts = confusion_matrix(y_true, y_pred, num_classes)
    np.testing.assert_array_equal(counts, expected)
    np.testing.assert_array_equal(counts.sum(axis=1), np.bincount(y_true, minlength=num_classes))


@pytest.mark.parametrize(
    ("y_true", "y_pred", "kwargs", "message"),
    [
        ([0, 1], [0, 1, 1], {}, "shape"),
        ([0, -1], [0, 1], {}, "negative"),
        ([0, 3], [0, 1], {"num_classes": 3}, "num_classes=3"),
        ([0.5, 1], [0, 1], {}, "non-integer"),
        (np.eye(3), [0, 1, 2], {}, "argmax"),
    ],
)
def test_confusion_matrix_rejects_bad_labels(y_true, y_pred, kwargs, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(y_true, y_pred, **kwargs)


def test_plot_confusion_matrix_shows_counts_and_matching_annotations():
    y_true = [0, 0, 1, 2, 2, 2]
    y_pred = [0, 1, 1, 2, 0, 2]
    ax = viz.plot_confusion_matrix(y_true, y_pred, class_names=["a", "b", "c"])
    counts = confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(ax.images[0].get_array(), counts)
    assert [t.get_text() for t in ax.texts] == [str(v) for v in counts.ravel()]
    # Each annotation sits on its cell: column j at x = j, row i at y = i.
    cells = [tuple(np.round(t.get_position()).astype(int)) for t in ax.texts]
    assert cells == [(j, i) for i in range(3) for j in range(3)]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]


@pytest.mark.parametrize(("normalize", "axis"), [(True, 1), ("true", 1), ("pred", 0)])
def test_plot_confusion_matrix_normalizes_rows_or_columns(normalize, axis):
    y_true = [0, 0, 0, 1, 2, 2]
    y_pred = [0, 0, 1, 1, 1, 2]
    ax = viz.plot_confusion_matrix(y_true, y_pred, normalize=normalize, num_classes=4)
    shown = np.asarray(ax.images[0].get_array())
    counts = confusion_matrix(y_true, y_pred, num_classes=4)
    totals = counts.sum(axis=axis)
    np.testing.assert_allclose(shown.sum(axis=axis)[totals > 0], 1.0)
    assert (shown.sum(axis=axis)[totals == 0] == 0).all()  # empty class 3: zeros, not 0/0
    assert [t.get_text() for t in ax.texts] == [f"{v:.2f}" for v in shown.ravel()]


# -- decision boundaries -------------------------------------------------------------------------


def blobs(rng, n=60, centres=((-1.0, -1.0), (1.0, 1.5))):
    X = np.concatenate([rng.normal(c, 0.6, size=(n, 2)) for c in centres])
    y = np.repeat(np.arange(len(centres)), n)
    return X, y


def expected_grid(X, resolution, margin=0.1):
    """The grid the plot promises: the data's box widened by ``margin`` of its range."""
    low, high = X.min(axis=0), X.max(axis=0)
    low, high = low - margin * (high - low), high + margin * (high - low)
    return np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)


def test_binary_heatmap_is_the_models_probability_on_a_grid_covering_the_data(rng):
    X, y = blobs(rng)
    nnlib.manual_seed(0)
    net = nnlib.Sequential(nnlib.Linear(2, 8), nnlib.Tanh(), nnlib.Linear(8, 1)).double()
    calls = []

    def model(points):
        calls.append(points.shape)
        return net(points)

    ax = viz.plot_decision_boundary(model, X, y, resolution=50)
    assert calls == [(50 * 50, 2)]  # the whole grid in one vectorised call

    xs, ys = expected_grid(X, 50)
    xx, yy = np.meshgrid(xs, ys)
    probability = sigmoid(net(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(50, 50)
    drawn = ax.decision_boundary
    np.testing.assert_allclose(drawn.xs, xs)
    np.testing.assert_allclose(drawn.ys, ys)
    np.testing.assert_allclose(drawn.image.get_array(), probability)
    np.testing.assert_array_equal(drawn.prediction, probability > 0.5)
    assert drawn.image.get_clim() == (0, 1)
    left, right, bottom, top = drawn.image.get_extent()
    assert left < X[:, 0].min() and right > X[:, 0].max()
    assert bottom < X[:, 1].min() and top > X[:, 1].max()
    # The points are drawn on top, each class in its own colour.
    offsets = np.concatenate([c.get_offsets() for c in ax.collections if type(c) is PathCollection])
    np.testing.assert_allclose(np.sort(offsets, axis=0), np.sort(X, axis=0))


def boundary_vertices(ax):
    (contour,) = ax.decision_boundary.contours
    return np.concatenate([path.vertices for path in contour.get_paths()])


def test_binary_boundary_is_the_line_where_the_logit_is_zero_and_follows_the_weights(rng):
    X, y = blobs(rng)
    layer = nnlib.Linear(2, 1, dtype=np.float64)
    w = np.array([1.0, -2.0])
    layer.weight.data[:] = w
    layer.bias.data[:] = 0.3
    ax = viz.plot_decision_boundary(layer, X, y, resolution=80)
    spacing = np.diff(ax.decision_boundary.xs[:2])[0] + np.diff(ax.decision_boundary.ys[:2])[0]
    before = boundary_vertices(ax)
    assert len(before) > 10
    # On the line w·x + b = 0, up to the grid's resolution (contours interpolate between cells).
    assert np.abs(before @ w + 0.3).max() / np.linalg.norm(w) < spacing

    layer.bias.data[:] = -0.5
    ax = viz.plot_decision_boundary(layer, X, y, resolution=80)
    after = boundary_vertices(ax)
    assert np.abs(after @ w - 0.5).max() / np.linalg.norm(w) < spacing
    # It moved by |Δb| / |w| across: the old line's equation is now off by Δb = 0.8.
    np.testing.assert_allclose(after @ w + 0.3, 0.8, atol=spacing * np.linalg.norm(w))


def test_no_boundary_line_when_one_class_wins_everywhere(rng):
    X, y = blobs(rng)
    ax = viz.plot_decision_boundary(lambda p: np.full(len(p), 5.0), X, y, resolution=20)
    assert ax.decision_boundary.contours == []
    assert (ax.decision_boundary.prediction == 1).all()


def test_multiclass_regions_follow_argmax_and_fade_with_confidence(rng):
    X, y = blobs(rng, n=30, centres=((-2, 0), (2, 0), (0, 2.5)))
    W = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.2]])

    def model(points):
        return 2 * points @ W.T

    ax = viz.plot_decision_boundary(model, X, y, resolution=40)
    drawn = ax.decision_boundary
    probs = softmax(model(drawn.grid), axis=1)
    np.testing.assert_array_equal(drawn.prediction.ravel(), probs.argmax(axis=1))
    np.testing.assert_allclose(drawn.proba.ravel(), probs.max(axis=1))
    rgba = np.asarray(drawn.image.get_array())
    assert rgba.shape == (40, 40, 4)
    # One colour per predicted class, more opaque where the model is more confident.
    for k in range(3):
        colours = rgba[drawn.prediction == k][:, :3]
        assert len(colours) > 0 and np.ptp(colours, axis=0).max() == 0
    surest, least_sure = np.argmax(drawn.proba), np.argmin(drawn.proba)
    assert rgba[..., 3].ravel()[surest] > rgba[..., 3].ravel()[least_sure]
    assert len(drawn.contours) == 3  # every class borders the others


def test_outputs_probs_uses_the_models_probabilities_as_they_are(rng):
    X, y = blobs(rng)

    def model(points):
        return sigmoid(points.sum(axis=1, keepdims=True))

    ax = viz.plot_decision_boundary(model, X, y, resolution=30, outputs="probs")
    np.testing.assert_allclose(
        ax.decision_boundary.image.get_array().ravel(), model(ax.decision_boundary.grid)[:, 0]
    )


def test_hard_regions_without_probabilities(rng):
    X, y = blobs(rng)
    plus_minus_column = (2 * y - 1)[:, None]  # perceptron-style ±1 targets, shape (N, 1)
    ax = viz.plot_decision_boundary(
        lambda p: p[:, 0] - p[:, 1], X, plus_minus_column, resolution=30, proba=False
    )
    drawn = ax.decision_boundary
    groups = {c.get_label(): c.get_offsets() for c in ax.collections if type(c) is PathCollection}
    np.testing.assert_array_equal(groups["class 0"], X[y == 0])
    np.testing.assert_array_equal(groups["class 1"], X[y == 1])
    np.testing.assert_array_equal(drawn.image.get_array(), drawn.prediction)
    xx, yy = np.meshgrid(drawn.xs, drawn.ys)
    np.testing.assert_array_equal(drawn.prediction, xx - yy > 0)


def test_module_is_evaluated_without_dropout_and_keeps_its_mode(rng):
    X, y = blobs(rng)
    nnlib.manual_seed(1)
    net = nnlib.Sequential(
        nnlib.Linear(2, 16), nnlib.ReLU(), nnlib.Dropout(0.5), nnlib.Linear(16, 1)
    )
    first = viz.plot_decision_boundary(net, X, y, resolution=25).decision_boundary
    second = viz.plot_decision_boundary(net, X, y, resolution=25).decision_boundary
    np.testing.assert_array_equal(first.scores, second.scores)  # no random dropout masks
    assert all(m.training for m in net.modules())
    np.testing.assert_allclose(first.scores, net.eval()(first.grid), rtol=1e-6)


def test_decision_boundary_errors_name_the_shapes(rng):
    with pytest.raises(ValueError, match=r"\(N, 2\).*\(5, 3\)"):
        viz.plot_decision_boundary(lambda p: p[:, 0], rng.normal(size=(5, 3)))
    with pytest.raises(ValueError, match="one row of scores per point"):
        viz.plot_decision_boundary(lambda p: p[:3], rng.normal(size=(5, 2)), resolution=10)


# -- learning curves ---------------------------------------------------------------------------


def make_history(epochs=8, best=None, with_acc=True):
    history = History()
    for e in range(1, epochs + 1):
        values = {"train_loss": 1 / e, "val_loss": 1 / e + 0.02 * e}
        if with_acc:
            values |= {"train_acc": 1 - 1 / (e + 1), "val_acc": 1 - 1.5 / (e + 2)}
        history.record(e, **values)
    history.best_epoch = best
    return history


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.lines}


def test_history_lines_are_the_recorded_lists():
    history = make_history(best=5)
    ax_loss, ax_acc = viz.plot_history(history)
    for ax, metric in ((ax_loss, "loss"), (ax_acc, "acc")):
        lines = lines_by_label(ax)
        for split in ("train", "val"):
            np.testing.assert_array_equal(lines[split].get_xdata(), history.epochs)
            np.testing.assert_array_equal(lines[split].get_ydata(), history[f"{split}_{metric}"])
        best = lines["best epoch (5)"]
        assert set(best.get_xdata()) == {5}


def test_history_from_a_dict_and_a_single_metric():
    data = {"epoch": [3, 4, 5], "train_loss": [0.9, 0.5, 0.4], "lr": [0.1, 0.05, 0.01]}
    ax = viz.plot_history(data, metrics="lr")
    (line,) = ax.lines
    np.testing.assert_array_equal(line.get_xdata(), [3, 4, 5])
    np.testing.assert_array_equal(line.get_ydata(), [0.1, 0.05, 0.01])
    (loss_ax,) = viz.plot_history(data)  # no accuracy recorded: only the loss is drawn
    assert set(lines_by_label(loss_ax)) == {"train"}


def test_history_draws_on_given_axes_and_reports_missing_metrics():
    history = make_history(with_acc=False)
    _, axes = plt.subplots(1, 2)
    returned = viz.plot_history(history, ax=axes, metrics=("loss", "val_loss"))
    assert list(returned) == list(axes)
    np.testing.assert_array_equal(
        lines_by_label(axes[1])["val_loss"].get_ydata(), history["val_loss"]
    )
    with pytest.raises(KeyError, match="acc"):
        viz.plot_history(history, metrics=("acc",))
    with pytest.raises(ValueError, match="2 metric"):
        viz.plot_history(history, ax=axes[0], metrics=("loss", "val_loss"))


# -- weight grids ------------------------------------------------------------------------------


def test_weight_grid_tiles_are_the_reshaped_rows_on_a_symmetric_scale():
    nnlib.manual_seed(0)
    layer = nnlib.Linear(64, 10)
    ax = viz.plot_weight_grid(layer, image_shape=(8, 8), ncols=4)
    grid = ax.weight_grid
    mosaic = np.ma.filled(grid.image.get_array(), np.nan)
    weights = layer.weight.data
    assert len(grid.tile_slices) == 10
    for row, where in zip(weights, grid.tile_slices, strict=True):
        np.testing.assert_allclose(mosaic[where], row.reshape(8, 8))
    # Everything outside the tiles is a gap (NaN), so exactly the 10 tiles carry numbers.
    assert np.isfinite(mosaic).sum() == weights.size
    low, high = grid.image.get_clim()
    assert low == -high == pytest.approx(-np.abs(weights).max())


def test_weight_grid_per_unit_scale_and_default_square_shape(rng):
    weights = rng.normal(size=(5, 16)) * np.arange(1, 6)[:, None]  # very different magnitudes
    ax = viz.plot_weight_grid(weights, shared_scale=False)
    tiles = ax.weight_grid.tiles
    assert tiles.shape == (5, 4, 4)
    np.testing.assert_allclose(np.abs(tiles).max(axis=(1, 2)), 1.0)
    np.testing.assert_allclose(
        tiles * np.abs(weights).max(axis=1)[:, None, None], weights.reshape(5, 4, 4)
    )
    assert ax.weight_grid.image.get_clim() == (-1.0, 1.0)


def test_weight_grid_errors_suggest_the_fix(rng):
    with pytest.raises(ValueError, match="image_shape"):
        viz.plot_weight_grid(rng.normal(size=(3, 10)))
    with pytest.raises(ValueError, match="transposed"):
        viz.plot_weight_grid(rng.normal(size=(64, 3)), image_shape=(8, 8))


# -- activations -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(nnlib.ACTIVATIONS))
def test_activation_curves_are_the_registry_functions(name):
    info = nnlib.ACTIVATIONS[name]
    ax = viz.plot_activation(name, z_range=(-3, 4))
    f_line, df_line = ax.lines[:2]
    z = f_line.get_xdata()
    assert z[0] == -3 and z[-1] == 4
    np.testing.assert_allclose(f_line.get_ydata(), info.fn(z))
    np.testing.assert_allclose(df_line.get_ydata(), info.grad(z))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert info.formula in legend[0] and info.derivative in legend[1]


def test_activation_scale_and_shift_apply_the_chain_rule():
    info = nnlib.ACTIVATIONS["tanh"]
    ax = viz.plot_activation(info, scale=2.0, shift=-1.0)
    f_line, df_line = ax.lines[:2]
    z = f_line.get_xdata()
    np.testing.assert_allclose(f_line.get_ydata(), np.tanh(2 * z - 1))
    np.testing.assert_allclose(df_line.get_ydata(), 2 * (1 - np.tanh(2 * z - 1) ** 2))


def shaded_x_ranges(ax):
    """(low, high) of each shaded band, from the fill's polygons."""
    (fill,) = ax.collections
    return sorted((p.vertices[:, 0].min(), p.vertices[:, 0].max()) for p in fill.get_paths())


def test_saturated_regions_are_shaded_where_the_slope_vanishes():
    # ReLU has no slope for z <= 0: one band from the left end to 0.
    assert shaded_x_ranges(viz.plot_activation("relu")) == [(-5, 0)]
    # The sigmoid's slope σ(1 − σ) drops below 0.05 beyond |z| ≈ 2.89, on both sides.
    (left, right) = shaded_x_ranges(viz.plot_activation("sigmoid", saturation=0.05))
    edge = np.log((1 + np.sqrt(1 - 4 * 0.05)) / (1 - np.sqrt(1 - 4 * 0.05)))  # σ′(edge) = 0.05
    assert left[0] == -5 and right[1] == 5
    assert left[1] == pytest.approx(-edge, abs=0.02) and right[0] == pytest.approx(edge, abs=0.02)
    # The identity never saturates: nothing is shaded.
    assert len(viz.plot_activation("identity").collections) == 0


def test_unknown_activation_lists_the_known_ones():
    with pytest.raises(ValueError, match="sigmoid"):
        viz.plot_activation("sigmoyd")


# -- computation graphs ------------------------------------------------------------------------


def worked_example():
    """f = y + exp(x·y) with x = cos t, y = t²: the example of lesson 6."""
    t = Tensor(0.5, name="t")
    x, y = cos(t), t**2
    x.name, y.name = "x", "y"
    f = y + exp(x * y)
    f.name = "f"
    f.backward()
    return f


def check_drawing(drawing, output, vertical=False):
    nodes, edges = output.graph()
    assert set(drawing.node_artists) == set(nodes) and len(drawing.node_artists) == len(nodes)
    boxes = [p for p in drawing.ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == len(nodes)
    assert len(drawing.edge_artists) == len(edges)
    for (parent, child), arrow in zip(edges, drawing.edge_artists, strict=True):
        assert arrow.patchA is drawing.node_artists[parent].box
        assert arrow.patchB is drawing.node_artists[child].box
        assert drawing.layers[parent] < drawing.layers[child]
        (px, py), (cx, cy) = drawing.positions[parent], drawing.positions[child]
        assert (py > cy) if vertical else (px < cx)  # parents above / left of children
    # No two boxes at the same place.
    assert len(set(drawing.positions.values())) == len(nodes)


def test_graph_drawing_has_one_box_per_node_and_one_arrow_per_edge():
    f = worked_example()
    drawing = viz.draw_graph(f)
    check_drawing(drawing, f)
    for node in drawing.nodes:
        artists = drawing.node_artists[node]
        assert artists.value.get_text() == f"value {node.data.item():.4f}"
        assert artists.grad.get_text() == f"grad {node.grad.item():.4f}"
    assert drawing.node_artists[f].title.get_text() == "f (+)"


def test_vertical_layout_puts_parents_above_children():
    f = worked_example()
    check_drawing(viz.draw_graph(f, layout="vertical"), f, vertical=True)


def test_graph_reveals_only_the_requested_values_and_grads():
    f = worked_example()
    nodes, _ = f.graph()
    drawing = viz.draw_graph(f, reveal_values=set(nodes[:2]), reveal_grads={f})
    for node in nodes:
        artists = drawing.node_artists[node]
        assert ("?" in artists.value.get_text()) == (node not in nodes[:2])
        assert ("?" in artists.grad.get_text()) == (node is not f)
    drawing.update()  # a stepper reveals everything at the end
    assert not any("?" in a.grad.get_text() for a in drawing.node_artists.values())

    drawing.highlight({f})
    faces = {node: tuple(a.box.get_facecolor()) for node, a in drawing.node_artists.items()}
    assert sum(face == faces[f] for face in faces.values()) == 1
    drawing.highlight()
    assert tuple(drawing.node_artists[f].box.get_facecolor()) != faces[f]


def test_graph_without_value_or_grad_lines_and_with_array_nodes():
    a = Tensor(np.array([1.0, 2.0]), name="a")
    big = Tensor(np.ones((3, 4)), name="W")
    out = (big @ np.ones(4) * 2).sum() + (a * a).sum()
    drawing = viz.draw_graph(out, show_grads=False)
    check_drawing(drawing, out)
    assert all(x.grad is None for x in drawing.node_artists.values())
    assert drawing.node_artists[a].value.get_text() == "value [1.0000, 2.0000]"
    assert drawing.node_artists[big].value.get_text() == "value shape (3, 4)"
    # a * a uses `a` twice: two arrows, bent apart so that both show.
    twins = [arr for (p, _), arr in zip(drawing.edges, drawing.edge_artists, strict=True) if p is a]
    assert len(twins) == 2
    assert twins[0].get_connectionstyle().rad != twins[1].get_connectionstyle().rad


UNARY = {"exp": exp, "tanh": tanh, "sin": sin, "neg": lambda x: -x, "square": lambda x: x**2}
BINARY = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b}


@st.composite
def expressions(draw):
    """A random expression graph: a few inputs, then operations on any earlier nodes."""
    nodes = [Tensor(draw(st.floats(-1, 1)), name=f"x{i}") for i in range(draw(st.integers(1, 4)))]
    for _ in range(draw(st.integers(0, 10))):
        pick = st.integers(0, len(nodes) - 1)
        if draw(st.booleans()):
            nodes.append(UNARY[draw(st.sampled_from(sorted(UNARY)))](nodes[draw(pick)]))
        else:
            op = BINARY[draw(st.sampled_from(sorted(BINARY)))]
            nodes.append(op(nodes[draw(pick)], nodes[draw(pick)]))
    return nodes[-1]


@given(expressions())
def test_layers_put_every_parent_left_of_its_children(output):
    nodes, edges = output.graph()
    layers, slots = viz.graph_layout(output)
    assert set(layers) == set(nodes)
    for parent, child in edges:
        assert layers[parent] < layers[child]
    for node in nodes:
        if node.parents:  # an operation sits right after its furthest parent
            assert layers[node] == 1 + max(layers[p] for p in node.parents)
        elif node is not output:  # an input sits right before its first use
            uses = [layers[c] for p, c in edges if p is node]
            assert layers[node] == min(uses) - 1
    places = [(layers[n], slots[n]) for n in nodes]
    assert len(set(places)) == len(nodes)  # each node has a place of its own in its column


def test_drawing_a_random_graph_matches_its_layout():
    output = tanh(Tensor(0.3, name="a") * Tensor(-2.0, name="b") + Tensor(1.0, name="c"))
    output = output * output + exp(output)
    check_drawing(viz.draw_graph(output), output)
    with pytest.raises(TypeError, match="Tensor"):
        viz.draw_graph(np.ones(3))
