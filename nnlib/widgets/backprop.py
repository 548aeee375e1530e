"""Backprop stepper: a computation graph filled in one node at a time (lessons 6 and 7).

Lesson 6 works the forward and backward pass of L2-regularised logistic least squares by hand,

    z = wx + b,   y = σ(z),   L = ½(y − t)²,   R = ½w²,   L_reg = L + λR,

and the fan-out example f(x, y) = y + e^{xy} with x = cos t, y = t². Lesson 7 turns that into
the algorithm: visit the nodes in topological order to compute values, then in reverse order
to compute error signals v̄ = ∂L/∂v, each node adding one term per use,
v̄ = Σ_{children c} c̄ · ∂c/∂v.

``BackpropStepper()`` shows the graph drawn by ``nnlib.viz.draw_graph``; "forward" reveals the
next value, "backward" the next error signal, and a panel states the local rule with numbers,
e.g. ``z̄ = ȳ · σ'(z) = (-0.3318) · 0.2217 = -0.0736``. The numbers are ``nnlib.autodiff``'s: the
model builds the graph from Tensors and runs ``backward()`` once; stepping only reveals them.
The rules are written from each node's op label, so they follow any graph of scalar nodes.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from ..autodiff import Tensor, cos, exp, sigmoid
from ..viz import draw_graph
from ._explorer import Explorer
from ._view import FigureView

__all__ = ["GRAPHS", "BackpropModel", "BackpropStepper", "GraphSpec", "Knob", "Step"]


# -- the graphs to step through ---------------------------------------------------------------
@dataclass(frozen=True)
class Knob:
    """One input of a graph, set with a slider: ``key`` is its keyword, ``symbol`` its name in
    the graph (and on the slider), within [low, high]."""

    key: str
    symbol: str
    default: float
    low: float
    high: float
    step: float = 0.1


@dataclass(frozen=True)
class GraphSpec:
    """A graph of scalar Tensors: ``build(**{knob.key: value})`` returns its output node.

    Name the nodes the rules should talk about; unnamed results are called v1, v2, … and
    unnamed leaves are constants (their values are shown, their gradients are not needed).
    """

    title: str
    formula: str
    knobs: tuple[Knob, ...]
    build: Callable[..., Tensor]


def _named(tensor: Tensor, name: str) -> Tensor:
    tensor.name = name
    return tensor


def _logistic_least_squares(w, x, b, t, lam) -> Tensor:
    w, x, b = Tensor(w, name="w"), Tensor(x, name="x"), Tensor(b, name="b")
    t, lam = Tensor(t, name="t"), Tensor(lam, name="λ")
    z = _named(_named(w * x, "wx") + b, "z")
    y = _named(sigmoid(z), "y")
    r = _named(y - t, "r")  # the residual: L = ½r² has one op per node, like the lecture's steps
    loss = _named(0.5 * _named(r**2, "r²"), "L")
    penalty = _named(0.5 * _named(w**2, "w²"), "R")
    return _named(loss + _named(lam * penalty, "λR"), "L_reg")


def _fan_out_example(t) -> Tensor:
    t = Tensor(t, name="t")
    x, y = _named(cos(t), "x"), _named(t**2, "y")
    return _named(y + _named(exp(_named(x * y, "xy")), "exp(xy)"), "f")


GRAPHS = {
    spec.title: spec
    for spec in (
        GraphSpec(
            "logistic least squares",
            "z = wx + b, y = σ(z), L = ½(y − t)², R = ½w², L_reg = L + λR",
            (
                Knob("x", "x", 1.5, -3.0, 3.0),
                Knob("t", "t", 1.0, 0.0, 1.0),
                Knob("w", "w", 0.8, -3.0, 3.0),
                Knob("b", "b", -0.5, -3.0, 3.0),
                Knob("lam", "λ", 0.1, 0.0, 1.0, 0.01),
            ),
            _logistic_least_squares,
        ),
        GraphSpec(
            "f = y + exp(xy), x = cos t, y = t²",
            "x = cos t, y = t², f = y + e^{xy}",
            (Knob("t", "t", 0.5, -3.0, 3.0, 0.05),),
            _fan_out_example,
        ),
    )
}


# -- the local rules, read from the op labels -------------------------------------------------
def fmt(value) -> str:
    """A number as the panel prints it: 4 decimals, negatives in parentheses (for products)."""
    value = float(value)
    return f"({value:.4f})" if value < 0 else f"{value:.4f}"


def bar(symbol: str) -> str:
    """The error-signal name v̄ of ``symbol``: a combining overline on every character."""
    return "".join(ch + "\u0305" for ch in symbol)


_SUPERSCRIPTS = str.maketrans("0123456789.-", "⁰¹²³⁴⁵⁶⁷⁸⁹·⁻")

# op -> how its value reads, with {0}, {1} standing for the operands.
_FORMULAS = {
    "+": "{0} + {1}",
    "-": "{0} − {1}",
    "*": "{0} · {1}",
    "/": "{0} / {1}",
    "neg": "−{0}",
    "exp": "exp({0})",
    "log": "log({0})",
    "tanh": "tanh({0})",
    "sigmoid": "σ({0})",
    "relu": "max(0, {0})",
    "cos": "cos({0})",
    "sin": "sin({0})",
}


def _power(op: str) -> float | None:
    """The exponent p of a ``**p`` node, else None."""
    return float(op[2:]) if op.startswith("**") else None


def _formula(op: str, operands: list[str]) -> str:
    p = _power(op)
    if p is not None:
        base = operands[0] if len(operands[0]) == 1 or operands[0][0] == "(" else f"({operands[0]})"
        return base + f"{p:g}".translate(_SUPERSCRIPTS)
    if op in _FORMULAS:
        return _FORMULAS[op].format(*operands)
    return f"{op}({', '.join(operands)})"  # an op without a table entry: read as a function


def _local_derivative(child: Tensor, k: int, symbol) -> tuple[str | None, float | None]:
    """∂child/∂(its k-th operand): (how it reads, its value); None for a factor of 1, and a
    value of None for an op this table does not know (the rule then shows only the total)."""
    a = child.parents[0]
    sa, va, vc = symbol(a), a.data.item(), child.data.item()
    op, p = child.op, _power(child.op)
    if op == "+" or (op == "-" and k == 0):
        return None, 1.0
    if op == "-" or op == "neg":
        return "(−1)", -1.0
    if op == "*":
        other = child.parents[1 - k]
        return symbol(other), other.data.item()
    if op == "/":
        b = child.parents[1]
        if k == 0:
            return f"1/{symbol(b)}", 1 / b.data.item()
        return f"(−{sa}/{symbol(b)}²)", -va / b.data.item() ** 2
    if p is not None:  # d(a^p)/da = p a^(p−1)
        if p == 2:
            return f"2{sa}", 2 * va
        return f"{p:g}" + _formula(f"**{p - 1:g}", [sa]), p * va ** (p - 1)
    table = {  # op -> (how it reads, its value); evaluated for this op only (log: 1/a)
        "exp": lambda: (f"exp({sa})", vc),  # e^a is its own derivative: the child's value
        "log": lambda: (f"1/{sa}", 1 / va),
        "tanh": lambda: (f"(1 − {symbol(child)}²)", 1 - vc * vc),
        "sigmoid": lambda: (f"σ'({sa})", vc * (1 - vc)),  # σ' = σ(1 − σ)
        "relu": lambda: (f"1[{sa} > 0]", float(va > 0)),
        "cos": lambda: (f"(−sin {sa})", -math.sin(va)),
        "sin": lambda: (f"cos {sa}", math.cos(va)),
    }
    return table.get(op, lambda: (f"∂{symbol(child)}/∂{sa}", None))()


@dataclass(frozen=True)
class Step:
    """One revealed number: ``phase`` "forward" (a value) or "backward" (an error signal)."""

    phase: str
    node: Tensor
    text: str


# -- the model --------------------------------------------------------------------------------
class BackpropModel:
    """Which values and error signals are revealed, and the rule behind each (no widgets).

    Args:
        graph: a title from ``GRAPHS`` or a ``GraphSpec``.
        **values: inputs by knob key (e.g. ``x=1.5, lam=0.1``); the others take their defaults.

    Attributes:
        output: the graph's output Tensor, after ``backward()``: every node's ``data`` and
            ``grad`` are nnlib.autodiff's results.
        nodes: topological order (inputs first). forward_order: the computed nodes, in that
            order. backward_order: every node but the constants, in reverse order.
        n_values, n_grads: how many of forward_order / backward_order are revealed.
    """

    def __init__(self, graph: str | GraphSpec = "logistic least squares", **values):
        self.spec = self._resolve(graph)
        self.values = {knob.key: knob.default for knob in self.spec.knobs}
        self.n_values = self.n_grads = 0
        self.set_values(**values)

    @staticmethod
    def _resolve(graph) -> GraphSpec:
        if isinstance(graph, GraphSpec):
            return graph
        if graph not in GRAPHS:
            raise ValueError(f"unknown graph {graph!r}; choose one of {sorted(GRAPHS)}")
        return GRAPHS[graph]

    # -- inputs -------------------------------------------------------------------------------
    def set_values(self, **values) -> None:
        """Change inputs and recompute every value and gradient; what is revealed stays."""
        knobs = {knob.key: knob for knob in self.spec.knobs}
        for key, value in values.items():
            if key not in knobs:
                raise ValueError(
                    f"{self.spec.title!r} has no input {key!r}; its inputs are {list(knobs)}"
                )
            knob = knobs[key]
            if not knob.low <= value <= knob.high:
                raise ValueError(
                    f"{knob.symbol} = {value} is outside its range [{knob.low}, {knob.high}]"
                )
        self.values.update({key: float(value) for key, value in values.items()})
        self._build()

    def set_graph(self, graph: str | GraphSpec) -> None:
        """Switch to another graph, with its default inputs and nothing revealed."""
        self.spec = self._resolve(graph)
        self.values = {knob.key: knob.default for knob in self.spec.knobs}
        self.reset()
        self._build()

    def _build(self) -> None:
        output = self.spec.build(**self.values)
        output.backward()
        nodes = output.topological_order()
        big = [node for node in nodes if node.data.size != 1]
        if big:
            raise ValueError(f"the stepper shows scalar graphs; {big[0]!r} is not a single number")
        self.output, self.nodes = output, nodes
        self.forward_order = [node for node in nodes if node.parents]
        self.backward_order = [node for node in reversed(nodes) if not self.is_constant(node)]
        unnamed = (node for node in self.forward_order if not node.name)
        self._auto_names = {node: f"v{i}" for i, node in enumerate(unnamed, start=1)}

    @staticmethod
    def is_constant(node: Tensor) -> bool:
        """An unnamed leaf, such as the ½ of ½(y − t)²: no input of the problem."""
        return not node.parents and not node.name

    def symbol(self, node: Tensor) -> str:
        """How the rules call a node: its name, v1, v2, … if unnamed, a constant by its value."""
        if node.name:
            return node.name
        if not node.parents:
            return f"{node.data.item():g}"
        return self._auto_names[node]

    # -- stepping -----------------------------------------------------------------------------
    @property
    def forward_done(self) -> bool:
        return self.n_values == len(self.forward_order)

    @property
    def backward_done(self) -> bool:
        return self.n_grads == len(self.backward_order)

    def step_forward(self) -> Step | None:
        """Reveal the next value in topological order; None once all are revealed."""
        if self.forward_done:
            return None
        self.n_values += 1
        return self.explain_forward(self.forward_order[self.n_values - 1])

    def step_backward(self) -> Step | None:
        """Reveal the next error signal in reverse topological order; None once all are.

        Raises RuntimeError before the forward pass is complete: the local derivatives need
        the values.
        """
        if not self.forward_done:
            raise RuntimeError(
                f"finish the forward pass first ({self.n_values} of "
                f"{len(self.forward_order)} values known): the backward rules use the values"
            )
        if self.backward_done:
            return None
        self.n_grads += 1
        return self.explain_backward(self.backward_order[self.n_grads - 1])

    def reset(self) -> None:
        """Hide every computed value and every error signal again."""
        self.n_values = self.n_grads = 0

    @property
    def revealed_values(self) -> set[Tensor]:
        """The inputs and constants (known from the start) and the values computed so far."""
        leaves = {node for node in self.nodes if not node.parents}
        return leaves | set(self.forward_order[: self.n_values])

    @property
    def revealed_grads(self) -> set[Tensor]:
        return set(self.backward_order[: self.n_grads])

    @property
    def current(self) -> Tensor | None:
        """The node revealed last, or None before the first step."""
        if self.n_grads:
            return self.backward_order[self.n_grads - 1]
        if self.n_values:
            return self.forward_order[self.n_values - 1]
        return None

    def steps(self) -> list[Step]:
        """Every step taken so far, with the current numbers, oldest first."""
        return [self.explain_forward(n) for n in self.forward_order[: self.n_values]] + [
            self.explain_backward(n) for n in self.backward_order[: self.n_grads]
        ]

    # -- the rules ----------------------------------------------------------------------------
    def explain_forward(self, node: Tensor) -> Step:
        """E.g. "z = wx + b = 1.2000 + (-0.5000) = 0.7000"."""
        name = self.symbol(node)
        symbolic = _formula(node.op, [self.symbol(p) for p in node.parents])
        numeric = _formula(node.op, [fmt(p.data) for p in node.parents])
        parts = [name] + ([symbolic] if symbolic != name else []) + [numeric]
        return Step("forward", node, " = ".join(parts) + f" = {node.data.item():.4f}")

    def explain_backward(self, node: Tensor) -> Step:
        """E.g. "z̄ = ȳ · σ'(z) = 0.1234 · 0.2345 = 0.0289": one term per use of the node."""
        name = self.symbol(node)
        if node is self.output:
            text = f"{bar(name)} = ∂{name}/∂{name} = {node.grad.item():.4f}"  # the output: 1
            return Step("backward", node, text)
        symbolic, numeric, factors = [], [], []
        for child in self.nodes:
            for k, parent in enumerate(child.parents):
                if parent is not node:
                    continue
                factor, value = _local_derivative(child, k, self.symbol)
                factors.append(factor)
                symbolic.append(bar(self.symbol(child)) + (f" · {factor}" if factor else ""))
                if value is None:
                    numeric.append("…")
                else:
                    numeric.append(fmt(child.grad) + (f" · {fmt(value)}" if factor else ""))
        parts = [bar(name), " + ".join(symbolic)]
        if factors != [None]:  # "ȳ = r̄ = -0.33" needs no numbers in between
            parts.append(" + ".join(numeric))
        return Step("backward", node, " = ".join(parts) + f" = {node.grad.item():.4f}")


# -- the explorer -----------------------------------------------------------------------------
FORWARD_COLOR = "#ffd54f"  # amber: the value being computed
BACKWARD_COLOR = "#f4a6a6"  # soft red: the error signal being computed, as the grad text


def _html(text: str) -> str:
    """``text`` as HTML: each run of overlined characters (``bar``) under one overline, and
    "L_reg" as L with a subscript."""
    pieces = re.split("((?:.\u0305)+)", text)  # odd pieces are the overlined runs
    return "".join(
        f'<span style="text-decoration: overline">{_subscripts(piece[::2])}</span>'
        if i % 2
        else _subscripts(piece)
        for i, piece in enumerate(pieces)
    )


def _subscripts(text: str) -> str:
    return re.sub(r"_(\w+)", r"<sub>\1</sub>", html.escape(text))


class _CachedConnection:
    """An arrow's connection style that remembers its paths. Clipping an arrow at the edges of
    its two boxes (Bézier splitting) is most of the cost of a render, and the boxes never move:
    so each path is computed once per layout (display positions and box line widths)."""

    def __init__(self, connection):
        self.connection, self.paths = connection, {}

    def __call__(self, posA, posB, shrinkA=2.0, shrinkB=2.0, patchA=None, patchB=None):
        widths = [None if patch is None else patch.get_linewidth() for patch in (patchA, patchB)]
        key = (tuple(posA), tuple(posB), shrinkA, shrinkB, *widths)
        if key not in self.paths:
            self.paths[key] = self.connection(
                posA, posB, shrinkA=shrinkA, shrinkB=shrinkB, patchA=patchA, patchB=patchB
            )
        return self.paths[key]


def _draw(output: Tensor, ax, span: tuple[float, float] = (0.0, 0.0)):
    """``draw_graph`` on ``ax``, with arrows that skip columns bent around the boxes between
    their ends, and axes at least ``span`` (x, y) data units wide, so that boxes keep their
    size when a smaller graph replaces a larger one."""
    drawing = draw_graph(output, ax=ax, precision=4)
    for (parent, child), arrow in zip(drawing.edges, drawing.edge_artists, strict=True):
        if drawing.layers[child] - drawing.layers[parent] > 1:
            # Straight, it would run through the boxes of the columns it skips: bend it away
            # from the middle row, on the side its source is (arc3: rad > 0 bends downwards).
            (_, y0), (_, y1) = drawing.positions[parent], drawing.positions[child]
            arrow.set_connectionstyle("arc3", rad=0.3 if y0 < y1 else -0.3)
        arrow.set_connectionstyle(_CachedConnection(arrow.get_connectionstyle()))
    for limits, set_limits, width in ((ax.get_xlim(), ax.set_xlim, span[0]),
                                      (ax.get_ylim(), ax.set_ylim, span[1])):  # fmt: skip
        grow = max(width - (limits[1] - limits[0]), 0) / 2
        set_limits(limits[0] - grow, limits[1] + grow)
    return drawing


class BackpropStepper(Explorer):
    """Step through the forward and backward pass of a small computation graph (lessons 6-7).

    Args:
        graph: a title from ``GRAPHS`` ("logistic least squares" or the fan-out example
            "f = y + exp(xy), x = cos t, y = t²") or a ``GraphSpec``.
        **values: the graph's inputs, e.g. ``BackpropStepper(x=2.0, lam=0.5)``.

    Attributes:
        model (BackpropModel), controls (dict: "forward", "backward", "reset", "graph" and one
        slider per input key), view (FigureView), drawing (nnlib.viz GraphDrawing), status
        (HTML panel with the rules), widget (everything, ready to display).
    """

    def __init__(self, graph: str | GraphSpec = "logistic least squares", **values):
        self.model = BackpropModel(graph, **values)
        self.view = FigureView(1, 1, figsize=(10.5, 3.9), dpi=80)
        self.view.image.add_class("nnlib-figure")
        ax = self.view.axes[0]
        self.drawing = _draw(self.model.output, ax)
        self._span = (np.ptp(ax.get_xlim()), np.ptp(ax.get_ylim()))  # the largest graph's so far

        buttons = {
            "forward": widgets.Button(description="forward ▶", tooltip="reveal the next value"),
            "backward": widgets.Button(
                description="◀ backward", tooltip="reveal the next error signal v̄ = ∂L/∂v"
            ),
            "reset": widgets.Button(description="reset", tooltip="hide every computed number"),
        }
        buttons["forward"].on_click(lambda _: self._act(self.model.step_forward))
        buttons["backward"].on_click(lambda _: self._act(self.model.step_backward))
        buttons["reset"].on_click(lambda _: self._act(self.model.reset))
        self._graphs = {**GRAPHS, self.model.spec.title: self.model.spec}  # and a custom one
        choice = widgets.Dropdown(
            options=list(self._graphs),
            value=self.model.spec.title,
            description="graph",
            layout=widgets.Layout(width="22em"),
        )
        choice.observe(self._on_graph, names="value")
        self.controls: dict[str, widgets.Widget] = {**buttons, "graph": choice}
        self._sliders = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self._make_sliders()

        self.status = widgets.HTML()
        self.widget = widgets.VBox(
            [widgets.HBox([*buttons.values(), choice]), self._sliders, self.view.image, self.status]
        )
        self.widget.add_class("nnlib-explorer")
        self.widget.add_class("nnlib-backprop")
        self.update()
        self.view.refresh()

    # -- controls -----------------------------------------------------------------------------
    def _make_sliders(self) -> None:
        for old in self._sliders.children:
            old.close()  # the previous graph's inputs: their observers must not fire again
        for key in [k for k, c in self.controls.items() if isinstance(c, widgets.FloatSlider)]:
            del self.controls[key]
        sliders = []
        for knob in self.model.spec.knobs:
            slider = widgets.FloatSlider(
                value=self.model.values[knob.key],
                min=knob.low,
                max=knob.high,
                step=knob.step,
                description=knob.symbol,
                readout_format=".2f",
                continuous_update=True,
                style={"description_width": "1.5em"},
                layout=widgets.Layout(width="16em"),
            )
            slider.observe(self._on_slider, names="value")
            self.controls[knob.key] = slider
            sliders.append(slider)
        self._sliders.children = sliders

    def _act(self, action) -> None:
        action()
        self.update()
        self.view.refresh()

    def _on_slider(self, _change) -> None:
        self.update()
        self.view.refresh()

    def _on_graph(self, change) -> None:
        # A new graph has other nodes: the one case where the drawing is made again.
        self.model.set_graph(self._graphs[change["new"]])
        self._make_sliders()
        ax = self.view.axes[0]
        ax.clear()
        self.drawing = _draw(self.model.output, ax, self._span)
        self._span = (np.ptp(ax.get_xlim()), np.ptp(ax.get_ylim()))
        self.update()
        self.view.refresh()

    # -- view ---------------------------------------------------------------------------------
    def update(self) -> None:
        """Read the sliders, recompute the graph if an input changed, update the drawing's
        texts and highlight and the rules panel (no rendering)."""
        model = self.model
        values = {knob.key: self.controls[knob.key].value for knob in model.spec.knobs}
        if values != model.values:
            model.set_values(**values)
        if self.drawing.nodes[-1] is not model.output:  # the inputs changed: new Tensors
            self._follow(model.output)
        self.drawing.update(reveal_values=model.revealed_values, reveal_grads=model.revealed_grads)
        for node, artists in self.drawing.node_artists.items():
            if model.is_constant(node) and artists.grad is not None:
                artists.grad.set_text("")  # nothing upstream needs a constant's gradient
        current = model.current
        color = BACKWARD_COLOR if model.n_grads else FORWARD_COLOR
        self.drawing.highlight([] if current is None else [current], color)
        self.controls["forward"].disabled = model.forward_done
        self.controls["backward"].disabled = not model.forward_done or model.backward_done
        self.status.value = self._status_html()

    def _follow(self, output: Tensor) -> None:
        """Point the drawing's artists at the rebuilt graph's nodes (same structure, new
        Tensors), so that the existing boxes show the new numbers."""
        drawn = self.drawing
        old, new = drawn.nodes[-1].topological_order(), output.topological_order()
        if [n.op for n in old] != [n.op for n in new]:
            raise RuntimeError("the rebuilt graph differs from the drawn one")
        same = dict(zip(old, new, strict=True))
        drawn.node_artists = {same[n]: a for n, a in drawn.node_artists.items()}
        drawn.positions = {same[n]: p for n, p in drawn.positions.items()}
        drawn.layers = {same[n]: layer for n, layer in drawn.layers.items()}
        drawn.edges = [(same[p], same[c]) for p, c in drawn.edges]
        drawn.nodes = [same[n] for n in drawn.nodes]

    def _status_html(self) -> str:
        model = self.model
        out = model.symbol(model.output)
        if model.backward_done:
            leaves = [n for n in model.nodes if not n.parents and not model.is_constant(n)]
            grads = ", ".join(f"{bar(n.name)} = {n.grad.item():.4f}" for n in leaves)
            message = f"Backward pass complete: {grads}. Move a slider to see them change."
        elif model.n_grads:
            message = (
                f"Backward pass: {model.n_grads} of {len(model.backward_order)} error signals "
                f"v̄ = ∂{out}/∂v, children before parents; one term per use of v."
            )
        elif model.forward_done:
            message = "Forward pass complete. Press ◀ backward: error signals, output first."
        elif model.n_values:
            message = (
                f"Forward pass: {model.n_values} of {len(model.forward_order)} values, "
                "parents before children."
            )
        else:
            message = "Press forward ▶: values in topological order (the inputs are given)."
        steps = model.steps()
        phase = steps[-1].phase if steps else "forward"
        shown = [s for s in steps if s.phase == phase][::-1]  # newest on top, always in view
        items = "".join(
            f"<li style='{'font-weight: bold; font-size: 1.15em' if i == 0 else 'color: #555'}'>"
            f"{_html(step.text)}</li>"
            for i, step in enumerate(shown)
        )
        return (
            f"<div style='font-size: 15px; line-height: 1.5'>"
            f"<div><b>{_html(model.spec.formula)}</b></div>"
            f"<div>{_html(message)}</div>"
            f"<ul style='list-style: none; padding-left: 0.5em; margin: 0.3em 0; "
            f"max-height: 13em; overflow-y: auto'>{items}</ul>"
            f"</div>"
        )
