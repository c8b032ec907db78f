"""Array kernels: the numerically stable and the fast forms that the op table calls.

No Tensor and no graph here: NumPy arrays in, NumPy arrays out. Sigmoid and softplus are
finite for every input and add no epsilon; neither overflows where the naive formulas do
(1/(1 + e^-x) for x ≪ 0, ln(1 + e^x) for x ≫ 0). ``nn.backprop`` uses them too.

Each kernel that takes a faster path names the size where it pays as a constant, with the
benchmark that measured it. The kernels used by VJPs (``sigmoid_vjp``, ``softplus_vjp``,
``mm``, ``spread``) take the fast path only on ndarrays; on anything else (a Tensor, when a
rule is evaluated on Tensors) they compute the same formula with operators and methods.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from scipy.special import expit

__all__ = ["BROADCAST_VIEW_MIN", "IN_PLACE_SIGMOID_MIN", "TALL_MATMUL_RATIO", "logsumexp",
           "mm", "ones", "sigmoid", "sigmoid_vjp", "softplus", "softplus_vjp", "spread"]

_ndarray = np.ndarray
_generic = np.generic
# ndarray.dot is np.dot's own C routine without np.dot's Python-level __array_function__
# dispatcher (one Python call less per product: the small step makes seven)
_dot = np.ndarray.dot
_min = np.minimum.reduce  # x.min() without numpy's Python wrapper (numpy/_core/_methods.py)

# The fast paths below take ndarrays and NumPy scalars (0-d arithmetic gives those), tested
# inline as ``v.__class__ is _ndarray or isinstance(v, _generic)`` (a helper is a call per op).

# sigmoid: from this many entries on, the formula in place beats SciPy's expit (332 against
# 375 µs on 50,000 entries, 815 against 925 µs on the course's 5000×25 hidden layer,
# benchmarks/bench_tensor.py (a)); below, expit costs less (5.8 against 9.4 µs on the
# 32×25 layer of bench_tensor.py (b); the two meet near 8,000 entries; one thread, 2026-11-30).
IN_PLACE_SIGMOID_MIN = 8192
# matmul: an x of shape (n, k) times y of shape (k, p) with n > TALL_MATMUL_RATIO·p runs as
# (yᵀ xᵀ)ᵀ, the orientation OpenBLAS runs up to twice as fast (X 5000×400 @ Θᵀ 400×25 in
# benchmarks/bench_tensor.py (a)).
TALL_MATMUL_RATIO = 4
# sum/mean backward: from this many entries on, an intermediate's gradient is a read-only
# broadcast view of g instead of a filled array (no memory to write; benchmarks/bench_tensor.py
# (a), the 5000×10 softplus term; the 32×10 of (b) is faster filled).
BROADCAST_VIEW_MIN = 16384

# Per dtype, the x above which e^-x is finite (e^700 < 1.8e308 in float64, e^85 < 3.4e38 in
# float32): where every entry is above it, 1/(1 + e^-x) cannot overflow.
_EXP_SAFE = {np.dtype(np.float64): -700.0, np.dtype(np.float32): -85.0}


def sigmoid(x: Any) -> Any:
    """σ(x) = 1/(1 + e^-x), finite and accurate for every x.

    Stable because this evaluates e^-x only where it cannot overflow: when every entry is
    above ``_EXP_SAFE`` (and the array is large) the formula itself, accurate to a few ulps;
    otherwise (and on small arrays) SciPy's ``expit``, finite for every x.
    """
    if x.size >= IN_PLACE_SIGMOID_MIN and _min(x, None) > _EXP_SAFE.get(x.dtype, np.inf):
        s = np.negative(x)
        np.exp(s, out=s)
        s += 1.0
        np.reciprocal(s, out=s)
        return s
    return expit(x)


def softplus(x: np.ndarray) -> Any:
    """ln(1 + e^x) = logaddexp(0, x), computed as max(x, 0) + ln(1 + e^-|x|).

    Stable because e^-|x| ≤ 1 never overflows and ln(1 + ·) is log1p, exact for tiny
    arguments; the naive ln(1 + e^x) overflows to inf for x > 709 (float64). The same
    formula as np.logaddexp, about twice as fast on arrays (whose loop does not vectorise
    exp).
    """
    if not x.ndim:
        return np.logaddexp(0.0, x)
    t = np.abs(x)
    np.negative(t, out=t)
    np.exp(t, out=t)  # e^-|x| ≤ 1: never overflows
    np.log1p(t, out=t)
    t += np.maximum(x, 0.0)
    return t


def sigmoid_vjp(g: Any, s: Any, x: Any = None) -> Any:
    """g·σ'(a) = g·s(1 - s) from the output s = σ(a); on arrays in place on one temporary.
    (The op table's VJP itself: (g, ans, x).)"""
    if s.__class__ is _ndarray and (g.__class__ is _ndarray or isinstance(g, _generic)):
        d = 1.0 - s  # a fresh array: the in-place steps below touch nothing else
        d *= s
        d *= g
        return d
    return g * s * (1.0 - s)


def softplus_vjp(g: Any, ans: Any, x: Any) -> Any:
    """g·softplus'(a) = g·σ(a); on arrays through the stable :func:`sigmoid`, in place.
    (The op table's VJP itself: (g, ans, x).)"""
    if x.__class__ is _ndarray and (g.__class__ is _ndarray or isinstance(g, _generic)):
        d = sigmoid(x)
        d *= g
        return d
    if isinstance(x, np.ndarray | np.generic):
        return g * sigmoid(x)
    return g * x.sigmoid()


def mm(x: Any, y: Any) -> Any:
    """x @ y for 2-D x, y; on arrays through np.dot (less call overhead than matmul), a tall
    narrow product as (yᵀ xᵀ)ᵀ (see ``TALL_MATMUL_RATIO``), returned as a view."""
    if x.__class__ is not _ndarray or y.__class__ is not _ndarray:
        return x @ y
    if x.shape[0] > TALL_MATMUL_RATIO * y.shape[1]:
        return _dot(y.T, x.T).T
    return _dot(x, y)


def spread(g: Any, shape: tuple[int, ...], size: int) -> Any:
    """g (with the summed axes kept, as size 1) repeated to ``shape`` (``size`` entries): the
    backward of a sum.

    Large results are a read-only broadcast view (see ``BROADCAST_VIEW_MIN``; a leaf copies
    it into a gradient of its own), small ones a filled array."""
    if g.__class__ is not _ndarray and not isinstance(g, _generic):
        return g + np.zeros(shape)
    if size >= BROADCAST_VIEW_MIN:
        return np.broadcast_to(g, shape)
    out = np.empty(shape, dtype=g.dtype)
    out[...] = g
    return out


def logsumexp(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """ln Σ e^x over axes, keeping them: m + ln Σ e^(x-m) with m the (finite) maximum."""
    m = x.max(axis=axes, keepdims=True) if x.size else np.zeros((1,) * x.ndim)
    m = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore"):  # an empty sum is 0: ln 0 = −inf, as NumPy/PyTorch
        return np.log(np.exp(x - m).sum(axis=axes, keepdims=True)) + m


@functools.lru_cache(maxsize=32)
def ones(n: int, dtype: np.dtype) -> np.ndarray:
    """A read-only vector of n ones (cached): Σ over a batch as 1ᵀg, one BLAS call."""
    out = np.ones(n, dtype=dtype)
    out.flags.writeable = False
    return out
