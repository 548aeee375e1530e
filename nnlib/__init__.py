"""nnlib: neural networks from the ground up, in NumPy.

A small library of layers, losses and optimizers whose names follow PyTorch (``Linear``,
``ReLU``, ``Sequential``, ``CrossEntropyLoss``, ``optim.SGD``) so that what you learn here
transfers, and whose every piece is short enough to read in one sitting. Each module's
docstring names the lesson of the course that introduces it.

    >>> import nnlib
    >>> nnlib.manual_seed(0)
    >>> net = nnlib.Sequential(nnlib.Linear(2, 8), nnlib.Tanh(), nnlib.Linear(8, 1))
    >>> loss_fn = nnlib.MSELoss()
    >>> opt = nnlib.optim.SGD(net.parameters(), lr=0.1)

One training step is then ``loss = loss_fn(net(x), y); opt.zero_grad();
net.backward(loss_fn.backward()); opt.step()``.
"""

from . import autodiff, data, functional, gradcheck, metrics, optim, train
from .activations import (
    ACTIVATIONS,
    Activation,
    HardThreshold,
    Identity,
    LeakyReLU,
    Maxout,
    PReLU,
    ReLU,
    Sigmoid,
    Sine,
    Softplus,
    Tanh,
    get_activation,
)
from .dropout import Dropout
from .functional import log_softmax, softmax
from .linear import Linear
from .losses import BCEWithLogitsLoss, CrossEntropyLoss, HingeLoss, Loss, MSELoss
from .module import Module, Parameter
from .random import manual_seed
from .sequential import Sequential

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "BCEWithLogitsLoss",
    "CrossEntropyLoss",
    "Dropout",
    "HardThreshold",
    "HingeLoss",
    "Identity",
    "LeakyReLU",
    "Linear",
    "Loss",
    "MSELoss",
    "Maxout",
    "Module",
    "PReLU",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Sine",
    "Softplus",
    "Tanh",
    "autodiff",
    "data",
    "functional",
    "get_activation",
    "gradcheck",
    "log_softmax",
    "manual_seed",
    "metrics",
    "optim",
    "softmax",
    "train",
    "viz",
    "widgets",
]


def __getattr__(name):
    # nnlib.viz and nnlib.widgets need matplotlib (and ipywidgets): import them on first use,
    # so that `import nnlib` stays light.
    if name in ("viz", "widgets"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnlib' has no attribute {name!r}")
