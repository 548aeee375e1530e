"""Interactive explorers for the lessons (ipywidgets 8 + matplotlib), each opened with one call.

    nnlib.widgets.NeuronExplorer()          lesson 1: one unit, input space and weight space
    nnlib.widgets.ActivationExplorer()      lesson 2: f and f′ of every activation
    nnlib.widgets.FeatureMap()              lesson 3: two ReLU units make XOR separable
    nnlib.widgets.UniversalApproximator()   lesson 4: bumps from pairs of units
    nnlib.widgets.Playground()              lessons 9-10: train a small network live
    nnlib.widgets.BackpropStepper()         lessons 6-7: forward and backward, node by node

Every explorer separates a plain-Python model (numbers computed with nnlib) from its view
(a ``FigureView`` whose artists are updated in place), so tests drive it from Python.
"""

from .activations import ActivationExplorer
from .backprop import BackpropStepper
from .feature_map import FeatureMap
from .neuron import NeuronExplorer
from .playground import Playground
from .universal import UniversalApproximator

__all__ = [
    "ActivationExplorer",
    "BackpropStepper",
    "FeatureMap",
    "NeuronExplorer",
    "Playground",
    "UniversalApproximator",
]
