"""Parameter and Module: the two pieces every nnlib layer is built from.

Lesson 3 (multilayer perceptrons) introduces them; lesson 7 (backpropagation) runs them
backwards; lesson 11 (layers as building blocks) asks students to write a Module of their own.

A Module does two things, and only needs its own local derivatives to do them:

* ``forward(x)`` computes the output and keeps what ``backward`` will need (its *cache*);
* ``backward(grad_out)`` receives dL/d(output), **adds** dL/d(parameter) into each of its
  Parameters' ``grad`` and returns dL/d(input).

Chaining these calls through a network in reverse order is backpropagation.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping

import numpy as np

__all__ = ["Module", "Parameter"]


class Parameter:
    """A learnable array and the gradient of the loss with respect to it.

    Attributes:
        data: ndarray of any shape, the current value (updated in place by optimizers).
        grad: ndarray of the same shape as ``data``, or None before the first backward pass
            and after ``zero_grad()`` (as in PyTorch, "no gradient yet" is None, not zeros).
    """

    __slots__ = ("data", "grad")

    def __init__(self, data: np.ndarray):
        data = np.asarray(data)
        if not np.issubdtype(data.dtype, np.floating):
            raise TypeError(f"a Parameter must hold floating-point data, got dtype {data.dtype}")
        self.data = data
        self.grad: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def numel(self) -> int:
        """Number of scalars in this parameter (``numel`` as in PyTorch)."""
        return self.data.size

    def accumulate_grad(self, grad: np.ndarray) -> None:
        """Add ``grad`` (same shape as ``data``) into ``self.grad``.

        Gradients add up because a parameter used twice (or two backward passes without
        ``zero_grad``) receives a contribution from each use: the multivariate chain rule.
        ``grad`` must be an array the caller will not modify afterwards; it may be kept as is.
        """
        if grad.shape != self.data.shape:
            hint = " (it is transposed)" if grad.shape == self.data.shape[::-1] else ""
            raise ValueError(
                f"gradient of shape {grad.shape} for a parameter of shape {self.data.shape}{hint}"
            )
        if self.grad is None:
            self.grad = grad if grad.dtype == self.data.dtype else grad.astype(self.data.dtype)
        else:
            self.grad += grad

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


class Module:
    """Base class of every layer, activation and network.

    Subclasses implement ``forward`` and ``backward``; parameters and sub-modules assigned as
    attributes are found automatically (in the order they were assigned), so ``parameters()``,
    ``zero_grad()``, ``train()``/``eval()`` and ``state_dict()`` work on any composition.

    ``backward(grad_out)`` may take a keyword ``input_grad=False`` on modules that can then skip
    computing the gradient with respect to their input (``Linear``, ``Sequential``): useful for a
    network's first layer, whose input is data. By default every module returns it.
    """

    training: bool = True

    # -- the two methods a layer implements -------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement forward(x)")

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        raise NotImplementedError(f"{type(self).__name__} must implement backward(grad_out)")

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    # -- traversal ----------------------------------------------------------------------------
    def named_children(self) -> Iterator[tuple[str, Module]]:
        """Direct sub-modules with their attribute names, in assignment order."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def modules(self) -> Iterator[Module]:
        """This module and every module inside it, depth first."""
        yield self
        for child in self.children():
            yield from child.modules()

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Parameter]]:
        """(dotted name, Parameter) pairs, e.g. ``("0.weight", ...)`` inside a Sequential.

        A parameter shared by two modules is listed once, under its first name.
        """
        seen: set[int] = set()
        for name, param in self._named_parameters_all(prefix):
            if id(param) not in seen:
                seen.add(id(param))
                yield name, param

    def _named_parameters_all(self, prefix: str) -> Iterator[tuple[str, Parameter]]:
        for name, value in vars(self).items():
            if isinstance(value, Parameter):
                yield prefix + name, value
        for name, child in self.named_children():
            yield from child._named_parameters_all(f"{prefix}{name}.")

    def parameters(self) -> list[Parameter]:
        """Every learnable Parameter, ready to hand to an optimizer."""
        return [p for _, p in self.named_parameters()]

    def num_parameters(self) -> int:
        """Total number of learnable scalars (the 1-2-1 regression net of lesson 3 has 7)."""
        return sum(p.numel() for p in self.parameters())

    # -- gradients, modes, dtype ----------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget accumulated gradients: ``grad`` becomes None (zeros if ``set_to_none=False``)."""
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad[...] = 0

    def train(self, mode: bool = True) -> Module:
        """Switch this module and all inside it to training mode (dropout active). Returns self."""
        for m in self.modules():
            m.training = mode
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode (dropout is the identity). Returns self."""
        return self.train(False)

    def to(self, dtype) -> Module:
        """Convert every parameter (and its gradient) to ``dtype`` in place. Returns self."""
        dtype = np.dtype(dtype)
        if not np.issubdtype(dtype, np.floating):
            raise TypeError(f"modules compute in floating point; cannot convert to {dtype}")
        for p in self.parameters():
            p.data = p.data.astype(dtype, copy=False)
            if p.grad is not None:
                p.grad = p.grad.astype(dtype, copy=False)
        return self

    def double(self) -> Module:
        """Convert to float64 (what gradient checks use)."""
        return self.to(np.float64)

    def float(self) -> Module:
        """Convert to float32 (the default, as in PyTorch)."""
        return self.to(np.float32)

    # -- saving and loading ---------------------------------------------------------------------
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """A copy of every parameter's value, keyed by its dotted name."""
        return OrderedDict((name, p.data.copy()) for name, p in self.named_parameters())

    def load_state_dict(self, state: Mapping[str, np.ndarray]) -> None:
        """Copy values from ``state`` into the parameters, in place.

        Every key must match a parameter name and every array its shape; otherwise a ValueError
        lists *all* the problems and no parameter is changed (nothing is half-loaded).
        """
        params = dict(self.named_parameters())
        problems = []
        missing = [k for k in params if k not in state]
        unexpected = [k for k in state if k not in params]
        if missing:
            problems.append(f"missing keys: {', '.join(missing)}")
        if unexpected:
            problems.append(f"unexpected keys: {', '.join(map(str, unexpected))}")
        arrays = {}
        for name, p in params.items():
            if name not in state:
                continue
            value = np.asarray(state[name])
            if value.shape != p.shape:
                problems.append(f"{name}: expected shape {p.shape}, got {value.shape}")
            elif not np.can_cast(value.dtype, p.dtype, casting="same_kind"):
                problems.append(f"{name}: cannot load dtype {value.dtype} into {p.dtype}")
            else:
                arrays[name] = value
        if problems:
            raise ValueError(
                f"load_state_dict into {type(self).__name__} failed, nothing was loaded:\n  "
                + "\n  ".join(problems)
            )
        for name, value in arrays.items():
            np.copyto(params[name].data, value, casting="same_kind")

    # -- printing ---------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text between the parentheses of this module's repr; layers override it."""
        return ""

    def __repr__(self) -> str:
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()})"
        lines = [f"{type(self).__name__}("]
        if self.extra_repr():
            lines.append("  " + self.extra_repr())
        for name, child in children:
            child_text = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {child_text}")
        lines.append(")")
        return "\n".join(lines)


def missing_forward_error(module: Module) -> RuntimeError:
    """The error raised when ``backward`` is called on a module that has not run ``forward``."""
    name = type(module).__name__
    return RuntimeError(
        f"{name}.backward was called before {name}.forward: run the forward pass first "
        "(backward needs the values forward keeps)"
    )


def check_grad_out(module: Module, grad_out: np.ndarray, expected_shape: tuple) -> np.ndarray:
    """Validate the gradient arriving at ``module.backward``: it has the output's shape."""
    grad_out = np.asarray(grad_out)
    if grad_out.shape != expected_shape:
        raise ValueError(
            f"{type(module).__name__}.backward: grad_out has shape {grad_out.shape}, "
            f"but the forward output had shape {expected_shape}"
        )
    return grad_out
