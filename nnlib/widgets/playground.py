"""A playground for training small networks live, after TensorFlow Playground (lessons 9-10).

Lesson 9 (training) lets students watch mini-batch SGD shape a decision boundary, each hidden
unit's response over the plane, and the training and test loss; lesson 10 (regularization)
adds noise, fewer training points and an L2 penalty, and watches the test loss part from the
training loss.

Everything is nnlib: the data come from ``nnlib.data``, the network is a ``Sequential`` of
``Linear`` layers and a registry activation, trained with ``BCEWithLogitsLoss`` and
``optim.SGD`` (its ``weight_decay`` is the L2 penalty).

The whole state is one JSON-ready dict (``Playground(state=...)`` / ``playground.state``):
the settings, the seed, the number of SGD steps taken and the weights. Every random choice
derives from the seed (the data, the initial weights, and the mini-batch of step t), so a
lesson can open the playground pre-configured, and the same state always trains the same way.
"""

from __future__ import annotations

import copy
import math

import ipywidgets as widgets
import matplotlib
import numpy as np

from ..activations import ACTIVATIONS, get_activation
from ..data._checks import pick_name
from ..data.split import train_val_test_split
from ..data.toy import blobs, circles, spirals, two_moons, xor
from ..linear import Linear
from ..losses import BCEWithLogitsLoss
from ..optim import SGD
from ..sequential import Sequential
from ..viz.boundaries import decision_grid
from ._controls import assemble, show_status, status_line
from ._explorer import Explorer
from ._view import FigureView

__all__ = ["DATASETS", "Playground", "PlaygroundModel", "PlaygroundView"]

# Each maps (points, noise, rng) to X (N, 2) float32 and y (N,) in {0, 1}.
DATASETS = {
    "circles": lambda n, noise, rng: circles(n, noise=noise, rng=rng),
    "xor": lambda n, noise, rng: xor(n, noise=noise, rng=rng),
    # Two clouds 4 apart: the noise widens them from a std of 0.5 (apart) to 1.5 (overlapping).
    "blobs": lambda n, noise, rng: blobs(n, classes=2, std=0.5 + 2 * noise, rng=rng),
    "spiral": lambda n, noise, rng: spirals(n, noise=noise, rng=rng),
    "moons": lambda n, noise, rng: two_moons(n, noise=noise, rng=rng),
}

# Maxout changes a layer's width, so only the element-wise activations fit the width sliders.
PLAYGROUND_ACTIVATIONS = tuple(name for name, info in ACTIVATIONS.items() if info.elementwise)
MAX_LAYERS, MAX_WIDTH = 4, 8
L2_CHOICES = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1)
GRID = 50  # heatmaps are computed on GRID × GRID points

# Guessing P = 0.5 everywhere costs log 2 ≈ 0.69 of binary cross-entropy. A mean training loss
# above EXPLODED_LOSS is far worse than guessing: the weights are running away, not learning.
# Within a frame, a single mini-batch above STEP_GUARD stops it before the values overflow.
EXPLODED_LOSS = 10.0
STEP_GUARD = 1e3
DIVERGED_MESSAGE = "learning rate too high — press reset"

DEFAULT_STATE = {
    "dataset": "circles",
    "noise": 0.1,
    "points": 300,
    "train_fraction": 0.5,
    "hidden": [4, 4],
    "activation": "tanh",
    "lr": 0.1,
    "l2": 0.0,
    "batch_size": 10,
    "steps_per_frame": 20,
    "seed": 0,
    "step": 0,
}
# Settings whose change means new data or a new network, so training starts again.
_RESTARTS = ("dataset", "noise", "points", "train_fraction", "hidden", "activation", "seed")


class PlaygroundModel:
    """Data, network, optimizer and loss history of the playground; no widgets.

    Args:
        state: a dict with any of the keys of ``DEFAULT_STATE`` (missing ones take its values)
            and optionally "weights" ({parameter name: nested lists}, as ``state`` returns).
            Without weights, the network starts from the seed and is trained "step" steps.

    Attributes:
        settings: the current settings (a dict like ``DEFAULT_STATE``; "step" counts SGD steps).
        network: the Sequential.   x_train (N₁, 2), y_train (N₁,), x_test, y_test: the data.
        xs, ys (GRID,), grid (GRID², 2): the heatmap grid; point k is (xs[k % R], ys[k // R]).
        history: {"step": [...], "train": [...], "test": [...]}, the losses after each frame.
        diverged: True once the loss exploded; training then waits for ``reset()``.

    Randomness, all from ``seed``: the data are drawn with the generator seeded (seed, 0),
    the train/test split with (seed, 1), the initial weights with (seed, 2), and the
    mini-batch of step t with (seed, 3, t).
    """

    def __init__(self, state: dict | None = None):
        state = dict(state or {})
        weights = state.pop("weights", None)
        self.settings = _checked({**DEFAULT_STATE, **state})
        self._loss_fn = BCEWithLogitsLoss()
        steps = self.settings["step"]
        self.reset()
        if weights is not None:
            self.network.load_state_dict(_arrays(weights))
            self.settings["step"] = steps
            self._start_history()
        else:
            self.train(steps)

    # -- settings ----------------------------------------------------------------------------
    def configure(self, **changes) -> bool:
        """Change settings by name; restart if the data or network change. Returns restarted."""
        new = _checked({**self.settings, **changes})
        restart = any(new[k] != self.settings[k] for k in _RESTARTS)
        step = self.settings["step"]
        self.settings = new
        self.settings["step"] = step
        if restart:
            self.reset()
        else:  # learning rate, L2 and batch size apply from the next step on
            self.optimizer.lr = new["lr"]
            self.optimizer.weight_decay = new["l2"]
        return restart

    @property
    def state(self) -> dict:
        """The settings, seed, step count and weights as a JSON-serialisable dict."""
        state = copy.deepcopy(self.settings)
        state["weights"] = {name: p.data.tolist() for name, p in self.network.named_parameters()}
        return state

    # -- starting over --------------------------------------------------------------------------
    def reset(self) -> None:
        """New data and a new network from the seed; step 0; the history holds step 0 only."""
        s = self.settings
        seed = s["seed"]
        x, y = DATASETS[s["dataset"]](s["points"], s["noise"], np.random.default_rng([seed, 0]))
        (self.x_train, self.y_train), _, (self.x_test, self.y_test) = train_val_test_split(
            x, y, test=1 - s["train_fraction"], rng=np.random.default_rng([seed, 1])
        )
        self._t_train = self.y_train[:, None].astype(np.float32)  # BCE targets, (N₁, 1)
        self._t_test = self.y_test[:, None].astype(np.float32)
        # decision_grid lays the grid over all the points; the scores we compute ourselves,
        # layer by layer, because the hidden units' heatmaps come from the same pass.
        self.xs, self.ys, grid, _ = decision_grid(np.zeros_like, x, resolution=GRID)
        self.grid = grid.astype(np.float32)
        self.network = build_network(s["hidden"], s["activation"], np.random.default_rng([seed, 2]))
        self.optimizer = SGD(self.network.parameters(), lr=s["lr"], weight_decay=s["l2"])
        self.settings["step"] = 0
        self.diverged = False
        self._start_history()

    def _start_history(self) -> None:
        self.diverged = False
        train, test = self.losses()
        self.history = {"step": [self.settings["step"]], "train": [train], "test": [test]}

    # -- training ---------------------------------------------------------------------------------
    def train_frame(self, steps: int | None = None) -> bool:
        """Take ``steps`` (default ``steps_per_frame``) SGD steps and record the losses.

        Returns False, changing nothing, if the loss became non-finite or exploded (see
        ``EXPLODED_LOSS``): the weights and step go back to where they were before this frame
        and ``diverged`` is set, so no NaN ever reaches the screen or the state.
        """
        if self.diverged:
            return False
        steps = self.settings["steps_per_frame"] if steps is None else steps
        before, step_before = self.network.state_dict(), self.settings["step"]
        try:
            # A runaway learning rate overflows exp and matmul; that is detected here, by
            # value, and explained on screen rather than printed as a warning.
            with np.errstate(over="ignore", invalid="ignore"):
                for _ in range(steps):
                    if not self._sgd_step() < STEP_GUARD:  # also True for NaN
                        raise _Diverged
                train, test = self.losses()
            if not (train < EXPLODED_LOSS and math.isfinite(test)):
                raise _Diverged
        except (_Diverged, ValueError) as exc:
            # nnlib's layers and losses refuse NaN/inf inputs (check_finite): here that can
            # only mean the weights ran away. Any other ValueError is a real error.
            if isinstance(exc, ValueError) and _raised_in(exc) != "check_finite":
                raise
            self.network.load_state_dict(before)
            self.settings["step"] = step_before
            self.diverged = True
            return False
        self.history["step"].append(self.settings["step"])
        self.history["train"].append(train)
        self.history["test"].append(test)
        return True

    def train(self, steps: int) -> None:
        """Fast-forward ``steps`` SGD steps, frame by frame (used to open a saved state)."""
        while steps > 0 and not self.diverged:
            frame = min(steps, self.settings["steps_per_frame"])
            self.train_frame(frame)
            steps -= frame

    def _sgd_step(self) -> float:
        """One mini-batch step; returns the batch's loss (before the step).

        The batch of step t is drawn from a generator seeded by (seed, t): the same state
        always continues the same way, however it was reached."""
        s = self.settings
        rng = np.random.default_rng([s["seed"], 3, s["step"]])
        n = len(self.x_train)
        batch = rng.choice(n, size=min(s["batch_size"], n), replace=False)
        logits = self.network(self.x_train[batch])
        loss = self._loss_fn(logits, self._t_train[batch])
        self.optimizer.zero_grad()
        self.network.backward(self._loss_fn.backward(), input_grad=False)
        self.optimizer.step()
        s["step"] += 1
        return loss

    # -- what the view shows ----------------------------------------------------------------------
    def losses(self) -> tuple[float, float]:
        """Mean binary cross-entropy on the training and on the test points."""
        train = self._loss_fn(self.network(self.x_train), self._t_train)
        test = self._loss_fn(self.network(self.x_test), self._t_test)
        return train, test

    def grid_outputs(self) -> tuple[list[np.ndarray], np.ndarray]:
        """Every hidden unit and the output on the grid, in one pass through the layers.

        Returns:
            hidden: one (GRID², width) array per hidden layer, the activations after its
                nonlinearity; column j is unit j's heatmap (reshape to (GRID, GRID)).
            proba: (GRID, GRID), P(class 1) = σ(logit); row i is ys[i], column j is xs[j].
        """
        hidden = []
        h = self.grid
        layers = self.network.layers
        for linear, activation in zip(layers[:-1:2], layers[1::2], strict=True):
            h = activation(linear(h))
            hidden.append(h)
        logits = layers[-1](h)[:, 0]
        proba = 0.5 * (1 + np.tanh(0.5 * logits))  # σ(z), without overflow for large |z|
        return hidden, proba.reshape(GRID, GRID)


class _Diverged(Exception):
    """Raised inside a training frame when the loss runs away."""


def _raised_in(exc: BaseException) -> str:
    """The name of the function in which ``exc`` was raised."""
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return tb.tb_frame.f_code.co_name


def build_network(hidden: list[int], activation: str, rng) -> Sequential:
    """2 inputs -> [Linear, activation] per hidden layer -> Linear to one logit."""
    layers, width = [], 2
    for units in hidden:
        layers += [Linear(width, units, rng=rng), get_activation(activation)]
        width = units
    return Sequential(*layers, Linear(width, 1, rng=rng))


def _arrays(weights: dict) -> dict:
    if not isinstance(weights, dict):
        raise TypeError(f'state["weights"] must map parameter names to lists, got {weights!r}')
    return {name: np.asarray(value, dtype=np.float32) for name, value in weights.items()}


def _checked(state: dict) -> dict:
    """A validated copy of a settings dict; errors name the key and the allowed values."""
    unknown = set(state) - set(DEFAULT_STATE)
    if unknown:
        raise ValueError(
            f"Playground: unknown state key(s) {sorted(unknown)}; "
            f"known: {sorted(DEFAULT_STATE)} and 'weights'"
        )
    s = dict(state)
    s["dataset"] = pick_name(s["dataset"], DATASETS, "Playground dataset")
    s["activation"] = pick_name(s["activation"], PLAYGROUND_ACTIVATIONS, "Playground activation")
    hidden = s["hidden"]
    if (
        not isinstance(hidden, (list, tuple))
        or len(hidden) > MAX_LAYERS
        or not all(_is_int(h) and 1 <= h <= MAX_WIDTH for h in hidden)
    ):
        raise ValueError(
            f"Playground: hidden must list 0 to {MAX_LAYERS} layer widths, each 1..{MAX_WIDTH}; "
            f"got {hidden!r}"
        )
    s["hidden"] = [int(h) for h in hidden]
    ranges = {
        "noise": (0.0, 0.5),
        "train_fraction": (0.1, 0.9),
        "lr": (1e-6, 100.0),
        "l2": (0.0, 1.0),
    }
    for key, (low, high) in ranges.items():
        value = s[key]
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"Playground: {key} must be a number, got {value!r}")
        if not low <= value <= high:
            raise ValueError(f"Playground: {key} must lie in [{low:g}, {high:g}], got {value}")
        s[key] = float(value)
    counts = {"points": (20, 5000), "batch_size": (1, 5000), "steps_per_frame": (1, 1000)}
    counts |= {"seed": (0, 2**32 - 1), "step": (0, 10**9)}
    for key, (low, high) in counts.items():
        if not (_is_int(s[key]) and low <= s[key] <= high):
            raise ValueError(
                f"Playground: {key} must be an integer in {low}..{high}, got {s[key]!r}"
            )
        s[key] = int(s[key])
    return s


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


class PlaygroundView(FigureView):
    """Hidden-unit heatmaps | decision heatmap with the points | loss curves.

    Artists, drawn once: ``unit_images[l][j]`` (AxesImage of unit j in hidden layer l,
    pre-allocated for 4 × 8 units, the unused ones hidden), ``boundary_image``,
    ``train_points``, ``test_points`` (PathCollections), ``train_curve``, ``test_curve``.
    """

    def __init__(self):
        super().__init__(figsize=(11.0, 4.4), dpi=80)
        fig = self.figure
        fig.set_layout_engine("none")  # 34 axes: placed by hand, not by the layout engine
        self.axes[0].remove()
        cmap = matplotlib.colormaps["RdBu_r"]
        self._point_colors = np.array([cmap(0.0), cmap(1.0)])  # darker than the faded heatmap
        blank = np.zeros((GRID, GRID))
        tiles = fig.add_gridspec(
            MAX_WIDTH, MAX_LAYERS, left=0.01, right=0.22, bottom=0.04, top=0.92, hspace=0.12
        )
        self.unit_axes, self.unit_images = [], []
        for layer in range(MAX_LAYERS):
            axes, images = [], []
            for unit in range(MAX_WIDTH):
                ax = fig.add_subplot(tiles[unit, layer])
                ax.set_axis_off()
                images.append(ax.imshow(blank, cmap="PuOr_r", origin="lower", aspect="auto"))
                axes.append(ax)
            axes[0].set_title(f"layer {layer + 1}", fontsize=8)
            self.unit_axes.append(axes)
            self.unit_images.append(images)

        self.boundary_ax = ax = fig.add_axes((0.27, 0.1, 0.36, 0.82))
        self.boundary_image = ax.imshow(
            blank, cmap=cmap, vmin=0, vmax=1, alpha=0.6, origin="lower", aspect="auto"
        )
        # train: filled dots; test: hollow triangles in the class colour
        self.train_points = ax.scatter(
            [], [], s=18, marker="o", edgecolors="w", linewidths=0.6, label="train"
        )
        self.test_points = ax.scatter(
            [], [], s=22, marker="^", facecolors="w", linewidths=1.2, label="test"
        )
        ax.legend(loc="upper right", fontsize="small", framealpha=0.7)
        ax.set_title("P(class 1)", fontsize=9)

        self.loss_ax = ax = fig.add_axes((0.70, 0.14, 0.28, 0.74))
        (self.train_curve,) = ax.plot([], [], color="C0", label="train loss")
        (self.test_curve,) = ax.plot([], [], color="C1", ls="--", label="test loss")
        ax.set_xlabel("SGD step")
        ax.set_title("binary cross-entropy", fontsize=9)
        ax.legend(loc="upper right", fontsize="small")
        self.axes = [self.boundary_ax, self.loss_ax] + [a for col in self.unit_axes for a in col]
        self._data_id = None

    def show(self, model: PlaygroundModel) -> None:
        """Put the model's grid outputs, data and losses into the artists (no rendering)."""
        if self._data_id != id(model.x_train):  # the points and extent change with the data
            self._data_id = id(model.x_train)
            half_x, half_y = (model.xs[1] - model.xs[0]) / 2, (model.ys[1] - model.ys[0]) / 2
            extent = (
                model.xs[0] - half_x,
                model.xs[-1] + half_x,
                model.ys[0] - half_y,
                model.ys[-1] + half_y,
            )
            for image in [self.boundary_image, *(i for row in self.unit_images for i in row)]:
                image.set_extent(extent)
            self.train_points.set_offsets(model.x_train)
            self.train_points.set_facecolor(self._point_colors[model.y_train])
            self.test_points.set_offsets(model.x_test)
            self.test_points.set_edgecolor(self._point_colors[model.y_test])
        hidden, proba = model.grid_outputs()
        self.boundary_image.set_data(proba)
        widths = model.settings["hidden"]
        for layer in range(MAX_LAYERS):
            width = widths[layer] if layer < len(widths) else 0
            for unit in range(MAX_WIDTH):
                used = unit < width
                self.unit_axes[layer][unit].set_visible(used)
                if used:
                    values = hidden[layer][:, unit].reshape(GRID, GRID)
                    top = float(np.abs(values).max()) or 1.0  # symmetric: 0 is white
                    image = self.unit_images[layer][unit]
                    image.set_data(values)
                    image.set_clim(-top, top)
        history = model.history
        self.train_curve.set_data(history["step"], history["train"])
        self.test_curve.set_data(history["step"], history["test"])
        self.loss_ax.set_xlim(0, max(history["step"][-1], 10))
        self.loss_ax.set_ylim(0, 1.05 * max(max(history["train"]), max(history["test"])))


class Playground(Explorer):
    """Lessons 9-10 (training, regularization): train a small network on 2-D data, live.

    Pick a data set, its noise and how much of it trains; the hidden layers (0-4, 1-8 units
    each) and activation; the learning rate, L2 penalty and batch size. Play runs a few SGD
    steps per frame; each frame redraws the decision heatmap, one small heatmap per hidden
    unit and the training and test losses. A learning rate that makes the loss explode stops
    the play and says so; reset starts again.

    Args:
        state: a state dict (see ``PlaygroundModel``), e.g. one saved from ``playground.state``.
        **settings: individual settings, overriding ``state``; e.g. ``dataset="spiral"``.

    Attributes: ``model``, ``controls``, ``view``, ``status``, ``widget``; ``state``.
    """

    def __init__(self, state: dict | None = None, **settings):
        self.model = PlaygroundModel({**(state or {}), **settings})
        self.view = PlaygroundView()
        s = self.model.settings
        hidden = s["hidden"]
        c = self.controls = {
            "dataset": widgets.Dropdown(options=list(DATASETS), value=s["dataset"]),
            "noise": widgets.FloatSlider(value=s["noise"], min=0, max=0.5, step=0.01),
            "train_fraction": widgets.FloatSlider(
                value=s["train_fraction"], min=0.1, max=0.9, step=0.05, description="train share"
            ),
            "layers": widgets.IntSlider(value=len(hidden), min=0, max=MAX_LAYERS),
            **{
                f"width{i + 1}": widgets.IntSlider(
                    value=hidden[i] if i < len(hidden) else 4,
                    min=1,
                    max=MAX_WIDTH,
                    description=f"layer {i + 1}",
                )
                for i in range(MAX_LAYERS)
            },
            "activation": widgets.Dropdown(options=PLAYGROUND_ACTIVATIONS, value=s["activation"]),
            "lr": widgets.FloatLogSlider(
                value=s["lr"], base=10, min=-3, max=1, description="learning rate"
            ),
            "l2": widgets.SelectionSlider(
                options=[(f"{v:g}", v) for v in L2_CHOICES],
                value=min(L2_CHOICES, key=lambda v: abs(v - s["l2"])),
                description="L2",
            ),
            "batch_size": widgets.IntSlider(value=min(s["batch_size"], 64), min=1, max=64),
            "seed": widgets.BoundedIntText(value=s["seed"], min=0, max=2**31 - 1),
            "play": widgets.Play(value=0, min=0, max=10**6, interval=200, show_repeat=False),
            "step": widgets.Button(description="step", icon="step-forward"),
            "reset": widgets.Button(description="reset", icon="refresh"),
        }
        for name, control in c.items():
            if isinstance(control, (widgets.FloatSlider, widgets.IntSlider)):
                # one change when the mouse is released: most of them restart training
                control.continuous_update = False
            if hasattr(control, "description") and not control.description:
                control.description = name.replace("_", " ")
            control.style.description_width = "initial"
        self.status = status_line()
        self.widget = assemble(
            "playground",
            [
                [c["play"], c["step"], c["reset"], c["seed"]],
                [c["dataset"], c["noise"], c["train_fraction"]],
                [c["layers"], c["activation"]],
                [c[f"width{i + 1}"] for i in range(MAX_LAYERS)],
                [c["lr"], c["l2"], c["batch_size"]],
            ],
            self.view.image,
            self.status,
        )
        for name, control in c.items():
            if name not in ("play", "step", "reset"):
                control.observe(self._on_setting, names="value")
        c["play"].observe(self._on_play, names="value")
        c["step"].on_click(self._on_step)
        c["reset"].on_click(self._on_reset)
        self._show_width_sliders()
        self.update()
        self.view.refresh()

    # -- the common explorer API ----------------------------------------------------------------
    @property
    def state(self) -> dict:
        """Settings, seed, step count and weights: ``Playground(state=p.state)`` is p again."""
        return self.model.state

    def update(self) -> None:
        """Show the model in the artists and the status line (no rendering)."""
        self.view.show(self.model)
        m = self.model
        if m.diverged:
            show_status(self.status, f"⚠ {DIVERGED_MESSAGE}", "error")
        else:
            show_status(
                self.status,
                f"step {m.settings['step']} · train loss {m.history['train'][-1]:.3f} · "
                f"test loss {m.history['test'][-1]:.3f}",
            )

    def step(self) -> bool:
        """One frame: a few SGD steps, then the artists. False (and play stops) on divergence."""
        ok = self.model.train_frame()
        if not ok:
            self.controls["play"].playing = False
        self.update()
        return ok

    def reset(self) -> None:
        """New network (and data) from the seed, step 0."""
        self.model.reset()
        self.update()

    # -- control handlers -------------------------------------------------------------------------
    def _on_setting(self, change) -> None:
        # Only the setting that changed is passed on: a state's exact values (an L2 or batch
        # size between the sliders' stops) stay as they are until their own control moves.
        c = self.controls
        name = next(key for key, control in c.items() if control is change.owner)
        if name == "layers" or name.startswith("width"):
            self.model.configure(
                hidden=[c[f"width{i + 1}"].value for i in range(c["layers"].value)]
            )
            self._show_width_sliders()
        else:
            self.model.configure(**{name: change.new})
        self.update()
        self.view.refresh()

    def _show_width_sliders(self) -> None:
        layers = self.controls["layers"].value
        for i in range(MAX_LAYERS):
            self.controls[f"width{i + 1}"].layout.display = "" if i < layers else "none"

    def _on_play(self, change) -> None:
        # The browser's timer advances the value; stop sends it back to 0: no frame then.
        if change.new > change.old:
            self.step()
            self.view.refresh()

    def _on_step(self, _button=None) -> None:
        self.step()
        self.view.refresh()

    def _on_reset(self, _button=None) -> None:
        self.reset()
        self.view.refresh()
