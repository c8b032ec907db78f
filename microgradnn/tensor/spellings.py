"""PyTorch's names for Tensor's shape changes, copies, conversions and in-place updates.

Functions of a Tensor ``t``, set on the class as its methods (``Tensor.view = view``), so that
Tensor stays one class; the conversions (``item``, ``numpy``, ``len``, ``float``, ``bool``,
``repr``) live here too. ``view``, ``flatten``, ``unsqueeze`` and ``squeeze`` are reshapes (one
rule: the gradient reshaped back); ``clone`` is a copy that stays in the graph (∂/∂a = 1);
``astype``, ``float()`` and ``double()`` cast, with the gradient cast back to the input's
dtype; ``argmax``, ``argmin`` and ``tolist`` read values and record nothing. The in-place
operators (``t[i] = v``, ``+=`` …) go through :func:`~.functions.change_in_place`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from . import ops
from .apply import unary
from .arguments import checked_index, dim_of, spelled
from .dtypes import as_array
from .functions import change_in_place

if TYPE_CHECKING:  # pragma: no cover
    from .node import ArrayLike, Tensor

__all__ = ["argmax", "argmin", "array", "astype", "clone", "double", "flatten", "float_",
           "iadd", "idiv", "imul", "ipow", "isub", "item", "iterate", "length", "numpy",
           "representation", "setitem", "squeeze", "to_bool", "to_float", "tolist",
           "unsqueeze", "view"]


# -- shapes: each a reshape ----------------------------------------------------------------
def view(t: Tensor, *shape: Any) -> Tensor:
    """PyTorch's ``view``: :meth:`reshape` (a view of the same array when NumPy can)."""
    return t.reshape(*shape)


def flatten(t: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """The axes start_dim..end_dim joined into one (all of them by default)."""
    shape = t.data.shape
    if not shape:
        return t.reshape(1)
    start = dim_of(t, start_dim, len(shape), "flatten")
    end = dim_of(t, end_dim, len(shape), "flatten")
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} "
                         f"for {t.label()} of shape {shape}")
    joined = int(np.prod(shape[start:end + 1]))
    return t.reshape((*shape[:start], joined, *shape[end + 1:]))


def unsqueeze(t: Tensor, dim: int) -> Tensor:
    """A new axis of size 1 at position ``dim`` (−ndim−1 ≤ dim ≤ ndim)."""
    shape = t.data.shape
    at = dim_of(t, dim, len(shape) + 1, "unsqueeze")
    return t.reshape((*shape[:at], 1, *shape[at:]))


def squeeze(t: Tensor, dim: int | None = None) -> Tensor:
    """Without axes of size 1: all of them, or only ``dim`` (left as is when its size is not
    1, as in PyTorch)."""
    shape = t.data.shape
    if dim is None:
        return t.reshape(tuple(n for n in shape if n != 1))
    if not shape:
        return t.reshape(())
    at = dim_of(t, dim, len(shape), "squeeze")
    if shape[at] != 1:
        return t.reshape(shape)
    return t.reshape(shape[:at] + shape[at + 1:])


# -- copies and casts --------------------------------------------------------------------
def clone(t: Tensor) -> Tensor:
    """A copy of the data that stays in the graph; ∂/∂a = 1."""
    return unary(ops.CLONE, t)


def astype(t: Tensor, dtype: Any) -> Tensor:
    """The values as float32 or float64; ∂/∂a = 1, the gradient cast back to a's dtype."""
    as_array(np.empty(0), dtype, "astype")  # refuses anything but float32/float64
    return unary(ops.ASTYPE, t, (np.dtype(dtype),))


def float_(t: Tensor) -> Tensor:
    """PyTorch's ``float()``: a float32 copy (``float(t)`` is still the Python number)."""
    return astype(t, np.float32)


def double(t: Tensor) -> Tensor:
    """PyTorch's ``double()``: a float64 copy."""
    return astype(t, np.float64)


# -- values, no graph --------------------------------------------------------------------
def item(t: Tensor) -> float:
    """The value of a one-element Tensor as a Python float."""
    if t.data.size != 1:
        raise ValueError(f"item: {t.label()} has {t.data.size} elements (shape "
                         f"{t.shape}); only a one-element Tensor converts to a float")
    return float(t.data.reshape(-1)[0])


def numpy(t: Tensor) -> np.ndarray:
    """The data array itself (shared, not copied)."""
    return t.data


def array(t: Tensor, dtype: Any = None, copy: Any = None) -> np.ndarray:
    """``np.asarray(t)``: the data (a copy when asked)."""
    if copy:
        return np.array(t.data, dtype=dtype, copy=True)
    return t.data if dtype is None else t.data.astype(dtype, copy=False)


def length(t: Tensor) -> int:
    if not t.data.ndim:
        raise TypeError(f"len() of a 0-d Tensor ({t.label()})")
    return len(t.data)


def iterate(t: Tensor) -> Iterator[Tensor]:
    return (t[i] for i in range(len(t.data)))


def to_float(t: Tensor) -> float:
    return item(t)


def to_bool(t: Tensor) -> bool:
    if t.data.size != 1:
        raise ValueError(f"the truth value of {t.label()} with {t.data.size} "
                         "elements is ambiguous; use .data.any() or .data.all()")
    return bool(t.data.reshape(-1)[0])


def representation(t: Tensor) -> str:
    body = np.array2string(t.data, separator=", ", threshold=40, precision=6,
                           prefix="Tensor(")
    extra = "".join([
        f", dtype={t.data.dtype}" if t.data.dtype != np.float64 else "",
        ", requires_grad=True" if t.requires_grad else "",
        f", name={t.name!r}" if t.name else "",
        f", op={t.op!r}" if t.op else "",
    ])
    return f"Tensor({body}{extra})"


def tolist(t: Tensor) -> Any:
    """The values as (nested) Python lists of floats; a number for a 0-d Tensor."""
    return t.data.tolist()


def argmax(t: Tensor, axis: int | None = None, keepdims: bool = False, *,
           dim: int | None = None, keepdim: bool | None = None) -> np.ndarray:
    """Indices of the maxima (over everything, flattened, by default) as an int64 array;
    not differentiable, so not a node."""
    return _arg(t, np.argmax, axis, keepdims, dim, keepdim, "argmax")


def argmin(t: Tensor, axis: int | None = None, keepdims: bool = False, *,
           dim: int | None = None, keepdim: bool | None = None) -> np.ndarray:
    """Indices of the minima, as :meth:`argmax`."""
    return _arg(t, np.argmin, axis, keepdims, dim, keepdim, "argmin")


def _arg(t: Tensor, fn: Any, axis: Any, keepdims: bool, dim: Any, keepdim: bool | None,
         op: str) -> np.ndarray:
    axis, keepdims = spelled(axis, keepdims, dim, keepdim, op)
    if t.data.size == 0:
        raise ValueError(f"{op}: {t.label()} is empty (shape {t.data.shape}); expected "
                         "at least one element")
    if axis is not None:
        axis = dim_of(t, axis, t.data.ndim, op)
    return np.asarray(fn(t.data, axis=axis, keepdims=keepdims))


# -- in place ----------------------------------------------------------------------------
def setitem(t: Tensor, index: Any, value: ArrayLike) -> None:
    def put(x: np.ndarray, v: Any) -> None:
        x[checked_index(index)] = v
    change_in_place(t, "__setitem__", put, value)


def iadd(t: Tensor, other: ArrayLike) -> Tensor:
    return change_in_place(t, "+=", lambda x, v: np.add(x, v, out=x), other)


def isub(t: Tensor, other: ArrayLike) -> Tensor:
    return change_in_place(t, "-=", lambda x, v: np.subtract(x, v, out=x), other)


def imul(t: Tensor, other: ArrayLike) -> Tensor:
    return change_in_place(t, "*=", lambda x, v: np.multiply(x, v, out=x), other)


def idiv(t: Tensor, other: ArrayLike) -> Tensor:
    return change_in_place(t, "/=", lambda x, v: np.true_divide(x, v, out=x), other)


def ipow(t: Tensor, other: ArrayLike) -> Tensor:
    return change_in_place(t, "**=", lambda x, v: np.power(x, v, out=x), other)
