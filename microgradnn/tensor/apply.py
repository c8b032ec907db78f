"""The one generic wrapper every Tensor op goes through, forward and backward.

An op is an entry of the op table (:mod:`microgradnn.tensor.ops`): its forward on arrays,
one VJP per argument, and what each VJP reads. This module runs the entries:

- forward: turn the operands into values (numbers and arrays are constants, never nodes),
  run the forward, name the operands in any error, and make the node with the core's
  constructor, recording only operands that require grad;
- backward: call a VJP only for an argument that needs a gradient (so the course's data
  matrix X never gets one computed), :func:`unbroadcast` it to that argument's shape, and,
  on the careful path, check that nothing the VJPs read changed in place since the forward
  pass (:mod:`~microgradnn.tensor.versions`) and cast each contribution to its parent's
  dtype (a float32 leaf used with float64 operands gets a float32 gradient, as in PyTorch).

The careful path is per node: a node takes it when a parent that needs a gradient is float32
(decided once, in the forward: its VJPs may mix in float64) or when some in-place change is
newer than the node. A graph of float64 Tensors never takes it in an ordinary training loop.
"""

from __future__ import annotations

import dataclasses
import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core import AnomalyError, Node, is_anomaly_enabled, node_maker
from . import kernels
from .dtypes import F64, FLOATS, as_array
from .fastpaths import switch
from .versions import check_unchanged, newest

__all__ = ["Binary", "Nary", "Op", "Unary", "binary", "bind", "careful_vjp", "constant",
           "is_tensor", "label", "nary", "operand", "same", "shape_of", "unary", "unbroadcast",
           "value"]

_ndarray = np.ndarray
_asarray = np.asarray
_dot = np.ndarray.dot  # np.dot's C routine without its Python dispatcher
_Tensor: Any = None  # the Tensor class, given by bind() (tensor.py imports this module)
_make: Any = None

# Which operands of a binary op are nodes, as the slice of (∂/∂a, ∂/∂b) that the node's
# parents receive: both, only a (b is a constant) or only b (a is a constant).
BOTH = slice(0, 2)
ONLY_A = slice(0, 1)
ONLY_B = slice(1, 2)


def bind(tensor_class: type) -> None:
    """Give this module the Tensor class and the core's constructor for it."""
    global _Tensor, _make
    _Tensor = tensor_class
    _make = node_maker(tensor_class, "requires_grad")  # an op's output requires grad when
    # it has edges


# --------------------------------------------------------------------------- op entries
def same(g: Any, *_: Any) -> Any:
    """The VJP of an argument the output equals up to a constant (a + b, a − b's a): g itself.
    Binary ops pass g on without calling it (a call per edge on every add)."""
    return g


@dataclass(frozen=True, eq=False, slots=True)
class Op(ABC):
    """One op: ``name`` (shown in graphs and errors), ``forward(*values, *params)`` on
    arrays, ``vjps``: one ``vjp(g, ans, *values, *params)`` per argument giving ∂root/∂arg
    from g = ∂root/∂out and the output ans, and ``reads``: per VJP, which of ``x``, ``y``
    (the first and second argument) and ``ans`` it reads (``"x ans"``), for the version
    check."""

    name: str
    forward: Callable[..., Any]
    vjps: tuple[Callable[..., Any], ...]
    reads: tuple[str, ...]
    explain: Callable[..., None] | None = None  # raises a clear error when forward fails
    casts: bool = False  # the variant for nodes with a float32 parent (see casting())
    # for correctly rounded arithmetic (+ − × ÷), the same op as a Python operator: on 0-d
    # operands binary() runs it on NumPy scalars, with the result the ufunc gives on 0-d
    # arrays at a tenth of the cost (NumPy's scalar maths instead of its ufunc machinery)
    scalar: Callable[[Any, Any], Any] | None = None
    # the entry's __call__ as a bound method, made once: what a node keeps as its rule (a
    # call of a bound method is a fast call; calling the instance goes through type slots)
    run: Callable[..., Sequence[Any]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "run", self.__call__)
        key = (type(self).__name__, self.name, self.casts)
        _TABLE.setdefault(key, self)  # the first entry of a name

    def __reduce__(self) -> tuple:
        # pickled by name (its VJPs may be lambdas): a pickled graph finds the same entry
        return (_entry, (type(self).__name__, self.name, self.casts))

    @abstractmethod
    def __call__(self, node: Any, g: Any, parents: tuple, saved: Any, checked: bool = False
                 ) -> Sequence[Any]:
        """The backward of ``node``, which the core's sweep calls with what the forward saved:
        one contribution per parent, ``None`` for a parent that needs no gradient. Each kind
        first sends a node to :func:`careful_vjp` if it has a dtype to cast or an in-place
        change is newer than it (``checked``: that was done)."""

    @abstractmethod
    def read(self, node: Any, parents: tuple, saved: Any) -> list[Any]:
        """The Tensors whose data the VJPs that run read (for the version check)."""


_TABLE: dict[tuple[str, str, bool], Op] = {}


def _entry(kind: str, name: str, casts: bool) -> Op:
    return _TABLE[kind, name, casts]


def casting(op: Op) -> Op:
    """The variant of ``op`` whose nodes take the careful path: each contribution cast to its
    parent's dtype (a node with a float32 parent that requires grad; decided in the forward,
    so a float64 graph never pays for it)."""
    found = _CASTING.get(op)
    if found is None:
        found = _CASTING[op] = dataclasses.replace(op, casts=True)
    return found


_CASTING: dict[Op, Op] = {}


class Unary(Op):
    """One Tensor argument and fixed parameters; ctx = (x, params)."""

    __slots__ = ()

    def __call__(self, node: Any, g: Any, parents: tuple, saved: Any, checked: bool = False
                 ) -> Sequence[Any]:
        if not checked and (self.casts or newest.stamp > node._order):
            return careful_vjp(node, g, parents, self, saved)
        x, params = saved
        if params:
            return (self.vjps[0](g, node.data, x, *params),)
        return (self.vjps[0](g, node.data, x),)  # (a call with *() costs every node)

    def read(self, node: Any, parents: tuple, saved: Any) -> list[Any]:
        names = self.reads[0].split()
        return ([parents[0]] if "x" in names else []) + ([node] if "ans" in names else [])


class Binary(Op):
    """Two arguments, each a Tensor or a constant, broadcast against each other;
    ctx = (x, y, shape of a or None, shape of b or None, which operands are nodes, params).
    A shape is None when that operand needs no gradient: its VJP is never called."""

    __slots__ = ()

    def __call__(self, node: Any, g: Any, parents: tuple, saved: Any, checked: bool = False
                 ) -> Sequence[Any]:
        if not checked and (self.casts or newest.stamp > node._order):
            return careful_vjp(node, g, parents, self, saved)
        x, y, sa, sb, nodes, params = saved
        ans = node.data
        vjp_a, vjp_b = self.vjps
        fast = switch.fast
        ga = gb = None
        if sa is not None:
            ga = (g if vjp_a is same else vjp_a(g, ans, x, y, *params) if params
                  else vjp_a(g, ans, x, y))
            if ga.shape != sa or not fast:  # (a call saved when nothing was broadcast)
                ga = unbroadcast(ga, sa)
        if sb is not None:
            gb = (g if vjp_b is same else vjp_b(g, ans, x, y, *params) if params
                  else vjp_b(g, ans, x, y))
            if gb.shape != sb or not fast:
                gb = unbroadcast(gb, sb)
        keep: slice = nodes
        return (ga, gb)[keep]  # type: ignore[return-value]  # (mypy reads a slice as an index)

    def read(self, node: Any, parents: tuple, saved: Any) -> list[Any]:
        _, _, sa, sb, nodes, _ = saved
        operands = (parents[0], parents[1]) if nodes == BOTH else (
            (parents[0], None) if nodes == ONLY_A else (None, parents[0]))
        named = {"x": operands[0], "y": operands[1], "ans": node}
        out = []
        for shape, names in zip((sa, sb), self.reads):
            if shape is not None:
                out += [named[n] for n in names.split() if named[n] is not None]
        return out


class Nary(Op):
    """Any number of arguments (concatenate, stack); ``vjps[0](g, ans, i, *params)`` gives
    ∂root/∂argument i; ctx = (positions of the nodes among the arguments, params)."""

    __slots__ = ()

    def __call__(self, node: Any, g: Any, parents: tuple, saved: Any, checked: bool = False
                 ) -> Sequence[Any]:
        if not checked and (self.casts or newest.stamp > node._order):
            return careful_vjp(node, g, parents, self, saved)
        at, params = saved
        vjp = self.vjps[0]
        return tuple(vjp(g, node.data, i, *params) if p.requires_grad else None
                     for i, p in zip(at, parents))

    def read(self, node: Any, parents: tuple, saved: Any) -> list[Any]:
        return []


# --------------------------------------------------------------------------- operands
def constant(x: Any) -> Any:
    """A Tensor leaf that needs no gradient, holding ``x``."""
    return _Tensor(x)


def is_tensor(x: Any) -> bool:
    return isinstance(x, _Tensor)


def value(x: Any) -> Any:
    return x.data if isinstance(x, _Tensor) else x


def shape_of(x: Any) -> tuple[int, ...]:
    return x.data.shape if isinstance(x, _Tensor) else np.shape(x)


def label(x: Any) -> str:
    return x.label() if isinstance(x, _Tensor) else "constant"


def operand(x: Any, op: str) -> Any:
    """A Tensor as is; a number as a float; anything array-like as a float array."""
    cls = x.__class__
    if cls is _Tensor or cls is float or cls is int:
        return x
    if cls is _ndarray and x.dtype in FLOATS:  # the common constant: used as is, no copy
        return x
    if isinstance(x, _Tensor):
        return x
    if isinstance(x, numbers.Real):  # bool, NumPy scalars, fractions, long doubles
        # a Python float: NumPy treats it as a weak scalar, so float32 data stays float32,
        # and a Fraction or np.longdouble cannot turn the result into object or float128
        return float(x)
    if isinstance(x, _ndarray | list | tuple | np.generic):
        return as_array(x, None, f"{op}: constant operand")
    if isinstance(x, Node):  # a Scalar: the two engines build separate graphs
        raise TypeError(f"{op}: cannot combine a Tensor with a {type(x).__name__} "
                        f"({x.label()}); Scalar and Tensor graphs are separate — use "
                        "Tensors throughout (mg.Tensor(s.data) for a Scalar's value) or "
                        "Scalars throughout")
    raise TypeError(f"{op}: unsupported operand {x!r:.60} of type {type(x).__name__}; "
                    "expected a Tensor, a real number or an array of real numbers")


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` back to ``shape``: the backward of NumPy broadcasting.

    Broadcasting copies an operand along new leading axes and along its size-1 axes, so
    ∂/∂operand adds up the copies: sum over the leading axes, then (keeping them) over the
    axes where the operand had size 1.
    """
    gshape = grad.shape
    if gshape == shape:
        return grad
    extra = len(gshape) - len(shape)
    if (extra == 1 and len(gshape) == 2 and gshape[1] == shape[0]
            and grad.__class__ is _ndarray):
        return _dot(kernels.ones(gshape[0], grad.dtype), grad)  # a bias: Σ over the batch
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


# --------------------------------------------------------------------------- forward
def result(data: Any, parents: tuple, op: Op, ctx: Any, requires_grad: bool,
           cast: bool = False) -> Any:
    """Make the output node of an op (the one place Tensor ops create nodes): the core's
    constructor keeps the rule and what it saved with the edges. (``unary`` and ``binary``
    call the constructor themselves on their hot paths, as this function does.)"""
    if data.__class__ is not _ndarray:
        data = _asarray(data)  # NumPy returns scalars, not 0-d arrays, from 0-d ops
    if requires_grad:
        return _make(data, op.name, parents, None, (casting(op) if cast else op).run, ctx)
    if is_anomaly_enabled():  # no edges; anomaly mode still names the inputs
        check_forward(data, op.name, parents)
    return _make(data, op.name, None)


def unary(op: Unary, t: Any, params: tuple = ()) -> Any:
    """Run a one-argument op on Tensor ``t`` with its parameters (a tuple, not varargs: a
    call with ``*params`` costs every op)."""
    x = t.data
    data = op.forward(x, *params) if params else op.forward(x)
    if not t.requires_grad:
        return result(data, (t,), op, None, False)
    if data.__class__ is not _ndarray:
        data = _asarray(data)  # NumPy returns scalars, not 0-d arrays, from 0-d ops
    return _make(data, op.name, (t,), None, (casting(op) if x.dtype is not F64 else op).run,
                 (x, params))


def binary(op: Binary, a: Any, b: Any, params: tuple = ()) -> Any:
    """Run a two-argument op; at least one of a, b is a Tensor, the other may be a constant."""
    ca, cb = a.__class__, b.__class__
    fast = switch.fast
    if ca is _Tensor and cb is _Tensor and fast:  # the hot path
        x, y = a.data, b.data
        sa = x.shape if a.requires_grad else None
        sb = y.shape if b.requires_grad else None
        parents: tuple = (a, b)
        nodes = BOTH
    elif ca is _Tensor and fast and (cb is float or cb is int or (
            cb is _ndarray and b.dtype in FLOATS)):
        x, y = a.data, b  # a constant b: a number, or a float array used as is
        sa, sb, parents, nodes = (x.shape if a.requires_grad else None), None, (a,), ONLY_A
    elif cb is _Tensor and fast and (ca is float or ca is int or (
            ca is _ndarray and a.dtype in FLOATS)):
        x, y = a, b.data  # a constant a (X @ W, np.ones(3) * t)
        sa, sb, parents, nodes = None, (y.shape if b.requires_grad else None), (b,), ONLY_B
    else:
        a, b = operand(a, op.name), operand(b, op.name)
        ta, tb = isinstance(a, _Tensor), isinstance(b, _Tensor)
        x = a.data if ta else a
        y = b.data if tb else b
        sa = x.shape if ta and a.requires_grad else None
        sb = y.shape if tb and b.requires_grad else None
        parents = (a, b) if ta and tb else (a,) if ta else (b,) if tb else ()
        nodes = BOTH if ta and tb else ONLY_A if ta else ONLY_B
    if op.scalar is not None and fast and (sa is not None or sb is not None):
        # 0-d operands (a cost's last steps, (J1 - J2) / m) on NumPy scalars: see _scalar_binary
        if nodes is BOTH:
            if not x.shape and not y.shape:
                return _scalar_binary(op, parents, x[()], y[()], sa, sb, nodes)
        elif nodes is ONLY_A:
            if not x.shape and (cb is float or cb is int):
                return _scalar_binary(op, parents, x[()], y, sa, sb, nodes)
        elif not y.shape and (ca is float or ca is int):
            return _scalar_binary(op, parents, x, y[()], sa, sb, nodes)
    try:
        data = op.forward(x, y, *params) if params else op.forward(x, y)
    except ValueError:
        if op.explain is not None:
            op.explain(a, b, x, y, *params)
        raise ValueError(
            f"{op.name}: shapes {shape_of(a)} ({label(a)}) and {shape_of(b)} ({label(b)}) do "
            "not broadcast — expected equal sizes, or 1, in each trailing dimension") from None
    if sa is None and sb is None:
        return result(data, parents, op, None, False)
    if data.__class__ is not _ndarray:
        data = _asarray(data)  # NumPy returns scalars, not 0-d arrays, from 0-d ops
    rule: Op = op
    if (sa is not None and x.dtype is not F64) or (sb is not None and y.dtype is not F64):
        rule = casting(op)
    return _make(data, op.name, parents, None, rule.run, (x, y, sa, sb, nodes, params))


def _scalar_binary(op: Binary, parents: tuple, x: Any, y: Any, sa: Any, sb: Any,
                   nodes: slice) -> Any:
    """The fast path of + − × ÷ on 0-d Tensors and Python numbers (a cost's last steps,
    ``(J1 - J2) / m``): forward and VJPs on NumPy scalars (``t.data[()]``) with Python's
    operators, which give the same correctly rounded result in the same dtype as the ufunc
    on 0-d arrays (a NumPy scalar is typed as strongly as a 0-d array; a Python number is
    weak for both) at a tenth of the cost.
    The node saves the scalars (create_graph differentiates through the parents instead)."""
    data = _asarray(op.scalar(x, y))  # type: ignore[misc]  # (scalar is set: binary checked)
    rule: Op = op
    if (sa is not None and x.dtype is not F64) or (sb is not None and y.dtype is not F64):
        rule = casting(op)
    return _make(data, op.name, parents, None, rule.run, (x, y, sa, sb, nodes, ()))


def nary(op: Nary, items: list, data: np.ndarray, *params: Any) -> Any:
    """The node of an op over a list of arguments (Tensors and constants)."""
    at = [i for i, x in enumerate(items) if isinstance(x, _Tensor)]
    parents = tuple(items[i] for i in at)
    requires_grad = any(p.requires_grad for p in parents)
    cast = any(p.data.dtype is not F64 for p in parents)
    return result(data, parents, op, (at, params), requires_grad, cast)


def check_forward(data: Any, op: str, inputs: tuple[Any, ...]) -> None:
    """In anomaly mode: a non-finite output raises, naming the op and any input that was
    non-finite already."""
    finite = _Tensor._is_finite
    if finite(data):
        return
    names = ", ".join(p.label() for p in inputs) or "constants"
    bad = [p.label() for p in inputs if not finite(p.data)]
    where = (f"input {', '.join(bad)} already held a non-finite value" if bad
             else "every input was finite" if inputs else "none of them is a Tensor")
    raise AnomalyError(f"forward of {op!r} produced a non-finite value (nan or inf) from "
                       f"inputs ({names}); {where}")


# --------------------------------------------------------------------------- backward
def hook_result(t: Any, replaced: Any, g: Any) -> np.ndarray:
    """A hook's gradient as an array of the gradient's shape (a Tensor gives its data)."""
    what = f"hook on {t.label()}"
    r = as_array(value(replaced), g.dtype, what)
    if r.shape != g.shape:
        raise RuntimeError(f"{what} returned a gradient of shape {r.shape}; expected "
                           f"{g.shape}, the shape of the gradient it was given")
    return r


def careful_vjp(node: Any, g: Any, parents: tuple, op: Op, saved: Any) -> Sequence[Any]:
    """node's rule, after checking that nothing its VJPs read changed since the forward
    pass, with each contribution cast to its parent's dtype where they differ."""
    check_unchanged(node, op.read(node, parents, saved))
    contributions = op(node, g, parents, saved, True)
    cast = None
    for i, (p, c) in enumerate(zip(parents, contributions)):
        if c is not None and getattr(c, "dtype", p.data.dtype) != p.data.dtype:
            if cast is None:
                cast = list(contributions)
            cast[i] = c.astype(p.data.dtype)
    return contributions if cast is None else tuple(cast)
