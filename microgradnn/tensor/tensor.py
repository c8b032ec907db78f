"""Tensor: a graph node holding a NumPy array, swept by the same core as Scalar.

Each method is an entry point to one op of the op table (:mod:`~microgradnn.tensor.ops`),
run by the generic wrapper (:mod:`~microgradnn.tensor.apply`); its docstring states the
derivative. Binary ops broadcast as NumPy does. Numbers, lists and arrays on either side of
an operator are constants (``np.ones(3) * t`` is a Tensor: ``__array_ufunc__ = None`` makes
NumPy defer to us).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any, TypeAlias

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from ..core import AnomalyError, Node
from . import apply, ops
from .apply import binary, careful_vjp, unary, value
from .arguments import Axis, axes_of, axis_of, checked_index
from .dtypes import F64, as_array
from .functions import change_in_place, power
from .versions import newest, share, view_of

__all__ = ["ArrayLike", "Tensor"]

ArrayLike: TypeAlias = "Tensor | np.ndarray | float | int | list[Any]"


class Tensor(Node):
    """A node holding an ndarray: ``Tensor([[1, 2]], requires_grad=True, name="W")``.

    float64 by default (float32 input or ``dtype=np.float32`` stays float32; ints and
    bools become float64). A float ndarray of the right dtype is used without a copy.
    ``grad`` is ∂root/∂self after ``root.backward()`` — for every node, intermediate ones
    included (their δ) — and ``None`` before.
    """

    __slots__ = ("_cast", "_ctx", "_rule", "_vc", "requires_grad")

    data: np.ndarray
    requires_grad: bool
    _rule: Any  # the op table's entry (apply.Op) that made this node
    _ctx: Any  # what its VJPs need besides g and the output
    _vc: Any  # Versions (in-place changes), shared with views; None until needed
    _cast: bool  # a parent's dtype differs from this node's: cast its contribution

    __array_priority__ = 1000
    __array_ufunc__ = None  # NumPy operators defer to Tensor's reflected methods

    def __init__(self, data: ArrayLike, requires_grad: bool = False, name: str | None = None,
                 dtype: Any = None) -> None:
        base = data if isinstance(data, Tensor) else None
        if base is not None:
            data = base.data
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Tensor name must be a str, got {type(name).__name__}")
        self._init_leaf(as_array(data, dtype, "Tensor"), name)
        self.requires_grad = bool(requires_grad)
        self._rule = self._ctx = self._vc = None
        self._cast = False
        if base is not None and self.data is base.data:
            share(self, base)  # the same array: one version counter

    # -- the node protocol ------------------------------------------------------------
    def _vjp(self, grad: Any, parents: tuple | None = None) -> Any:
        if parents is None:
            parents = self.parents
        if self._cast or newest.stamp > self._order:  # a dtype to cast, or an in-place change
            return careful_vjp(self, grad, parents)
        return self._rule.backward(self, grad, parents)

    @property
    def _version(self) -> int:
        """How many in-place changes this array (shared with its views) has had."""
        return 0 if self._vc is None else self._vc.count

    @staticmethod
    def _is_finite(value: Any) -> bool:
        return bool(np.isfinite(value).all())

    @classmethod
    def _check_forward(cls, data: Any, op: str, inputs: tuple[Any, ...]) -> None:
        """A non-finite output raises, naming the op and any input non-finite already."""
        finite = cls._is_finite
        if finite(data):
            return
        names = ", ".join(p.label() for p in inputs) or "constants"
        bad = [p.label() for p in inputs if not finite(p.data)]
        where = (f"input {', '.join(bad)} already held a non-finite value" if bad
                 else "every input was finite" if inputs else "none of them is a Tensor")
        raise AnomalyError(f"forward of {op!r} produced a non-finite value (nan or inf) from "
                           f"inputs ({names}); {where}")

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
        return np.array(1.0, dtype=self.data.dtype).reshape(self.data.shape)

    @staticmethod
    def _own_grad(g: np.ndarray) -> np.ndarray:
        """Leaves keep writable arrays of their own (rules may return read-only views)."""
        return g if g.flags.writeable and g.flags.owndata else g.copy()

    def _check_gradient(self, gradient: Any) -> np.ndarray:
        self._check_root()
        g = as_array(value(gradient), self.data.dtype, "backward(gradient=...)")
        if g.shape != self.data.shape:
            raise RuntimeError(f"backward: gradient has shape {g.shape} but the output "
                               f"{self.label()} has shape {self.data.shape}; expected the same")
        return g

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

    def item(self) -> float:
        """The value of a one-element Tensor as a Python float."""
        if self.data.size != 1:
            raise ValueError(f"item: {self.label()} has {self.data.size} elements (shape "
                             f"{self.shape}); only a one-element Tensor converts to a float")
        return float(self.data.reshape(-1)[0])

    def numpy(self) -> np.ndarray:
        """The data array itself (shared, not copied)."""
        return self.data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if copy:
            return np.array(self.data, dtype=dtype, copy=True)
        return self.data if dtype is None else self.data.astype(dtype, copy=False)

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

    def __len__(self) -> int:
        if not self.data.ndim:
            raise TypeError(f"len() of a 0-d Tensor ({self.label()})")
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(len(self)))

    def __float__(self) -> float:
        return self.item()

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(f"the truth value of {self.label()} with {self.data.size} "
                             "elements is ambiguous; use .data.any() or .data.all()")
        return bool(self.data.reshape(-1)[0])

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", threshold=40, precision=6,
                               prefix="Tensor(")
        extra = "".join([
            f", dtype={self.data.dtype}" if self.data.dtype != F64 else "",
            ", requires_grad=True" if self.requires_grad else "",
            f", name={self.name!r}" if self.name else "",
            f", op={self.op!r}" if self.op else "",
        ])
        return f"Tensor({body}{extra})"

    # comparisons give plain boolean arrays (no gradient); == stays identity (nodes are
    # kept in sets and dicts)
    def __lt__(self, other: ArrayLike) -> np.ndarray:
        return self.data < value(other)

    def __le__(self, other: ArrayLike) -> np.ndarray:
        return self.data <= value(other)

    def __gt__(self, other: ArrayLike) -> np.ndarray:
        return self.data > value(other)

    def __ge__(self, other: ArrayLike) -> np.ndarray:
        return self.data >= value(other)

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
            return unary(ops.POW_NUMBER, self, other)
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
        return unary(ops.CLIP, self, min, max)

    # -- reductions -----------------------------------------------------------------------
    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Σ a over axis; ∂/∂a_i = 1 (g repeated along the summed axes)."""
        if axis is None and not keepdims:  # the common case: everything, to a number
            return unary(ops.SUM, self, None, False, 1.0)
        return unary(ops.SUM, self, axes_of(self, axis, "sum"), keepdims, 1.0)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Σ a / n over axis; ∂/∂a_i = 1/n."""
        axes = axes_of(self, axis, "mean")
        n = math.prod([self.data.shape[i] for i in axes])
        return unary(ops.MEAN, self, axes, keepdims, 1.0 / n if n else np.nan)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """max of a over axis; ∂/∂a_i = 1/k for the k entries equal to the max, else 0."""
        return unary(ops.MAX, self, np.max, axes_of(self, axis, "max", nonempty=True), keepdims)

    def min(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """min of a over axis; ∂/∂a_i = 1/k for the k entries equal to the min, else 0."""
        return unary(ops.MIN, self, np.min, axes_of(self, axis, "min", nonempty=True), keepdims)

    def logsumexp(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """ln Σ e^a over axis, computed as m + ln Σ e^(a-m); ∂/∂a_i = e^(a_i - out)."""
        return unary(ops.LOGSUMEXP, self, axes_of(self, axis, "logsumexp"), keepdims)

    def softmax(self, axis: int = -1) -> Tensor:
        """s = e^a / Σ e^a along axis; ∂/∂a = s ⊙ (g - Σ g ⊙ s)."""
        return unary(ops.SOFTMAX, self, axis_of(self, axis, "softmax"))

    def log_softmax(self, axis: int = -1) -> Tensor:
        """a - logsumexp(a) along axis; ∂/∂a = g - softmax(a) Σ g."""
        return unary(ops.LOG_SOFTMAX, self, axis_of(self, axis, "log_softmax"))

    # -- shapes (views share the version counter of the array they view) ------------------
    def reshape(self, *shape: Any) -> Tensor:
        """a with a new shape; ∂/∂a = g reshaped back."""
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        try:
            return view_of(self, unary(ops.RESHAPE, self, shape))
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
            out = unary(ops.TRANSPOSE, self, perm, tuple(np.argsort(perm)))
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
            out = unary(ops.INDEX, self, index)
        except (IndexError, ValueError, TypeError) as error:
            raise IndexError(f"index {index!r:.80} does not fit {self.label()} of shape "
                             f"{self.data.shape}: {error}") from None
        return view_of(self, out)

    # -- in place: only on leaves that need no gradient, or with grad mode off; each change
    # bumps the version (a backward that needs the old values then raises) --------------
    def __setitem__(self, index: Any, value: ArrayLike) -> None:
        def put(x: np.ndarray, v: Any) -> None:
            x[checked_index(index)] = v
        change_in_place(self, "__setitem__", put, value)

    def __iadd__(self, other: ArrayLike) -> Tensor:
        return change_in_place(self, "+=", lambda x, v: np.add(x, v, out=x), other)

    def __isub__(self, other: ArrayLike) -> Tensor:
        return change_in_place(self, "-=", lambda x, v: np.subtract(x, v, out=x), other)

    def __imul__(self, other: ArrayLike) -> Tensor:
        return change_in_place(self, "*=", lambda x, v: np.multiply(x, v, out=x), other)

    def __itruediv__(self, other: ArrayLike) -> Tensor:
        return change_in_place(self, "/=", lambda x, v: np.true_divide(x, v, out=x), other)

    def __ipow__(self, other: ArrayLike) -> Tensor:
        return change_in_place(self, "**=", lambda x, v: np.power(x, v, out=x), other)


apply.bind(Tensor)
