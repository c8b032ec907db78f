"""Tensor: a graph node holding a NumPy array, swept by the same core as Scalar.

Each op computes its value and records a vector-Jacobian rule: a module-level function
``rule(node, grad)`` returning ∂root/∂parent for each parent (``None`` for a parent that
does not require grad, so the course's data matrix X never gets a gradient computed).
The rule and what it needs (``_ctx``) are plain data on the node; no closures.

Binary ops broadcast as NumPy does; :func:`unbroadcast` sums each gradient back to its
operand's shape. Numbers, lists and arrays on either side of an operator are constants
(``np.ones(3) * t`` is a Tensor: ``__array_ufunc__ = None`` makes NumPy defer to us).

Elementwise functions, reductions and shape ops live in :mod:`microgradnn.tensor_ops`.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator
from typing import Any, TypeAlias

import numpy as np

from .autodiff import Node, _creation_counter
from .dtypes import _F64, _FLOATS, _as_array
from .modes import AnomalyError, _modes, _non_default
from .tensor_inplace import InPlace
from .tensor_ops import TensorFunctions
from .tensor_torch import TorchSpellings
from .tensor_version import _watch, careful_vjp, share, watch_float32

__all__ = ["Tensor", "concatenate", "maximum", "stack", "unbroadcast", "where"]

ArrayLike: TypeAlias = "Tensor | np.ndarray | float | int | list[Any]"

_new = object.__new__
_next_order = _creation_counter.__next__
_ndarray = np.ndarray
_asarray = np.asarray


# --------------------------------------------------------------------------- helpers
def _result(data: Any, parents: tuple, rule: Any, ctx: Any, op: str,
            requires_grad: bool) -> Tensor:
    """Make the output node of an op (the one place Tensor ops create nodes)."""
    out = _new(Tensor)
    if data.__class__ is not _ndarray:
        data = _asarray(data)  # NumPy returns scalars, not 0-d arrays, from 0-d ops
    out.data = data
    out.grad = None
    out.name = None
    out._hooks = None
    out._b = out._da = out._db = None  # every Tensor op is a _vjp rule over its tuple of inputs
    out._vc = None
    out._order = _next_order()
    out.op = op
    if _non_default[0]:
        if _modes.anomaly:
            _check_forward(data, parents, op)
        if not _modes.grad_enabled:
            requires_grad = False
    if requires_grad:
        out._a = parents or None
        out._rule = rule
        out._ctx = ctx
        out.requires_grad = True
    else:
        out._a = None
        out._rule = out._ctx = None
        out.requires_grad = False
    return out


def _check_forward(data: np.ndarray, parents: tuple, op: str) -> None:
    """In anomaly mode: a non-finite output raises, naming the op and any input that was
    non-finite already."""
    finite = Tensor._is_finite
    if finite(data):
        return
    names = ", ".join(p.label() for p in parents) or "constants"
    bad = [p.label() for p in parents if not finite(p.data)]
    where = (f"input {', '.join(bad)} already held a non-finite value" if bad
             else "every input was finite" if parents else "none of them is a Tensor")
    raise AnomalyError(f"forward of {op!r} produced a non-finite value (nan or inf) from "
                       f"inputs ({names}); {where}")


def _operand(x: Any, op: str) -> Any:
    """A Tensor as is; a number as a float; anything array-like as a float array."""
    cls = x.__class__
    if cls is Tensor or cls is float or cls is int:
        return x
    if cls is _ndarray and x.dtype in _FLOATS:  # the common constant: used as is, no copy
        return x
    if isinstance(x, Tensor):
        return x
    if isinstance(x, numbers.Real):  # bool, NumPy scalars, fractions, long doubles
        # a Python float: NumPy treats it as a weak scalar, so float32 data stays float32,
        # and a Fraction or np.longdouble cannot turn the result into object or float128
        return float(x)
    if isinstance(x, _ndarray | list | tuple | np.generic):
        return _as_array(x, None, f"{op}: constant operand")
    if isinstance(x, Node):  # a Scalar: the two engines build separate graphs
        raise TypeError(f"{op}: cannot combine a Tensor with a {type(x).__name__} "
                        f"({x.label()}); Scalar and Tensor graphs are separate — use "
                        "Tensors throughout (mg.Tensor(s.data) for a Scalar's value) or "
                        "Scalars throughout")
    raise TypeError(f"{op}: unsupported operand {x!r:.60} of type {type(x).__name__}; "
                    "expected a Tensor, a real number or an array of real numbers")


# --------------------------------------------------------------------------- Tensor
class Tensor(TensorFunctions, TorchSpellings, InPlace, Node):
    """A node holding an ndarray: ``Tensor([[1, 2]], requires_grad=True, name="W")``.

    float64 by default (float32 input or ``dtype=np.float32`` stays float32; ints and
    bools become float64). A float ndarray of the right dtype is used without a copy.
    ``grad`` is ∂root/∂self after ``root.backward()`` — for every node, intermediate ones
    included (their δ) — and ``None`` before.
    """

    __slots__ = ("_ctx", "_rule", "_vc", "requires_grad")

    data: np.ndarray
    requires_grad: bool
    _rule: Any  # rule(node, grad) -> one contribution per parent
    _ctx: Any  # what the rule needs besides the parents' data
    _vc: Any  # Versions (in-place changes), shared with views; None until needed

    __array_priority__ = 1000
    __array_ufunc__ = None  # NumPy operators defer to Tensor's reflected methods

    def __init__(self, data: ArrayLike, requires_grad: bool = False, name: str | None = None,
                 dtype: Any = None) -> None:
        base = data if isinstance(data, Tensor) else None
        if base is not None:
            data = base.data
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Tensor name must be a str, got {type(name).__name__}")
        self.data = _as_array(data, dtype, "Tensor")
        self.requires_grad = bool(requires_grad)
        self.grad = None
        self.name = name
        self.op = ""
        self._a = self._b = self._da = self._db = None
        self._rule = self._ctx = None
        self._hooks = None
        self._vc = None
        self._order = _next_order()
        if base is not None and self.data is base.data:
            share(self, base)  # the same array: one version counter
        if requires_grad and self.data.dtype is not _F64:
            watch_float32()  # its gradient may need casting back to float32

    # -- the node protocol ------------------------------------------------------------
    def _restored(self) -> None:
        if self.requires_grad and self.data.dtype is not _F64:
            watch_float32()  # as in __init__: a restored float32 leaf needs the same care

    def _vjp(self, grad: Any) -> Any:
        if _watch[0] > self._order:  # an in-place change since this node, or float32
            return careful_vjp(self, grad)
        return self._rule(self, grad)

    @property
    def _version(self) -> int:
        """How many in-place changes this array (shared with its views) has had."""
        return 0 if self._vc is None else self._vc.count

    @staticmethod
    def _is_finite(value: Any) -> bool:
        return bool(np.isfinite(value).all())

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

    def _own_grad(self, g: Any) -> np.ndarray:
        """Leaves keep writable arrays of their own in their own dtype: rules may return
        read-only views, NumPy a np.float64 from 0-d operands, and float64 operands a
        float64 gradient for a float32 leaf. (A plain ndarray: PyTorch's
        ``x.grad.zero_()`` is ``x.grad.fill(0)`` here.)"""
        if g.__class__ is not _ndarray or g.dtype != self.data.dtype:
            return np.array(g, dtype=self.data.dtype)
        return g if g.flags.writeable and g.flags.owndata else g.copy()

    def _check_gradient(self, gradient: Any) -> np.ndarray:
        self._check_root()
        g = _as_array(_val(gradient), self.data.dtype, "backward(gradient=...)")
        if g.shape != self.data.shape:
            raise RuntimeError(f"backward: gradient has shape {g.shape} but the output "
                               f"{self.label()} has shape {self.data.shape}; expected the same")
        return g.copy()  # the caller's array stays theirs: zeroing it later changes no grad

    def _hook_result(self, replaced: Any, g: Any) -> np.ndarray:
        """A hook's gradient as an array of the gradient's shape (a Tensor gives its data)."""
        what = f"hook on {self.label()}"
        r = _as_array(_val(replaced), g.dtype, what)
        if r.shape != g.shape:
            raise RuntimeError(f"{what} returned a gradient of shape {r.shape}; expected "
                               f"{g.shape}, the shape of the gradient it was given")
        return r

    def _check_hookable(self) -> None:
        if not self.requires_grad:
            raise RuntimeError(f"cannot register a hook on {self.label()}: it does not require "
                               "grad, so no backward pass reaches it (requires_grad=True)")

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
        if requires_grad and self.data.dtype is not _F64:
            watch_float32()  # as in __init__
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
            f", dtype={self.data.dtype}" if self.data.dtype != _F64 else "",
            ", requires_grad=True" if self.requires_grad else "",
            f", name={self.name!r}" if self.name else "",
            f", op={self.op!r}" if self.op else "",
        ])
        return f"Tensor({body}{extra})"

    # comparisons give plain boolean arrays (no gradient), == and != too, as in NumPy and
    # PyTorch. Sets and dicts still find a node: they hash by identity and test identity
    # before ==, and distinct nodes have distinct hashes.
    def __eq__(self, other: object) -> np.ndarray:  # type: ignore[override]
        return self.data == _val(other)

    def __ne__(self, other: object) -> np.ndarray:  # type: ignore[override]
        return self.data != _val(other)

    def __lt__(self, other: ArrayLike) -> np.ndarray:
        return self.data < _val(other)

    def __le__(self, other: ArrayLike) -> np.ndarray:
        return self.data <= _val(other)

    def __gt__(self, other: ArrayLike) -> np.ndarray:
        return self.data > _val(other)

    def __ge__(self, other: ArrayLike) -> np.ndarray:
        return self.data >= _val(other)

    __hash__ = Node.__hash__

    # -- arithmetic (NumPy broadcasting; gradients unbroadcast to each operand) ----------
    def __add__(self, other: ArrayLike) -> Tensor:
        """a + b; ∂/∂a = 1, ∂/∂b = 1."""
        return _binary(self, other, np.add, _add_rule, "+")

    def __radd__(self, other: ArrayLike) -> Tensor:
        return _binary(other, self, np.add, _add_rule, "+")

    def __sub__(self, other: ArrayLike) -> Tensor:
        """a - b; ∂/∂a = 1, ∂/∂b = -1."""
        return _binary(self, other, np.subtract, _sub_rule, "-")

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return _binary(other, self, np.subtract, _sub_rule, "-")

    def __mul__(self, other: ArrayLike) -> Tensor:
        """a * b; ∂/∂a = b, ∂/∂b = a."""
        return _binary(self, other, np.multiply, _mul_rule, "*")

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return _binary(other, self, np.multiply, _mul_rule, "*")

    def __truediv__(self, other: ArrayLike) -> Tensor:
        """a / b; ∂/∂a = 1/b, ∂/∂b = -a/b²."""
        return _binary(self, other, np.true_divide, _div_rule, "/")

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return _binary(other, self, np.true_divide, _div_rule, "/")

    def __neg__(self) -> Tensor:
        """-a; ∂/∂a = -1."""
        return _result(-self.data, (self,), _neg_rule, None, "neg", self.requires_grad)

    def __pos__(self) -> Tensor:
        return self

    def __pow__(self, other: ArrayLike) -> Tensor:
        """a ** b; ∂/∂a = b·a^(b-1), and for a Tensor exponent ∂/∂b = a^b·ln a (a ≥ 0)."""
        if other.__class__ is int or other.__class__ is float:
            x = self.data
            data = x * x if other == 2 else x**other
            return _result(data, (self,), _pow_number_rule, other, "**", self.requires_grad)
        return _pow(self, other)

    def __rpow__(self, other: ArrayLike) -> Tensor:
        return _pow(other, self)

    def __matmul__(self, other: ArrayLike) -> Tensor:
        """a @ b with NumPy's rules (1-D operands promoted, batch axes broadcast);
        ∂/∂a = g @ bᵀ, ∂/∂b = aᵀ @ g (summed over broadcast batch axes)."""
        return _matmul(self, other)

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return _matmul(other, self)


# Imported last: the rules need Tensor and the helpers above.
from .tensor_binary import (  # noqa: E402
    _add_rule,
    _binary,
    _div_rule,
    _matmul,
    _mul_rule,
    _neg_rule,
    _pow,
    _pow_number_rule,
    _sub_rule,
    _val,
    concatenate,
    maximum,
    stack,
    unbroadcast,
    where,
)
