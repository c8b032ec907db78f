"""Unrolled parameters, the course's ``nn_params``: every Θ^(l) flattened into one vector
for an optimiser or a gradient check, and back.

:func:`unroll` and :func:`roll` are each other's inverse. Layers go in order l = 1, 2, ...
and each matrix is flattened row by row (NumPy's order; the course's MATLAB ``Theta1(:)``
runs down the columns instead, which changes nothing but the order of the entries).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

import numpy as np

__all__ = ["roll", "shapes", "unroll"]

Shapes = Mapping[int, tuple[int, ...]]


def shapes(sizes: Sequence[int]) -> dict[int, tuple[int, int]]:
    """The shape of Θ^(l) for layer sizes s_1..s_L: s_{l+1} × (s_l + 1), l = 1..L−1."""
    return {l: (s_next, s + 1) for l, (s, s_next) in enumerate(pairwise(sizes), start=1)}


def unroll(layers: Mapping[int, np.ndarray]) -> np.ndarray:
    """Every layer's matrix flattened (row-major) and joined in layer order: Θ^(1), Θ^(2),
    ... into one vector (or D^(1), D^(2), ..., the course's ``grad(:)``)."""
    return np.concatenate([np.ravel(layers[l]) for l in sorted(layers)])


def roll(vector: Any, like: Shapes, caller: str = "roll") -> dict[int, np.ndarray]:
    """The inverse of :func:`unroll`: ``vector`` cut into matrices of the shapes in ``like``
    (layer -> shape), in layer order. The matrices are views of ``vector`` when it is a
    float64 array already; a vector of the wrong length is a ValueError from ``caller``."""
    p = np.asarray(vector, dtype=np.float64)
    n = sum(int(np.prod(like[l])) for l in like)
    if p.shape != (n,):
        layout = ", ".join(f"{'×'.join(map(str, like[l]))}" for l in sorted(like))
        raise ValueError(f"{caller}: params has shape {p.shape}; expected ({n},), the "
                         f"matrices {layout} unrolled")
    out, start = {}, 0
    for l in sorted(like):
        size = int(np.prod(like[l]))
        out[l] = p[start:start + size].reshape(like[l])
        start += size
    return out
