"""Tensor functions that are not methods: ``concatenate``, ``stack``, ``where``, ``maximum``,
``a ** b`` with a Tensor exponent, and in-place changes (``+=``, ``t[i] = v``)."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..core import is_grad_enabled
from . import ops
from .apply import binary, is_tensor, label, nary, operand, shape_of, value
from .versions import versions

if TYPE_CHECKING:  # pragma: no cover
    from .tensor import ArrayLike, Tensor

__all__ = ["change_in_place", "concatenate", "maximum", "power", "stack", "where"]


def power(a: Any, b: Any) -> Tensor:
    """a ** b with a Tensor or array exponent; needs a base ≥ 0 where ∂/∂b is wanted."""
    if is_tensor(b) and b.requires_grad and np.any(value(operand(a, "**")) < 0):
        raise ValueError(f"**: base {label(a)} has negative entries; a Tensor exponent "
                         f"({label(b)}) needs a base >= 0, since ∂(a^b)/∂b = a^b·ln a")
    return binary(ops.POW, a, b)


def maximum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Elementwise max(a, b); ∂/∂a = 1 where a > b, ∂/∂b = 1 where b > a, ½ each at ties
    (as PyTorch)."""
    return binary(ops.MAXIMUM, a, b)


def where(condition: Any, a: ArrayLike, b: ArrayLike) -> Tensor:
    """a where condition holds, else b; ∂/∂a = g where condition, ∂/∂b = g elsewhere."""
    return binary(ops.WHERE, a, b, (np.asarray(value(condition), dtype=bool),))


def concatenate(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join along an existing axis; ∂/∂input_i = the slice of g that input_i filled."""
    items, arrays, data, ax = _join(tensors, axis, ops.CONCATENATE, "do not join",
                                    "equal sizes except on that axis")
    bounds = [0, *np.cumsum([a.shape[ax] for a in arrays]).tolist()]
    return nary(ops.CONCATENATE, items, data, ax, bounds)


def stack(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join along a new axis; ∂/∂input_i = g[..., i, ...] along that axis."""
    items, _, data, ax = _join(tensors, axis, ops.STACK, "cannot be stacked", "equal shapes")
    return nary(ops.STACK, items, data, ax)


def _join(tensors: Sequence[ArrayLike], axis: int, op: ops.Nary, fails: str,
          expected: str) -> tuple[list, list[np.ndarray], np.ndarray, int]:
    """The forward half shared by concatenate and stack, with one error message for both."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{op.name}: axis must be an int, got {axis!r}; expected the axis to "
                        "join along (flatten first, t.reshape(-1), to join flat)")
    items = [operand(x, op.name) for x in tensors]
    arrays = [np.asarray(value(x)) for x in items]
    try:
        data = op.forward(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError) as error:
        shapes = ", ".join(f"{a.shape} ({label(x)})" for a, x in zip(arrays, items))
        raise ValueError(f"{op.name}: shapes {shapes} {fails} along axis {axis}; "
                         f"expected {expected} ({error})") from None
    return items, arrays, data, normalize_axis_index(axis, data.ndim)


def change_in_place(t: Tensor, op: str, fn: Any, other: Any) -> Tensor:
    """Apply ``fn(t.data, value)`` in place: only on a leaf that needs no gradient, or with
    grad mode off (an optimiser's step); each change bumps the version (a backward that needs
    the old values then raises). Writing a node that requires grad into a Tensor in place is
    refused while grad mode is on: the write would drop that node's gradient path."""
    if not t.is_leaf:
        raise RuntimeError(
            f"{op}: {t.label()} is an intermediate node (output of {t.op!r}); "
            "changing it in place would corrupt the backward pass — use x = x + y")
    if t.requires_grad and is_grad_enabled():
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation "
            f"({op} on {t.label()}); update it inside mg.no_grad() or use x = x + y")
    if is_tensor(other) and other.requires_grad and is_grad_enabled():
        raise RuntimeError(
            f"{op}: {other.label()} requires grad, but writing it into {t.label()} in "
            "place would drop its gradient path; build a new node instead (x = x + w, "
            "mg.where, mg.concatenate), or write inside mg.no_grad() to copy values only")
    try:
        fn(t.data, value(operand(other, op)))
    except ValueError as error:
        raise ValueError(f"{op}: {shape_of(other)} does not fit into {t.label()} of "
                         f"shape {t.shape}: {error}") from None
    versions(t).bump()
    return t
