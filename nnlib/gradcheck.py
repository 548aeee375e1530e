"""Gradient checking: test a backward pass against finite differences (lesson 8).

Lesson 8 (gradient checking) is built on this module, and nnlib's own test-suite uses it to
check every layer and loss. A derivative is the limit of a slope, so for a small step h

    dL/dx_i ≈ (L(x + h·e_i) − L(x − h·e_i)) / 2h     central difference, error O(h²)
    dL/dx_i ≈ (L(x + h·e_i) − L(x)) / h              forward difference, error O(h)

where e_i is the i-th unit vector. This needs no calculus, only forward passes (two per
number), so it is an independent witness for the gradients that backpropagation computes.

``check_module`` and ``check_loss`` work in float64 on copies: in float32 the round-off of L
(about 1e-7 · |L|) divided by a tiny h would drown the gradient we are measuring.
"""

from __future__ import annotations

import copy
import html
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .module import Module

__all__ = [
    "GradcheckReport",
    "GradcheckRow",
    "check_loss",
    "check_module",
    "numerical_gradient",
    "rel_error",
]

_METHODS = ("central", "forward")


def numerical_gradient(f: Callable, x: np.ndarray, h: float = 1e-6, method: str = "central"):
    """Finite-difference gradient of the scalar function ``f`` with respect to ``x``.

    Each element x[i] is nudged in place, ``f`` re-evaluated, and x[i] restored (also if ``f``
    raises), so ``f`` may read ``x`` through a closure, e.g. a layer's ``weight.data``.

    Inputs:
        f: function returning a scalar, called as ``f()`` if it takes no required argument,
            otherwise as ``f(x)``.
        x: ndarray of floats, any shape (D1, ..., Dk); perturbed in place.
        h: the step. Truncation error shrinks with h, round-off error (≈ eps·|f| / h) grows.
        method: "central", (f(x+h) − f(x−h)) / 2h, error O(h²); or "forward",
            (f(x+h) − f(x)) / h, error O(h), shown in lesson 8 for comparison.
    Returns:
        grad: float64 ndarray of shape (D1, ..., Dk), grad[i] ≈ df/dx[i].
    In float32 x + h is itself rounded: part of the round-off lesson 8 plots against h.
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        got = x.dtype if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"x must be a floating-point ndarray (it is changed in place), got {got}")
    if not h > 0:
        raise ValueError(f"the step h must be positive, got {h}")
    evaluate = _bind(f, x)
    grad = np.zeros(x.shape, dtype=np.float64)
    f_x = evaluate() if method == "forward" else None  # one-sided: f(x) is shared by all i
    for i in np.ndindex(x.shape):
        original = x[i]  # a NumPy scalar: a copy, not a view
        try:
            x[i] = original + h
            f_plus = evaluate()
            if method == "central":
                x[i] = original - h
                grad[i] = (f_plus - evaluate()) / (2 * h)
            else:
                grad[i] = (f_plus - f_x) / h
        finally:
            x[i] = original
    return grad


def _bind(f: Callable, x: np.ndarray) -> Callable[[], float]:
    """``f`` as a no-argument function returning a Python float."""
    try:
        params = inspect.signature(f).parameters.values()
        takes_x = any(
            p.kind is p.VAR_POSITIONAL
            or (p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty)
            for p in params
        )
    except (TypeError, ValueError):  # some builtins have no inspectable signature
        takes_x = True

    def evaluate() -> float:
        value = np.asarray(f(x) if takes_x else f())
        if value.size != 1:
            raise ValueError(f"f must return a scalar, got an array of shape {value.shape}")
        return float(value.item())

    return evaluate


def rel_error(a, b, floor: float = 1e-12, *, elementwise: bool = False):
    """Relative error |a − b| / max(|a| + |b|, floor), computed in float64.

    The floor turns 0/0 (both entries exactly zero) into 0 and, when larger, makes entries
    smaller than it be compared absolutely: |a − b| / floor.

    Inputs:
        a, b: arrays (or scalars) of the same shape S.
    Returns:
        the largest elementwise error, a float (0.0 for empty arrays); or, with
        ``elementwise=True``, the float64 array of shape S of all of them.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error needs arrays of the same shape, got {a.shape} and {b.shape}")
    if not floor > 0:
        raise ValueError(f"floor must be positive, got {floor}")
    with np.errstate(invalid="ignore"):  # inf − inf gives NaN: an error that fails any tol
        errors = np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)
    if elementwise:
        return errors
    return float(errors.max()) if errors.size else 0.0


@dataclass(eq=False)
class GradcheckRow:
    """The check of one tensor: ``analytic`` (from backward) against ``numeric``."""

    name: str  # "input", "pred", or a parameter name such as "weight" or "0.bias"
    shape: tuple  # the shape the gradient must have (that of the tensor)
    max_rel_error: float
    passed: bool
    diagnosis: str = ""  # a recognised pattern when the check fails, else ""
    analytic: np.ndarray | None = field(default=None, repr=False)
    numeric: np.ndarray | None = field(default=None, repr=False)

    @property
    def result(self) -> str:
        return "ok" if self.passed else "FAIL"


@dataclass(eq=False)
class GradcheckReport:
    """Result of ``check_module`` / ``check_loss``: one ``GradcheckRow`` per tensor."""

    title: str
    tol: float
    rows: list[GradcheckRow]

    @property
    def ok(self) -> bool:
        return all(row.passed for row in self.rows)

    def __getitem__(self, name: str) -> GradcheckRow:
        for row in self.rows:
            if row.name == name:
                return row
        raise KeyError(f"no tensor named {name!r}; checked: {[r.name for r in self.rows]}")

    def assert_ok(self) -> GradcheckReport:
        """Raise AssertionError with the table if any tensor failed; return self otherwise."""
        if not self.ok:
            raise AssertionError("\n" + str(self))
        return self

    def _table(self) -> list[tuple[str, ...]]:
        """Header and one row of strings per tensor: name, shape, error, result, diagnosis."""
        return [("tensor", "shape", "max rel error", "result", "diagnosis")] + [
            (r.name, str(r.shape), f"{r.max_rel_error:.1e}", r.result, r.diagnosis)
            for r in self.rows
        ]

    def _title(self) -> str:
        verdict = "passed" if self.ok else "FAILED"
        return f"gradient check of {self.title} (float64, tol {self.tol:g}): {verdict}"

    def __str__(self) -> str:
        table = self._table()
        widths = [max(len(row[j]) for row in table) for j in range(4)]
        table.insert(1, tuple("-" * w for w in [*widths, len("diagnosis")]))
        lines = [
            "  ".join([*(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)), row[4]])
            for row in table
        ]
        return "\n".join([self._title(), *(line.rstrip() for line in lines)])

    def _repr_html_(self) -> str:
        cells = [[html.escape(cell) for cell in row] for row in self._table()]
        rows = [f"<tr>{''.join(f'<th>{c}</th>' for c in cells[0])}</tr>"]
        rows += [f"<tr>{''.join(f'<td>{c}</td>' for c in row)}</tr>" for row in cells[1:]]
        return f"<p>{html.escape(self._title())}</p><table>{''.join(rows)}</table>"


def check_module(module: Module, x, *, seed: int = 0, h: float = 1e-6, tol: float = 1e-7):
    """Check ``module.backward`` against finite differences, for the input and every Parameter.

    Works on ``copy.deepcopy(module).double()`` and a float64 copy of ``x``, so a float32
    module is checked in float64 and the caller's module and array are left untouched.
    The scalar objective is L = sum(out * R) with R a fixed random array of out's shape
    (seeded by ``seed``), so dL/dout = R: ``backward(R)`` must give dL/dx and fill each grad.

    The module must compute the same function at every forward call, else finite differences
    are meaningless (and a ValueError says so). For Dropout in training mode, check it in eval
    mode, or subclass it so that ``forward`` first reseeds its generator (the same mask each call).

    Inputs:
        module: the Module to check, in the mode (train/eval) it should be checked in.
        x: input array of the shape the module expects, e.g. (N, D); N is taken as the batch size.
        seed: seed of R. h: finite-difference step. tol: largest relative error that passes.
    Returns:
        GradcheckReport with rows "input" then one per parameter name (``named_parameters``).
    """
    model = copy.deepcopy(module).double()
    x = np.array(x, dtype=np.float64)  # a copy: the caller's array is never perturbed
    out = np.asarray(model.forward(x), dtype=np.float64)
    if not np.array_equal(out, model.forward(x)):
        raise ValueError(
            f"{type(module).__name__} gives different outputs for the same input (is it random, "
            "like Dropout in training mode?): check it in eval mode or reseed it in forward"
        )
    projection = np.random.default_rng(seed).standard_normal(out.shape)
    model.zero_grad()
    params = dict(model.named_parameters())
    grads = {"input": model.backward(projection)} | {n: p.grad for n, p in params.items()}
    # Copied now: the forward passes below must not change what backward returned.
    analytic = {n: None if g is None else np.array(g, dtype=np.float64) for n, g in grads.items()}

    def objective() -> float:
        return float(np.sum(model.forward(x) * projection))

    tensors = {"input": x, **{name: p.data for name, p in params.items()}}
    floor = _noise_floor(np.sum(np.abs(out * projection)), h, tol)
    sizes = {x.shape[0]: "N"} if x.ndim >= 2 else {}
    rows = [
        _compare(name, analytic[name], numerical_gradient(objective, t, h), tol, floor, sizes)
        for name, t in tensors.items()
    ]
    return GradcheckReport(type(module).__name__, tol, rows)


def check_loss(loss_fn, pred, target, *, h: float = 1e-6, tol: float = 1e-7):
    """Check ``loss_fn.backward()`` against finite differences of ``loss_fn(pred, target)``.

    Works on a deep copy of ``loss_fn`` and float64 copies of ``pred`` (and of a floating
    ``target``; integer class labels are kept as they are).

    Inputs:
        loss_fn: a loss object, ``loss_fn(pred, target)`` -> scalar, ``backward()`` -> dL/dpred.
        pred: predictions, e.g. logits of shape (N, C) or outputs of shape (N,) or (N, D).
        target: what the loss compares ``pred`` with.
        h: finite-difference step. tol: largest relative error that passes.
    Returns:
        GradcheckReport with a single row, named "pred".
    """
    loss_fn = copy.deepcopy(loss_fn)
    pred = np.array(pred, dtype=np.float64)
    target = np.array(target)
    if np.issubdtype(target.dtype, np.floating):
        target = target.astype(np.float64)
    value = np.asarray(loss_fn(pred, target), dtype=np.float64).item()
    analytic = np.array(loss_fn.backward(), dtype=np.float64)
    numeric = numerical_gradient(lambda: loss_fn(pred, target), pred, h)
    scale = abs(value) + (np.abs(pred).max() if pred.size else 0.0)
    sizes = {pred.size: "N·D"} if pred.ndim >= 2 else {}
    sizes.update({pred.shape[0]: "N"} if pred.ndim >= 1 else {})
    row = _compare("pred", analytic, numeric, tol, _noise_floor(scale, h, tol), sizes)
    return GradcheckReport(type(loss_fn).__name__, tol, [row])


def _noise_floor(scale: float, h: float, tol: float) -> float:
    """The ``rel_error`` floor below which differences are round-off, not bugs.

    Evaluating L rounds it by about eps·scale (scale: the size of the numbers L is summed
    from), and a finite difference divides that by h. A gradient entry that is truly 0 is then
    measured as ~1e-10, a 100% relative error. Entries smaller than floor = noise / tol are
    therefore compared absolutely, |a − b| <= noise; larger ones stay relative.
    """
    # 16: round-off from the several operations of a forward pass adds up.
    noise = 16 * np.finfo(np.float64).eps * max(float(scale), 1.0) / h
    return max(noise / tol, 1e-12)


def _compare(name, analytic, numeric, tol, floor, sizes) -> GradcheckRow:
    if analytic is not None and analytic.shape == numeric.shape:
        error = rel_error(analytic, numeric, floor)
    else:  # a missing gradient counts as zeros; a wrongly shaped one always fails
        error = rel_error(np.zeros_like(numeric), numeric, floor) if analytic is None else np.inf
    passed = bool(error <= tol)
    diagnosis = "" if passed else _diagnose(analytic, numeric, floor, max(tol, 1e-5), sizes)
    return GradcheckRow(name, numeric.shape, error, passed, diagnosis, analytic, numeric)


def _diagnose(analytic, numeric, floor, loose, sizes) -> str:
    """Name the pattern of a failed check, so a wrong backward points at its bug."""
    if analytic is None:
        return "zero where it should not be: no gradient at all (grad is None)"
    if analytic.shape != numeric.shape:
        if analytic.ndim == 2 and analytic.shape == numeric.shape[::-1]:
            return f"transposed: analytic has shape {analytic.shape}, expected {numeric.shape}"
        hint = " (not summed over the batch axis?)" if analytic.shape[1:] == numeric.shape else ""
        return f"shape mismatch: analytic {analytic.shape}, expected {numeric.shape}{hint}"
    if not (np.isfinite(analytic).all() and np.isfinite(numeric).all()):
        return "NaN or inf in the " + ("analytic" if np.isfinite(numeric).all() else "numeric")
    if not analytic.any():
        return "zero where it should not be"

    def matches(candidate) -> bool:
        return rel_error(candidate, numeric, floor) <= loose

    if matches(-analytic):
        return "wrong sign (analytic ≈ −numeric)"
    if analytic.ndim == 2 and analytic.shape[0] == analytic.shape[1] and matches(analytic.T):
        return "transposed (analytic.T matches numeric)"
    norm2 = float(numeric.ravel() @ numeric.ravel())
    if norm2 > 0:
        factor = float(analytic.ravel() @ numeric.ravel()) / norm2  # least-squares fit A ≈ c·N
        if factor != 0 and abs(factor - 1) > loose and matches(analytic / factor):
            return _describe_factor(factor, sizes)
    errors = rel_error(analytic, numeric, floor, elementwise=True)
    worst = tuple(int(i) for i in np.unravel_index(np.argmax(errors), errors.shape))
    return f"worst at {worst}: analytic {analytic[worst]:.4g}, numeric {numeric[worst]:.4g}"


def _describe_factor(factor: float, sizes: dict[int, str]) -> str:
    """E.g. "off by a factor N = 32 (analytic ≈ 32 × numeric): a missing or extra 1/N ..."."""
    sign = "wrong sign and " if factor < 0 else ""
    size = abs(factor)
    k = size if size >= 1 else 1 / size
    n = round(k)
    if n < 2 or abs(k - n) > 1e-3 * k:
        return f"{sign}off by a constant factor ≈ {factor:.4g} (analytic ≈ {factor:.4g} × numeric)"
    relation = f"{n} × numeric" if size >= 1 else f"numeric / {n}"
    name = sizes.get(n)
    if name is None:
        shown = str(n) if size >= 1 else f"1/{n}"
        return f"{sign}off by a constant factor {shown} (analytic ≈ {relation})"
    inverse = f"1/{name}" if len(name) == 1 else f"1/({name})"
    shown = f"{name} = {n}" if size >= 1 else f"{inverse} = 1/{n}"
    return (
        f"{sign}off by a factor {shown} (analytic ≈ {relation}): "
        f"a missing or extra {inverse} (mean vs sum)?"
    )
