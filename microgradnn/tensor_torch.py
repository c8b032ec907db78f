"""PyTorch's names for Tensor's shape changes, copies and conversions.

``view``, ``flatten``, ``unsqueeze`` and ``squeeze`` are reshapes (one rule: the gradient
reshaped back); ``clone`` is a copy that stays in the graph (∂/∂a = 1); ``astype``,
``float()`` and ``double()`` cast, with the gradient cast back to the input's dtype;
``argmax``, ``argmin`` and ``tolist`` read values and record nothing.

Mixed into :class:`microgradnn.tensor.Tensor`; import Tensor from there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .dtypes import _as_array
from .tensor_version import nothing, saves

if TYPE_CHECKING:  # pragma: no cover
    from .tensor import Tensor


class TorchSpellings:
    """Methods of Tensor under PyTorch's names (mixed into :class:`~microgradnn.Tensor`)."""

    __slots__ = ()

    if TYPE_CHECKING:  # pragma: no cover - supplied by Tensor and Node
        data: np.ndarray
        requires_grad: bool

        def label(self) -> str: ...
        def reshape(self, *shape: Any) -> Tensor: ...

    # -- shapes: each a reshape --------------------------------------------------------------
    def view(self, *shape: Any) -> Tensor:
        """PyTorch's ``view``: :meth:`reshape` (a view of the same array when NumPy can)."""
        return self.reshape(*shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """The axes start_dim..end_dim joined into one (all of them by default)."""
        shape = self.data.shape
        if not shape:
            return self.reshape(1)
        start = _dim(self, start_dim, len(shape), "flatten")
        end = _dim(self, end_dim, len(shape), "flatten")
        if start > end:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} "
                             f"for {self.label()} of shape {shape}")
        joined = int(np.prod(shape[start:end + 1]))
        return self.reshape((*shape[:start], joined, *shape[end + 1:]))

    def unsqueeze(self, dim: int) -> Tensor:
        """A new axis of size 1 at position ``dim`` (−ndim−1 ≤ dim ≤ ndim)."""
        shape = self.data.shape
        at = _dim(self, dim, len(shape) + 1, "unsqueeze")
        return self.reshape((*shape[:at], 1, *shape[at:]))

    def squeeze(self, dim: int | None = None) -> Tensor:
        """Without axes of size 1: all of them, or only ``dim`` (left as is when its size
        is not 1, as in PyTorch)."""
        shape = self.data.shape
        if dim is None:
            return self.reshape(tuple(n for n in shape if n != 1))
        if not shape:
            return self.reshape(())
        at = _dim(self, dim, len(shape), "squeeze")
        if shape[at] != 1:
            return self.reshape(shape)
        return self.reshape(shape[:at] + shape[at + 1:])

    # -- copies and casts ------------------------------------------------------------------------
    def clone(self) -> Tensor:
        """A copy of the data that stays in the graph; ∂/∂a = 1."""
        return _t()._result(self.data.copy(), (self,), _clone_rule, None, "clone",
                            self.requires_grad)

    def astype(self, dtype: Any) -> Tensor:
        """The values as float32 or float64; ∂/∂a = 1, the gradient cast back to a's dtype."""
        data = _as_array(self.data, dtype, "astype")
        if data is self.data:
            data = data.copy()
        return _t()._result(data, (self,), _cast_rule, self.data.dtype, "astype",
                            self.requires_grad)

    def float(self) -> Tensor:
        """PyTorch's ``float()``: a float32 copy (``float(t)`` is still the Python number)."""
        return self.astype(np.float32)

    def double(self) -> Tensor:
        """PyTorch's ``double()``: a float64 copy."""
        return self.astype(np.float64)

    # -- values, no graph ------------------------------------------------------------------------
    def tolist(self) -> Any:
        """The values as (nested) Python lists of floats; a number for a 0-d Tensor."""
        return self.data.tolist()

    def argmax(self, axis: int | None = None, keepdims: bool = False, *,
               dim: int | None = None, keepdim: bool | None = None) -> np.ndarray:
        """Indices of the maxima (over everything, flattened, by default) as an int64 array;
        not differentiable, so not a node."""
        return _arg(self, np.argmax, axis, keepdims, dim, keepdim, "argmax")

    def argmin(self, axis: int | None = None, keepdims: bool = False, *,
               dim: int | None = None, keepdim: bool | None = None) -> np.ndarray:
        """Indices of the minima, as :meth:`argmax`."""
        return _arg(self, np.argmin, axis, keepdims, dim, keepdim, "argmin")


def _t() -> Any:
    # by its module path: the package's attribute ``tensor`` is the factory mg.tensor
    return importlib.import_module(f"{__package__}.tensor")


def _spelled(axis: Any, keepdims: bool, dim: Any, keepdim: bool | None, op: str,
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


def _dim(node: Any, dim: Any, ndim: int, op: str) -> int:
    try:
        return normalize_axis_index(dim, ndim)
    except (np.exceptions.AxisError, TypeError):
        raise ValueError(f"{op}: dim {dim!r} is not valid for {node.label()} of shape "
                         f"{node.data.shape}; expected an int in [{-ndim}, {ndim})") from None


def _arg(node: Any, fn: Any, axis: Any, keepdims: bool, dim: Any, keepdim: bool | None,
         op: str) -> np.ndarray:
    axis, keepdims = _spelled(axis, keepdims, dim, keepdim, op)
    if node.data.size == 0:
        raise ValueError(f"{op}: {node.label()} is empty (shape {node.data.shape}); expected "
                         "at least one element")
    if axis is not None:
        axis = _dim(node, axis, node.data.ndim, op)
    return np.asarray(fn(node.data, axis=axis, keepdims=keepdims))


@saves(nothing)
def _clone_rule(node: Tensor, g: Any) -> tuple:
    return (g,)


@saves(nothing)
def _cast_rule(node: Tensor, g: Any) -> tuple:
    return (np.asarray(g).astype(node._ctx, copy=False),)
