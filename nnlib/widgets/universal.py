"""Universal approximation in one dimension: bumps built from pairs of units (lesson 4).

One hidden layer of N units, f̂(x) = Σⱼ vⱼ·φ(wⱼx + bⱼ) + c, can follow any continuous function
on an interval as closely as we like (Cybenko 1989 for sigmoids; Leshno et al. 1993 for any φ
that is not a polynomial). The explorer shows *why*, with the picture behind the proof, and
then that *finding* such weights is another matter:

* construct: the weights are written down. Two steep sigmoids, one rising at each edge of a
  sub-interval, subtract to a bump; its height is the target at the sub-interval's centre.
  For ReLU, one hinge per knot draws the piecewise-linear interpolant. The weights are loaded
  into an ordinary ``Sequential(Linear(1, N), act, Linear(N, 1))`` and *that network* draws
  the curve: the construction is a network.
* hand-tune: the same network with every height on a slider (N ≤ 8): the student builds it.
* train: the same architecture from random weights, fitted by Adam on the squared error, a
  few steps per animation frame.

``UniversalModel`` holds the numbers (no widgets); ``UniversalApproximator`` adds the controls
and a view whose artists are updated in place.
"""

from __future__ import annotations

import contextlib
import functools

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection

from ..activations import get_activation
from ..data._checks import pick_name
from ..data.toy import REGRESSION_TARGETS
from ..linear import Linear
from ..losses import MSELoss
from ..optim import Adam
from ..sequential import Sequential
from ._controls import assemble, show_status, status_line
from ._explorer import Explorer
from ._view import FigureView

__all__ = ["UniversalApproximator", "UniversalModel", "UniversalView"]

MODES = ("construct", "hand-tune", "train")
UNIT_ACTIVATIONS = ("sigmoid", "relu")
MAX_UNITS = 100
MAX_HAND_UNITS = 8  # beyond this a slider per height is more clutter than insight
INTERVAL = (-1.0, 1.0)  # where REGRESSION_TARGETS are defined
SETTINGS = ("target", "units", "activation", "steepness", "mode", "lr", "seed", "steps_per_frame")


def one_hidden_layer(units: int, activation: str, rng) -> Sequential:
    """The network of the theorem, x (P, 1) -> f̂ (P, 1), in float64 (exact constructions)."""
    return Sequential(
        Linear(1, units, dtype=np.float64, rng=rng),
        get_activation(activation),
        Linear(units, 1, dtype=np.float64, rng=rng),
    )


class UniversalModel:
    """A one-hidden-layer network approximating a 1-D target on [-1, 1].

    Settings (attributes; change them with ``configure``):
        target: "sin", "abs", "step" or "poly" (``nnlib.data.REGRESSION_TARGETS``).
        units: N hidden units, 1..100 (at most 8 in hand-tune mode).
        activation: "sigmoid" or "relu".
        steepness: s. Constructed sigmoids have slope w = s / (bump width), so s counts how
            sharp a step is relative to its bump; in train mode, sigmoids start with slopes of
            about s / 2. ReLU constructions do not use it (a hinge's slope goes into vⱼ).
        mode: "construct", "hand-tune" or "train".
        lr: Adam's learning rate (train mode).   seed: the random start of train mode.
        steps_per_frame: Adam steps per ``train_frame()``.

    Results, refreshed by ``compute()`` (P points on a grid over the interval):
        x (P,), y (P,): the grid and the target on it.
        output (P,): the network's f̂(x).
        hidden (P, N): each unit's output hⱼ(x).
        output_weights (N,): vⱼ.   output_bias: c.   So output = hidden @ output_weights + c.
        abs_error (P,), max_error, mean_error: |f − f̂| and its max and mean over the grid.
        anchor_x, heights: where each height sits (bump centres, or ReLU knots) and its value
            (empty in train mode).
        edges, bump_width: the sigmoid bumps' edges (K + 1,) and their width (2 / K).
        network: the Sequential that produced ``output``.
    """

    def __init__(
        self,
        target: str = "sin",
        units: int = 20,
        activation: str = "sigmoid",
        steepness: float = 10.0,
        mode: str = "construct",
        lr: float = 0.02,
        seed: int = 0,
        steps_per_frame: int = 25,
        resolution: int = 601,  # odd: x = 0, where "step" jumps, is a grid point
    ):
        self.x = np.linspace(*INTERVAL, resolution)
        self._x_column = self.x[:, None]
        for name in SETTINGS:  # nothing set yet: configure below sees every setting as new
            setattr(self, name, None)
        self.hand_heights = np.zeros(0)
        self.train_steps = 0
        self._constructed: Sequential | None = None
        self._trainer: tuple[Sequential, Adam] | None = None
        self._loss_fn = MSELoss()
        self.configure(
            target=target,
            units=units,
            activation=activation,
            steepness=steepness,
            mode=mode,
            lr=lr,
            seed=seed,
            steps_per_frame=steps_per_frame,
        )

    # -- settings ---------------------------------------------------------------------------
    def configure(self, **settings) -> None:
        """Change settings by name (see the class docstring), checked; then ``compute()``.

        A new N or activation gives a new network: the hand-set heights go back to 0 and train
        mode starts again. A new target, steepness or seed also restarts training.
        """
        unknown = set(settings) - set(SETTINGS)
        if unknown:
            raise TypeError(f"UniversalModel: unknown setting(s) {sorted(unknown)}")
        new = {name: getattr(self, name) for name in SETTINGS} | settings
        new["target"] = pick_name(new["target"], REGRESSION_TARGETS, "target")
        new["activation"] = pick_name(new["activation"], UNIT_ACTIVATIONS, "activation")
        new["mode"] = pick_name(new["mode"], ("construct", "hand_tune", "train"), "mode")
        new["mode"] = new["mode"].replace("_", "-")
        limit = MAX_HAND_UNITS if new["mode"] == "hand-tune" else MAX_UNITS
        _check_int(new["units"], "units", 1, limit, "" if limit == MAX_UNITS else " in hand-tune")
        _check_int(new["steps_per_frame"], "steps_per_frame", 1, 10_000)
        _check_int(new["seed"], "seed", 0, 2**32 - 1)
        if not 0.1 <= new["steepness"] <= 1000:
            raise ValueError(f"steepness must lie in [0.1, 1000], got {new['steepness']}")
        if not 0 < new["lr"] <= 1:
            raise ValueError(f"lr (Adam's learning rate) must lie in (0, 1], got {new['lr']}")

        architecture = (new["units"], new["activation"]) != (self.units, self.activation)
        restart = architecture or any(
            new[k] != getattr(self, k) for k in ("target", "steepness", "seed")
        )
        for name, value in new.items():
            setattr(self, name, value)
        if architecture:
            self._constructed = one_hidden_layer(self.units, self.activation, rng=0)
            self.hand_heights = np.zeros(self.num_heights)
        if restart:
            self._trainer = None
        if self._trainer is not None:
            self._trainer[1].lr = self.lr  # hyper-parameters are read at every step
        self.compute()

    @property
    def y_function(self):
        """The target f, a function of an array x (from ``nnlib.data.REGRESSION_TARGETS``)."""
        return REGRESSION_TARGETS[self.target]

    @property
    def num_heights(self) -> int:
        """Sigmoid: one height per bump, N // 2 of them. ReLU: one value per knot, N + 1."""
        return self.units // 2 if self.activation == "sigmoid" else self.units + 1

    @property
    def bump_width(self) -> float:
        low, high = INTERVAL
        return (high - low) / max(self.units // 2, 1)

    @property
    def edges(self) -> np.ndarray:
        """Edges of the K = N // 2 sigmoid bumps, (K + 1,). The outermost two sit half a bump
        outside the interval, so that the end bumps are fully up at its ends."""
        low, _ = INTERVAL
        h = self.bump_width
        edges = low + h * np.arange(self.units // 2 + 1)
        edges[0] -= h / 2
        edges[-1] += h / 2
        return edges

    @property
    def anchors(self) -> np.ndarray:
        """Where each height is read off the target: bump centres (sigmoid) or knots (ReLU)."""
        low, high = INTERVAL
        if self.activation == "sigmoid":
            return low + self.bump_width * (np.arange(self.units // 2) + 0.5)
        return np.linspace(low, high, self.units + 1)

    def set_height(self, index: int, value: float) -> None:
        """Hand-tune mode: set height ``index`` (bump or knot) and recompute."""
        if not 0 <= index < self.num_heights:
            raise IndexError(f"height {index}: there are {self.num_heights} heights")
        self.hand_heights[index] = float(value)
        self.compute()

    # -- the construction -----------------------------------------------------------------------
    def construction(self, heights: np.ndarray):
        """Weights of the network whose output is built from ``heights``.

        Inputs:
            heights: (num_heights,) bump heights (sigmoid) or knot values (ReLU).

        Returns:
            w (N,), b (N,): hidden weights and biases, unit j computes φ(wⱼ·x + bⱼ);
            v (N,), c: output weights and bias, f̂ = Σⱼ vⱼ·hⱼ + c.
        """
        n = self.units
        w, b, v = np.ones(n), np.zeros(n), np.zeros(n)
        if self.activation == "sigmoid":
            # Bump k = heightₖ·[σ(s(x − eₖ)) − σ(s(x − eₖ₊₁))]: unit 2k steps up at the left
            # edge, unit 2k + 1 steps down at the right one. With odd N one unit is left over
            # (v = 0): it takes two units to make a bump.
            k = n // 2
            slope = self.steepness / self.bump_width
            edges = self.edges
            w[:] = slope
            b[0 : 2 * k : 2] = -slope * edges[:-1]
            b[1 : 2 * k : 2] = -slope * edges[1:]
            v[0 : 2 * k : 2] = heights
            v[1 : 2 * k : 2] = -heights
            return w, b, v, 0.0
        # ReLU: f̂ = y₀ + Σⱼ vⱼ·relu(x − tⱼ). Past knot tⱼ the slope changes by vⱼ, so vⱼ is
        # the slope of segment j minus that of segment j − 1: the piecewise-linear interpolant.
        knots = self.anchors
        slopes = np.diff(heights) / np.diff(knots)
        b[:] = -knots[:-1]
        v[:] = np.diff(slopes, prepend=0.0)
        return w, b, v, float(heights[0])

    def construct_heights(self) -> np.ndarray:
        """The heights of the proof: the target at each bump centre (or knot)."""
        return self.y_function(self.anchors)

    # -- training -------------------------------------------------------------------------------
    def reset_training(self) -> None:
        """Train mode starts again from a random network (seeded by ``seed``)."""
        self._trainer = None
        if self.mode == "train":
            self.compute()

    def train_frame(self) -> float:
        """Run ``steps_per_frame`` Adam steps on the squared error; return the last loss."""
        net, opt = self._training_network()
        x, y = self._x_column, self.y[:, None]
        for _ in range(self.steps_per_frame):
            loss = self._loss_fn(net(x), y)
            opt.zero_grad()
            net.backward(self._loss_fn.backward(), input_grad=False)
            opt.step()
        self.train_steps += self.steps_per_frame
        self.compute()
        return loss

    def _training_network(self) -> tuple[Sequential, Adam]:
        if self._trainer is None:
            rng = np.random.default_rng(self.seed)
            net = one_hidden_layer(self.units, self.activation, rng)
            # Linear's default init (b = 0, small w) puts every unit's step or kink at x = 0 and
            # nearly flat; instead each unit starts as a step (sigmoid) or hinge (ReLU) at a
            # random place inside the interval, facing a random way. v = 0: f̂ starts flat.
            low, high = INTERVAL
            scale = self.steepness / (high - low) if self.activation == "sigmoid" else 1.0
            w = rng.choice([-1.0, 1.0], self.units) * scale * rng.uniform(0.5, 1.5, self.units)
            net[0].weight.data[:, 0] = w
            net[0].bias.data[:] = -w * rng.uniform(low, high, self.units)
            net[2].weight.data[:] = 0.0
            self._trainer = (net, Adam(net.parameters(), lr=self.lr))
            self.train_steps = 0
        return self._trainer

    # -- evaluation -------------------------------------------------------------------------------
    def compute(self) -> None:
        """Evaluate the current network on the grid, layer by layer, and the errors."""
        self.y = self.y_function(self.x)
        if self.mode == "train":
            net = self._training_network()[0]
            self.heights = self.anchor_x = np.zeros(0)
        else:
            heights = self.construct_heights() if self.mode == "construct" else self.hand_heights
            w, b, v, c = self.construction(heights)
            net = self._constructed
            net[0].weight.data[:, 0] = w
            net[0].bias.data[:] = b
            net[2].weight.data[0] = v
            net[2].bias.data[0] = c
            self.heights, self.anchor_x = np.array(heights, dtype=float), self.anchors
        self.network = net
        self.hidden = net[1](net[0](self._x_column))  # (P, N): hⱼ(x) = φ(wⱼx + bⱼ)
        self.output = net[2](self.hidden)[:, 0]  # (P,): Σⱼ vⱼhⱼ + c
        self.output_weights = net[2].weight.data[0]
        self.output_bias = float(net[2].bias.data[0])
        self.abs_error = np.abs(self.output - self.y)
        self.max_error = float(self.abs_error.max())
        self.mean_error = float(self.abs_error.mean())

    def contributions(self) -> np.ndarray:
        """(P, N) each unit's share of the output, hⱼ(x)·vⱼ; the rows sum to output − c."""
        return self.hidden * self.output_weights

    def describe(self) -> str:
        """One line on what the network is doing, for the status line."""
        n, act = self.units, self.activation
        if self.mode == "train":
            return f"train: Adam on the squared error, step {self.train_steps}, N = {n} {act}"
        if act == "relu":
            return f"{self.mode}: {n} ReLU hinges at {n + 1} knots, a piecewise-linear curve"
        text = f"{self.mode}: {n // 2} bump(s), each a pair of sigmoid units"
        if n % 2:
            text += f"; unit {n} is left over (a bump takes two units)"
        return text


def _check_int(value, name, low, high, where=""):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name} must lie in {low}..{high}{where}, got {value}")


class UniversalView(FigureView):
    """Target, approximation, heights and unit contributions on one axes; updated in place.

    Artists: ``target_line``, ``approx_line``, ``height_points`` (Line2D), ``unit_lines``
    (a LineCollection, one segment per unit: x against hⱼ(x)·vⱼ), ``error_text``.
    """

    def __init__(self, model: UniversalModel):
        super().__init__(figsize=(7.5, 4.2))
        ax = self.ax = self.axes[0]
        x = model.x
        (self.target_line,) = ax.plot(x, model.y, color="0.65", lw=4, label="target f(x)")
        self.unit_lines = LineCollection(
            [], colors="C2", linewidths=0.8, alpha=0.5, label="units hⱼ(x)·vⱼ"
        )
        ax.add_collection(self.unit_lines)
        (self.approx_line,) = ax.plot(x, model.output, color="C0", lw=2, label="network f̂(x)")
        (self.height_points,) = ax.plot([], [], "o", color="C3", ms=4, label="heights")
        self.error_text = ax.text(
            0.02,
            0.97,
            "",
            transform=ax.transAxes,
            va="top",
            family="monospace",
            bbox={"boxstyle": "round", "facecolor": "white", "alpha": 0.85},
        )
        ax.set_xlim(*INTERVAL)
        ax.set_xlabel("x")
        ax.legend(loc="lower right", fontsize="small")
        self._target = None

    def show(self, model: UniversalModel, show_units: bool) -> None:
        """Put the model's current numbers into the artists (no rendering)."""
        if model.target != self._target:  # the y-range only follows the target
            self.target_line.set_ydata(model.y)
            self.ax.set_ylim(model.y.min() - 0.6, model.y.max() + 0.6)
            self._target = model.target
        self.approx_line.set_ydata(model.output)
        self.height_points.set_data(model.anchor_x, model.heights)
        self.unit_lines.set_visible(show_units)
        if show_units:
            segments = np.empty((model.units, len(model.x), 2))
            segments[:, :, 0] = model.x
            segments[:, :, 1] = model.contributions().T
            self.unit_lines.set_segments(segments)
        self.error_text.set_text(
            f"max |f − f̂| = {model.max_error:.3f}\nmean |f − f̂| = {model.mean_error:.3f}"
        )


class UniversalApproximator(Explorer):
    """Lesson 4 (universal approximation): a 1-D target and a one-hidden-layer network.

    Choose a target, N, the activation and a mode: *construct* builds bumps from pairs of
    steep sigmoids (or the ReLU interpolant) with heights read off the target, *hand-tune*
    puts the heights on sliders (N ≤ 8), *train* fits the same network with Adam, live (press
    play). The max and mean error are always shown; tick "units" to see each unit's share.

    Keyword arguments are the model's settings (see ``UniversalModel``) and ``show_units``.

    Attributes: ``model`` (UniversalModel), ``controls`` (name -> widget; hand-tune adds
    "height0", "height1", ...), ``view`` (UniversalView), ``status`` (HTML), ``widget``.
    """

    def __init__(self, show_units: bool = False, **settings):
        self.model = UniversalModel(**settings)
        self.view = UniversalView(self.model)
        m = self.model
        c = self.controls = {
            "target": widgets.Dropdown(options=list(REGRESSION_TARGETS), value=m.target),
            "units": widgets.IntSlider(
                value=m.units,
                min=1,
                max=MAX_HAND_UNITS if m.mode == "hand-tune" else MAX_UNITS,
                description="N units",
            ),
            "activation": widgets.ToggleButtons(options=UNIT_ACTIVATIONS, value=m.activation),
            "steepness": widgets.FloatLogSlider(
                value=m.steepness, base=10, min=0, max=2, description="steepness"
            ),
            "mode": widgets.ToggleButtons(options=MODES, value=m.mode),
            "show_units": widgets.Checkbox(value=show_units, description="units hⱼ·vⱼ"),
            "lr": widgets.FloatLogSlider(
                value=m.lr, base=10, min=-4, max=-1, description="Adam lr"
            ),
            "play": widgets.Play(value=0, min=0, max=10**6, interval=150, show_repeat=False),
            "reset": widgets.Button(description="reset", icon="refresh"),
        }
        for w in c.values():
            w.style.description_width = "initial"
        self._height_sliders: list[widgets.FloatSlider] = []
        self.heights_box = widgets.HBox()
        self.train_box = widgets.HBox([c["play"], c["reset"], c["lr"]])
        self.status = status_line()
        self.widget = assemble(
            "universal",
            [
                [c["mode"], c["activation"]],
                [c["target"], c["units"], c["steepness"], c["show_units"]],
                [self.heights_box],
                [self.train_box],
            ],
            self.view.image,
            self.status,
        )
        self._busy = False
        for name in ("target", "units", "activation", "steepness", "mode", "show_units", "lr"):
            c[name].observe(self._on_setting, names="value")
        c["play"].observe(self._on_play, names="value")
        c["reset"].on_click(self._on_reset)
        self._sync_controls()
        self.update()
        self.view.refresh()

    # -- the common explorer API ----------------------------------------------------------------
    def update(self) -> None:
        """Show the model's current state in the artists and the status line (no rendering)."""
        self.view.show(self.model, self.controls["show_units"].value)
        show_status(self.status, self.model.describe())

    def step(self) -> None:
        """One animation frame of train mode (switching to it if needed): a few Adam steps."""
        if self.model.mode != "train":
            self.controls["mode"].value = "train"
        self.model.train_frame()
        self.update()

    # -- control handlers -------------------------------------------------------------------------
    @contextlib.contextmanager
    def _hold(self):
        """Change several controls at once without each triggering an update."""
        busy, self._busy = self._busy, True
        try:
            yield
        finally:
            self._busy = busy

    def _on_setting(self, change) -> None:
        if self._busy:
            return
        with self._hold():
            c = self.controls
            # Hand-tuning caps N: the slider's range shrinks (and clips its value) first.
            c["units"].max = MAX_HAND_UNITS if c["mode"].value == "hand-tune" else MAX_UNITS
            if c["mode"].value != "train":
                c["play"].playing = False
            self.model.configure(
                target=c["target"].value,
                units=c["units"].value,
                activation=c["activation"].value,
                steepness=c["steepness"].value,
                mode=c["mode"].value,
                lr=c["lr"].value,
            )
            self._sync_controls()
        self.update()
        self.view.refresh()

    def _on_height(self, index: int, change) -> None:
        if self._busy:
            return
        self.model.set_height(index, change.new)
        self.update()
        self.view.refresh()

    def _on_play(self, change) -> None:
        # The browser's timer advances the value; stop/loop send it back to 0: no frame then.
        if change.new > change.old and self.model.mode == "train":
            self.step()
            self.view.refresh()

    def _on_reset(self, _button=None) -> None:
        self.model.reset_training()
        self.update()
        self.view.refresh()

    def _sync_controls(self) -> None:
        """Show the controls the mode uses; (re)build one slider per height in hand-tune."""
        m, c = self.model, self.controls
        c["steepness"].disabled = m.activation == "relu"
        c["steepness"].tooltip = (
            "ReLU constructions do not use it" if m.activation == "relu" else ""
        )
        self.train_box.layout.display = "" if m.mode == "train" else "none"
        hand = m.mode == "hand-tune"
        self.heights_box.layout.display = "" if hand else "none"
        if not hand:
            return
        if len(self._height_sliders) != m.num_heights:
            for slider in self._height_sliders:
                slider.close()
            self._height_sliders = []
            kind = "bump" if m.activation == "sigmoid" else "knot"
            for i in range(m.num_heights):
                slider = widgets.FloatSlider(
                    value=m.hand_heights[i],
                    min=-2.0,
                    max=2.0,
                    step=0.01,
                    orientation="vertical",
                    description=f"{kind} {i}",
                    continuous_update=True,
                )
                slider.observe(functools.partial(self._on_height, i), names="value")
                self._height_sliders.append(slider)
            self.heights_box.children = self._height_sliders
        with self._hold():
            for i, slider in enumerate(self._height_sliders):
                slider.value = m.hand_heights[i]
        for name in [k for k in self.controls if k.startswith("height")]:
            del self.controls[name]
        for i, slider in enumerate(self._height_sliders):
            self.controls[f"height{i}"] = slider
