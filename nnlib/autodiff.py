"""A small reverse-mode automatic differentiation engine on NumPy arrays.

Lesson 6 (chain rule & computation graphs) builds expressions out of ``Tensor`` nodes and draws
them; lesson 7 (backpropagation algorithm & autodiff) runs ``backward()`` on them and compares the
result with the hand-written ``backward`` methods of nnlib's layers.

Every operation below creates one node that remembers its parents and a ``backward`` function:
given dL/d(output) it returns dL/d(parent) for each parent, i.e. the *local* derivative times the
incoming gradient. ``Tensor.backward()`` visits the nodes from the output back to the inputs and
chains these local steps together; a node used several times receives the *sum* of the gradients
from its uses (the multivariate chain rule).

    >>> t = Tensor(0.5, name="t")
    >>> x, y = cos(t), t**2
    >>> f = y + exp(x * y)
    >>> f.backward()  # t.grad now holds df/dt

Dtypes: a floating-point ndarray keeps its dtype (a float32 graph stays float32, gradients
included). Python numbers, lists and integer arrays become float64, so that the small examples
worked by hand in the lessons come out exact; pass a float32 array to build a float32 graph.
A constant combined with a Tensor (``x * 2``, ``x + np.ones(3)``) takes the Tensor's dtype.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Tensor", "cos", "exp", "log", "relu", "sigmoid", "sin", "tanh"]


class Tensor:
    """A node of a computation graph: an array value and the gradient of the output w.r.t. it.

    Attributes:
        data: ndarray of any shape, the value (a float ndarray given is used as is, not copied).
        grad: ndarray of the same shape and dtype, dL/d(data); zeros until ``backward()``.
        op: label of the operation that produced this node (e.g. '*' or 'exp'; '' for a leaf).
        parents: tuple of the Tensors the operation read (empty for a leaf).
        name: optional label for drawings and repr.
    """

    __slots__ = ("_backward", "data", "grad", "name", "op", "parents")
    # Makes `ndarray + Tensor` call Tensor.__radd__ instead of NumPy treating the Tensor as an
    # opaque object and returning an object array.
    __array_ufunc__ = None

    def __init__(self, data, name: str | None = None):
        self.data = _to_float_array(data, "Tensor(data)")
        self.grad = np.zeros_like(self.data)
        self.op = ""
        self.parents: tuple[Tensor, ...] = ()
        self.name = name
        self._backward = lambda g: ()  # a leaf has no parents to pass a gradient on to

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def item(self) -> float:
        """The value of a one-element Tensor as a Python float."""
        return self.data.item()

    # -- binary operations: value, and the local derivative w.r.t. each operand ----------------
    # Operands may have different shapes that NumPy broadcasts together; each operand's gradient
    # is then summed back down to that operand's own shape (`_unbroadcast`).
    def __add__(self, other) -> Tensor:
        other = _lift(other, self, "+")
        return _node(self.data + other.data, (self, other), "+", lambda g: (g, g))  # 1, 1

    def __sub__(self, other) -> Tensor:
        other = _lift(other, self, "-")
        return _node(self.data - other.data, (self, other), "-", lambda g: (g, -g))  # 1, -1

    def __mul__(self, other) -> Tensor:
        other = _lift(other, self, "*")
        a, b = self.data, other.data
        return _node(a * b, (self, other), "*", lambda g: (g * b, g * a))  # d(ab)/da = b, /db = a

    def __truediv__(self, other) -> Tensor:
        other = _lift(other, self, "/")
        a, b = self.data, other.data
        return _node(a / b, (self, other), "/", lambda g: (g / b, -g * a / (b * b)))  # 1/b, -a/b²

    def __matmul__(self, other) -> Tensor:
        """Matrix product; each operand is a matrix (2-D) or a vector (1-D).

        Inputs: self of shape (n, k) or (k,); other of shape (k, m) or (k,).
        Output: shape (n, m), (n,), (m,) or () as in NumPy.
        """
        other = _lift(other, self, "@")
        a, b = self.data, other.data
        if a.ndim not in (1, 2) or b.ndim not in (1, 2):
            raise ValueError(
                f"@ takes matrices and vectors (1-D or 2-D), got shapes {a.shape} @ {b.shape}"
            )
        if a.shape[-1] != b.shape[0]:
            raise ValueError(
                f"@ shape mismatch: {a.shape} @ {b.shape}, the left operand has {a.shape[-1]} "
                f"columns but the right one has {b.shape[0]} rows"
            )
        # Viewing a vector as a row on the left and a column on the right lets the two matrix
        # rules dA = G Bᵀ and dB = Aᵀ G cover every case.
        a2 = a if a.ndim == 2 else a[None, :]
        b2 = b if b.ndim == 2 else b[:, None]

        def backward(g):
            g2 = np.reshape(g, (a2.shape[0], b2.shape[1]))
            return (g2 @ b2.T).reshape(a.shape), (a2.T @ g2).reshape(b.shape)

        return _node(a @ b, (self, other), "@", backward)

    # Reflected versions, for `2 * x`, `1 - x`, `array @ x`: the constant becomes the left node.
    def __radd__(self, other) -> Tensor:
        return _lift(other, self, "+") + self

    def __rsub__(self, other) -> Tensor:
        return _lift(other, self, "-") - self

    def __rmul__(self, other) -> Tensor:
        return _lift(other, self, "*") * self

    def __rtruediv__(self, other) -> Tensor:
        return _lift(other, self, "/") / self

    def __rmatmul__(self, other) -> Tensor:
        return _lift(other, self, "@") @ self

    # -- element-wise operations: output has the input's shape --------------------------------
    def __neg__(self) -> Tensor:
        return _node(-self.data, (self,), "neg", lambda g: (-g,))  # d(-x)/dx = -1

    def __pow__(self, exponent) -> Tensor:
        """x ** p for a constant number p (the exponent is not a node and gets no gradient)."""
        if isinstance(exponent, np.generic):
            exponent = exponent.item()  # a NumPy float64 scalar would turn float32 data to float64
        if isinstance(exponent, bool) or not isinstance(exponent, (int, float)):
            raise TypeError(
                f"Tensor ** p needs a constant number p, got {type(exponent).__name__}; "
                "for a Tensor exponent write exp(p * log(x))"
            )
        x, p = self.data, exponent
        return _node(x**p, (self,), f"**{p}", lambda g: (g * p * x ** (p - 1),))  # p x^(p-1)

    def exp(self) -> Tensor:
        e = np.exp(self.data)
        return _node(e, (self,), "exp", lambda g: (g * e,))  # d(e^x)/dx = e^x

    def log(self) -> Tensor:
        x = self.data
        return _node(np.log(x), (self,), "log", lambda g: (g / x,))  # d(ln x)/dx = 1/x

    def tanh(self) -> Tensor:
        t = np.tanh(self.data)
        return _node(t, (self,), "tanh", lambda g: (g * (1 - t * t),))  # 1 - tanh²

    def sigmoid(self) -> Tensor:
        s = _stable_sigmoid(self.data)
        return _node(s, (self,), "sigmoid", lambda g: (g * s * (1 - s),))  # σ(1 - σ)

    def relu(self) -> Tensor:
        x = self.data
        return _node(np.maximum(x, 0), (self,), "relu", lambda g: (g * (x > 0),))  # 1 if x > 0

    def cos(self) -> Tensor:
        x = self.data
        return _node(np.cos(x), (self,), "cos", lambda g: (-g * np.sin(x),))  # -sin x

    def sin(self) -> Tensor:
        x = self.data
        return _node(np.sin(x), (self,), "sin", lambda g: (g * np.cos(x),))  # cos x

    # -- reductions and shape ------------------------------------------------------------------
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (all axes if None), as ``ndarray.sum``.

        Every input element contributes with weight 1, so its gradient is the output gradient
        copied (broadcast) back over the summed axes.
        """
        shape, out = self.shape, self.data.sum(axis=axis, keepdims=keepdims)
        return _node(out, (self,), "sum", lambda g: (_spread(g, shape, axis, keepdims),))

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (all axes if None), as ``ndarray.mean``: the sum divided by the
        number n of averaged elements, so the gradient is the spread output gradient over n."""
        shape, out = self.shape, self.data.mean(axis=axis, keepdims=keepdims)
        n = self.data.size // max(out.size, 1)
        return _node(out, (self,), "mean", lambda g: (_spread(g, shape, axis, keepdims) / n,))

    @property
    def T(self) -> Tensor:
        """Transpose (axes reversed, as ``ndarray.T``); the gradient is transposed back."""
        return _node(self.data.T, (self,), "T", lambda g: (np.transpose(g),))

    # -- backpropagation -------------------------------------------------------------------------
    def backward(self, grad=None) -> None:
        """Add dL/d(node) into ``.grad`` of this node and of every node it was computed from.

        Inputs:
            grad: dL/d(self), an array of ``self.shape``. May be omitted when this node holds a
                single number (a loss): dL/dL = 1.

        Gradients add up across calls, as in PyTorch: run ``zero_grad()`` between steps.
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() without a gradient needs a single-number output, but this "
                    f"Tensor has shape {self.shape}; reduce it first (e.g. .sum()) or pass "
                    f"grad=, an array of shape {self.shape}"
                )
            grad = np.ones_like(self.data)
        else:
            grad = _to_float_array(grad, "backward(grad)", self.dtype)
            if grad.shape != self.shape:
                raise ValueError(
                    f"backward(grad): grad has shape {grad.shape}, the Tensor has {self.shape}"
                )
        # Gradients of this pass are collected here first and only then added into `.grad`:
        # adding them straight into `.grad` would re-send earlier passes' gradients downstream.
        pending = {self: grad}
        for node in reversed(self.topological_order()):  # every child before its parents
            g = pending.pop(node)  # complete now: all of this node's uses are already visited
            node.grad += g
            for parent, parent_grad in zip(node.parents, node._backward(g), strict=True):
                pending[parent] = pending.get(parent, 0) + _unbroadcast(parent_grad, parent.shape)

    def zero_grad(self) -> None:
        """Reset ``.grad`` to zeros on this node and every node it was computed from."""
        for node in self.topological_order():
            node.grad[...] = 0

    # -- walking and drawing the graph --------------------------------------------------------
    def topological_order(self) -> list[Tensor]:
        """This node and all nodes it depends on, each listed once, every parent before its
        children (inputs first, ``self`` last).

        Iterative depth-first search, so a chain of any length fits (no recursion limit).
        """
        order, seen = [], set()
        stack = [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))  # comes back to it after all its parents
                # Reversed, so that the first operand's subgraph is finished first: the order
                # in which one writes a forward pass out by hand (z, y, L, then R, then L_reg).
                stack.extend((p, False) for p in reversed(node.parents) if p not in seen)
        return order

    def graph(self) -> tuple[list[Tensor], list[tuple[Tensor, Tensor]]]:
        """(nodes, edges) for drawing: nodes in topological order, edges as (parent, child)
        pairs, one per use (so ``x * x`` has two edges from x to the product)."""
        nodes = self.topological_order()
        return nodes, [(parent, child) for child in nodes for parent in child.parents]

    @property
    def label(self) -> str:
        """Short text for a drawing: the name, else the op, else (for a leaf) value or shape."""
        if self.name:
            return self.name
        if self.op:
            return self.op
        return f"{self.data.item():.4g}" if self.data.size == 1 else f"array{self.shape}"

    def __repr__(self) -> str:
        value = f"{self.data.item():.4g}" if self.data.ndim == 0 else f"shape={self.shape}"
        text = f"{value}, dtype={self.dtype}"
        if self.op:
            text += f", op={self.op!r}"
        if self.name:
            text += f", name={self.name!r}"
        return f"Tensor({text})"


# -- the same operations as functions: exp(x) reads like the formula -------------------------
def exp(x) -> Tensor:
    return _lift(x, None, "exp").exp()


def log(x) -> Tensor:
    return _lift(x, None, "log").log()


def tanh(x) -> Tensor:
    return _lift(x, None, "tanh").tanh()


def sigmoid(x) -> Tensor:
    return _lift(x, None, "sigmoid").sigmoid()


def relu(x) -> Tensor:
    return _lift(x, None, "relu").relu()


def cos(x) -> Tensor:
    return _lift(x, None, "cos").cos()


def sin(x) -> Tensor:
    return _lift(x, None, "sin").sin()


# -- helpers ----------------------------------------------------------------------------------
def _node(data, parents: tuple[Tensor, ...], op: str, backward) -> Tensor:
    """The output node of an operation; ``backward(g)`` maps dL/d(output) to one gradient per
    parent (possibly still in the broadcast output shape)."""
    out = Tensor(np.asarray(data))  # NumPy returns scalars, not 0-d arrays, for 0-d results
    out.parents, out.op, out._backward = parents, op, backward
    return out


def _to_float_array(value, where: str, dtype: np.dtype | None = None) -> np.ndarray:
    """``value`` as a float ndarray: ``dtype`` if given, else its own float dtype or float64."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:  # e.g. a ragged nested list
        raise TypeError(f"{where}: expected a number or an array of numbers ({exc})") from exc
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{where}: expected a number or an array of numbers, got {type(value).__name__}"
            + (f" of dtype {array.dtype}" if isinstance(value, np.ndarray) else "")
        )
    if dtype is None:
        dtype = array.dtype if array.dtype.kind == "f" else np.float64
    return array.astype(dtype, copy=False)


def _lift(value, like: Tensor | None, op: str) -> Tensor:
    """``value`` as a Tensor: numbers and arrays become constant leaves, with ``like``'s dtype
    (an operand of a binary op) or with Tensor's default dtypes (``like`` None)."""
    if isinstance(value, Tensor):
        return value
    where = f"the argument of {op}" if like is None else f"the other operand of {op!r}"
    return Tensor(_to_float_array(value, where, None if like is None else like.dtype))


def _unbroadcast(grad, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` (shaped like a broadcast result) down to ``shape``: an input element copied
    to many output positions by broadcasting collects the gradient of every copy."""
    grad = np.asarray(grad)
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)  # axes that broadcasting put in front
    stretched = tuple(lead + i for i, n in enumerate(shape) if n == 1)  # length-1 axes it stretched
    return grad.sum(axis=tuple(range(lead)) + stretched, keepdims=True).reshape(shape)


def _spread(grad, shape: tuple[int, ...], axis, keepdims: bool) -> np.ndarray:
    """Copy the gradient of a reduction's output back over the reduced axes of ``shape``."""
    if axis is not None and not keepdims:
        grad = np.expand_dims(grad, axis)  # put the reduced axes back, with length 1
    return np.broadcast_to(grad, shape)


def _stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """σ(x) = 1 / (1 + e^-x) without overflow: e^-|x| lies in (0, 1], so neither branch can
    overflow (the textbook formula computes e^10000 at x = -1e4)."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))
