"""Unrolled parameters, the course's ``nn_params``: every Θ^(l) flattened into one vector
for an optimiser or a gradient check, and back.

:func:`unroll` and :func:`roll` are each other's inverse. Layers go in order l = 1, 2, ...
and each matrix is flattened in ``order``: "C" row by row (NumPy's ``ravel()``, the default)
or "F" down the columns (the course's Octave ``[Theta1(:); Theta2(:)]``). The two orders hold
the same numbers in a different sequence: a vector unrolled one way and rolled back the
other scrambles every Θ^(l).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any, Literal

import numpy as np

__all__ = ["ORDERS", "check_order", "roll", "shapes", "unroll"]

ORDERS = ("C", "F")  # row-major (NumPy's ravel) and column-major (Octave's Theta1(:))

Shapes = Mapping[int, tuple[int, ...]]


def shapes(sizes: Sequence[int]) -> dict[int, tuple[int, int]]:
    """The shape of Θ^(l) for layer sizes s_1..s_L: s_{l+1} × (s_l + 1), l = 1..L−1."""
    return {l: (s_next, s + 1) for l, (s, s_next) in enumerate(pairwise(sizes), start=1)}


Order = Literal["C", "F"]


def check_order(order: Any, caller: str) -> Order:
    """``order`` as "C" or "F", or a ValueError naming both and what each means."""
    if order not in ORDERS:
        raise ValueError(f"{caller}: order must be 'F' (column-major, Octave's "
                         f"[Theta1(:); Theta2(:)]) or 'C' (row-major, NumPy's ravel()), "
                         f"got {order!r}")
    return "C" if order == "C" else "F"


def unroll(layers: Mapping[int, np.ndarray], order: str = "C") -> np.ndarray:
    """Every layer's matrix flattened (row-major "C" or column-major "F") and joined in
    layer order: Θ^(1), Θ^(2), ... into one vector (or D^(1), D^(2), ..., ``grad(:)``)."""
    order = check_order(order, "unroll")
    return np.concatenate([np.ravel(layers[l], order=order) for l in sorted(layers)])


def roll(vector: Any, like: Shapes, caller: str = "roll", order: str = "C"
         ) -> dict[int, np.ndarray]:
    """The inverse of :func:`unroll`: ``vector`` cut into matrices of the shapes in ``like``
    (layer -> shape), in layer order, each filled in ``order`` ("C" or "F"). The matrices
    are views of ``vector`` when it is a float64 array already; a vector of the wrong
    length is a ValueError from ``caller``."""
    order = check_order(order, caller)
    p = np.asarray(vector, dtype=np.float64)
    n = sum(int(np.prod(like[l])) for l in like)
    if p.shape != (n,):
        layout = ", ".join(f"{'×'.join(map(str, like[l]))}" for l in sorted(like))
        raise ValueError(f"{caller}: params has shape {p.shape}; expected ({n},), the "
                         f"matrices {layout} unrolled")
    out, start = {}, 0
    for l in sorted(like):
        size = int(np.prod(like[l]))
        out[l] = p[start:start + size].reshape(like[l], order=order)
        start += size
    return out
