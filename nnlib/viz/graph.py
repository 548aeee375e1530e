"""Drawing a computation graph of ``nnlib.autodiff`` Tensors with matplotlib (lessons 6 and 7).

Lesson 6 draws the graph of an expression with each node's value (the forward pass); lesson 7
reveals the gradients one node at a time, from the output back to the inputs (the backward
pass). ``draw_graph`` therefore returns a ``GraphDrawing`` that keeps every node's artists, so
a widget can reveal values or gradients and highlight nodes without drawing again.

Layout: nodes go in columns ("layers"). An operation sits one column right of its furthest
parent (the longest path from the inputs); an input sits just left of its first use, so a
constant added at the end does not stretch an arrow across the drawing. Every arrow therefore
points from left to right (or downwards with ``layout="vertical"``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text

from ..autodiff import Tensor

__all__ = ["GraphDrawing", "NodeArtists", "draw_graph", "graph_layers", "graph_layout"]

LEAF_COLOR = "#e3f1e3"  # inputs and parameters: light green
OP_COLOR = "#e4ebf7"  # results of operations: light blue
HIDDEN = "?"  # shown in place of a value or gradient not revealed yet


@dataclass
class NodeArtists:
    """The artists of one node: its box and its text lines (None when not shown)."""

    box: FancyBboxPatch
    title: Text
    value: Text | None
    grad: Text | None


@dataclass(eq=False)
class GraphDrawing:
    """A drawn computation graph, ready to be updated step by step.

    Attributes:
        ax: the Axes drawn on.
        nodes: the Tensors in topological order (inputs first, the output last).
        edges: (parent, child) pairs, one per use, as ``Tensor.graph()`` returns them.
        layers: node -> column index (row index for a vertical layout).
        positions: node -> (x, y) centre of its box, in data coordinates.
        node_artists: node -> ``NodeArtists``.
        edge_artists: one arrow per edge, in the order of ``edges``.
    """

    ax: Axes
    nodes: list[Tensor]
    edges: list[tuple[Tensor, Tensor]]
    layers: dict[Tensor, int]
    positions: dict[Tensor, tuple[float, float]]
    node_artists: dict[Tensor, NodeArtists] = field(default_factory=dict)
    edge_artists: list[FancyArrowPatch] = field(default_factory=list)
    precision: int = 4

    def update(
        self,
        reveal_values: Collection[Tensor] | None = None,
        reveal_grads: Collection[Tensor] | None = None,
    ) -> None:
        """Rewrite the value and gradient texts from the nodes' current ``data`` and ``grad``.

        ``reveal_values`` / ``reveal_grads``: the nodes whose value / gradient to show (the
        others show "?"); None shows them all. Call it after ``backward()`` or after each step
        of a backward pass animated by hand.
        """
        for node, artists in self.node_artists.items():
            if artists.value is not None:
                shown = reveal_values is None or node in reveal_values
                text = format_array(node.data, self.precision) if shown else HIDDEN
                artists.value.set_text(f"value {text}")
            if artists.grad is not None:
                shown = reveal_grads is None or node in reveal_grads
                text = format_array(node.grad, self.precision) if shown else HIDDEN
                artists.grad.set_text(f"grad {text}")

    def highlight(self, nodes: Collection[Tensor] = (), color: str = "#ffd54f") -> None:
        """Fill the boxes of ``nodes`` with ``color`` and give every other box its usual colour."""
        for node, artists in self.node_artists.items():
            lit = node in nodes
            artists.box.set_facecolor(color if lit else _face(node))
            artists.box.set_linewidth(2.5 if lit else 1.0)


def graph_layers(output: Tensor) -> dict[Tensor, int]:
    """Column of each node of the graph ending at ``output``: node -> int >= 0.

    An operation's column is 1 + the largest column of its parents; an input's is one less
    than its earliest use (0 for an input that is the output itself). So every parent lies in
    a column strictly before each of its children.
    """
    nodes, edges = output.graph()
    layer: dict[Tensor, int] = {}
    for node in nodes:  # parents come first, so their layers are known
        layer[node] = 1 + max((layer[p] for p in node.parents), default=-1)
    first_use: dict[Tensor, int] = {}
    for parent, child in edges:
        first_use[parent] = min(first_use.get(parent, layer[child]), layer[child])
    for node in nodes:
        if not node.parents and node in first_use:
            layer[node] = first_use[node] - 1
    return layer


def graph_layout(output: Tensor) -> tuple[dict[Tensor, int], dict[Tensor, int]]:
    """(layer, slot) of every node: its column, and its place from the top within the column.

    Within a column, nodes are ordered as a depth-first walk from the output meets them
    (parents in operand order), which draws a tree without crossing arrows.
    """
    layers = graph_layers(output)
    rank: dict[Tensor, int] = {}
    stack = [output]
    while stack:  # depth-first, first operand first
        node = stack.pop()
        if node in rank:
            continue
        rank[node] = len(rank)
        stack.extend(reversed(node.parents))
    slots: dict[Tensor, int] = {}
    for column in set(layers.values()):
        members = sorted((n for n in layers if layers[n] == column), key=rank.__getitem__)
        slots.update((node, i) for i, node in enumerate(members))
    return layers, slots


def draw_graph(
    output: Tensor,
    ax: Axes | None = None,
    show_values: bool = True,
    show_grads: bool = True,
    layout: str = "layered",
    reveal_values: Collection[Tensor] | None = None,
    reveal_grads: Collection[Tensor] | None = None,
    precision: int = 4,
) -> GraphDrawing:
    """Draw the computation graph that produced ``output``, one box per Tensor.

    Inputs:
        output: the last node, e.g. the loss; its graph is ``output.graph()``.
        ax: the Axes to draw on; a new figure sized to the graph if None.
        show_values, show_grads: add a "value" / "grad" line to each box.
        layout: "layered" (inputs on the left, arrows to the right) or "vertical" (inputs at
            the top, arrows downwards).
        reveal_values, reveal_grads: the nodes whose value / gradient to show now, the others
            showing "?"; None (default) shows all. ``GraphDrawing.update`` changes them later.
        precision: decimals of the numbers shown. Single numbers are printed, arrays of up to
            3 elements as a list, larger ones by their shape.

    Returns:
        A ``GraphDrawing``: ``.node_artists[node]`` (box and texts), ``.positions[node]``,
        ``.edge_artists`` (one arrow per edge), with ``update`` and ``highlight`` methods.
    """
    if not isinstance(output, Tensor):
        raise TypeError(f"draw_graph needs an nnlib.autodiff.Tensor, got {type(output).__name__}")
    if layout not in ("layered", "vertical"):
        raise ValueError(f'layout must be "layered" or "vertical", got {layout!r}')
    nodes, edges = output.graph()
    layers, slots = graph_layout(output)
    depth = max(layers.values()) + 1
    width = Counter(layers.values())  # nodes per column
    tallest = max(width.values())

    positions = {}
    for node in nodes:
        across = (width[layers[node]] - 1) / 2 - slots[node]  # columns centred on 0
        positions[node] = (
            (float(layers[node]), across) if layout == "layered" else (-across, -layers[node])
        )
    if ax is None:
        cols, rows = (depth, tallest) if layout == "layered" else (tallest, depth)
        lines = 1 + show_values + show_grads
        _, ax = plt.subplots(
            figsize=(0.4 + 1.7 * cols, 0.3 + (0.35 + 0.2 * lines) * rows), layout="constrained"
        )
    drawing = GraphDrawing(ax, nodes, edges, layers, positions, precision=precision)

    # Box size in data units: one unit between neighbouring columns and rows.
    box_w, box_h = 0.82, 0.72
    for node in nodes:
        drawing.node_artists[node] = _draw_node(
            ax, node, positions[node], box_w, box_h, show_values, show_grads
        )
    copies = Counter(edges)  # x * x uses x twice: bend the two arrows apart
    seen: Counter = Counter()
    for parent, child in edges:
        k, n = seen[(parent, child)], copies[(parent, child)]
        seen[(parent, child)] += 1
        bend = 0.25 * (k - (n - 1) / 2)
        arrow = FancyArrowPatch(
            positions[parent],
            positions[child],
            patchA=drawing.node_artists[parent].box,
            patchB=drawing.node_artists[child].box,
            arrowstyle="-|>",
            mutation_scale=12,
            connectionstyle=f"arc3,rad={bend}",
            color="0.3",
            linewidth=1.0,
        )
        ax.add_patch(arrow)
        drawing.edge_artists.append(arrow)
    drawing.update(reveal_values, reveal_grads)

    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    ax.set_xlim(min(xs) - 0.55, max(xs) + 0.55)
    ax.set_ylim(min(ys) - 0.55, max(ys) + 0.55)
    ax.set_axis_off()
    return drawing


def format_array(array: np.ndarray, precision: int = 4, max_elements: int = 3) -> str:
    """A number with ``precision`` decimals, a short array as a list, a long one by its shape."""
    array = np.asarray(array)
    if array.size == 1:
        return f"{array.item():.{precision}f}"
    if array.size <= max_elements:
        return "[" + ", ".join(f"{v:.{precision}f}" for v in array.ravel()) + "]"
    return f"shape {array.shape}"


def node_title(node: Tensor) -> str:
    """The first line of a node's box: its name and its operation, e.g. "f (+)", "exp", "x"."""
    if node.name and node.op:
        return f"{node.name} ({node.op})"
    return node.name or node.op or "const"


def _face(node: Tensor) -> str:
    return OP_COLOR if node.parents else LEAF_COLOR


def _draw_node(ax, node, centre, box_w, box_h, show_values, show_grads) -> NodeArtists:
    x, y = centre
    box = FancyBboxPatch(
        (x - box_w / 2, y - box_h / 2),
        box_w,
        box_h,
        boxstyle="round,pad=0,rounding_size=0.06",
        facecolor=_face(node),
        edgecolor="0.25",
        linewidth=1.0,
    )
    ax.add_patch(box)
    # Lines spread evenly over the box: title on top, then value, then grad.
    count = 1 + show_values + show_grads
    offsets = np.linspace(box_h / 4, -box_h / 4, count) if count > 1 else [0.0]
    text = dict(ha="center", va="center", fontsize=8.5, family="monospace")
    title = ax.text(x, y + offsets[0], node_title(node), fontweight="bold", **text)
    value = ax.text(x, y + offsets[1], "", **text) if show_values else None
    grad = ax.text(x, y + offsets[-1], "", color="#b03030", **text) if show_grads else None
    return NodeArtists(box, title, value, grad)
