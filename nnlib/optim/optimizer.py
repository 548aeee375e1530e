"""The Optimizer base class: what SGD, Adagrad, RMSprop and Adam have in common.

Lesson 9 (training MLPs: optimizers) uses it; lesson 10 (regularization) uses its weight decay.

An optimizer holds a list of Parameters. Once backpropagation has filled every ``p.grad``,
``step()`` changes every ``p.data`` in place::

    g = p.grad + weight_decay * p.data    # L2 weight decay, as in PyTorch
    p.data -= update(g, state of p)       # the part each optimizer defines

and ``zero_grad()`` forgets the gradients before the next backward pass.

Why the state is stored flat: ``step()`` runs once per batch, and a small network has a few
tiny arrays, so its cost is the number of NumPy calls, not the arithmetic. Each kind of state
(a momentum buffer, a running mean of g², ...) is therefore one vector covering all the
parameters, ``state[i]`` holds views of it shaped like ``params[i]``, and the gradients are
copied into one vector too: the update formula then runs once on the whole vector. Only when
some gradient is missing (None) does the update go parameter by parameter, on the same views.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping

import numpy as np

from ..module import Module, Parameter

__all__ = ["Optimizer"]


class Optimizer:
    """Base class of the optimizers: keeps the parameters and their state, runs the update.

    A subclass defines
        buffer_names: the names of its per-parameter state arrays (PyTorch's names);
        _checked_hyper_parameters(h): the dict ``h`` validated and converted, or an error;
        _update(g, state, step, out): writes into ``out`` the amount to subtract from the
            parameters, given the (weight-decayed) gradient ``g`` and the state arrays. These
            are the flat vectors of all parameters or the arrays of one parameter; ``g`` is a
            scratch copy the method may overwrite. ``step`` counts updates, from 1.
        _initial_value(name): what a state array starts from, if not 0.

    Attributes:
        params: list of the N Parameters being optimized.
        lr and every other hyper-parameter: public attributes. Change them between steps
            (learning-rate schedules, widgets) and the next step uses the new value.
        state: list of N dicts; ``state[i][name]`` is an array of ``params[i]``'s shape.
            Filled at the first ``step()`` (or ``state_dict``), with the parameters' dtype then.
        steps: list of N ints, the number of updates each parameter has received.
    """

    buffer_names: tuple[str, ...] = ()

    def __init__(self, params: Iterable[Parameter], **hyper_parameters):
        self.params = parameter_list(params, type(self).__name__)
        self._hyper_names = tuple(hyper_parameters)
        for name, value in self._checked_hyper_parameters(hyper_parameters).items():
            setattr(self, name, value)
        self.steps = [0] * len(self.params)
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]
        self._flat_grad: np.ndarray | None = None  # allocated on first use, see _allocate
        self._same_step = True  # every parameter has had as many updates: one flat update works

    # -- what subclasses define -------------------------------------------------------------
    def _checked_hyper_parameters(self, h: dict) -> dict:
        raise NotImplementedError

    def _update(self, g: np.ndarray, state: dict, step: int, out: np.ndarray) -> None:
        raise NotImplementedError

    def _initial_value(self, name: str) -> float:
        return 0.0

    # -- the training loop's two calls ----------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``grad`` becomes None (or zeros if ``set_to_none=False``)."""
        for p in self.params:
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad[...] = 0

    def step(self) -> None:
        """Update, in place, every parameter that has a gradient; skip those whose grad is None."""
        if self._flat_grad is None:
            self._allocate()
        grads = [p.grad for p in self.params]
        shapes = [None if g is None else g.shape for g in grads]
        if self._same_step and shapes == self._shapes:
            self._step_all(grads)
        else:  # some gradient is missing (or has a wrong shape, which _step_each reports)
            self._step_each(grads)

    def _step_all(self, grads: list[np.ndarray]) -> None:
        """The usual case: one update on the flat vectors of all the parameters."""
        g, out = self._flat_grad, self._flat_update
        for view, grad in zip(self._grad_views, grads, strict=True):
            np.copyto(view, grad)
        if self.weight_decay != 0:  # g += λ·p, with `out` as scratch for λ·p
            for view, p in zip(self._update_views, self.params, strict=True):
                np.multiply(p.data, self.weight_decay, out=view)
            g += out
        step = self.steps[0] + 1
        self.steps = [step] * len(grads)
        self._update(g, self._flat_state, step, out)
        for p, update in zip(self.params, self._update_views, strict=True):
            data = p.data
            data -= update  # in place: p.data stays the same array, with the same dtype

    def _step_each(self, grads: list[np.ndarray | None]) -> None:
        """Parameter by parameter, when some have no gradient (their state stays untouched)."""
        for i, (p, grad) in enumerate(zip(self.params, grads, strict=True)):
            if grad is None:
                continue
            if grad.shape != self._shapes[i]:
                raise ValueError(
                    f"{type(self).__name__}.step: params[{i}] has shape {self._shapes[i]} but "
                    f"its grad has shape {grad.shape}; Parameter.accumulate_grad checks shapes"
                )
            g, out = self._grad_views[i], self._update_views[i]
            np.copyto(g, grad)
            if self.weight_decay != 0:
                np.multiply(p.data, self.weight_decay, out=out)
                g += out
            self.steps[i] += 1
            self._update(g, self.state[i], self.steps[i], out)
            data = p.data
            data -= out
        self._same_step = len(set(self.steps)) == 1

    def _allocate(self) -> None:
        """Create the flat vectors and their per-parameter views (once, like PyTorch's lazy state).

        Done at first use rather than in ``__init__`` so that a model converted with
        ``.double()`` after its optimizer was made still gets float64 state.
        """
        self._shapes = [p.data.shape for p in self.params]
        dtype = np.result_type(*[p.data.dtype for p in self.params])
        ends = np.cumsum([p.data.size for p in self.params]).tolist()
        starts = [0, *ends[:-1]]

        # Each view has its parameter's memory order (Linear keeps weights column-major), so
        # that `p.data -= update` walks both arrays in step.
        orders = ["F" if _column_major(p.data) else "C" for p in self.params]

        def views(flat: np.ndarray) -> list[np.ndarray]:
            spans = zip(starts, ends, self._shapes, orders, strict=True)
            return [flat[a:b].reshape(shape, order=o) for a, b, shape, o in spans]

        self._flat_grad = np.zeros(ends[-1], dtype)
        self._flat_update = np.zeros(ends[-1], dtype)
        self._grad_views = views(self._flat_grad)
        self._update_views = views(self._flat_update)
        self._flat_state = {
            name: np.full(ends[-1], self._initial_value(name), dtype) for name in self.buffer_names
        }
        per_name = {name: views(flat) for name, flat in self._flat_state.items()}
        for i, state in enumerate(self.state):
            state.clear()
            state.update({name: per_name[name][i] for name in self.buffer_names})

    # -- checkpoints ----------------------------------------------------------------------------
    def hyper_parameters(self) -> dict:
        """The current hyper-parameters by name, e.g. ``{"lr": 0.1, "momentum": 0.9, ...}``."""
        return {name: getattr(self, name) for name in self._hyper_names}

    def state_dict(self) -> dict:
        """A copy of the hyper-parameters and of the state, for a checkpoint.

        Returns:
            A plain dict of numbers and NumPy arrays (``np.savez(path, **d)`` can store it):
            "num_params": N; each hyper-parameter by name ("lr", "betas", ...);
            "step": int64 array of shape (N,), the updates each parameter has received;
            "<state name>.<i>": array of ``params[i]``'s shape, e.g. "exp_avg.0".
        """
        if self._flat_grad is None:
            self._allocate()
        result = {"num_params": len(self.params), **self.hyper_parameters()}
        result["step"] = np.array(self.steps, dtype=np.int64)
        for i, state in enumerate(self.state):
            for name, array in state.items():
                result[f"{name}.{i}"] = array.copy()
        return result

    def load_state_dict(self, saved: Mapping) -> None:
        """Restore hyper-parameters and state from ``saved`` (made by ``state_dict``).

        Parameter count, keys, hyper-parameter values and array shapes are all checked first;
        on any problem a ValueError lists them all and nothing is changed.
        """
        if not isinstance(saved, Mapping):
            raise TypeError(f"load_state_dict expects a dict, got {type(saved).__name__}")
        if self._flat_grad is None:
            self._allocate()
        where, n = type(self).__name__, len(self.params)
        saved_n = saved.get("num_params")
        if saved_n is None or int(np.asarray(saved_n)) != n:
            raise ValueError(
                f"{where}.load_state_dict: the saved state is for {saved_n} parameters, "
                f"this optimizer has {n}; nothing was loaded"
            )
        expected = {"num_params", "step", *self._hyper_names}
        expected |= {f"{name}.{i}" for name in self.buffer_names for i in range(n)}
        problems = []
        if missing := sorted(expected - set(saved)):
            problems.append(f"missing keys: {', '.join(missing)}")
        if unexpected := sorted(map(str, set(saved) - expected)):
            problems.append(f"unexpected keys: {', '.join(unexpected)}")
        hyper = {}
        if not missing:
            try:
                hyper = self._checked_hyper_parameters({k: saved[k] for k in self._hyper_names})
            except (TypeError, ValueError) as exc:
                problems.append(str(exc))
            steps = np.asarray(saved["step"])
            if steps.shape != (n,) or not np.issubdtype(steps.dtype, np.integer) or steps.min() < 0:
                problems.append(f"step: expected {n} non-negative integers, got {steps!r}")
        arrays = {}
        for key in sorted((expected & set(saved)) - {"num_params", "step", *self._hyper_names}):
            name, i = key.rsplit(".", 1)
            value, shape = np.asarray(saved[key]), self._shapes[int(i)]
            dtype = self._flat_state[name].dtype
            if value.shape != shape:
                problems.append(f"{key}: expected shape {shape} (params[{i}]), got {value.shape}")
            elif not np.can_cast(value.dtype, dtype, casting="same_kind"):
                problems.append(f"{key}: cannot load dtype {value.dtype} into {dtype}")
            else:
                arrays[key] = value
        if problems:
            raise ValueError(
                f"{where}.load_state_dict failed, nothing was loaded:\n  " + "\n  ".join(problems)
            )
        for name, value in hyper.items():
            setattr(self, name, value)
        self.steps = [int(s) for s in steps]
        self._same_step = len(set(self.steps)) == 1
        for key, value in arrays.items():
            name, i = key.rsplit(".", 1)
            np.copyto(self.state[int(i)][name], value, casting="same_kind")

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.hyper_parameters().items())
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"


def _column_major(a: np.ndarray) -> bool:
    return a.flags.f_contiguous and not a.flags.c_contiguous


# -- input checks shared by the optimizers and clip_grad_norm_ ----------------------------------
def parameter_list(params, where: str, allow_empty: bool = False) -> list[Parameter]:
    """``params`` as a list of distinct Parameters, or an error saying what is wrong."""
    if isinstance(params, Module):
        raise TypeError(f"{where}: got a {type(params).__name__}; pass model.parameters()")
    if isinstance(params, (Parameter, np.ndarray)):
        raise TypeError(
            f"{where}: params must be an iterable of Parameters, got a single "
            f"{type(params).__name__}; pass a list such as [param]"
        )
    try:
        params = list(params)
    except TypeError:
        raise TypeError(
            f"{where}: params must be an iterable of Parameters (e.g. model.parameters()), "
            f"got {type(params).__name__}"
        ) from None
    if not params and not allow_empty:
        raise ValueError(f"{where}: got an empty parameter list; does the model have parameters?")
    for i, p in enumerate(params):
        if not isinstance(p, Parameter):
            raise TypeError(
                f"{where}: params[{i}] is a {type(p).__name__}, not a Parameter "
                "(wrap arrays as nnlib.Parameter(array))"
            )
    if len({id(p) for p in params}) != len(params):
        raise ValueError(f"{where}: a Parameter appears twice in params; it would be updated twice")
    return params


def _scalar(value):
    """A 0-d array (what np.load returns for a saved number) as a plain Python scalar."""
    if isinstance(value, (np.ndarray, np.generic)) and np.ndim(value) == 0:
        return value.item()
    return value


def number(
    where: str,
    name: str,
    value,
    low: float = 0.0,
    high: float | None = None,
    high_open: bool = False,
) -> float:
    """``value`` as a Python float in [low, high] (or [low, high) if high_open), else an error.

    A Python float keeps float32 arrays float32 (a NumPy float64 scalar would not).
    """
    value = _scalar(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a number, got {value!r}")
    value = float(value)
    if high is None:
        ok, rule = value >= low, f">= {low:g}"
    elif high_open:
        ok, rule = low <= value < high, f"in [{low:g}, {high:g})"
    else:
        ok, rule = low <= value <= high, f"in [{low:g}, {high:g}]"
    if not ok:  # also catches NaN, for which every comparison is False
        raise ValueError(f"{where}: invalid {name}={value!r}, it must be {rule}")
    return value


def flag(where: str, name: str, value) -> bool:
    """``value`` as a bool, or a TypeError (so that e.g. nesterov=0.9 is not taken as True)."""
    value = _scalar(value)
    if not isinstance(value, bool):
        raise TypeError(f"{where}: {name} must be True or False, got {value!r}")
    return value
