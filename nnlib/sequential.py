"""Sequential: a network as a chain of modules, f⁽ᴸ⁾∘…∘f⁽¹⁾ (lesson 3).

A Sequential is itself a Module, so a whole network can be one layer of a bigger one
(lesson 11). Backward runs the chain in reverse: each layer turns dL/d(its output) into
dL/d(its input), which is dL/d(output) of the layer before it.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .module import Module

__all__ = ["Sequential"]


class Sequential(Module):
    """Modules applied one after another.

    Shapes: forward x (N, D) -> out (N, M), where D is the first layer's input size and M the
    last layer's output size; backward grad_out (N, M) -> grad_x (N, D).

    Example:
        >>> net = Sequential(Linear(2, 16), ReLU(), Linear(16, 1))
    """

    def __init__(self, *layers: Module):
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(
                    f"Sequential: item {i} is a {type(layer).__name__}, not a Module "
                    "(did you pass a class instead of an instance, e.g. ReLU instead of ReLU()?)"
                )
        self.layers = list(layers)
        self._first_cache: tuple | None = None  # (layers, index), see _first_with_parameters

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for i, layer in enumerate(self.layers):
            yield str(i), layer

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, grad_out: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Backpropagate through the layers in reverse order; return dL/dx.

        With ``input_grad=False`` the gradient with respect to the network's input is not
        computed (returns None): layers before the first one with parameters are skipped and
        that layer is asked not to compute its own input gradient. Use it when x is data.
        """
        grad = grad_out
        if input_grad:
            for layer in reversed(self.layers):
                grad = layer.backward(grad)
            return grad
        first = self._first_with_parameters()
        if first is None:
            return None
        for layer in reversed(self.layers[first + 1 :]):
            grad = layer.backward(grad)
        self.layers[first].backward(grad, input_grad=False)
        return None

    def _first_with_parameters(self) -> int | None:
        # Remembered for the current list of layers: searching costs as much as a small
        # layer's backward pass, and this runs at every training step.
        layers = tuple(self.layers)
        if self._first_cache is None or self._first_cache[0] != layers:
            index = next(
                (i for i, layer in enumerate(layers) if any(True for _ in layer.parameters())),
                None,
            )
            self._first_cache = (layers, index)
        return self._first_cache[1]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(*self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def append(self, layer: Module) -> Sequential:
        if not isinstance(layer, Module):
            raise TypeError(f"Sequential.append: expected a Module, got {type(layer).__name__}")
        self.layers.append(layer)
        return self
