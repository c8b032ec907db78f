"""The op table: every Tensor op once, with its forward, one VJP per argument, and what
each VJP reads from the forward (for the version check).

In the style of HIPS autograd's ``defvjp`` and Autodidax's rule dictionaries. A VJP is
``vjp(g, ans, x[, y], *params)``: g = ∂root/∂out, ans the op's output, x and y its
arguments' values; it returns ∂root/∂argument, before :func:`~.entries.unbroadcast`, which the
wrapper in :mod:`~microgradnn.tensor.apply` applies with the constant-skipping, dtype casting
and version bookkeeping common to every op. VJPs are plain array code written with
operators, methods that Tensor has (``.sum``, ``.reshape``, ``.transpose``, ``.T``) and the
NumPy functions NumPy dispatches to Tensors, so the same rules can be evaluated on Tensors
(higher-order derivatives); the kernels they call take their fast paths only on ndarrays.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from . import kernels
from .apply import is_tensor, label, shape_of, unary
from .entries import Binary, Nary, Unary, same, unbroadcast

__all__ = ["BINARY", "NARY", "UNARY"]


# --------------------------------------------------------------------------- elementwise
def _pow_number(x: Any, n: float) -> Any:
    return x * x if n == 2 else x**n


def _pow_number_vjp(g: Any, ans: Any, x: Any, n: float) -> Any:
    if n == 2:
        return g * (2.0 * x)
    if n == 0:
        return np.zeros_like(x)
    return g * (n * x ** (n - 1))


def _clip_vjp(g: Any, ans: Any, x: Any, low: float | None, high: float | None) -> Any:
    inside = np.ones(x.shape, dtype=bool)
    if low is not None:
        inside &= x >= low
    if high is not None:
        inside &= x <= high
    return g * inside


NEG = Unary("neg", np.negative, (lambda g, ans, x: -g,), ("",))
POW_NUMBER = Unary("**", _pow_number, (_pow_number_vjp,), ("x",))
EXP = Unary("exp", np.exp, (lambda g, ans, x: g * ans,), ("ans",))
LOG = Unary("log", np.log, (lambda g, ans, x: g / x,), ("x",))
SQRT = Unary("sqrt", np.sqrt, (lambda g, ans, x: g / (2.0 * ans),), ("ans",))
TANH = Unary("tanh", np.tanh, (lambda g, ans, x: g * (1.0 - ans * ans),), ("ans",))
SIGMOID = Unary("sigmoid", kernels.sigmoid, (kernels.sigmoid_vjp,), ("ans",))
# max(0, a) > 0 exactly where a > 0 (PyTorch saves the output too)
RELU = Unary("relu", lambda x: np.maximum(x, 0.0), (lambda g, ans, x: g * (ans > 0),),
             ("ans",))
SOFTPLUS = Unary("softplus", kernels.softplus, (kernels.softplus_vjp,), ("x",))
ABS = Unary("abs", np.abs, (lambda g, ans, x: g * np.sign(x),), ("x",))
CLIP = Unary("clip", np.clip, (_clip_vjp,), ("x",))


# --------------------------------------------------------------------------- reductions
def _kept(g: Any, ans: Any, axes: tuple[int, ...], keepdims: bool) -> tuple[Any, Any]:
    """(ans, g) of a reduction with the reduced axes back as size 1, so that both broadcast
    against the input."""
    if not keepdims:
        ans, g = np.expand_dims(ans, axes), np.expand_dims(g, axes)
    return ans, g


_add_reduce = np.add.reduce


def _sum(x: Any, axes: tuple[int, ...] | None = None, keepdims: bool = False,
         scale: float = 1.0) -> Any:
    if axes is None and not keepdims:
        # everything, to a number: the common case; x.sum() is this same reduction behind a
        # Python-level wrapper (numpy/_core/_methods.py)
        return _add_reduce(x, None)
    return x.sum(axis=axes, keepdims=keepdims)


def _mean(x: Any, axes: tuple[int, ...] | None, keepdims: bool, scale: float) -> Any:
    return x.mean(axis=axes, keepdims=keepdims)


def _sum_vjp(g: Any, ans: Any, x: Any, axes: tuple[int, ...] | None = None,
             keepdims: bool = False, scale: float = 1.0) -> Any:
    """g·scale repeated along the summed axes (scale = 1 for sum, 1/n for mean)."""
    if scale != 1.0:
        g = g * scale
    if axes is not None and not keepdims and g.ndim:  # put the summed axes back, as size 1
        g = g.reshape(tuple(1 if i in axes else n for i, n in enumerate(x.shape)))
    return kernels.spread(g, x.shape, x.size)


def _extremum_vjp(g: Any, ans: Any, x: Any, fn: Any, axes: tuple[int, ...],
                  keepdims: bool) -> Any:
    """1/k of g to each of the k entries equal to the extremum, 0 to the others."""
    ans, g = _kept(g, ans, axes, keepdims)
    hit = x == ans
    return hit * (g / hit.sum(axis=axes, keepdims=True))


def _extremum(x: Any, fn: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
    return fn(x, axis=axes, keepdims=keepdims)


def _logsumexp(x: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
    out = kernels.logsumexp(x, axes)
    return out if keepdims else out.squeeze(axes)


def _logsumexp_vjp(g: Any, ans: Any, x: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
    ans, g = _kept(g, ans, axes, keepdims)
    return g * np.exp(x - ans)


def _softmax(x: Any, ax: int) -> Any:
    if x.size == 0:  # nothing to normalise: an empty result, as NumPy/PyTorch
        return x.copy()
    e = np.exp(x - x.max(axis=ax, keepdims=True))
    e /= e.sum(axis=ax, keepdims=True)
    return e


def _softmax_vjp(g: Any, ans: Any, x: Any, ax: int) -> Any:
    gs = g * ans
    return gs - ans * gs.sum(axis=ax, keepdims=True)


# params: (axes, keepdims, scale); a sum of everything, the common case, gives none (its
# forward and VJP then run without a *params call)
SUM = Unary("sum", _sum, (_sum_vjp,), ("",))
MEAN = Unary("mean", _mean, (_sum_vjp,), ("",))
MAX = Unary("max", _extremum, (_extremum_vjp,), ("x ans",))
MIN = Unary("min", _extremum, (_extremum_vjp,), ("x ans",))
LOGSUMEXP = Unary("logsumexp", _logsumexp, (_logsumexp_vjp,), ("x ans",))
SOFTMAX = Unary("softmax", _softmax, (_softmax_vjp,), ("ans",))
LOG_SOFTMAX = Unary(
    "log_softmax", lambda x, ax: x - kernels.logsumexp(x, (ax,)),
    (lambda g, ans, x, ax: g - np.exp(ans) * g.sum(axis=ax, keepdims=True),), ("ans",))


# --------------------------------------------------------------------------- shapes
def _is_basic(index: Any) -> bool:
    """Slices, ints, None and ... only: each element is picked at most once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, slice | int | np.integer)
               for p in parts)


def _scatter(g: Any, shape: tuple[int, ...], index: Any) -> Any:
    """g scattered back into zeros of ``shape``; repeated indices add up (np.add.at)."""
    out = np.zeros(shape, dtype=np.result_type(g, np.float32))
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def _index_vjp(g: Any, ans: Any, x: Any, index: Any) -> Any:
    """g scattered back into zeros; on a Tensor g (create_graph) the scatter is an op too,
    whose own VJP is the index again (it is linear)."""
    if is_tensor(g):
        return unary(SCATTER, g, (x.shape, index))
    return _scatter(g, x.shape, index).astype(x.dtype, copy=False)


# PyTorch's clone and astype/float/double: a copy in the graph, a cast whose gradient is cast
# back to the input's dtype
CLONE = Unary("clone", np.copy, (same,), ("",))
ASTYPE = Unary("astype", lambda x, dtype: x.astype(dtype),
               (lambda g, ans, x, dtype: g.astype(x.dtype) if is_tensor(g)
                else np.asarray(g).astype(x.dtype, copy=False),), ("",))
RESHAPE = Unary("reshape", lambda x, shape: x.reshape(shape),
                (lambda g, ans, x, shape: np.reshape(g, x.shape),), ("",))
TRANSPOSE = Unary("transpose", lambda x, perm, inverse: x.transpose(perm),
                  (lambda g, ans, x, perm, inverse: g.transpose(inverse),), ("",))
INDEX = Unary("index", lambda x, index: x[index], (_index_vjp,), ("",))
SCATTER = Unary("index_backward", _scatter, (lambda g, ans, x, shape, index: g[index],), ("",))

UNARY = {op.name: op for op in (NEG, EXP, LOG, SQRT, TANH, SIGMOID, RELU, SOFTPLUS, ABS,
                                CLIP, SUM, MEAN, MAX, MIN, LOGSUMEXP, SOFTMAX, LOG_SOFTMAX,
                                CLONE, ASTYPE, RESHAPE, TRANSPOSE, INDEX, SCATTER)}


# --------------------------------------------------------------------------- two arguments
def _pow_vjp_base(g: Any, ans: Any, x: Any, y: Any) -> Any:
    """b·a^(b-1), 0 where b = 0, even at a = 0 (0·0^-1 is not nan)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return g * np.where(y == 0, 0.0, y * x ** (y - 1.0))


def _pow_vjp_exponent(g: Any, ans: Any, x: Any, y: Any) -> Any:
    """a^b·ln a: 0 at a = 0 for b ≥ 0, −inf there for b < 0 (PyTorch)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return g * np.where((x == 0) & (y >= 0), 0.0, ans * np.log(x))


def _matmul(x: Any, y: Any) -> Any:
    try:  # the common case, checked in one line (kernels.mm checks for arrays)
        matrices = x.ndim == 2 and y.ndim == 2 and x.shape[1] == y.shape[0]
    except AttributeError:  # a number operand (2.0 @ t) has no .ndim
        matrices = False
    if matrices:
        return kernels.mm(x, y)
    if not np.ndim(x) or not np.ndim(y):
        raise ValueError("matmul: both operands need at least one dimension")
    return x @ y


def _explain_matmul(a: Any, b: Any, x: Any, y: Any) -> None:
    """Raise the error of a failed x @ y, naming the shapes and the nodes."""
    xs, ys = np.shape(x), np.shape(y)
    names = f"({label(a)} @ {label(b)})"
    if not xs or not ys:
        raise ValueError(f"matmul: {xs} @ {ys} — both operands need at least one dimension "
                         f"{names}")
    inner = ys[0] if len(ys) == 1 else ys[-2]
    if xs[-1] != inner:
        raise ValueError(f"matmul: {xs} @ {ys} — inner dimensions {xs[-1]} and {inner} "
                         f"differ {names}")
    raise ValueError(f"matmul: {xs} @ {ys} — batch dimensions {xs[:-2]} and {ys[:-2]} "
                     f"do not broadcast {names}")


def _matmul_vjp_a(g: Any, ans: Any, x: Any, y: Any) -> Any:
    """∂/∂a = g @ bᵀ."""
    if x.ndim == 2 and y.ndim == 2:
        return kernels.mm(g, y.T)
    return _matmul_vjp(g, x, y, True)


def _matmul_vjp_b(g: Any, ans: Any, x: Any, y: Any) -> Any:
    """∂/∂b = aᵀ @ g."""
    if x.ndim == 2 and y.ndim == 2:
        return kernels.mm(x.T, g)
    return _matmul_vjp(g, x, y, False)


def _matmul_vjp(g: Any, x: Any, y: Any, left: bool) -> Any:
    """The VJPs of a @ b beyond two matrices, with NumPy's 1-D rules: a vector on the left is
    a row (1, n), on the right a column (n, 1); summed over broadcast batch axes."""
    if x.ndim == 1 and y.ndim == 1:  # the dot product: g is a number
        return g * y if left else g * x
    x2 = x[None, :] if x.ndim == 1 else x
    y2 = y[:, None] if y.ndim == 1 else y
    g2 = g if is_tensor(g) else np.asarray(g)
    if x.ndim == 1:
        g2 = np.expand_dims(g2, -2)
    if y.ndim == 1:
        g2 = np.expand_dims(g2, -1)
    if left:
        return unbroadcast(g2 @ np.swapaxes(y2, -1, -2), x2.shape).reshape(x.shape)
    return unbroadcast(np.swapaxes(x2, -1, -2) @ g2, y2.shape).reshape(y.shape)


def _maximum_share(x: Any, y: Any) -> Any:
    """a's share of g: 1 where a > b, ½ at ties (as PyTorch), 0 where b > a."""
    return (x > y) + 0.5 * (x == y)


# (scalar=: the operator that computes the same on NumPy scalars, for 0-d operands; see Op)
ADD = Binary("+", np.add, (same, same), ("", ""), scalar=operator.add)
SUB = Binary("-", np.subtract, (same, lambda g, ans, x, y: -g), ("", ""), scalar=operator.sub)
MUL = Binary("*", np.multiply, (lambda g, ans, x, y: g * y, lambda g, ans, x, y: g * x),
             ("y", "x"), scalar=operator.mul)
DIV = Binary("/", np.true_divide,
             (lambda g, ans, x, y: g / y, lambda g, ans, x, y: -g * ans / y), ("y", "y ans"),
             scalar=operator.truediv)
POW = Binary("**", np.power, (_pow_vjp_base, _pow_vjp_exponent), ("x y", "x ans"))
MATMUL = Binary("matmul", _matmul, (_matmul_vjp_a, _matmul_vjp_b), ("y", "x"), _explain_matmul)
MAXIMUM = Binary("maximum", np.maximum,
                 (lambda g, ans, x, y: g * _maximum_share(x, y),
                  lambda g, ans, x, y: g * (1.0 - _maximum_share(x, y))), ("x y", "x y"))
def _explain_where(a: Any, b: Any, x: Any, y: Any, cond: Any) -> None:
    raise ValueError(f"where: condition {cond.shape}, {shape_of(a)} ({label(a)}) "
                     f"and {shape_of(b)} ({label(b)}) do not broadcast")


WHERE = Binary("where", lambda x, y, cond: np.where(cond, x, y),
               (lambda g, ans, x, y, cond: np.where(cond, g, 0.0),
                lambda g, ans, x, y, cond: np.where(cond, 0.0, g)), ("", ""), _explain_where)

BINARY = {op.name: op for op in (ADD, SUB, MUL, DIV, POW, MATMUL, MAXIMUM, WHERE)}


# --------------------------------------------------------------------------- many arguments
def _concatenate_vjp(g: Any, ans: Any, i: int, ax: int, bounds: list[int]) -> Any:
    """The slice of g that argument i filled along the axis."""
    return g[(slice(None),) * ax + (slice(bounds[i], bounds[i + 1]),)]


def _stack_vjp(g: Any, ans: Any, i: int, ax: int) -> Any:
    """g[..., i, ...] along the new axis."""
    return g[(slice(None),) * ax + (i,)]


CONCATENATE = Nary("concatenate", np.concatenate, (_concatenate_vjp,), ("",))
STACK = Nary("stack", np.stack, (_stack_vjp,), ("",))

NARY = {op.name: op for op in (CONCATENATE, STACK)}
