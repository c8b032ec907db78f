"""The one generic wrapper every Tensor op goes through, forward; and the operands.

An op is an entry of the op table (:mod:`microgradnn.tensor.ops`): its forward on arrays,
one VJP per argument, and what each VJP reads (:mod:`~microgradnn.tensor.entries`, which
also runs the backward). This module runs the forward: turn the operands into values
(numbers and arrays are constants, never nodes), run the forward, name the operands in any
error, and make the node with the core's constructor, recording only operands that require
grad; the node keeps the entry as its rule, with what its VJPs need.

The common cases take fast paths (:mod:`~microgradnn.tensor.fastpaths`) that skip the
general operand coercion; each gives the general path's result bit for bit.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

import numpy as np

from ..core import AnomalyError, Node, is_anomaly_enabled, node_maker
from .dtypes import F64, FLOATS, as_array
from .entries import BOTH, ONLY_A, ONLY_B, Binary, Nary, Op, Unary, casting, same, unbroadcast
from .fastpaths import switch

if TYPE_CHECKING:  # pragma: no cover
    from .entries import Operands

# (BOTH, ONLY_A, ONLY_B, Binary, Nary, Op, Unary, same and unbroadcast are the entries' own,
# re-exported for tensor/higher.py and tensor/__init__.py, which take them from here)
__all__ = ["BOTH", "ONLY_A", "ONLY_B", "Binary", "Nary", "Op", "Unary", "binary", "bind",
           "check_forward", "constant", "hook_result", "is_tensor", "label", "nary", "operand",
           "result", "same", "shape_of", "unary", "unbroadcast", "value"]

_ndarray = np.ndarray
_asarray = np.asarray
_Tensor: Any = None  # the Tensor class, given by bind() (tensor.py imports this module)
_make: Any = None


def bind(tensor_class: type) -> None:
    """Give this module the Tensor class and the core's constructor for it."""
    global _Tensor, _make
    _Tensor = tensor_class
    _make = node_maker(tensor_class, requires_grad=True)  # an op's output requires grad
    # when it has edges


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
    nodes = None
    if switch.fast:  # the hot paths: Tensor and Tensor, Tensor and a float or float array
        if ca is _Tensor:
            x = a.data
            xs = x.shape
            sa = xs if a.requires_grad else None
            if cb is _Tensor:
                y = b.data
                ys = y.shape
                sb = ys if b.requires_grad else None
                parents: tuple = (a, b)
                nodes = BOTH
                careful = x.dtype is not F64 or y.dtype is not F64
            elif cb is float or cb is int or (cb is _ndarray and b.dtype in FLOATS):
                y, sb, parents, nodes = b, None, (a,), ONLY_A  # a constant b, used as is
                careful = x.dtype is not F64
        elif cb is _Tensor and (ca is float or ca is int or (ca is _ndarray and
                                                            a.dtype in FLOATS)):
            x, sa, parents, nodes = a, None, (b,), ONLY_B  # a constant a (X @ W, 2.0 * t)
            y = b.data
            ys = y.shape
            sb = ys if b.requires_grad else None
            careful = y.dtype is not F64
    # careful: the node's rule is the careful variant (contributions cast to their parents'
    # dtypes) when a Tensor operand is not float64; for one that needs no gradient the
    # casts change nothing (the general path looks only at those that need one)
    if nodes is None:  # the general path: any operands
        a, b, x, y, sa, sb, parents, nodes, careful = _operands(op, a, b)
    elif op.scalar is not None and not (ys if nodes is ONLY_B else xs):
        # 0-d operands (a cost's last steps, (J1 - J2) / m) on NumPy scalars: see _scalar_binary
        # (tested on the shapes read above, of the Tensor operands: an empty shape;
        # ndarray.ndim is one more attribute read, ~30 ns, per op)
        if nodes is BOTH:
            if not ys and (sa is not None or sb is not None):
                return _scalar_binary(op, careful, parents, x[()], y[()], sa, sb, nodes)
        elif nodes is ONLY_A:
            if (cb is float or cb is int) and sa is not None:
                return _scalar_binary(op, careful, parents, x[()], y, sa, sb, nodes)
        elif (ca is float or ca is int) and sb is not None:
            return _scalar_binary(op, careful, parents, x, y[()], sa, sb, nodes)
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
    return _make(data, op.name, parents, None, casting(op).run if careful else op.run,
                 (x, y, sa, sb, nodes, params))


def _operands(op: Binary, a: Any, b: Any) -> tuple:
    """:func:`binary`'s general path: any operands coerced, and what binary needs of them."""
    a, b = operand(a, op.name), operand(b, op.name)
    ta, tb = isinstance(a, _Tensor), isinstance(b, _Tensor)
    x = a.data if ta else a
    y = b.data if tb else b
    sa = x.shape if ta and a.requires_grad else None
    sb = y.shape if tb and b.requires_grad else None
    parents = (a, b) if ta and tb else (a,) if ta else (b,) if tb else ()
    nodes = BOTH if ta and tb else ONLY_A if ta else ONLY_B
    careful = (sa is not None and x.dtype is not F64) or (sb is not None and y.dtype is not F64)
    return a, b, x, y, sa, sb, parents, nodes, careful


def _scalar_binary(op: Binary, careful: bool, parents: tuple, x: Any, y: Any, sa: Any,
                   sb: Any, nodes: Operands) -> Any:
    """The fast path of + − × ÷ on 0-d Tensors and Python numbers (a cost's last steps,
    ``(J1 - J2) / m``): forward and VJPs on NumPy scalars (``t.data[()]``) with Python's
    operators, which give the same correctly rounded result in the same dtype as the ufunc
    on 0-d arrays (a NumPy scalar is typed as strongly as a 0-d array; a Python number is
    weak for both) at a tenth of the cost.
    The node saves the scalars (create_graph differentiates through the parents instead)."""
    data = _asarray(op.scalar(x, y))  # type: ignore[misc]  # (scalar is set: binary checked)
    return _make(data, op.name, parents, None, casting(op).run if careful else op.run,
                 (x, y, sa, sb, nodes, ()))


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
