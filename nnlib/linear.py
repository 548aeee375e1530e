"""Linear: the fully connected layer, h = x Wᵀ + b (lesson 3, multilayer perceptrons).

The weight has shape (out_features, in_features), as in PyTorch: row j holds the incoming
weights of output unit j, so ``W @ x`` for one column-vector example is the formula of lecture,
and ``x @ W.T`` is the same thing for a batch of row vectors.
"""

from __future__ import annotations

import math

import numpy as np

from ._validate import as_float_array, check_finite
from .module import Module, Parameter, check_grad_out, missing_forward_error
from .random import resolve_rng

__all__ = ["INITS", "Linear", "init_weight"]

#: Weight initialisations, each a function (rng, fan_in, fan_out, shape, dtype) -> array.
#: Biases always start at zero.
INITS = {
    # N(0, 0.01²): the "small random weights" of classic courses; fine for shallow nets.
    "small": lambda rng, fan_in, fan_out, shape: 0.01 * rng.standard_normal(shape),
    # Glorot & Bengio 2010: U(±√(6/(fan_in+fan_out))) keeps the variance of activations and of
    # gradients roughly constant through tanh/sigmoid layers.
    "xavier": lambda rng, fan_in, fan_out, shape: rng.uniform(
        -math.sqrt(6 / (fan_in + fan_out)), math.sqrt(6 / (fan_in + fan_out)), shape
    ),
    # He et al. 2015: N(0, 2/fan_in) compensates for ReLU zeroing half its inputs.
    "he": lambda rng, fan_in, fan_out, shape: math.sqrt(2 / fan_in) * rng.standard_normal(shape),
}


def init_weight(init: str, fan_in: int, fan_out: int, rng, dtype=np.float32) -> np.ndarray:
    """A (fan_out, fan_in) weight matrix drawn by the scheme named ``init`` (see ``INITS``)."""
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {sorted(INITS)}")
    return INITS[init](resolve_rng(rng), fan_in, fan_out, (fan_out, fan_in)).astype(dtype)


class Linear(Module):
    """Fully connected layer: out = x @ weight.T + bias.

    Args:
        in_features: D, the size of each input example.
        out_features: M, the number of output units.
        bias: learn an additive bias (default True).
        init: "xavier" (default), "he" (for ReLU networks) or "small" (N(0, 0.01²)).
            The bias starts at zero.
        dtype: np.float32 (default, as PyTorch) or np.float64.
        rng: a numpy Generator or int seed; None uses ``nnlib.manual_seed``'s generator.

    Shapes:
        forward:  x (N, D)            -> out (N, M)
        backward: grad_out (N, M)     -> grad_x (N, D)
                  weight.grad += grad_outᵀ @ x      (M, D)
                  bias.grad   += Σₙ grad_out[n]     (M,)
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        init: str = "xavier",
        dtype=np.float32,
        rng=None,
    ):
        for name, n in (("in_features", in_features), ("out_features", out_features)):
            if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
                raise ValueError(f"Linear: {name} must be a positive integer, got {n!r}")
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        # Stored column-major: W.T is then an ordinary row-major (in, out) matrix, the layout
        # in which BLAS computes x @ W.T fastest (about 15 % faster for a 784 -> 256 layer).
        weight = init_weight(init, in_features, out_features, rng, dtype)
        self.weight = Parameter(np.asfortranarray(weight))
        self.bias = Parameter(np.zeros(out_features, dtype=dtype)) if bias else None
        self._x: np.ndarray | None = None
        self._ones: np.ndarray = np.ones(0, dtype=dtype)  # see backward

    def forward(self, x: np.ndarray) -> np.ndarray:
        w = self.weight.data
        x = as_float_array(x, w.dtype, self._where_forward, ndim=2)
        if x.shape[1] != self.in_features:
            raise ValueError(
                f"{self._where_forward()}: input has shape {x.shape}, so {x.shape[1]} features "
                f"per example, but the layer expects {self.in_features} (shape (N, "
                f"{self.in_features}))"
            )
        check_finite(x, self._where_forward)
        self._x = x
        out = np.dot(x, w.T)  # x @ w.T; np.dot has less call overhead, which small layers feel
        if self.bias is not None:
            out += self.bias.data
        return out

    def backward(self, grad_out: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Accumulate weight and bias gradients; return dL/dx, or None if ``input_grad=False``.

        Skipping dL/dx saves one of the three matrix products of this layer; do it for a
        network's first layer, whose input is data (``Sequential.backward`` passes it down).
        """
        x = self._x
        if x is None:
            raise missing_forward_error(self)
        w = self.weight.data
        grad_out = check_grad_out(self, grad_out, (x.shape[0], self.out_features))
        if grad_out.dtype != w.dtype:
            grad_out = grad_out.astype(w.dtype)
        # out = x Wᵀ + b   =>   dL/dW = grad_outᵀ x,  dL/db = Σₙ grad_out,  dL/dx = grad_out W
        # (dL/dW computed as (xᵀ grad_out)ᵀ comes out column-major, like the weight itself)
        self.weight.accumulate_grad(np.dot(x.T, grad_out).T)
        if self.bias is not None:
            self.bias.accumulate_grad(np.dot(self._batch_ones(len(x), w.dtype), grad_out))
        return np.dot(grad_out, w) if input_grad else None

    def _batch_ones(self, n: int, dtype) -> np.ndarray:
        # Σₙ grad_out[n] written as 1ᵀ grad_out: BLAS does this matrix-vector product several
        # times faster than NumPy's column-wise sum, and the ones are kept between calls.
        if len(self._ones) != n or self._ones.dtype != dtype:
            self._ones = np.ones(n, dtype=dtype)
        return self._ones

    def _where_forward(self) -> str:
        return f"Linear({self.in_features} -> {self.out_features}).forward"

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
