"""Tensor ops with several inputs: the rules of + - * / ** @, and maximum, where,
concatenate, stack.

Each rule is ``rule(node, g) -> contributions``, one per operand that is a node, ``None``
for one that does not require grad; gradients of broadcast operands go through the one
:func:`~microgradnn.tensor.unbroadcast`. The derivatives are stated in the docstrings of
the Tensor methods (for operators) and of the functions here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

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


def _pick(a: Any, b: Any, ga: Any, gb: Any) -> tuple:
    """The contributions for the operands that are nodes, in parent order."""
    if isinstance(a, Tensor):
        return (ga, gb) if isinstance(b, Tensor) else (ga,)
    return (gb,)


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` back to ``shape``: the backward of NumPy broadcasting.

    Broadcasting copies an operand along new leading axes and along its size-1 axes, so
    ∂/∂operand adds up the copies: sum over the leading axes, then (keeping them) over the
    axes where the operand had size 1.
    """
    gshape = np.shape(grad)
    if gshape == shape:
        return grad
    extra = len(gshape) - len(shape)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


def _binary(a: Any, b: Any, fn: Any, rule: Any, op: str) -> Tensor:
    """Run NumPy's fn on two operands (at least one a Tensor) and record the node."""
    if a.__class__ is Tensor and b.__class__ is Tensor:
        x, y = a.data, b.data
        parents: tuple = (a, b)
        requires_grad = a.requires_grad or b.requires_grad
    else:
        a, b = _operand(a, op), _operand(b, op)
        x, y = _val(a), _val(b)
        parents = tuple(p for p in (a, b) if isinstance(p, Tensor))
        requires_grad = any(p.requires_grad for p in parents)
    try:
        data = fn(x, y)
    except ValueError:
        raise ValueError(
            f"{op}: shapes {_shape(a)} ({_label(a)}) and {_shape(b)} ({_label(b)}) do not "
            "broadcast — expected equal sizes, or 1, in each trailing dimension") from None
    return _result(data, parents, rule, (a, b), op, requires_grad)


# --------------------------------------------------------------------------- arithmetic
def _add_rule(node: Tensor, g: Any) -> tuple:
    a, b = node._ctx
    return _pick(a, b, unbroadcast(g, a.data.shape) if _wants(a) else None,
                 unbroadcast(g, b.data.shape) if _wants(b) else None)


def _sub_rule(node: Tensor, g: Any) -> tuple:
    a, b = node._ctx
    return _pick(a, b, unbroadcast(g, a.data.shape) if _wants(a) else None,
                 -unbroadcast(g, b.data.shape) if _wants(b) else None)


def _mul_rule(node: Tensor, g: Any) -> tuple:
    a, b = node._ctx
    return _pick(a, b, unbroadcast(g * _val(b), a.data.shape) if _wants(a) else None,
                 unbroadcast(g * _val(a), b.data.shape) if _wants(b) else None)


def _div_rule(node: Tensor, g: Any) -> tuple:
    a, b = node._ctx
    y = _val(b)
    return _pick(a, b, unbroadcast(g / y, a.data.shape) if _wants(a) else None,
                 unbroadcast(-g * node.data / y, b.data.shape) if _wants(b) else None)


def _neg_rule(node: Tensor, g: Any) -> tuple:
    return (-g,)


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


def _pow_rule(node: Tensor, g: Any) -> tuple:
    a, b = node._ctx
    x, y = _val(a), _val(b)
    ga = gb = None
    if _wants(a):
        ga = unbroadcast(g * y * x ** (y - 1.0), a.data.shape)
    if _wants(b):
        positive = x > 0
        log_x = np.log(np.where(positive, x, 1.0))  # a^b·ln a → 0 at a = 0, as PyTorch
        gb = unbroadcast(g * node.data * log_x, b.data.shape)
    return _pick(a, b, ga, gb)


def _matmul(a: Any, b: Any) -> Tensor:
    a, b = _operand(a, "matmul"), _operand(b, "matmul")
    x, y = _val(a), _val(b)
    xs, ys = np.shape(x), np.shape(y)
    if not xs or not ys:
        raise ValueError(f"matmul: {xs} @ {ys} — both operands need at least one dimension "
                         f"({_label(a)} @ {_label(b)})")
    inner = ys[0] if len(ys) == 1 else ys[-2]
    if xs[-1] != inner:
        raise ValueError(f"matmul: {xs} @ {ys} — inner dimensions {xs[-1]} and {inner} "
                         f"differ ({_label(a)} @ {_label(b)})")
    try:
        data = x @ y
    except ValueError:
        raise ValueError(f"matmul: {xs} @ {ys} — batch dimensions {xs[:-2]} and {ys[:-2]} "
                         f"do not broadcast ({_label(a)} @ {_label(b)})") from None
    parents = tuple(p for p in (a, b) if isinstance(p, Tensor))
    requires_grad = any(p.requires_grad for p in parents)
    return _result(data, parents, _matmul_rule, (a, b), "matmul", requires_grad)


def _matmul_rule(node: Tensor, g: Any) -> tuple:
    a, b = node._ctx
    x, y = _val(a), _val(b)
    want_a, want_b = _wants(a), _wants(b)
    if x.ndim == 2 and y.ndim == 2:
        return _pick(a, b, g @ y.T if want_a else None, x.T @ g if want_b else None)
    if x.ndim == 1 and y.ndim == 1:  # the dot product: g is a number
        return _pick(a, b, g * y if want_a else None, g * x if want_b else None)
    # NumPy's 1-D rules: a vector on the left is a row (1, n), on the right a column (n, 1)
    x2 = x[None, :] if x.ndim == 1 else x
    y2 = y[:, None] if y.ndim == 1 else y
    g2 = np.asarray(g)
    if x.ndim == 1:
        g2 = np.expand_dims(g2, -2)
    if y.ndim == 1:
        g2 = np.expand_dims(g2, -1)
    ga = gb = None
    if want_a:
        ga = unbroadcast(g2 @ np.swapaxes(y2, -1, -2), x2.shape).reshape(x.shape)
    if want_b:
        gb = unbroadcast(np.swapaxes(x2, -1, -2) @ g2, y2.shape).reshape(y.shape)
    return _pick(a, b, ga, gb)


# --------------------------------------------------------------------------- n-ary
def concatenate(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join along an existing axis; ∂/∂input_i = the slice of g that input_i filled."""
    items = [_operand(x, "concatenate") for x in tensors]
    arrays = [np.asarray(_val(x)) for x in items]
    try:
        data = np.concatenate(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError) as error:
        shapes = ", ".join(f"{a.shape} ({_label(x)})" for a, x in zip(arrays, items))
        raise ValueError(f"concatenate: shapes {shapes} do not join along axis {axis}; "
                         f"expected equal sizes except on that axis ({error})") from None
    ax = normalize_axis_index(axis, data.ndim)
    offsets = np.cumsum([a.shape[ax] for a in arrays])[:-1]
    return _nary(items, data, _concatenate_rule, (ax, offsets), "concatenate")


def stack(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join along a new axis; ∂/∂input_i = g[..., i, ...] along that axis."""
    items = [_operand(x, "stack") for x in tensors]
    arrays = [np.asarray(_val(x)) for x in items]
    try:
        data = np.stack(arrays, axis=axis)
    except (ValueError, np.exceptions.AxisError) as error:
        shapes = ", ".join(f"{a.shape} ({_label(x)})" for a, x in zip(arrays, items))
        raise ValueError(f"stack: shapes {shapes} cannot be stacked along axis {axis}; "
                         f"expected equal shapes ({error})") from None
    ax = normalize_axis_index(axis, data.ndim)
    return _nary(items, data, _stack_rule, ax, "stack")


def _nary(items: list, data: np.ndarray, rule: Any, ctx: Any, op: str) -> Tensor:
    parents = tuple(x for x in items if isinstance(x, Tensor))
    requires_grad = any(p.requires_grad for p in parents)
    return _result(data, parents, rule, (items, ctx), op, requires_grad)


def _concatenate_rule(node: Tensor, g: Any) -> tuple:
    items, (ax, offsets) = node._ctx
    pieces = np.split(g, offsets, axis=ax)
    return tuple(p if x.requires_grad else None
                 for p, x in zip(pieces, items) if isinstance(x, Tensor))


def _stack_rule(node: Tensor, g: Any) -> tuple:
    items, ax = node._ctx
    moved = np.moveaxis(g, ax, 0)
    return tuple(moved[i] if x.requires_grad else None
                 for i, x in enumerate(items) if isinstance(x, Tensor))


def where(condition: Any, a: ArrayLike, b: ArrayLike) -> Tensor:
    """a where condition holds, else b; ∂/∂a = g where condition, ∂/∂b = g elsewhere."""
    cond = np.asarray(_val(condition), dtype=bool)
    a, b = _operand(a, "where"), _operand(b, "where")
    try:
        data = np.where(cond, _val(a), _val(b))
    except ValueError:
        raise ValueError(f"where: condition {cond.shape}, {_shape(a)} ({_label(a)}) "
                         f"and {_shape(b)} ({_label(b)}) do not broadcast") from None
    parents = tuple(x for x in (a, b) if isinstance(x, Tensor))
    requires_grad = any(p.requires_grad for p in parents)
    return _result(data, parents, _where_rule, (a, b, cond), "where", requires_grad)


def _where_rule(node: Tensor, g: Any) -> tuple:
    a, b, cond = node._ctx
    ga = unbroadcast(np.where(cond, g, 0.0), a.data.shape) if _wants(a) else None
    gb = unbroadcast(np.where(cond, 0.0, g), b.data.shape) if _wants(b) else None
    return _pick(a, b, ga, gb)


def maximum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Elementwise max(a, b); ∂/∂a = 1 where a > b, ∂/∂b = 1 where b > a, ½ each at ties
    (as PyTorch)."""
    return _binary(a, b, np.maximum, _maximum_rule, "maximum")


def _maximum_rule(node: Tensor, g: Any) -> tuple:
    a, b = node._ctx
    x, y = _val(a), _val(b)
    share = (x > y) + 0.5 * (x == y)  # a's share of g
    ga = unbroadcast(g * share, a.data.shape) if _wants(a) else None
    gb = unbroadcast(g * (1.0 - share), b.data.shape) if _wants(b) else None
    return _pick(a, b, ga, gb)


# Imported last: tensor.py imports this module at its end, once these names exist there.
from .tensor import Tensor, _operand, _result  # noqa: E402
