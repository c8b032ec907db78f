"""Numerically stable sigmoid and softplus on NumPy arrays (no Tensor, no graph).

Both are finite for every input and add no epsilon; neither overflows where the naive
formulas do (1/(1 + e^-x) for x ≪ 0, ln(1 + e^x) for x ≫ 0). The Tensor ops
(:mod:`microgradnn.tensor_ops`) compute their values and gradients with these.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit

__all__ = ["sigmoid", "softplus"]

# Per dtype, the x above which e^-x is finite (e^700 < 1.8e308 in float64, e^85 < 3.4e38 in
# float32): where every entry is above it, 1/(1 + e^-x) cannot overflow.
_EXP_SAFE = {np.dtype(np.float64): -700.0, np.dtype(np.float32): -85.0}


def sigmoid(x: np.ndarray) -> Any:
    """σ(x) = 1/(1 + e^-x), finite and accurate for every x.

    Stable because this module evaluates e^-x only where it cannot overflow: when every
    entry is above ``_EXP_SAFE`` (and the array is large) the formula itself, accurate to a
    few ulps and about three times faster than SciPy's expit; otherwise (and on small
    arrays, where expit's one call is cheaper) SciPy's ``expit``, finite for every x.
    """
    if x.size >= 512 and x.min() > _EXP_SAFE.get(x.dtype, np.inf):
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
