"""NumPy functions on Tensors (NEP 13 ``__array_ufunc__`` and NEP 18 ``__array_function__``).

``np.exp(t)``, ``np.sum(t, axis=0)``, ``np.maximum(t, 0)``, ``arr @ t``, ``np.where(c, t,
0)``, ``np.concatenate([t, u])`` … run the op table's entry for that function and return a
Tensor with its gradient, so NumPy code written for arrays (a learner's cost function, and
the op table's own VJPs for ``create_graph``) runs on Tensors unchanged. Functions with a
derivative of zero wherever it exists (``np.sign``, comparisons) and those that only read
values (``np.shape``, ``np.allclose``, ``np.zeros_like``) work on the data. Any other NumPy
function raises a TypeError naming it: no silent loss of the gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import functions, ops
from .apply import binary, is_tensor
from .fastpaths import switch

__all__ = ["array_function", "array_ufunc"]


def _reflected(name: str) -> Callable[[Any, Any], Any]:
    """``a <name> b`` by Tensor's own operator methods (the reflected one when ``a`` is an
    array: ``ndarray.__add__`` would come straight back here)."""
    forward, backward = f"__{name}__", f"__r{name}__"

    def run(a: Any, b: Any) -> Any:
        return getattr(a, forward)(b) if is_tensor(a) else getattr(b, backward)(a)

    return run


_add, _mul = _reflected("add"), _reflected("mul")

# ufuncs with a derivative rule: each a Tensor method or an op of the table
_UFUNCS: dict[Any, Callable[..., Any]] = {
    np.add: _add,
    np.subtract: _reflected("sub"),
    np.multiply: _mul,
    np.true_divide: _reflected("truediv"),
    np.power: _reflected("pow"),
    np.matmul: _reflected("matmul"),
    np.maximum: functions.maximum,
    np.minimum: lambda a, b: -functions.maximum(-a, -b),
    np.negative: lambda a: -a,
    np.positive: lambda a: a,
    np.exp: lambda a: a.exp(),
    np.log: lambda a: a.log(),
    np.sqrt: lambda a: a.sqrt(),
    np.tanh: lambda a: a.tanh(),
    np.absolute: lambda a: a.abs(),
    np.square: lambda a: a**2,
    np.reciprocal: lambda a: 1.0 / a,
    np.log1p: lambda a: (1.0 + a).log(),
    np.expm1: lambda a: a.exp() - 1.0,
}
# ufuncs whose derivative is zero wherever it exists: computed on the values
_PIECEWISE_CONSTANT = {np.sign, np.greater, np.greater_equal, np.less, np.less_equal,
                       np.equal, np.not_equal, np.isfinite, np.isinf, np.isnan, np.floor,
                       np.ceil, np.rint, np.trunc, np.signbit, np.logical_and, np.logical_or,
                       np.logical_not, np.logical_xor}


def _values(x: Any) -> Any:
    """Tensors (also inside lists and tuples) replaced by their data."""
    if is_tensor(x):
        return x.data
    if isinstance(x, list | tuple):
        return type(x)(_values(v) for v in x)
    return x


def _unsupported(name: str) -> TypeError:
    return TypeError(f"np.{name} has no derivative rule in microgradnn, so it does not take "
                     "Tensors; expected one of the functions the op table covers (np.exp, "
                     "np.log, np.sum, np.maximum, np.concatenate, … — docs/gradients-of-"
                     "gradients.md), or t.data for values without gradients")


# the ufuncs that are exactly one binary op of the table, whichever side the Tensor is on (the
# fast path of ``X @ W`` and ``Y * z``: one call instead of four; ** is not one of them, its
# Tensor method picks between two ops)
_BINARY_OPS = {np.add: ops.ADD, np.subtract: ops.SUB, np.multiply: ops.MUL,
               np.true_divide: ops.DIV, np.matmul: ops.MATMUL}


def array_ufunc(self: Any, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
    """NEP 13: a NumPy ufunc with a Tensor among its operands."""
    op = _BINARY_OPS.get(ufunc)  # (a binary ufunc's __call__ has its two inputs here: NumPy
    # passes an out= array, even a positional one, in kwargs)
    if op is not None and method == "__call__" and not kwargs and switch.fast:
        return binary(op, inputs[0], inputs[1])
    name = ufunc.__name__ if method == "__call__" else f"{ufunc.__name__}.{method}"
    if method == "__call__" and ufunc in _PIECEWISE_CONSTANT:
        return ufunc(*_values(inputs), **_values(kwargs))
    rule = _UFUNCS.get(ufunc) if method == "__call__" else None
    if rule is None:
        raise _unsupported(name)
    if kwargs:
        raise TypeError(f"np.{name} on Tensors takes no keyword arguments ({', '.join(kwargs)}"
                        "); expected plain operands (a Tensor has no out= to write into)")
    return rule(*inputs)


def _expand_dims(a: Any, axis: Any) -> Any:
    return a.reshape(np.expand_dims(np.broadcast_to(0.0, a.shape), axis).shape)


def _squeeze(a: Any, axis: Any = None) -> Any:
    return a.reshape(np.squeeze(np.broadcast_to(0.0, a.shape), axis).shape)


def _swapaxes(a: Any, axis1: int, axis2: int) -> Any:
    perm = list(range(a.ndim))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return a.transpose(perm)


def _reshape(a: Any, shape: Any = None, order: str = "C", **kw: Any) -> Any:
    return a.reshape(kw.get("newshape", shape))


def _dot(a: Any, b: Any) -> Any:
    if np.ndim(_values(a)) == 0 or np.ndim(_values(b)) == 0:
        return _mul(a, b)
    return _reflected("matmul")(a, b)


def _reduction(method: str) -> Callable[..., Any]:
    def run(a: Any, axis: Any = None, keepdims: bool = False, **kw: Any) -> Any:
        extra = [k for k, v in kw.items() if v is not None and k != "initial"]
        if extra:
            raise TypeError(f"np.{method} on Tensors takes axis= and keepdims= only, got "
                            f"{', '.join(extra)}")
        return getattr(a, method)(axis=axis, keepdims=bool(keepdims))

    return run


_FUNCTIONS: dict[Any, Callable[..., Any]] = {
    np.sum: _reduction("sum"),
    np.mean: _reduction("mean"),
    np.max: _reduction("max"),
    np.min: _reduction("min"),
    np.reshape: _reshape,
    np.ravel: lambda a, order="C": a.reshape(-1),
    np.transpose: lambda a, axes=None: a.transpose() if axes is None else a.transpose(axes),
    np.swapaxes: _swapaxes,
    np.expand_dims: _expand_dims,
    np.squeeze: _squeeze,
    np.where: lambda c, a=None, b=None: (np.where(_values(c)) if a is None
                                         else functions.where(c, a, b)),
    np.concatenate: lambda arrays, axis=0, **kw: functions.concatenate(arrays, axis),
    np.stack: lambda arrays, axis=0, **kw: functions.stack(arrays, axis),
    np.clip: lambda a, a_min=None, a_max=None, **kw: a.clip(a_min, a_max),
    np.dot: _dot,
}
if hasattr(np, "amax"):
    _FUNCTIONS[np.amax] = _FUNCTIONS[np.max]
    _FUNCTIONS[np.amin] = _FUNCTIONS[np.min]
# functions that only read values (shapes, comparisons, new arrays shaped like a Tensor)
_VALUE_ONLY = {np.shape, np.ndim, np.size, np.zeros_like, np.ones_like, np.empty_like,
               np.full_like, np.allclose, np.isclose, np.array_equal, np.argmax, np.argmin,
               np.any, np.all, np.count_nonzero, np.nonzero, np.argsort, np.result_type,
               np.may_share_memory, np.shares_memory, np.array_repr, np.array_str,
               np.broadcast_shapes, np.copy}


def array_function(self: Any, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
    """NEP 18: a NumPy function with a Tensor among its arguments."""
    rule = _FUNCTIONS.get(func)
    if rule is not None:
        return rule(*args, **kwargs)
    if func in _VALUE_ONLY:
        return func(*_values(args), **_values(kwargs))
    raise _unsupported(func.__name__)
