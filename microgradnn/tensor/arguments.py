"""The arguments of Tensor ops that are not operands — axes and indices — checked once,
with errors that name the node and what was expected."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from . import apply

__all__ = ["Axis", "axes_of", "axis_of", "checked_index", "dim_of", "spelled"]

Axis = int | Sequence[int] | None


def axes_of(node: Any, axis: Axis, op: str, nonempty: bool = False) -> tuple[int, ...]:
    """axis (int, tuple or None) as a tuple of non-negative axes, or an error naming it;
    ``nonempty``: an op with no value on an empty Tensor (max, min) refuses one."""
    ndim = node.data.ndim
    if axis is None:
        axes = tuple(range(ndim))
    else:
        try:
            axes = normalize_axis_tuple(axis, ndim)
        except (np.exceptions.AxisError, TypeError, ValueError):
            raise ValueError(f"{op}: axis {axis!r} is not valid for {node.label()} of shape "
                             f"{node.data.shape}; expected an int or a tuple of distinct ints "
                             f"in [{-ndim}, {ndim})") from None
    shape = node.data.shape
    empty = [i for i in axes if shape[i] == 0] if nonempty else []
    if empty:  # only reducing an empty axis fails; over the others the result is empty
        raise ValueError(f"{op}: {node.label()} has no elements along axis {empty[0]} "
                         f"(shape {shape}); expected at least one element to take the {op} of")
    return axes


def axis_of(node: Any, axis: int, op: str) -> int:
    """One axis as a non-negative int, or an error naming it."""
    try:
        return normalize_axis_index(axis, node.data.ndim)
    except (np.exceptions.AxisError, TypeError):
        raise ValueError(f"{op}: axis {axis!r} is not valid for {node.label()} of shape "
                         f"{node.data.shape}") from None


def checked_index(index: Any) -> Any:
    """The index itself, or a TypeError if a Tensor is in it (see ``Tensor.__getitem__``)."""
    parts = index if isinstance(index, tuple) else (index,)
    for part in parts:
        if apply.is_tensor(part):
            raise TypeError(
                f"index: {part.label()} is a Tensor, which always holds floats (bools become "
                "1.0/0.0, so a mask would pick positions 1 and 0); index with a NumPy array "
                "instead: t.data.astype(bool) for a mask, t.data.astype(int) for positions")
    return index


def spelled(axis: Any, keepdims: bool, dim: Any, keepdim: bool | None, op: str,
            default: Any = None) -> tuple[Any, bool]:
    """(axis, keepdims) from NumPy's spelling or PyTorch's (``dim=``, ``keepdim=``); giving
    both spellings of one argument is an error."""
    if dim is not None:
        if axis is not default:
            raise TypeError(f"{op}: got both axis={axis!r} and dim={dim!r}; give one of them "
                            "(dim= is PyTorch's name for axis=)")
        axis = dim
    if keepdim is not None:
        if keepdims:
            raise TypeError(f"{op}: got both keepdims and keepdim; give one of them")
        keepdims = bool(keepdim)
    return axis, keepdims


def dim_of(node: Any, dim: Any, ndim: int, op: str) -> int:
    """PyTorch's ``dim`` as a non-negative int below ``ndim``, or an error naming it."""
    try:
        return normalize_axis_index(dim, ndim)
    except (np.exceptions.AxisError, TypeError):
        raise ValueError(f"{op}: dim {dim!r} is not valid for {node.label()} of shape "
                         f"{node.data.shape}; expected an int in [{-ndim}, {ndim})") from None
