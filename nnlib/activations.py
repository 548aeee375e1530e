"""Activation functions, each as a value/derivative pair and as a Module (lesson 2).

Every function below stands next to its derivative, the one number backpropagation needs from
it: ``df(z)`` is f′ evaluated at the pre-activation z, and a module's backward is simply
``grad_out * f′(z)``. ``ACTIVATIONS`` is the one registry of them all; tests, widgets and
lessons iterate over it, and ``get_activation("relu")`` builds a module by name.

Shapes: every element-wise function maps z of any shape to an array of the same shape and
dtype. Maxout is the exception: it takes the max over groups of ``pieces`` features,
(N, D·k) -> (N, D).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .module import Module, Parameter, check_grad_out, missing_forward_error

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "ActivationInfo",
    "HardThreshold",
    "Identity",
    "LeakyReLU",
    "Maxout",
    "PReLU",
    "ReLU",
    "Sigmoid",
    "Sine",
    "Softplus",
    "Tanh",
    "get_activation",
]


# -- value and derivative, side by side -----------------------------------------------------


def identity(z):
    return z


def identity_grad(z):
    return np.ones_like(z)


def hard_threshold(z):
    """1 where z > 0, else 0: the perceptron's step."""
    return (z > 0).astype(z.dtype)


def hard_threshold_grad(z):
    """Zero everywhere (undefined at 0): no gradient flows, so gradient descent cannot train
    threshold units; that is why the logistic function replaced them."""
    return np.zeros_like(z)


def sigmoid(z):
    """σ(z) = 1 / (1 + e⁻ᶻ), computed without overflow: e^(−|z|) never exceeds 1."""
    e = np.exp(-np.abs(z))
    r = 1 / (1 + e)
    return np.where(z >= 0, r, e * r)


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1 - s)  # σ′ = σ(1 − σ)


def tanh(z):
    return np.tanh(z)


def tanh_grad(z):
    t = np.tanh(z)
    return 1 - t * t  # = 1/cosh²(z), without cosh overflowing for large |z|


def relu(z):
    return np.maximum(z, 0)


def relu_grad(z):
    return (z > 0).astype(z.dtype)  # I[z > 0]; we take 0 at z = 0, as PyTorch


def softplus(z):
    """Soft ReLU, log(1 + eᶻ), as logaddexp(0, z) so that large z does not overflow."""
    return np.logaddexp(0, z).astype(z.dtype, copy=False)


def softplus_grad(z):
    return sigmoid(z)  # d/dz log(1 + eᶻ) = eᶻ/(1 + eᶻ) = σ(z)


def leaky_relu(z, negative_slope=0.01):
    return np.where(z > 0, z, z * z.dtype.type(negative_slope))


def leaky_relu_grad(z, negative_slope=0.01):
    return np.where(z > 0, z.dtype.type(1), z.dtype.type(negative_slope))


def sine(z):
    return np.sin(z)


def sine_grad(z):
    return np.cos(z)


def maxout(z, pieces=2):
    """Max over consecutive groups of ``pieces`` features: (..., D·k) -> (..., D)."""
    return _groups(z, pieces).max(axis=-1)


def maxout_grad(z, pieces=2):
    """d maxout / dz: 1 at each group's arg-max, 0 elsewhere, shape (..., D·k)."""
    groups = _groups(z, pieces)
    winner = groups.argmax(axis=-1)[..., None]
    mask = np.zeros_like(groups)
    np.put_along_axis(mask, winner, 1, axis=-1)
    return mask.reshape(z.shape)


def _groups(z, pieces):
    if z.shape[-1] % pieces:
        raise ValueError(
            f"Maxout({pieces}): the last axis ({z.shape[-1]} features, shape {z.shape}) "
            f"must be a multiple of pieces={pieces}"
        )
    return z.reshape(*z.shape[:-1], z.shape[-1] // pieces, pieces)


# -- modules ---------------------------------------------------------------------------------


class Activation(Module):
    """Base of the element-wise activations: forward keeps z, backward returns grad_out·f′(z).

    Shapes: forward z (any) -> same shape; backward grad_out (same) -> grad_z (same).
    """

    name = ""

    def __init__(self):
        self._z: np.ndarray | None = None

    def f(self, z):
        raise NotImplementedError

    def df(self, z):
        raise NotImplementedError

    def forward(self, z):
        z = _as_float(z)
        self._z = z
        return self.f(z)

    def backward(self, grad_out):
        if self._z is None:
            raise missing_forward_error(self)
        return check_grad_out(self, grad_out, self._z.shape) * self.df(self._z)


class Identity(Activation):
    """y = z; the output unit of a regression network."""

    name = "identity"
    f, df = staticmethod(identity), staticmethod(identity_grad)

    def backward(self, grad_out):
        if self._z is None:
            raise missing_forward_error(self)
        return check_grad_out(self, grad_out, self._z.shape)


class HardThreshold(Activation):
    """y = 1 if z > 0 else 0. Its derivative is zero: nothing can be learned through it."""

    name = "hard_threshold"
    f, df = staticmethod(hard_threshold), staticmethod(hard_threshold_grad)


class Sigmoid(Activation):
    """y = σ(z) = 1/(1 + e⁻ᶻ); backward uses σ′ = y(1 − y) from the stored output."""

    name = "sigmoid"
    f, df = staticmethod(sigmoid), staticmethod(sigmoid_grad)

    def forward(self, z):
        self._z = _as_float(z)
        self._y = sigmoid(self._z)
        return self._y

    def backward(self, grad_out):
        if self._z is None:
            raise missing_forward_error(self)
        y = self._y
        d = 1 - y
        d *= y  # σ′ = σ(1 − σ), in place to spare an allocation
        d *= check_grad_out(self, grad_out, y.shape)
        return d


class Tanh(Activation):
    """y = tanh(z); backward uses tanh′ = 1 − y² from the stored output."""

    name = "tanh"
    f, df = staticmethod(tanh), staticmethod(tanh_grad)

    def forward(self, z):
        self._z = _as_float(z)
        self._y = np.tanh(self._z)
        return self._y

    def backward(self, grad_out):
        if self._z is None:
            raise missing_forward_error(self)
        y = self._y
        d = y * y
        np.subtract(1, d, out=d)  # tanh′ = 1 − tanh², in place to spare an allocation
        d *= check_grad_out(self, grad_out, y.shape)
        return d


class ReLU(Activation):
    """y = max(0, z); backward lets the gradient through where z > 0.

    Forward keeps the 0/1 mask I[z > 0] as floats: y = z·mask and backward's grad_out·mask are
    then plain float products, about three times faster in NumPy than np.maximum or a
    product with a boolean array.
    """

    name = "relu"
    f, df = staticmethod(relu), staticmethod(relu_grad)

    def forward(self, z):
        z = _as_float(z)
        self._z = z
        self._mask = relu_grad(z)
        out = z * self._mask
        out += 0  # negative z times 0 is −0.0, which prints as "-0."; −0.0 + 0 is +0.0
        return out

    def backward(self, grad_out):
        if self._z is None:
            raise missing_forward_error(self)
        return check_grad_out(self, grad_out, self._z.shape) * self._mask


class Softplus(Activation):
    """Soft ReLU: y = log(1 + eᶻ), a smooth ReLU whose derivative is σ(z)."""

    name = "softplus"
    f, df = staticmethod(softplus), staticmethod(softplus_grad)


class LeakyReLU(Activation):
    """y = z if z > 0 else a·z, with a fixed small slope a (default 0.01)."""

    name = "leaky_relu"

    def __init__(self, negative_slope: float = 0.01):
        super().__init__()
        self.negative_slope = float(negative_slope)

    def f(self, z):
        return leaky_relu(z, self.negative_slope)

    def df(self, z):
        return leaky_relu_grad(z, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class Sine(Activation):
    """y = sin(z), a periodic activation (used in implicit neural representations)."""

    name = "sine"
    f, df = staticmethod(sine), staticmethod(sine_grad)


class PReLU(Activation):
    """Parametric ReLU: y = z if z > 0 else a·z, where the slope a is learned.

    Args:
        num_parameters: 1 (one slope shared by all features) or C (one per feature column).
        init: the starting slope (0.25, as PyTorch).

    Shapes: z (N, C) -> (N, C); weight (num_parameters,); weight.grad += Σ grad_out·z over z ≤ 0.
    """

    name = "prelu"

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype=np.float32):
        super().__init__()
        self.weight = Parameter(np.full(num_parameters, init, dtype=dtype))

    def f(self, z):
        return np.where(z > 0, z, z * self.weight.data.astype(z.dtype, copy=False))

    def df(self, z):
        a = self.weight.data.astype(z.dtype, copy=False)
        return np.where(z > 0, z.dtype.type(1), a)

    def forward(self, z):
        z = _as_float(z)
        n = self.weight.data.size
        if n != 1 and (z.ndim < 2 or z.shape[1] != n):
            raise ValueError(f"PReLU({n}): expected input of shape (N, {n}), got shape {z.shape}")
        self._z = z
        return self.f(z)

    def backward(self, grad_out):
        if self._z is None:
            raise missing_forward_error(self)
        z = self._z
        grad_out = check_grad_out(self, grad_out, z.shape)
        # dy/da = z where z ≤ 0 (else 0): sum over every position that shares the slope.
        contrib = np.where(z > 0, 0, grad_out * z)
        if self.weight.data.size == 1:
            grad_a = np.array([contrib.sum()])
        else:
            grad_a = contrib.reshape(z.shape[0], z.shape[1], -1).sum(axis=(0, 2))
        self.weight.accumulate_grad(grad_a.astype(self.weight.dtype))
        return grad_out * self.df(z)

    def extra_repr(self):
        return f"num_parameters={self.weight.data.size}"


class Maxout(Activation):
    """Maxout unit: the max over groups of ``pieces`` consecutive features.

    Put after a Linear layer with D·k outputs, each output unit is the max of k linear functions
    of the input, a learned convex piecewise-linear activation (ReLU is max(z, 0)).

    Shapes: forward z (N, D·k) -> (N, D); backward grad_out (N, D) -> grad_z (N, D·k), the
    gradient routed to the winning piece of each group.
    """

    name = "maxout"

    def __init__(self, pieces: int = 2):
        super().__init__()
        if not isinstance(pieces, (int, np.integer)) or pieces < 1:
            raise ValueError(f"Maxout: pieces must be a positive integer, got {pieces!r}")
        self.pieces = int(pieces)

    def f(self, z):
        return maxout(z, self.pieces)

    def df(self, z):
        return maxout_grad(z, self.pieces)

    def backward(self, grad_out):
        if self._z is None:
            raise missing_forward_error(self)
        z = self._z
        out_shape = (*z.shape[:-1], z.shape[-1] // self.pieces)
        grad_out = check_grad_out(self, grad_out, out_shape)
        mask = self.df(z).reshape(*out_shape, self.pieces)
        return (mask * grad_out[..., None]).reshape(z.shape)

    def extra_repr(self):
        return f"pieces={self.pieces}"


def _as_float(z):
    if not isinstance(z, np.ndarray) or z.dtype.kind != "f":
        z = np.asarray(z)
        if z.dtype.kind != "f":
            z = z.astype(np.float64)
    return z


# -- the registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivationInfo:
    """One activation function: its name, formulas, value/derivative pair and module class.

    ``fn`` and ``grad`` map an array z to f(z) and f′(z) of the same shape. For maxout, which is
    not element-wise, they show a maxout of two fixed pieces, max(z, −z/2 − 1/2), as a 1-D curve.
    """

    name: str
    module: type[Module]
    fn: Callable[[np.ndarray], np.ndarray]
    grad: Callable[[np.ndarray], np.ndarray]
    formula: str
    derivative: str
    elementwise: bool = True


def _maxout_demo(z):
    return np.maximum(z, -0.5 * z - 0.5)


def _maxout_demo_grad(z):
    return np.where(z >= -0.5 * z - 0.5, z.dtype.type(1), z.dtype.type(-0.5))


ACTIVATIONS: dict[str, ActivationInfo] = {
    info.name: info
    for info in [
        ActivationInfo("identity", Identity, identity, identity_grad, r"z", r"1"),
        ActivationInfo(
            "hard_threshold",
            HardThreshold,
            hard_threshold,
            hard_threshold_grad,
            r"\mathbb{1}[z > 0]",
            r"0 \ (z \neq 0)",
        ),
        ActivationInfo(
            "sigmoid", Sigmoid, sigmoid, sigmoid_grad, r"\frac{1}{1+e^{-z}}", r"\sigma(1-\sigma)"
        ),
        ActivationInfo("tanh", Tanh, tanh, tanh_grad, r"\tanh z", r"1/\cosh^2 z = 1-\tanh^2 z"),
        ActivationInfo("relu", ReLU, relu, relu_grad, r"\max(0, z)", r"\mathbb{1}[z > 0]"),
        ActivationInfo(
            "softplus", Softplus, softplus, softplus_grad, r"\log(1+e^{z})", r"\sigma(z)"
        ),
        ActivationInfo(
            "leaky_relu",
            LeakyReLU,
            leaky_relu,
            leaky_relu_grad,
            r"\max(0.01z, z)",
            r"1 \text{ if } z>0 \text{ else } 0.01",
        ),
        ActivationInfo(
            "prelu",
            PReLU,
            lambda z: leaky_relu(z, 0.25),
            lambda z: leaky_relu_grad(z, 0.25),
            r"\max(az, z),\ a \text{ learned (0.25 at start)}",
            r"1 \text{ if } z>0 \text{ else } a",
        ),
        ActivationInfo("sine", Sine, sine, sine_grad, r"\sin z", r"\cos z"),
        ActivationInfo(
            "maxout",
            Maxout,
            _maxout_demo,
            _maxout_demo_grad,
            r"\max_k (w_k^\top x + b_k)",
            r"\text{1 for the winning piece, 0 for the others}",
            elementwise=False,
        ),
    ]
}


def get_activation(name: str, **kwargs) -> Module:
    """A new activation module by registry name, e.g. ``get_activation("leaky_relu")``."""
    key = name.lower().replace("-", "_").replace(" ", "_") if isinstance(name, str) else name
    if key not in ACTIVATIONS:
        close = difflib.get_close_matches(str(key), ACTIVATIONS, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"unknown activation {name!r}.{hint} Known activations: {', '.join(ACTIVATIONS)}"
        )
    return ACTIVATIONS[key].module(**kwargs)
