"""Tensor's elementwise functions, reductions and shape ops (ops with one input).

Each op is defined once: a method that computes the value and names its rule, and the rule
``(node, grad) -> contributions`` below. The docstring states the derivative; ``g`` is
∂root/∂out. Numerically stable forms throughout, no epsilons: sigmoid and softplus come from
:mod:`microgradnn.stable`, log_softmax and logsumexp subtract the maximum.

Mixed into :class:`microgradnn.tensor.Tensor`; import Tensor from there.
"""

from __future__ import annotations

import importlib
import math
import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index, normalize_axis_tuple

from . import stable
from .tensor_torch import _spelled
from .tensor_version import inputs, inputs_and_output, nothing, output, saves, view_of

if TYPE_CHECKING:  # pragma: no cover
    from .tensor import Tensor

Axis = int | Sequence[int] | None


def _axes(node: Any, axis: Axis, op: str) -> tuple[int, ...]:
    """axis (int, tuple or None) as a tuple of non-negative axes, or an error naming it."""
    ndim = node.data.ndim
    if axis is None:
        return tuple(range(ndim))
    try:
        return normalize_axis_tuple(axis, ndim)
    except (np.exceptions.AxisError, TypeError, ValueError):
        raise ValueError(f"{op}: axis {axis!r} is not valid for {node.label()} of shape "
                         f"{node.data.shape}; expected an int or a tuple of distinct ints in "
                         f"[{-ndim}, {ndim})") from None


def _axis(node: Any, axis: int, op: str) -> int:
    try:
        return normalize_axis_index(axis, node.data.ndim)
    except (np.exceptions.AxisError, TypeError):
        raise ValueError(f"{op}: axis {axis!r} is not valid for {node.label()} of shape "
                         f"{node.data.shape}") from None


def _unary(node: Any, data: Any, rule: Any, ctx: Any, op: str) -> Tensor:
    return _t._result(data, (node,), rule, ctx, op, node.requires_grad)


class TensorFunctions:
    """Methods of Tensor beyond arithmetic (mixed into :class:`~microgradnn.Tensor`)."""

    __slots__ = ()

    if TYPE_CHECKING:  # pragma: no cover - supplied by Tensor and Node
        data: np.ndarray
        requires_grad: bool

        def label(self) -> str: ...

    # -- elementwise ----------------------------------------------------------------------
    def exp(self) -> Tensor:
        """exp(a); ∂/∂a = exp(a)."""
        return _unary(self, np.exp(self.data), _exp_rule, None, "exp")

    def log(self) -> Tensor:
        """ln(a); ∂/∂a = 1/a (nan for a < 0 passes through, as in NumPy)."""
        return _unary(self, np.log(self.data), _log_rule, None, "log")

    def sqrt(self) -> Tensor:
        """√a; ∂/∂a = 1/(2√a) (inf at 0, as PyTorch)."""
        return _unary(self, np.sqrt(self.data), _sqrt_rule, None, "sqrt")

    def tanh(self) -> Tensor:
        """tanh(a); ∂/∂a = 1 - tanh(a)²."""
        return _unary(self, np.tanh(self.data), _tanh_rule, None, "tanh")

    def sigmoid(self) -> Tensor:
        """σ(a) = 1/(1 + e^-a), without overflow; ∂/∂a = σ(a)(1 - σ(a))."""
        return _unary(self, stable.sigmoid(self.data), _sigmoid_rule, None, "sigmoid")

    def relu(self) -> Tensor:
        """max(0, a); ∂/∂a = 1 where a > 0, else 0."""
        return _unary(self, np.maximum(self.data, 0.0), _relu_rule, None, "relu")

    def softplus(self) -> Tensor:
        """ln(1 + e^a) = logaddexp(0, a), without overflow; ∂/∂a = σ(a)."""
        return _unary(self, stable.softplus(self.data), _softplus_rule, None, "softplus")

    def abs(self) -> Tensor:
        """|a|; ∂/∂a = sign(a) (0 at 0, as PyTorch)."""
        return _unary(self, np.abs(self.data), _abs_rule, None, "abs")

    __abs__ = abs

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:
        """a clipped to [min, max]; ∂/∂a = 1 where min ≤ a ≤ max, else 0 (as PyTorch)."""
        if min is None and max is None:
            raise ValueError(f"clip: give min, max or both for {self.label()}")
        for bound, value in (("min", min), ("max", max)):
            if value is not None and (isinstance(value, bool) or
                                      not isinstance(value, numbers.Real)):
                raise TypeError(f"clip: {bound} must be a number or None, got "
                                f"{type(value).__name__}; for bounds that are Tensors use "
                                "mg.maximum and mg.where")
        data = np.clip(self.data, min, max)
        return _unary(self, data, _clip_rule, (min, max), "clip")

    # -- reductions -----------------------------------------------------------------------
    def sum(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
            keepdim: bool | None = None) -> Tensor:
        """Σ a over axis; ∂/∂a_i = 1 (g repeated along the summed axes)."""
        if dim is not None or keepdim is not None:  # PyTorch's spellings
            axis, keepdims = _spelled(axis, keepdims, dim, keepdim, "sum")
        if axis is None and not keepdims:  # the common case: everything, to a number
            return _unary(self, self.data.sum(), _sum_rule, ((), False, 1.0), "sum")
        axes = _axes(self, axis, "sum")
        data = self.data.sum(axis=axes, keepdims=keepdims)
        return _unary(self, data, _sum_rule, (axes, keepdims, 1.0), "sum")

    def mean(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
             keepdim: bool | None = None) -> Tensor:
        """Σ a / n over axis; ∂/∂a_i = 1/n."""
        axis, keepdims = _spelled(axis, keepdims, dim, keepdim, "mean")
        axes = _axes(self, axis, "mean")
        data = self.data.mean(axis=axes, keepdims=keepdims)
        n = math.prod([self.data.shape[i] for i in axes])
        return _unary(self, data, _sum_rule, (axes, keepdims, 1.0 / n if n else np.nan), "mean")

    def max(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
            keepdim: bool | None = None) -> Tensor:
        """max of a over axis; ∂/∂a_i = 1/k for the k entries equal to the max, else 0.
        (A Tensor of the maxima also with ``dim=``; PyTorch's indices are ``argmax``.)"""
        axis, keepdims = _spelled(axis, keepdims, dim, keepdim, "max")
        return _extremum(self, axis, keepdims, np.max, "max")

    def min(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
            keepdim: bool | None = None) -> Tensor:
        """min of a over axis; ∂/∂a_i = 1/k for the k entries equal to the min, else 0."""
        axis, keepdims = _spelled(axis, keepdims, dim, keepdim, "min")
        return _extremum(self, axis, keepdims, np.min, "min")

    def logsumexp(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
                  keepdim: bool | None = None) -> Tensor:
        """ln Σ e^a over axis, computed as m + ln Σ e^(a-m); ∂/∂a_i = e^(a_i - out)."""
        axis, keepdims = _spelled(axis, keepdims, dim, keepdim, "logsumexp")
        axes = _axes(self, axis, "logsumexp")
        data = _logsumexp(self.data, axes)
        if not keepdims:
            data = data.squeeze(axes)
        return _unary(self, data, _logsumexp_rule, (axes, keepdims), "logsumexp")

    def softmax(self, axis: int = -1, *, dim: int | None = None) -> Tensor:
        """s = e^a / Σ e^a along axis; ∂/∂a = s ⊙ (g - Σ g ⊙ s)."""
        ax = _axis(self, _spelled(axis, False, dim, None, "softmax", -1)[0], "softmax")
        if self.data.size == 0:  # nothing to normalise: an empty result, as NumPy/PyTorch
            return _unary(self, self.data.copy(), _softmax_rule, ax, "softmax")
        e = np.exp(self.data - self.data.max(axis=ax, keepdims=True))
        e /= e.sum(axis=ax, keepdims=True)
        return _unary(self, e, _softmax_rule, ax, "softmax")

    def log_softmax(self, axis: int = -1, *, dim: int | None = None) -> Tensor:
        """a - logsumexp(a) along axis; ∂/∂a = g - softmax(a) Σ g."""
        ax = _axis(self, _spelled(axis, False, dim, None, "log_softmax", -1)[0],
                   "log_softmax")
        data = self.data - _logsumexp(self.data, (ax,))
        return _unary(self, data, _log_softmax_rule, ax, "log_softmax")

    # -- shapes -------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        """a with a new shape; ∂/∂a = g reshaped back."""
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        try:
            data = self.data.reshape(shape)
        except (ValueError, TypeError):
            raise ValueError(f"reshape: cannot reshape {self.label()} of shape {self.data.shape} "
                             f"({self.data.size} elements) into {shape}") from None
        return view_of(self, _unary(self, data, _reshape_rule, None, "reshape"))

    def transpose(self, *axes: Any) -> Tensor:
        """a with its axes permuted (reversed by default); ∂/∂a = g permuted back."""
        if len(axes) == 1 and isinstance(axes[0], tuple | list):
            axes = tuple(axes[0])
        ndim = self.data.ndim
        try:
            perm = tuple(normalize_axis_index(a, ndim) for a in axes) if axes else tuple(
                range(ndim))[::-1]
            data = self.data.transpose(perm)
        except (ValueError, TypeError, np.exceptions.AxisError):
            raise ValueError(f"transpose: axes {axes} are not a permutation of the "
                             f"{self.data.ndim} axes of {self.label()}") from None
        return view_of(self, _unary(self, data, _transpose_rule, tuple(np.argsort(perm)),
                                    "transpose"))

    @property
    def T(self) -> Tensor:
        """The transpose (all axes reversed); ∂/∂a = gᵀ."""
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        """a[index] with NumPy's indices: slices, ints, int arrays, bool arrays (masks);
        ∂/∂a = g scattered back into zeros, repeated indices adding up (np.add.at).

        A Tensor is not an index: it always holds floats (``Tensor([True, False])`` is
        [1.0, 0.0]), so a mask would silently pick positions 1 and 0. Pass a NumPy array:
        ``t.data.astype(bool)`` for a mask, ``t.data.astype(int)`` for positions."""
        index = _index(index)
        try:
            data = self.data[index]
        except (IndexError, ValueError, TypeError) as error:
            raise IndexError(f"index {index!r:.80} does not fit {self.label()} of shape "
                             f"{self.data.shape}: {error}") from None
        return view_of(self, _unary(self, data, _getitem_rule, index, "index"))


def _index(index: Any) -> Any:
    """The index itself, or a TypeError if a Tensor is in it (see ``__getitem__``)."""
    parts = index if isinstance(index, tuple) else (index,)
    for part in parts:
        if isinstance(part, _t.Tensor):
            raise TypeError(
                f"index: {part.label()} is a Tensor, which always holds floats (bools become "
                "1.0/0.0, so a mask would pick positions 1 and 0); index with a NumPy array "
                "instead: t.data.astype(bool) for a mask, t.data.astype(int) for positions")
    return index


# --------------------------------------------------------------------------- rules
@saves(output)
def _exp_rule(node: Tensor, g: Any) -> tuple:
    return (g * node.data,)


@saves(inputs)
def _log_rule(node: Tensor, g: Any) -> tuple:
    return (g / node.parents[0].data,)


@saves(output)
def _sqrt_rule(node: Tensor, g: Any) -> tuple:
    return (g / (2.0 * node.data),)


@saves(output)
def _tanh_rule(node: Tensor, g: Any) -> tuple:
    t = node.data
    return (g * (1.0 - t * t),)


@saves(output)
def _sigmoid_rule(node: Tensor, g: Any) -> tuple:
    s = node.data
    d = 1.0 - s  # a fresh array: the in-place steps below touch nothing else
    d *= s
    d *= g
    return (d,)


@saves(output)
def _relu_rule(node: Tensor, g: Any) -> tuple:
    return (g * (node.data > 0),)  # max(0, a) > 0 exactly where a > 0 (PyTorch saves it too)


@saves(inputs)
def _softplus_rule(node: Tensor, g: Any) -> tuple:
    d = stable.sigmoid(node.parents[0].data)
    d *= g
    return (d,)


@saves(inputs)
def _abs_rule(node: Tensor, g: Any) -> tuple:
    return (g * np.sign(node.parents[0].data),)


@saves(inputs)
def _clip_rule(node: Tensor, g: Any) -> tuple:
    low, high = node._ctx
    x = node.parents[0].data
    inside = np.ones(x.shape, dtype=bool)
    if low is not None:
        inside &= x >= low
    if high is not None:
        inside &= x <= high
    return (g * inside,)


@saves(nothing)
def _sum_rule(node: Tensor, g: Any) -> tuple:
    axes, keepdims, scale = node._ctx
    (parent,) = node._a  # node.parents, without the property call (a hot rule)
    shape = parent.data.shape
    if scale != 1.0:
        g = g * scale
    if not keepdims and g.ndim:  # put the summed axes back, as size 1
        g = g.reshape(tuple(1 if i in axes else n for i, n in enumerate(shape)))
    if parent.data.size >= 16384 and not parent.is_leaf:  # a large intermediate: read-only
        return (np.broadcast_to(g, shape),)  # view repeating g, no memory to fill
    out = np.empty(shape, dtype=g.dtype)  # small, or a leaf's own grad: a real array
    out[...] = g  # g repeated along the summed axes
    return (out,)


def _extremum(node: Any, axis: Axis, keepdims: bool, fn: Any, op: str) -> Tensor:
    axes = _axes(node, axis, op)
    shape = node.data.shape
    empty = [i for i in axes if shape[i] == 0]
    if empty:  # only reducing an empty axis fails; over the others the result is empty
        raise ValueError(f"{op}: {node.label()} has no elements along axis {empty[0]} "
                         f"(shape {shape}); expected at least one element to take the {op} of")
    data = fn(node.data, axis=axes, keepdims=keepdims)
    return _unary(node, data, _extremum_rule, (axes, keepdims), op)


def _kept(node: Any, g: Any) -> tuple:
    """(out, g) of a reduction (ctx = (axes, keepdims)), with the reduced axes back as size 1
    so that both broadcast against the input."""
    axes, keepdims = node._ctx
    out, g = node.data, np.asarray(g)
    if not keepdims:
        out, g = np.expand_dims(out, axes), np.expand_dims(g, axes)
    return out, g


@saves(inputs_and_output)
def _extremum_rule(node: Tensor, g: Any) -> tuple:
    out, g = _kept(node, g)
    hit = node.parents[0].data == out
    return (hit * (g / hit.sum(axis=node._ctx[0], keepdims=True)),)


def _logsumexp(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """ln Σ e^x over axes, keeping them: m + ln Σ e^(x-m) with m the (finite) maximum."""
    m = x.max(axis=axes, keepdims=True) if x.size else np.zeros((1,) * x.ndim)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):  # an empty sum is 0: ln 0 = −inf, as NumPy/PyTorch
        return np.log(np.exp(x - m).sum(axis=axes, keepdims=True)) + m


@saves(inputs_and_output)
def _logsumexp_rule(node: Tensor, g: Any) -> tuple:
    out, g = _kept(node, g)
    return (g * np.exp(node.parents[0].data - out),)


@saves(output)
def _softmax_rule(node: Tensor, g: Any) -> tuple:
    s = node.data
    gs = g * s
    return (gs - s * gs.sum(axis=node._ctx, keepdims=True),)


@saves(output)
def _log_softmax_rule(node: Tensor, g: Any) -> tuple:
    return (g - np.exp(node.data) * g.sum(axis=node._ctx, keepdims=True),)


@saves(nothing)
def _reshape_rule(node: Tensor, g: Any) -> tuple:
    return (np.reshape(g, node.parents[0].data.shape),)


@saves(nothing)
def _transpose_rule(node: Tensor, g: Any) -> tuple:
    return (np.transpose(g, node._ctx),)


def _is_basic(index: Any) -> bool:
    """Slices, ints, None and ... only: each element is picked at most once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, slice | int | np.integer)
               for p in parts)


@saves(nothing)
def _getitem_rule(node: Tensor, g: Any) -> tuple:
    x = node.parents[0].data
    out = np.zeros(x.shape, dtype=x.dtype)
    index = node._ctx
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return (out,)


# Imported last: tensor.py imports this module first (for TensorFunctions), and the rules
# above look up Tensor, _result and unbroadcast there only when they run.
# (By its module path: the package's attribute ``tensor`` is the factory mg.tensor.)
_t = importlib.import_module(f"{__package__}.tensor")
