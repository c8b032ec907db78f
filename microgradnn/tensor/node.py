"""Tensor: a graph node holding a NumPy array, swept by the same core as Scalar.

Each method is an entry point to one op of the op table (:mod:`~microgradnn.tensor.ops`),
run by the generic wrapper (:mod:`~microgradnn.tensor.apply`); its docstring states the
derivative. Binary ops broadcast as NumPy does. Numbers, lists and arrays on either side of
an operator are constants (``np.ones(3) * t`` is a Tensor: ``__array_ufunc__ = None`` makes
NumPy defer to us).
"""

from __future__ import annotations

import math
import numbers
from typing import Any, TypeAlias

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..core import Node, rule_of
from . import apply, comparisons, higher, numpy_protocol, ops, spellings
from .apply import binary, unary, value
from .arguments import Axis, axes_of, axis_of, checked_index, spelled
from .dtypes import as_array
from .functions import power
from .versions import share, view_of

__all__ = ["ArrayLike", "Tensor"]

ArrayLike: TypeAlias = "Tensor | np.ndarray | float | int | list[Any]"


class Tensor(Node):
    """A node holding an ndarray: ``Tensor([[1, 2]], requires_grad=True, name="W")``.

    float64 by default (float32 input or ``dtype=np.float32`` stays float32; ints and
    bools become float64). A float ndarray of the right dtype is used without a copy.
    ``grad`` is ∂root/∂self after ``root.backward()`` — for every node, intermediate ones
    included (their δ) — and ``None`` before.
    """

    __slots__ = ("_vc", "requires_grad")
    _small_graphs = True  # one node per array op: the one-loop sweep (core/sweep.py)

    data: np.ndarray
    requires_grad: bool
    _rule: Any  # the op table's entry (apply.Op) that made this node
    _ctx: Any  # what its VJPs need besides g and the output
    _vc: Any  # Versions (in-place changes), shared with views; unset or None until needed

    __array_priority__ = 1000
    __array_ufunc__ = numpy_protocol.array_ufunc  # np.exp(t), arr @ t: Tensors (NEP 13)
    __array_function__ = numpy_protocol.array_function  # np.sum(t, axis=0) (NEP 18)
    _graph_vjp = higher.graph_vjp  # create_graph: the op table's VJPs on Tensors
    _as_node = staticmethod(apply.constant)  # type: ignore[assignment]  # a constant Tensor

    def __init__(self, data: ArrayLike, requires_grad: bool = False, name: str | None = None,
                 dtype: Any = None) -> None:
        base = data if isinstance(data, Tensor) else None
        if base is not None:
            data = base.data
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Tensor name must be a str, got {type(name).__name__}")
        self._init_leaf(as_array(data, dtype, "Tensor"), name)
        self.requires_grad = bool(requires_grad)
        self._vc = None
        if base is not None and self.data is base.data:
            share(self, base)  # the same array: one version counter

    # -- the node protocol ------------------------------------------------------------
    def _vjp(self, grad: Any) -> Any:
        """This node's contributions to its parents for ∂root/∂self = grad, as the sweep
        computes them (its rule, an entry of the op table, on what the forward saved)."""
        rule, saved = rule_of(self)
        return rule(self, grad, self.parents, saved)

    @property
    def _version(self) -> int:
        """How many in-place changes this array (shared with its views) has had."""
        vc = getattr(self, "_vc", None)
        return 0 if vc is None else vc.count

    @staticmethod
    def _is_finite(value: Any) -> bool:
        return bool(np.isfinite(value).all())

    @classmethod
    def _check_forward(cls, data: Any, op: str, inputs: tuple[Any, ...]) -> None:
        apply.check_forward(data, op, inputs)

    def _check_root(self) -> None:
        if not self.requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn "
                f"({self.label()}: no input of its graph has requires_grad=True)")

    def _seed(self) -> np.ndarray:
        self._check_root()
        if self.data.size != 1:
            raise RuntimeError(
                "grad can be implicitly created only for scalar outputs "
                f"({self.label()} has shape {self.shape}; pass backward(gradient=...) "
                "of that shape)")
        seed = np.array(1.0, dtype=self.data.dtype)
        return seed.reshape(self.data.shape) if self.data.ndim else seed  # (a call less)

    def _own_grad(self, g: Any) -> np.ndarray:
        """Leaves keep writable arrays of their own in their own dtype: rules may return
        read-only views, NumPy a np.float64 from 0-d operands, and float64 operands a
        float64 gradient for a float32 leaf. (A plain ndarray: PyTorch's
        ``x.grad.zero_()`` is ``x.grad.fill(0)`` here.)"""
        if g.__class__ is not np.ndarray or g.dtype != self.data.dtype:
            return np.array(g, dtype=self.data.dtype)
        flags = g.flags  # (a new flags object per read)
        return g if flags.writeable and flags.owndata else g.copy()

    def _hook_result(self, replaced: Any, g: Any) -> np.ndarray:
        return apply.hook_result(self, replaced, g)

    def _check_hookable(self) -> None:
        if not self.requires_grad:
            raise RuntimeError(f"cannot register a hook on {self.label()}: it does not require "
                               "grad, so no backward pass reaches it (requires_grad=True)")

    def _check_gradient(self, gradient: Any) -> np.ndarray:
        self._check_root()
        g = as_array(value(gradient), self.data.dtype, "backward(gradient=...)")
        if g.shape != self.data.shape:
            raise RuntimeError(f"backward: gradient has shape {g.shape} but the output "
                               f"{self.label()} has shape {self.data.shape}; expected the same")
        return g.copy()  # the caller's array stays theirs: zeroing it later changes no grad

    # -- array-like facts ---------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def detach(self) -> Tensor:
        """A new leaf sharing this data and its version, cut from the graph (no grad)."""
        return Tensor(self, name=self.name)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set requires_grad on a leaf in place; returns self."""
        if not self.is_leaf:
            raise RuntimeError("you can only change requires_grad flags of leaf variables "
                               f"({self.label()} is the output of {self.op!r})")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Accepted for PyTorch users; every node keeps its grad (its δ) already."""

    # comparisons: plain boolean arrays, no gradient (tensor/comparisons.py)
    __eq__ = comparisons.eq  # type: ignore[assignment]
    __ne__ = comparisons.ne  # type: ignore[assignment]
    __lt__ = comparisons.lt
    __le__ = comparisons.le
    __gt__ = comparisons.gt
    __ge__ = comparisons.ge
    __hash__ = Node.__hash__

    # -- arithmetic (NumPy broadcasting; gradients unbroadcast to each operand) ----------
    def __add__(self, other: ArrayLike) -> Tensor:
        """a + b; ∂/∂a = 1, ∂/∂b = 1."""
        return binary(ops.ADD, self, other)

    def __radd__(self, other: ArrayLike) -> Tensor:
        return binary(ops.ADD, other, self)

    def __sub__(self, other: ArrayLike) -> Tensor:
        """a - b; ∂/∂a = 1, ∂/∂b = -1."""
        return binary(ops.SUB, self, other)

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return binary(ops.SUB, other, self)

    def __mul__(self, other: ArrayLike) -> Tensor:
        """a * b; ∂/∂a = b, ∂/∂b = a."""
        return binary(ops.MUL, self, other)

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return binary(ops.MUL, other, self)

    def __truediv__(self, other: ArrayLike) -> Tensor:
        """a / b; ∂/∂a = 1/b, ∂/∂b = -a/b²."""
        return binary(ops.DIV, self, other)

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return binary(ops.DIV, other, self)

    def __neg__(self) -> Tensor:
        """-a; ∂/∂a = -1."""
        return unary(ops.NEG, self)

    def __pos__(self) -> Tensor:
        return self

    def __pow__(self, other: ArrayLike) -> Tensor:
        """a ** b; ∂/∂a = b·a^(b-1), and for a Tensor exponent ∂/∂b = a^b·ln a (a ≥ 0)."""
        if other.__class__ is int or other.__class__ is float:
            return unary(ops.POW_NUMBER, self, (other,))
        return power(self, other)

    def __rpow__(self, other: ArrayLike) -> Tensor:
        return power(other, self)

    def __matmul__(self, other: ArrayLike) -> Tensor:
        """a @ b with NumPy's rules (1-D operands promoted, batch axes broadcast);
        ∂/∂a = g @ bᵀ, ∂/∂b = aᵀ @ g (summed over broadcast batch axes)."""
        return binary(ops.MATMUL, self, other)

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return binary(ops.MATMUL, other, self)

    # -- elementwise ----------------------------------------------------------------------
    def exp(self) -> Tensor:
        """exp(a); ∂/∂a = exp(a)."""
        return unary(ops.EXP, self)

    def log(self) -> Tensor:
        """ln(a); ∂/∂a = 1/a (nan for a < 0 passes through, as in NumPy)."""
        return unary(ops.LOG, self)

    def sqrt(self) -> Tensor:
        """√a; ∂/∂a = 1/(2√a) (inf at 0, as PyTorch)."""
        return unary(ops.SQRT, self)

    def tanh(self) -> Tensor:
        """tanh(a); ∂/∂a = 1 - tanh(a)²."""
        return unary(ops.TANH, self)

    def sigmoid(self) -> Tensor:
        """σ(a) = 1/(1 + e^-a), without overflow; ∂/∂a = σ(a)(1 - σ(a))."""
        return unary(ops.SIGMOID, self)

    def relu(self) -> Tensor:
        """max(0, a); ∂/∂a = 1 where a > 0, else 0."""
        return unary(ops.RELU, self)

    def softplus(self) -> Tensor:
        """ln(1 + e^a) = logaddexp(0, a), without overflow; ∂/∂a = σ(a)."""
        return unary(ops.SOFTPLUS, self)

    def abs(self) -> Tensor:
        """|a|; ∂/∂a = sign(a) (0 at 0, as PyTorch)."""
        return unary(ops.ABS, self)

    __abs__ = abs

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:
        """a clipped to [min, max]; ∂/∂a = 1 where min ≤ a ≤ max, else 0 (as PyTorch)."""
        if min is None and max is None:
            raise ValueError(f"clip: give min, max or both for {self.label()}")
        for bound, v in (("min", min), ("max", max)):
            if v is not None and (isinstance(v, bool) or not isinstance(v, numbers.Real)):
                raise TypeError(f"clip: {bound} must be a number or None, got "
                                f"{type(v).__name__}; for bounds that are Tensors use "
                                "mg.maximum and mg.where")
        return unary(ops.CLIP, self, (min, max))

    # -- reductions -----------------------------------------------------------------------
    # (reductions take PyTorch's dim=/keepdim= too)
    def sum(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
            keepdim: bool | None = None) -> Tensor:
        """Σ a over axis; ∂/∂a_i = 1 (g repeated along the summed axes)."""
        if dim is not None or keepdim is not None:
            axis, keepdims = spelled(axis, keepdims, dim, keepdim, "sum")
        if axis is None and not keepdims:  # the common case: everything, to a number
            return unary(ops.SUM, self)
        return unary(ops.SUM, self, (axes_of(self, axis, "sum"), keepdims, 1.0))

    def mean(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
             keepdim: bool | None = None) -> Tensor:
        """Σ a / n over axis; ∂/∂a_i = 1/n."""
        axis, keepdims = spelled(axis, keepdims, dim, keepdim, "mean")
        axes = axes_of(self, axis, "mean")
        n = math.prod([self.data.shape[i] for i in axes])
        return unary(ops.MEAN, self, (axes, keepdims, 1.0 / n if n else np.nan))

    def max(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
            keepdim: bool | None = None) -> Tensor:
        """max of a over axis; ∂/∂a_i = 1/k for the k entries equal to the max, else 0.
        (A Tensor of the maxima also with ``dim=``; PyTorch's indices are ``argmax``.)"""
        axis, keepdims = spelled(axis, keepdims, dim, keepdim, "max")
        return unary(ops.MAX, self, (np.max, axes_of(self, axis, "max", nonempty=True), keepdims))

    def min(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
            keepdim: bool | None = None) -> Tensor:
        """min of a over axis; ∂/∂a_i = 1/k for the k entries equal to the min, else 0."""
        axis, keepdims = spelled(axis, keepdims, dim, keepdim, "min")
        return unary(ops.MIN, self, (np.min, axes_of(self, axis, "min", nonempty=True), keepdims))

    def logsumexp(self, axis: Axis = None, keepdims: bool = False, *, dim: Axis = None,
                  keepdim: bool | None = None) -> Tensor:
        """ln Σ e^a over axis, computed as m + ln Σ e^(a-m); ∂/∂a_i = e^(a_i - out)."""
        axis, keepdims = spelled(axis, keepdims, dim, keepdim, "logsumexp")
        return unary(ops.LOGSUMEXP, self, (axes_of(self, axis, "logsumexp"), keepdims))

    def softmax(self, axis: int = -1, *, dim: int | None = None) -> Tensor:
        """s = e^a / Σ e^a along axis; ∂/∂a = s ⊙ (g - Σ g ⊙ s)."""
        axis = spelled(axis, False, dim, None, "softmax", -1)[0]
        return unary(ops.SOFTMAX, self, (axis_of(self, axis, "softmax"),))

    def log_softmax(self, axis: int = -1, *, dim: int | None = None) -> Tensor:
        """a - logsumexp(a) along axis; ∂/∂a = g - softmax(a) Σ g."""
        axis = spelled(axis, False, dim, None, "log_softmax", -1)[0]
        return unary(ops.LOG_SOFTMAX, self, (axis_of(self, axis, "log_softmax"),))

    # -- shapes (views share the version counter of the array they view) ------------------
    def reshape(self, *shape: Any) -> Tensor:
        """a with a new shape; ∂/∂a = g reshaped back."""
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        try:
            return view_of(self, unary(ops.RESHAPE, self, (shape,)))
        except (ValueError, TypeError):
            raise ValueError(f"reshape: cannot reshape {self.label()} of shape {self.data.shape} "
                             f"({self.data.size} elements) into {shape}") from None

    def transpose(self, *axes: Any) -> Tensor:
        """a with its axes permuted (reversed by default); ∂/∂a = g permuted back."""
        if len(axes) == 1 and isinstance(axes[0], tuple | list):
            axes = tuple(axes[0])
        ndim = self.data.ndim
        try:
            perm = tuple(normalize_axis_index(a, ndim) for a in axes) if axes else tuple(
                range(ndim))[::-1]
            out = unary(ops.TRANSPOSE, self, (perm, tuple(perm.index(i) for i in range(ndim))
                                               if axes else perm))  # a reversal: its own inverse
        except (ValueError, TypeError, np.exceptions.AxisError):
            raise ValueError(f"transpose: axes {axes} are not a permutation of the "
                             f"{self.data.ndim} axes of {self.label()}") from None
        return view_of(self, out)

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
        index = checked_index(index)
        try:
            out = unary(ops.INDEX, self, (index,))
        except (IndexError, ValueError, TypeError) as error:
            raise IndexError(f"index {index!r:.80} does not fit {self.label()} of shape "
                             f"{self.data.shape}: {error}") from None
        return view_of(self, out)

    # -- in place: only on leaves that need no gradient, or with grad mode off; each change
    # bumps the version (a backward that needs the old values then raises) --------------
    # -- PyTorch's spellings and the in-place operators (tensor/spellings.py) --------------
    view = spellings.view
    flatten = spellings.flatten
    unsqueeze = spellings.unsqueeze
    squeeze = spellings.squeeze
    clone = spellings.clone
    astype = spellings.astype
    float = spellings.float_
    double = spellings.double
    tolist = spellings.tolist
    item = spellings.item
    numpy = spellings.numpy
    __array__ = spellings.array
    __len__ = spellings.length
    __iter__ = spellings.iterate
    __float__ = spellings.to_float
    __bool__ = spellings.to_bool
    __repr__ = spellings.representation
    argmax = spellings.argmax
    argmin = spellings.argmin
    __setitem__ = spellings.setitem
    __iadd__ = spellings.iadd
    __isub__ = spellings.isub
    __imul__ = spellings.imul
    __itruediv__ = spellings.idiv
    __ipow__ = spellings.ipow


apply.bind(Tensor)
