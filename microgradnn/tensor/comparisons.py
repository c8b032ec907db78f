"""Tensor comparisons: ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` give plain boolean arrays.

No gradient (a comparison is piecewise constant), ``==`` and ``!=`` too, as in NumPy and
PyTorch. Functions of a Tensor ``t``, set on the class as its operators (``Tensor.__eq__ =
eq``). Sets and dicts still find a node: they hash by identity and test identity before
``==``, and distinct nodes have distinct hashes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .apply import value

__all__ = ["eq", "ge", "gt", "le", "lt", "ne"]


def eq(t: Any, other: object) -> np.ndarray:
    return t.data == value(other)


def ne(t: Any, other: object) -> np.ndarray:
    return t.data != value(other)


def lt(t: Any, other: Any) -> np.ndarray:
    return t.data < value(other)


def le(t: Any, other: Any) -> np.ndarray:
    return t.data <= value(other)


def gt(t: Any, other: Any) -> np.ndarray:
    return t.data > value(other)


def ge(t: Any, other: Any) -> np.ndarray:
    return t.data >= value(other)
