"""Tensor ops with several inputs: the rules of + - * / ** @, and maximum, where,
concatenate, stack.

Each rule is ``rule(node, g) -> contributions``, one per operand that is a node, ``None``
for one that does not require grad; gradients of broadcast operands go through the one
:func:`~microgradnn.tensor.unbroadcast`. The derivatives are stated in the docstrings of
the Tensor methods (for operators) and of the functions here.
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from .tensor_version import divisor, inputs, inputs_and_output, nothing, partners, saves

if TYPE_CHECKING:  # pragma: no cover
    from .tensor import ArrayLike

# --------------------------------------------------------------------------- helpers
def _label(x: Any) -> str:
    return x.label() if isinstance(x, Tensor) else "constant"


def _shape(x: Any) -> tuple[int, ...]:
    return x.data.shape if isinstance(x, Tensor) else np.shape(x)


def _val(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


def _wants(x: Any) -> bool:
    """Does operand x need a gradient? (False for constants and X-like inputs.)"""
    return isinstance(x, Tensor) and x.requires_grad


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
    if extra == 1 and len(gshape) == 2 and gshape[1] == shape[0]:
        return _dot(_ones(gshape[0], grad.dtype), grad)  # a bias: Σ over the batch as 1ᵀg
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


_dot = np.dot


@functools.lru_cache(maxsize=32)
def _ones(n: int, dtype: np.dtype) -> np.ndarray:
    ones = np.ones(n, dtype=dtype)
    ones.flags.writeable = False
    return ones


def _operands(a: Any, b: Any, op: str) -> tuple:
    """(a, b, x, y, parents, ctx) for a binary op: the operands as nodes or constants, their
    values, the nodes among them, and what every binary rule reads:
    ctx = (x, y, shape of a or None, shape of b or None, which operands are nodes).
    A shape is None when that operand needs no gradient, so the rule skips it."""
    ca, cb = a.__class__, b.__class__
    if ca is Tensor:
        x = a.data
        if cb is Tensor:
            y = b.data
            return a, b, x, y, (a, b), (x, y, x.shape if a.requires_grad else None,
                                        y.shape if b.requires_grad else None, 0)
        if cb is float or cb is int or (cb is _ndarray and b.dtype in _FLOATS):
            return a, b, x, b, (a,), (x, b, x.shape if a.requires_grad else None, None, 1)
    elif cb is Tensor and (ca is float or ca is int or (ca is _ndarray and a.dtype in _FLOATS)):
        y = b.data
        return a, b, a, y, (b,), (a, y, None, y.shape if b.requires_grad else None, 2)
    a, b = _operand(a, op), _operand(b, op)
    ta, tb = isinstance(a, Tensor), isinstance(b, Tensor)
    x = a.data if ta else a
    y = b.data if tb else b
    sa = x.shape if ta and a.requires_grad else None
    sb = y.shape if tb and b.requires_grad else None
    if ta and tb:
        return a, b, x, y, (a, b), (x, y, sa, sb, 0)
    parents = (a,) if ta else (b,) if tb else ()  # no Tensor at all: a constant result
    return a, b, x, y, parents, (x, y, sa, sb, 1 if ta else 2)


def _grads(kind: int, ga: Any, gb: Any) -> tuple:
    """The contributions in parent order: both operands (0), only a (1) or only b (2)."""
    return (ga, gb) if kind == 0 else (ga,) if kind == 1 else (gb,)


def _binary(a: Any, b: Any, fn: Any, rule: Any, op: str) -> Tensor:
    """Run NumPy's fn on two operands (at least one a Tensor) and record the node."""
    if a.__class__ is Tensor and b.__class__ is Tensor:  # the hot path, inlined
        x, y = a.data, b.data
        parents: tuple = (a, b)
        ctx: tuple = (x, y, x.shape if a.requires_grad else None,
                      y.shape if b.requires_grad else None, 0)
    else:
        a, b, x, y, parents, ctx = _operands(a, b, op)
    try:
        data = fn(x, y)
    except ValueError:
        raise ValueError(
            f"{op}: shapes {_shape(a)} ({_label(a)}) and {_shape(b)} ({_label(b)}) do not "
            "broadcast — expected equal sizes, or 1, in each trailing dimension") from None
    return _result(data, parents, rule, ctx, op, ctx[2] is not None or ctx[3] is not None)


# --------------------------------------------------------------------------- arithmetic
@saves(nothing)
def _add_rule(node: Tensor, g: Any) -> tuple:
    _, _, sa, sb, kind = node._ctx
    return _grads(kind, None if sa is None else unbroadcast(g, sa),
                  None if sb is None else unbroadcast(g, sb))


@saves(nothing)
def _sub_rule(node: Tensor, g: Any) -> tuple:
    _, _, sa, sb, kind = node._ctx
    return _grads(kind, None if sa is None else unbroadcast(g, sa),
                  None if sb is None else -unbroadcast(g, sb))


@saves(partners)
def _mul_rule(node: Tensor, g: Any) -> tuple:
    x, y, sa, sb, kind = node._ctx
    return _grads(kind, None if sa is None else unbroadcast(g * y, sa),
                  None if sb is None else unbroadcast(g * x, sb))


@saves(divisor)
def _div_rule(node: Tensor, g: Any) -> tuple:
    _, y, sa, sb, kind = node._ctx
    return _grads(kind, None if sa is None else unbroadcast(g / y, sa),
                  None if sb is None else unbroadcast(-g * node.data / y, sb))


@saves(nothing)
def _neg_rule(node: Tensor, g: Any) -> tuple:
    return (-g,)


@saves(inputs)
def _pow_number_rule(node: Tensor, g: Any) -> tuple:
    n = node._ctx
    x = node.parents[0].data
    if n == 2:
        return (g * (2.0 * x),)
    if n == 0:
        return (np.zeros_like(x),)
    return (g * (n * x ** (n - 1)),)


def _pow(a: Any, b: Any) -> Tensor:
    """a ** b with a Tensor or array exponent; needs a base ≥ 0 where ∂/∂b is wanted."""
    if _wants(b) and np.any(_val(_operand(a, "**")) < 0):
        raise ValueError(f"**: base {_label(a)} has negative entries; a Tensor exponent "
                         f"({_label(b)}) needs a base >= 0, since ∂(a^b)/∂b = a^b·ln a")
    return _binary(a, b, np.power, _pow_rule, "**")


@saves(inputs_and_output)
def _pow_rule(node: Tensor, g: Any) -> tuple:
    x, y, sa, sb, kind = node._ctx
    ga = gb = None
    with np.errstate(divide="ignore", invalid="ignore"):
        if sa is not None:  # b·a^(b-1) is 0 where b = 0, even at a = 0 (0·0^-1 is not nan)
            ga = unbroadcast(g * np.where(y == 0, 0.0, y * x ** (y - 1.0)), sa)
        if sb is not None:  # a^b·ln a: 0 at a = 0 for b ≥ 0, −inf there for b < 0 (PyTorch)
            gb = unbroadcast(g * np.where((x == 0) & (y >= 0), 0.0, node.data * np.log(x)), sb)
    return _grads(kind, ga, gb)


def _matmul(a: Any, b: Any) -> Tensor:
    a, b, x, y, parents, ctx = _operands(a, b, "matmul")
    if x.ndim == 2 and y.ndim == 2 and x.shape[1] == y.shape[0]:
        data = _mm(x, y)  # the common case, checked in one line
    else:
        data = _checked_matmul(a, b, x, y)
    return _result(data, parents, _matmul_rule, ctx, "matmul",
                   ctx[2] is not None or ctx[3] is not None)


def _checked_matmul(a: Any, b: Any, x: Any, y: Any) -> np.ndarray:
    """x @ y by NumPy's rules, or an error naming the shapes and the nodes."""
    xs, ys = np.shape(x), np.shape(y)
    if not xs or not ys:
        raise ValueError(f"matmul: {xs} @ {ys} — both operands need at least one dimension "
                         f"({_label(a)} @ {_label(b)})")
    inner = ys[0] if len(ys) == 1 else ys[-2]
    if xs[-1] != inner:
        raise ValueError(f"matmul: {xs} @ {ys} — inner dimensions {xs[-1]} and {inner} "
                         f"differ ({_label(a)} @ {_label(b)})")
    try:
        return x @ y
    except ValueError:
        raise ValueError(f"matmul: {xs} @ {ys} — batch dimensions {xs[:-2]} and {ys[:-2]} "
                         f"do not broadcast ({_label(a)} @ {_label(b)})") from None


def _mm(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x @ y for 2-D x, y (np.dot: the same product with less call overhead). A tall,
    narrow product is computed as (yᵀ xᵀ)ᵀ, the same numbers in the orientation BLAS
    (OpenBLAS) runs up to twice as fast, returned as a view."""
    if x.shape[0] > 4 * y.shape[1]:
        return _dot(y.T, x.T).T
    return _dot(x, y)


@saves(partners)
def _matmul_rule(node: Tensor, g: Any) -> tuple:
    x, y, sa, sb, kind = node._ctx
    if x.ndim == 2 and y.ndim == 2:
        return _grads(kind, None if sa is None else _mm(g, y.T),
                      None if sb is None else _mm(x.T, g))
    if x.ndim == 1 and y.ndim == 1:  # the dot product: g is a number
        return _grads(kind, None if sa is None else g * y, None if sb is None else g * x)
    # NumPy's 1-D rules: a vector on the left is a row (1, n), on the right a column (n, 1)
    x2 = x[None, :] if x.ndim == 1 else x
    y2 = y[:, None] if y.ndim == 1 else y
    g2 = np.asarray(g)
    if x.ndim == 1:
        g2 = np.expand_dims(g2, -2)
    if y.ndim == 1:
        g2 = np.expand_dims(g2, -1)
    ga = gb = None
    if sa is not None:
        ga = unbroadcast(g2 @ np.swapaxes(y2, -1, -2), x2.shape).reshape(sa)
    if sb is not None:
        gb = unbroadcast(np.swapaxes(x2, -1, -2) @ g2, y2.shape).reshape(sb)
    return _grads(kind, ga, gb)


# --------------------------------------------------------------------------- n-ary
def concatenate(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join along an existing axis; ∂/∂input_i = the slice of g that input_i filled."""
    items, arrays, data, ax = _join(tensors, axis, np.concatenate, "concatenate",
                                    "do not join", "equal sizes except on that axis")
    offsets = np.cumsum([a.shape[ax] for a in arrays])[:-1]
    return _nary(items, data, _concatenate_rule, (ax, offsets), "concatenate")


def stack(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join along a new axis; ∂/∂input_i = g[..., i, ...] along that axis."""
    items, _, data, ax = _join(tensors, axis, np.stack, "stack", "cannot be stacked",
                               "equal shapes")
    return _nary(items, data, _stack_rule, ax, "stack")


def _join(tensors: Sequence[ArrayLike], axis: int, join: Any, op: str, fails: str,
          expected: str) -> tuple[list, list[np.ndarray], np.ndarray, int]:
    """The forward half shared by concatenate and stack, with one error message for both."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{op}: axis must be an int, got {axis!r}; expected the axis to join "
                        "along (flatten first, t.reshape(-1), to join flat)")
    items = [_operand(x, op) for x in tensors]
    arrays = [np.asarray(_val(x)) for x in items]
    try:
        data = join(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError) as error:
        shapes = ", ".join(f"{a.shape} ({_label(x)})" for a, x in zip(arrays, items))
        raise ValueError(f"{op}: shapes {shapes} {fails} along axis {axis}; "
                         f"expected {expected} ({error})") from None
    return items, arrays, data, normalize_axis_index(axis, data.ndim)


def _nary(items: list, data: np.ndarray, rule: Any, ctx: Any, op: str) -> Tensor:
    """The node of concatenate or stack; its ctx holds ``at``, each parent's position among
    the items (the others are constants), for the rule to pick that parent's part of g."""
    at = [i for i, x in enumerate(items) if isinstance(x, Tensor)]
    parents = tuple(items[i] for i in at)
    requires_grad = any(p.requires_grad for p in parents)
    return _result(data, parents, rule, (at, ctx), op, requires_grad)


@saves(nothing)
def _concatenate_rule(node: Tensor, g: Any) -> tuple:
    at, (ax, offsets) = node._ctx
    pieces = np.split(g, offsets, axis=ax)
    return tuple(pieces[i] if p.requires_grad else None for i, p in zip(at, node._a))


@saves(nothing)
def _stack_rule(node: Tensor, g: Any) -> tuple:
    at, ax = node._ctx
    moved = np.moveaxis(g, ax, 0)
    return tuple(moved[i] if p.requires_grad else None for i, p in zip(at, node._a))


def where(condition: Any, a: ArrayLike, b: ArrayLike) -> Tensor:
    """a where condition holds, else b; ∂/∂a = g where condition, ∂/∂b = g elsewhere."""
    cond = np.asarray(_val(condition), dtype=bool)
    a, b, x, y, parents, ctx = _operands(a, b, "where")
    try:
        data = np.where(cond, x, y)
    except ValueError:
        raise ValueError(f"where: condition {cond.shape}, {_shape(a)} ({_label(a)}) "
                         f"and {_shape(b)} ({_label(b)}) do not broadcast") from None
    return _result(data, parents, _where_rule, (cond, *ctx), "where",
                   ctx[2] is not None or ctx[3] is not None)


@saves(nothing)
def _where_rule(node: Tensor, g: Any) -> tuple:
    cond, _, _, sa, sb, kind = node._ctx
    return _grads(kind, None if sa is None else unbroadcast(np.where(cond, g, 0.0), sa),
                  None if sb is None else unbroadcast(np.where(cond, 0.0, g), sb))


def maximum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Elementwise max(a, b); ∂/∂a = 1 where a > b, ∂/∂b = 1 where b > a, ½ each at ties
    (as PyTorch)."""
    return _binary(a, b, np.maximum, _maximum_rule, "maximum")


@saves(inputs)
def _maximum_rule(node: Tensor, g: Any) -> tuple:
    x, y, sa, sb, kind = node._ctx
    share = (x > y) + 0.5 * (x == y)  # a's share of g
    return _grads(kind, None if sa is None else unbroadcast(g * share, sa),
                  None if sb is None else unbroadcast(g * (1.0 - share), sb))


# Imported last: tensor.py imports this module at its end, once these names exist there.
from .tensor import _FLOATS, Tensor, _ndarray, _operand, _result  # noqa: E402
