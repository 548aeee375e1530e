"""One neuron in input space and in weight space (lesson 1: the artificial neuron).

A single unit y = σ(w₁x₁ + w₂x₂ + b) on a 2-D data set. The left panel is *input space*: the
points, the unit's output over the plane and its decision line w·x + b = 0 with the normal w
(the side it points to is class 1). The right panel is *weight space*, one coordinate per
weight: the mean cross-entropy loss over (w₁, w₂) at the current b, the current weights as a
point and the negative gradient as an arrow. "step" takes one gradient-descent step, so the
point walks downhill and the line in input space moves with it; "run" keeps stepping.

On XOR no line separates the classes, so no weights get all four corners right: the walk ends
at w = 0 with loss log 2 and accuracy at most 3/4 — the motivation for hidden units (lesson 3).

    >>> from nnlib.widgets import NeuronExplorer
    >>> NeuronExplorer(dataset="xor")          # doctest: +SKIP
"""

from __future__ import annotations

from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np

from ..activations import ACTIVATIONS
from ..data import blobs, logic_gate
from ..losses import BCEWithLogitsLoss
from ..viz import decision_grid
from ._controls import assemble, show_status, slider, status_line
from ._explorer import Explorer
from ._view import FigureView

__all__ = ["NeuronExplorer", "NeuronModel", "line_in_box"]

DATASETS = ("and", "or", "xor", "blobs")
UNIT_ACTIVATIONS = ("sigmoid", "hard_threshold")
CLASS_COLORS = np.array([[0.13, 0.40, 0.67, 1.0], [0.70, 0.09, 0.17, 1.0]])  # RdBu ends


def line_in_box(w, b: float, box) -> np.ndarray | None:
    """The part of the line w·x + b = 0 inside a rectangle, or None if it misses it.

    Inputs:
        w: (2,) normal of the line.   b: offset.   box: (x_low, x_high, y_low, y_high).

    Returns:
        (2, 2) array, one endpoint per row (each satisfies w·x + b = 0), or None when w = 0
        (no line) or the line does not cross the box.
    """
    w = np.asarray(w, dtype=np.float64)
    norm2 = float(w @ w)
    if norm2 < 1e-12:
        return None
    foot = -b * w / norm2  # the point of the line closest to the origin
    along = np.array([-w[1], w[0]]) / np.sqrt(norm2)
    low, high = -np.inf, np.inf
    # Clip the parametric line foot + s·along to each slab low_i <= x_i <= high_i.
    for axis, (lo, hi) in enumerate(((box[0], box[1]), (box[2], box[3]))):
        if abs(along[axis]) < 1e-12:
            if not lo <= foot[axis] <= hi:
                return None
            continue
        s1, s2 = sorted(((lo - foot[axis]) / along[axis], (hi - foot[axis]) / along[axis]))
        low, high = max(low, s1), min(high, s2)
    if not low < high:
        return None
    return np.array([foot + low * along, foot + high * along])


class NeuronModel:
    """The numbers behind the explorer: one logistic unit, its loss and its gradient.

    Args:
        dataset: "and", "or", "xor" (the four corners of the truth table) or "blobs".
        noisy: gates as 10 noisy copies of the corners; blobs with wider clouds.
        activation: "sigmoid" or "hard_threshold" (what the unit outputs; both predict class 1
            where w·x + b > 0, and the loss is always the logistic unit's cross-entropy, since
            the threshold's derivative is zero and gives gradient descent nothing to follow).
        w: (2,) starting weights.   b: starting bias.   lr: learning rate of ``step``.
        weight_limit: weights and bias stay in [-limit, limit] (the sliders' range).
        seed: seed of the noisy data.

    Attributes:
        X (N, 2) float64 inputs, t (N,) float64 targets in {0, 1}, w (2,), b, lr.
    """

    def __init__(
        self,
        dataset: str = "and",
        noisy: bool = False,
        activation: str = "sigmoid",
        w=(-2.0, 1.0),
        b: float = 0.5,
        lr: float = 1.0,
        weight_limit: float = 6.0,
        seed: int = 0,
    ):
        self.weight_limit = float(weight_limit)
        self.seed = seed
        self.dataset = self.noisy = None
        self.set_data(dataset, noisy)
        self.activation = _check_choice(activation, UNIT_ACTIVATIONS, "activation")
        self.w = np.clip(np.asarray(w, dtype=np.float64), -weight_limit, weight_limit)
        if self.w.shape != (2,):
            raise ValueError(f"w must hold the two weights (w₁, w₂), got shape {self.w.shape}")
        self.b = float(np.clip(b, -weight_limit, weight_limit))
        self.lr = float(lr)
        self._loss_fn = BCEWithLogitsLoss()

    def set_data(self, dataset: str, noisy: bool) -> bool:
        """Load a data set; returns True if it changed (False if it was already loaded)."""
        dataset = _check_choice(dataset, DATASETS, "dataset")
        if (dataset, bool(noisy)) == (self.dataset, self.noisy):
            return False
        if dataset == "blobs":
            X, y = blobs(40, classes=2, std=1.1 if noisy else 0.6, rng=self.seed)
        else:
            X, y = logic_gate(
                dataset, copies=10 if noisy else 1, noise=0.12 if noisy else 0.0, rng=self.seed
            )
        self.X = X.astype(np.float64)
        self.t = y.astype(np.float64)
        self.dataset, self.noisy = dataset, bool(noisy)
        return True

    # -- the unit ---------------------------------------------------------------------------
    def logits(self, points: np.ndarray) -> np.ndarray:
        """z = w·x + b for points (M, 2) -> (M,)."""
        return points @ self.w + self.b

    def output(self, points: np.ndarray) -> np.ndarray:
        """The unit's output φ(w·x + b) for points (M, 2) -> (M,), φ the chosen activation."""
        return ACTIVATIONS[self.activation].fn(self.logits(points))

    def accuracy(self) -> float:
        """Fraction of points on the correct side of the line (class 1 where w·x + b > 0)."""
        return float(np.mean((self.logits(self.X) > 0) == (self.t == 1)))

    # -- loss and gradient -----------------------------------------------------------------
    def loss(self) -> float:
        """Mean binary cross-entropy of the logistic unit σ(w·x + b) over the N points."""
        return self._loss_fn(self.logits(self.X)[:, None], self.t[:, None])

    def gradient(self) -> tuple[np.ndarray, float]:
        """(dL/dw (2,), dL/db) at the current weights.

        The loss hands back dL/dz = (σ(z) − t)/N per point; z = w·x + b then gives, by the
        chain rule, dL/dw = Σ dL/dz · x and dL/db = Σ dL/dz.
        """
        self.loss()
        dz = self._loss_fn.backward()[:, 0]  # (N,)
        return self.X.T @ dz, float(dz.sum())

    def step(self) -> float:
        """One gradient-descent step, w ← w − lr·dL/dw, b ← b − lr·dL/db; returns the new loss.

        Weights are kept inside the sliders' range: on separable data the loss keeps falling as
        |w| grows, so without the bound the walk would leave the picture.
        """
        grad_w, grad_b = self.gradient()
        limit = self.weight_limit
        self.w = np.clip(self.w - self.lr * grad_w, -limit, limit)
        self.b = float(np.clip(self.b - self.lr * grad_b, -limit, limit))
        return self.loss()

    def loss_surface(self, w1s: np.ndarray, w2s: np.ndarray) -> np.ndarray:
        """The mean loss over a weight grid at the current b: (len(w2s), len(w1s)).

        One broadcast over grid × points: z[i, j, n] = w1s[j]·x₁ₙ + w2s[i]·x₂ₙ + b, and the
        per-point loss log(1 + eᶻ) − t·z (the stable form of the cross-entropy).
        """
        z = w1s[None, :, None] * self.X[:, 0] + w2s[:, None, None] * self.X[:, 1] + self.b
        return np.mean(np.logaddexp(0.0, z) - self.t * z, axis=-1)


class NeuronExplorer(Explorer):
    """Lesson 1: one neuron's decision line in input space and its loss in weight space.

    Settings are passed on to ``NeuronModel`` (dataset, noisy, activation, w, b, lr, seed);
    ``steps_per_frame`` is how many gradient steps "run" takes per animation frame.

    Attributes:
        model, controls (dict), view (FigureView), widget, status, artists (dict of the
        matplotlib artists, for tests and for notebooks that want to restyle them).
    """

    short_name = "neuron"
    grid_size = 61  # weight-space grid per axis
    resolution = 100  # input-space heatmap pixels per axis
    arrow_gain = 4.0  # the gradient arrow is drawn this many times its length

    def __init__(self, steps_per_frame: int = 1, **settings):
        self.model = NeuronModel(**settings)
        self.steps_per_frame = int(steps_per_frame)
        self._start = (self.model.w.copy(), self.model.b)
        self._quiet = False
        self._trail: list[tuple[float, float]] = []
        self._surface_key = None
        self._data_version = 0
        self.weight_axis = np.linspace(
            -self.model.weight_limit, self.model.weight_limit, self.grid_size
        )
        self._build_controls()
        self._build_view()
        self._show_data()
        self.update()
        self.view.refresh()

    # -- construction -----------------------------------------------------------------------
    def _build_controls(self) -> None:
        m, limit = self.model, self.model.weight_limit
        c = {
            "dataset": widgets.Dropdown(options=DATASETS, value=m.dataset, description="data"),
            "noisy": widgets.Checkbox(value=m.noisy, description="noisy copies"),
            "activation": widgets.Dropdown(
                options=[("sigmoid σ", "sigmoid"), ("hard threshold", "hard_threshold")],
                value=m.activation,
                description="activation",
            ),
            "w1": slider("w₁", m.w[0], -limit, limit, 0.05),
            "w2": slider("w₂", m.w[1], -limit, limit, 0.05),
            "b": slider("b", m.b, -limit, limit, 0.05),
            "lr": widgets.FloatLogSlider(
                value=m.lr,
                base=10,
                min=-2,
                max=1.3,
                step=0.1,
                description="learning rate",
                continuous_update=False,
                style={"description_width": "initial"},
            ),
            "step": widgets.Button(description="step", tooltip="one gradient-descent step"),
            "run": widgets.Play(value=0, min=0, max=10**6, interval=120, description="run"),
            "reset": widgets.Button(description="reset", tooltip="back to the starting weights"),
        }
        self.controls = c
        for name in ("dataset", "noisy", "activation", "lr"):
            c[name].observe(self._on_setting, names="value")
        for name in ("w1", "w2", "b"):
            c[name].observe(self._on_weight, names="value")
        c["step"].on_click(lambda _: self.step())
        c["reset"].on_click(lambda _: self.reset())
        c["run"].observe(self._on_frame, names="value")
        self.status = status_line()
        self._message = ""

    def _build_view(self) -> None:
        self.view = FigureView(ncols=2, figsize=(10, 4.4), dpi=80)
        data_ax, weight_ax = self.view.axes
        a = {}
        a["heatmap"] = data_ax.imshow(
            np.zeros((2, 2)),
            origin="lower",
            cmap="RdBu_r",
            vmin=0,
            vmax=1,
            alpha=0.55,
            interpolation="nearest",
            aspect="auto",
        )
        a["points"] = data_ax.scatter([], [], s=45, edgecolors="k", zorder=3)
        (a["decision_line"],) = data_ax.plot([], [], color="k", linewidth=2, zorder=2)
        a["normal"] = data_ax.quiver(
            [0],
            [0],
            [1],
            [0],
            angles="xy",
            scale_units="xy",
            scale=1,
            color="k",
            width=0.008,
            zorder=4,
        )
        data_ax.set_xlabel("$x_1$")
        data_ax.set_ylabel("$x_2$")
        weight_ax.set_xlim(self.weight_axis[0], self.weight_axis[-1])
        weight_ax.set_ylim(self.weight_axis[0], self.weight_axis[-1])
        weight_ax.set_aspect("equal")
        weight_ax.set_xlabel("$w_1$")
        weight_ax.set_ylabel("$w_2$")
        a["contours"] = None  # filled in by _show_surface
        (a["trail"],) = weight_ax.plot([], [], color="w", linewidth=1.2, marker=".", zorder=3)
        (a["weights"],) = weight_ax.plot(
            [], [], "o", color="w", markeredgecolor="k", markersize=9, zorder=5
        )
        # U, V hold exactly −∇L; scale=1/gain draws the arrow ``gain`` times longer, since
        # gradients near a minimum are too short to see on a projector.
        a["gradient"] = weight_ax.quiver(
            [0],
            [0],
            [0],
            [0],
            angles="xy",
            scale_units="xy",
            scale=1 / self.arrow_gain,
            color="#ff7f0e",
            width=0.01,
            zorder=4,
        )
        self.artists = a
        for ax in self.view.axes:
            ax.locator_params(nbins=5)  # fewer tick labels: text is most of the render time
        self.widget = assemble(
            self.short_name,
            [
                [self.controls[k] for k in ("dataset", "noisy", "activation")],
                [self.controls[k] for k in ("w1", "w2", "b")],
                [self.controls[k] for k in ("lr", "step", "run", "reset")],
            ],
            self.view.image,
            self.status,
        )

    # -- model -> artists -------------------------------------------------------------------
    def update(self) -> None:
        """Read the controls into the model and update every artist (no rendering)."""
        c, m = self.controls, self.model
        if m.set_data(c["dataset"].value, c["noisy"].value):
            self._data_version += 1
            self._trail.clear()
            self._show_data()
        m.activation = c["activation"].value
        m.w = np.array([c["w1"].value, c["w2"].value], dtype=np.float64)
        m.b = float(c["b"].value)
        m.lr = float(c["lr"].value)
        self._show_input_space()
        self._show_weight_space()
        self._show_status()

    def _show_data(self) -> None:
        m, a = self.model, self.artists
        xs, ys, grid, _ = decision_grid(m.logits, m.X, resolution=self.resolution, margin=0.3)
        self.grid_xs, self.grid_ys, self.grid = xs, ys, grid
        half_x, half_y = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2
        self.box = (xs[0] - half_x, xs[-1] + half_x, ys[0] - half_y, ys[-1] + half_y)
        a["heatmap"].set_extent(self.box)  # pixel edges, so pixel centres sit on the grid
        a["points"].set_offsets(m.X)
        a["points"].set_facecolor(CLASS_COLORS[m.t.astype(int)])
        ax = self.view.axes[0]
        ax.set_xlim(self.box[:2])
        ax.set_ylim(self.box[2:])

    def _show_input_space(self) -> None:
        m, a = self.model, self.artists
        a["heatmap"].set_array(m.output(self.grid).reshape(len(self.grid_ys), len(self.grid_xs)))
        segment = line_in_box(m.w, m.b, self.box)
        if segment is None:
            a["decision_line"].set_data([], [])
            a["normal"].set_visible(False)
        else:
            a["decision_line"].set_data(segment[:, 0], segment[:, 1])
            # The normal starts at the middle of the visible segment and points to class 1.
            span = min(self.box[1] - self.box[0], self.box[3] - self.box[2])
            direction = m.w / np.linalg.norm(m.w) * 0.2 * span
            a["normal"].set_offsets(segment.mean(axis=0, keepdims=True))
            a["normal"].set_UVC(direction[0], direction[1])
            a["normal"].set_visible(True)
        name = "σ" if m.activation == "sigmoid" else "step"
        self.view.axes[0].set_title(
            f"input space: y = {name}(w·x + b)   accuracy {m.accuracy():.0%}", fontsize="medium"
        )

    def _show_weight_space(self) -> None:
        m, a = self.model, self.artists
        key = (self._data_version, m.b)
        if key != self._surface_key:
            self._show_surface()
            self._surface_key = key
        a["weights"].set_data([m.w[0]], [m.w[1]])
        grad_w, _ = m.gradient()
        a["gradient"].set_offsets(m.w[None, :])
        a["gradient"].set_UVC(-grad_w[0], -grad_w[1])  # the arrow is −∇_w L, in weight units
        trail = np.array(self._trail).reshape(-1, 2)
        a["trail"].set_data(trail[:, 0], trail[:, 1])
        self.view.axes[1].set_title(
            f"weight space at b = {m.b:.2f}: loss {m.loss():.3f}, arrow −∇L ×{self.arrow_gain:g}",
            fontsize="medium",
        )

    def _show_surface(self) -> None:
        """Replace the filled contours of the loss surface (they depend on b and the data).

        A matplotlib contour set cannot be updated in place, so this one collection is removed
        and drawn again; every other artist is kept and only has its data changed.
        """
        loss = self.model.loss_surface(self.weight_axis, self.weight_axis)
        low = float(loss.min())
        high = max(float(np.percentile(loss, 90)), low + 1e-6)
        if self.artists["contours"] is not None:
            self.artists["contours"].remove()
        self.loss_grid = loss
        self.artists["contours"] = self.view.axes[1].contourf(
            self.weight_axis,
            self.weight_axis,
            loss,
            levels=np.linspace(low, high, 14),
            extend="max",
            cmap="viridis",
            zorder=0,
        )

    def _show_status(self) -> None:
        m = self.model
        if self._message:
            show_status(self.status, self._message, "warning")
        elif m.dataset == "xor":
            show_status(
                self.status,
                "XOR: no line separates the classes; any w, b gets at most 3 of the 4 corners "
                "right, and gradient descent stalls near w = 0, b = 0 (loss log 2 ≈ 0.693).",
            )
        elif m.activation == "hard_threshold":
            show_status(
                self.status,
                "The hard threshold's derivative is 0: the loss and arrow shown are those of the "
                "logistic unit with the same line, which is why σ replaced the step.",
            )
        else:
            show_status(self.status, f"loss {m.loss():.4f}, accuracy {m.accuracy():.0%}")

    # -- actions ----------------------------------------------------------------------------
    def step(self) -> None:
        """One animation frame: ``steps_per_frame`` gradient steps, then redraw."""
        before = self.model.loss()
        for _ in range(self.steps_per_frame):
            after = self.model.step()
        self._trail.append((float(self.model.w[0]), float(self.model.w[1])))
        self._message = ""
        if after > before + 1e-12:
            # Too large a step overshoots the valley; stop the animation and say why.
            self.controls["run"].playing = False
            self._message = (
                f"The loss went up ({before:.3f} → {after:.3f}): the learning rate is too large "
                "for this slope. Lower it, or press reset."
            )
        self._write_weights()
        self.update()
        self.view.refresh()

    def reset(self) -> None:
        """Back to the starting weights; clears the path and stops "run"."""
        self.controls["run"].playing = False
        self.model.w, self.model.b = self._start[0].copy(), self._start[1]
        self._trail.clear()
        self._message = ""
        self._write_weights()
        self.update()
        self.view.refresh()

    def _write_weights(self) -> None:
        """Show the model's weights on the sliders without each slider redrawing the figure."""
        with self._holding():
            self.controls["w1"].value = float(self.model.w[0])
            self.controls["w2"].value = float(self.model.w[1])
            self.controls["b"].value = float(self.model.b)

    @contextmanager
    def _holding(self):
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False

    def _on_setting(self, _change) -> None:
        if not self._quiet:
            self.update()
            self.view.refresh()

    def _on_weight(self, _change) -> None:
        if not self._quiet:  # moved by hand: the old path no longer leads here
            self._trail.clear()
            self._message = ""
            self.update()
            self.view.refresh()

    def _on_frame(self, change) -> None:
        if change["new"] > change["old"]:  # the Play control counts up once per frame
            self.step()


def _check_choice(value: str, choices, what: str) -> str:
    if value not in choices:
        raise ValueError(f"unknown {what} {value!r}; choose one of {', '.join(choices)}")
    return value
