"""Two ReLU units map XOR to a plane where a line separates it (lesson 3: learned features).

No line separates XOR in the input plane. Two hidden units hᵢ = relu(wᵢ·x + bᵢ) send each point
x to the hidden point h = (h₁, h₂); every point on the inactive side of a unit's line lands on
an axis of the hidden plane (the ReLU folds that half-plane flat). With the units placed well,
the classes in the hidden plane *are* linearly separable, so one more unit on top classifies
XOR. The left panel shows the input plane with the units' lines and normals (sliders for each
unit's angle and bias) and, shaded, what the whole 2-2-1 network predicts; the right panel shows
the hidden points and the best line the explorer finds there, with its accuracy.

Flipping a unit (w, b → −w, −b) keeps its line but makes the other side active: its hidden
coordinate becomes relu(−z) and the hidden picture changes completely. In the default
configuration both units share the line x₁ = x₂ and face opposite ways, so each detects one of
the two class-1 corners (100 %); flip one and both detect the same corner (75 %).

    >>> from nnlib.widgets import FeatureMap
    >>> FeatureMap(dataset="noisy xor corners")   # doctest: +SKIP
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..activations import relu, sigmoid
from ..data import logic_gate, xor
from ..viz import decision_grid
from ._controls import assemble, show_status, slider, status_line
from ._explorer import Explorer
from ._view import FigureView
from .neuron import CLASS_COLORS, line_in_box

__all__ = ["FeatureMap", "FeatureMapModel", "fit_linear_readout"]

DATASETS = ("xor corners", "noisy xor corners", "xor quadrants")
UNIT_COLORS = ("#2ca02c", "#9467bd")


def fit_linear_readout(H: np.ndarray, y: np.ndarray, iterations: int = 20, ridge: float = 1e-4):
    """The best line this finds for separating hidden points H by class y.

    Two vectorised fits: least squares on ±1 targets (closed form), then logistic regression
    started from it, by Newton steps on the mean cross-entropy + ridge·‖v‖² (3 × 3 solves).
    Whichever classifies more points correctly is returned (ties: the logistic one).

    Inputs:
        H: (N, 2) hidden points.   y: (N,) labels in {0, 1}.

    Returns:
        beta: (3,) the line v₁h₁ + v₂h₂ + v₀ = 0 as (v₁, v₂, v₀), class 1 where it is > 0.
        accuracy: fraction of points on their class's side.
    """
    A = np.column_stack([H, np.ones(len(H))])  # (N, 3): a constant column for the bias
    t = y.astype(np.float64)
    least_squares = np.linalg.lstsq(A, 2 * t - 1, rcond=None)[0]
    penalty = np.diag([ridge, ridge, 0.0])  # the bias is not penalised
    beta = least_squares.copy()
    for _ in range(iterations):
        p = sigmoid(A @ beta)
        gradient = A.T @ (p - t) / len(t) + 2 * penalty @ beta
        hessian = (A.T * (p * (1 - p))) @ A / len(t) + 2 * penalty + 1e-9 * np.eye(3)
        beta = beta - np.linalg.solve(hessian, gradient)
    accuracy = _accuracy(A, t, beta)
    if _accuracy(A, t, least_squares) > accuracy:
        return least_squares, _accuracy(A, t, least_squares)
    return beta, accuracy


def _accuracy(A: np.ndarray, t: np.ndarray, beta: np.ndarray) -> float:
    return float(np.mean((A @ beta > 0) == (t == 1)))


class FeatureMapModel:
    """Two ReLU units on a 2-D data set, and a linear classifier on their outputs.

    Unit i has the unit normal (cos θᵢ, sin θᵢ) and bias bᵢ; flipped, both change sign, so
    z = w·x + b becomes −z (same line, the other side active).

    Args:
        dataset: "xor corners" (the 4 corners of the truth table), "noisy xor corners"
            (25 noisy copies of each) or "xor quadrants" (``nnlib.data.xor``, 200 points).
        angles: (2,) normal directions θ in degrees.   biases: (2,).   flips: (2,) bools.
        seed: seed of the noisy data sets.

    Attributes:
        X (N, 2) float64, y (N,) int64 in {0, 1}.
    """

    def __init__(
        self,
        dataset: str = "xor corners",
        angles=(-45.0, 135.0),
        biases=(0.0, 0.0),
        flips=(False, False),
        seed: int = 0,
    ):
        self.seed = seed
        self.dataset = None
        self.set_data(dataset)
        self.angles = np.asarray(angles, dtype=np.float64)
        self.biases = np.asarray(biases, dtype=np.float64)
        self.flips = np.asarray(flips, dtype=bool)
        for name, value in (
            ("angles", self.angles),
            ("biases", self.biases),
            ("flips", self.flips),
        ):
            if value.shape != (2,):
                raise ValueError(f"{name} needs one value per unit, shape (2,); got {value.shape}")

    def set_data(self, dataset: str) -> bool:
        """Load a data set; returns True if it changed."""
        if dataset not in DATASETS:
            raise ValueError(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}")
        if dataset == self.dataset:
            return False
        if dataset == "xor quadrants":
            X, y = xor(200, rng=self.seed)
        else:
            noisy = dataset.startswith("noisy")
            X, y = logic_gate(
                "xor", copies=25 if noisy else 1, noise=0.08 if noisy else 0.0, rng=self.seed
            )
        self.X, self.y, self.dataset = X.astype(np.float64), y, dataset
        return True

    @property
    def signs(self) -> np.ndarray:
        """(2,) +1, or −1 for a flipped unit."""
        return np.where(self.flips, -1.0, 1.0)

    @property
    def weights(self) -> np.ndarray:
        """(2, 2) row i is unit i's weight vector wᵢ (its normal, sign included)."""
        theta = np.radians(self.angles)
        return self.signs[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])

    @property
    def bias(self) -> np.ndarray:
        """(2,) the units' biases, sign included."""
        return self.signs * self.biases

    def pre_activations(self, points: np.ndarray | None = None) -> np.ndarray:
        """z = x Wᵀ + b for points (M, 2) (default the data) -> (M, 2), one column per unit."""
        points = self.X if points is None else points
        return points @ self.weights.T + self.bias

    def hidden(self, points: np.ndarray | None = None) -> np.ndarray:
        """h = relu(z), (M, 2): the points' coordinates in hidden space."""
        return relu(self.pre_activations(points))

    def readout(self) -> tuple[np.ndarray, float]:
        """The best line found in hidden space and its accuracy (``fit_linear_readout``)."""
        return fit_linear_readout(self.hidden(), self.y)


class FeatureMap(Explorer):
    """Lesson 3: two ReLU units turn XOR into a linearly separable problem; sign flips.

    Settings are passed on to ``FeatureMapModel`` (dataset, angles, biases, flips, seed).

    Attributes:
        model, controls (dict), view (FigureView), widget, status, artists (dict), and after
        each update ``readout`` (the hidden-space line (v₁, v₂, v₀)) and ``accuracy``.
    """

    short_name = "feature-map"
    resolution = 80  # pixels per axis of the network's prediction shaded in the input plane

    def __init__(self, **settings):
        self.model = FeatureMapModel(**settings)
        m = self.model
        c = {"dataset": widgets.Dropdown(options=DATASETS, value=m.dataset, description="data")}
        for i in range(2):
            c[f"angle{i + 1}"] = slider(f"unit {i + 1} angle°", m.angles[i], -180, 180, 5, ".0f")
            c[f"b{i + 1}"] = slider(f"b{'₁₂'[i]}", m.biases[i], -1.5, 1.5, 0.05)
            c[f"flip{i + 1}"] = widgets.Checkbox(
                value=bool(m.flips[i]), description=f"flip unit {i + 1} (w, b → −w, −b)"
            )
        for control in c.values():
            control.observe(self._on_change, names="value")
        self.controls = c
        self.status = status_line()
        self._build_view()
        self._show_data()
        self.update()
        self.view.refresh()

    def _build_view(self) -> None:
        self.view = FigureView(ncols=2, figsize=(10, 4.6), dpi=80)
        input_ax, hidden_ax = self.view.axes
        a = {}
        a["prediction"] = input_ax.imshow(
            np.zeros((2, 2)),
            origin="lower",
            cmap="RdBu_r",
            vmin=-1.5,
            vmax=2.5,
            interpolation="nearest",
            aspect="auto",
        )
        a["points"] = input_ax.scatter([], [], s=40, edgecolors="k", zorder=3)
        # Unit 2 dashed: the two lines coincide in the default configuration.
        a["unit_lines"] = [
            input_ax.plot(
                [], [], color=color, linewidth=2.5, linestyle=style, label=f"unit {i + 1}"
            )[0]
            for i, (color, style) in enumerate(zip(UNIT_COLORS, ("-", "--"), strict=True))
        ]
        a["normals"] = input_ax.quiver(
            [0, 0],
            [0, 0],
            [1, 1],
            [0, 0],
            color=UNIT_COLORS,
            angles="xy",
            scale_units="xy",
            scale=1,
            width=0.01,
            zorder=4,
        )
        input_ax.legend(loc="upper right", fontsize="small")
        input_ax.set_xlabel("$x_1$")
        input_ax.set_ylabel("$x_2$")
        input_ax.set_title(
            "input plane: unit lines, normals, network prediction", fontsize="medium"
        )
        hidden_ax.axhline(0, color=UNIT_COLORS[1], linewidth=1)  # h₂ = 0: unit 2 inactive
        hidden_ax.axvline(0, color=UNIT_COLORS[0], linewidth=1)  # h₁ = 0: unit 1 inactive
        a["hidden_points"] = hidden_ax.scatter([], [], s=40, edgecolors="k", zorder=3)
        (a["readout_line"],) = hidden_ax.plot([], [], color="k", linestyle="--", linewidth=2)
        hidden_ax.set_xlabel("$h_1 = \\mathrm{relu}(z_1)$")
        hidden_ax.set_ylabel("$h_2 = \\mathrm{relu}(z_2)$")
        self.artists = a
        for ax in self.view.axes:
            ax.locator_params(nbins=5)  # fewer tick labels: text is most of the render time
        c = self.controls
        self.widget = assemble(
            self.short_name,
            [
                [c["dataset"]],
                [c["angle1"], c["b1"], c["flip1"]],
                [c["angle2"], c["b2"], c["flip2"]],
            ],
            self.view.image,
            self.status,
        )

    def _show_data(self) -> None:
        m, a = self.model, self.artists
        xs, ys, grid, _ = decision_grid(m.hidden, m.X, resolution=self.resolution, margin=0.25)
        self.grid_xs, self.grid_ys, self.grid = xs, ys, grid
        half_x, half_y = (xs[1] - xs[0]) / 2, (ys[1] - ys[0]) / 2
        self.box = (xs[0] - half_x, xs[-1] + half_x, ys[0] - half_y, ys[-1] + half_y)
        a["prediction"].set_extent(self.box)
        colors = CLASS_COLORS[m.y]
        a["points"].set_offsets(m.X)
        a["points"].set_facecolor(colors)
        a["hidden_points"].set_facecolor(colors)
        self.view.axes[0].set_xlim(self.box[:2])
        self.view.axes[0].set_ylim(self.box[2:])

    def update(self) -> None:
        """Read the controls into the model and update every artist (no rendering)."""
        c, m, a = self.controls, self.model, self.artists
        if m.set_data(c["dataset"].value):
            self._show_data()
        m.angles = np.array([c["angle1"].value, c["angle2"].value], dtype=np.float64)
        m.biases = np.array([c["b1"].value, c["b2"].value], dtype=np.float64)
        m.flips = np.array([c["flip1"].value, c["flip2"].value])

        # Input plane: each unit's line w·x + b = 0 and its normal, from the segment's middle.
        span = min(self.box[1] - self.box[0], self.box[3] - self.box[2])
        bases, arrows = np.zeros((2, 2)), np.zeros((2, 2))
        for i, line in enumerate(a["unit_lines"]):
            segment = line_in_box(m.weights[i], m.bias[i], self.box)
            if segment is None:
                line.set_data([], [])
                bases[i] = np.nan  # quiver skips an arrow at NaN
            else:
                line.set_data(segment[:, 0], segment[:, 1])
                bases[i] = segment.mean(axis=0)
            arrows[i] = 0.18 * span * m.weights[i]  # the weights are unit vectors
        a["normals"].set_offsets(bases)
        a["normals"].set_UVC(arrows[:, 0], arrows[:, 1])

        # Hidden plane: the points, and the best line found there.
        H = m.hidden()
        a["hidden_points"].set_offsets(H)
        self.readout, self.accuracy = m.readout()
        top = max(float(H.max()), 0.5) * 1.15
        hidden_box = (-0.08 * top, top, -0.08 * top, top)
        hidden_ax = self.view.axes[1]
        hidden_ax.set_xlim(hidden_box[:2])
        hidden_ax.set_ylim(hidden_box[2:])
        segment = line_in_box(self.readout[:2], self.readout[2], hidden_box)
        if segment is None:
            a["readout_line"].set_data([], [])
        else:
            a["readout_line"].set_data(segment[:, 0], segment[:, 1])
        hidden_ax.set_title(
            f"hidden plane: best line found, accuracy {self.accuracy:.0%}", fontsize="medium"
        )

        # What the 2-2-1 network (units + that line) predicts over the input plane.
        scores = m.hidden(self.grid) @ self.readout[:2] + self.readout[2]
        a["prediction"].set_array(
            (scores > 0).astype(float).reshape(len(self.grid_ys), len(self.grid_xs))
        )
        self._show_status()

    def _show_status(self) -> None:
        if self.accuracy == 1.0:
            text = (
                "Separable: in hidden space one line puts every point on its class's side, "
                "so a third unit on top of these two classifies XOR."
            )
        else:
            text = (
                f"The best line found in hidden space gets {self.accuracy:.0%}: move or "
                "flip the units until the classes come apart."
            )
            if self.model.dataset == "xor quadrants":
                text += (
                    " The quadrants are harder: two ReLU units bend the boundary only at their"
                    " two lines; see how close you get."
                )
        show_status(self.status, text)
