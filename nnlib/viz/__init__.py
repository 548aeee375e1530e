"""Plots for the course, built on matplotlib (lessons 1-11).

``import nnlib`` stays NumPy-only; matplotlib is loaded when this subpackage is first used.
Every function draws on the Axes it is given (``ax=``) or on a new figure, and returns what it
drew so that a notebook can adjust it:

* ``plot_decision_boundary`` – a 2-D classifier's predictions over the plane (lessons 1-3, 9, 10)
* ``plot_history`` – loss and accuracy per epoch, train vs validation (lessons 9, 10)
* ``plot_weight_grid`` – first-layer weight rows as images (lessons 1, 9)
* ``plot_confusion_matrix`` – which classes are confused (lessons 9, 10)
* ``plot_activation`` – an activation function, its derivative, its flat regions (lesson 2)
* ``draw_graph`` – an ``nnlib.autodiff`` computation graph, values and gradients (lessons 6, 7)
"""

from ..metrics import confusion_matrix
from .activations import plot_activation
from .boundaries import DecisionBoundary, decision_grid, plot_decision_boundary
from .confusion import normalize_confusion, plot_confusion_matrix
from .curves import plot_history
from .graph import GraphDrawing, NodeArtists, draw_graph, graph_layers, graph_layout
from .weights import WeightGrid, plot_weight_grid

__all__ = [
    "DecisionBoundary",
    "GraphDrawing",
    "NodeArtists",
    "WeightGrid",
    "confusion_matrix",
    "decision_grid",
    "draw_graph",
    "graph_layers",
    "graph_layout",
    "normalize_confusion",
    "plot_activation",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_history",
    "plot_weight_grid",
]
