"""How a learner's function expects its inputs: two independent choices, plus y's shape.

* ``order``  — how ``nn_params`` and ``grad`` are unrolled: "F" column-major, the course's
  Octave ``[Theta1(:); Theta2(:)]``, or "C" row-major, NumPy's ``ravel()``;
* ``labels`` — the base of y: 1 (classes 1..K, as in the course) or 0 (0..K−1);
* ``y``      — the shape y arrives in: "column" (m × 1, as the course's ``load``),
  "vector" (m,) or "one-hot" (m × K, where the base does not matter).

"octave" is F/1, "numpy" is C/0. An .m file is held to the course's F/1; a Python function
is graded in the convention it follows (found by running it in each, see :mod:`.grading`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np

from ..params import ORDERS, roll, shapes, unroll
from .cases import Case
from .errors import GradeUsageError

__all__ = ["COURSE", "NAMED", "Convention", "candidates", "parse"]

Y_SHAPES = ("column", "vector", "one-hot")


@dataclass(frozen=True)
class Convention:
    """One way of calling the function: ``order`` "F"/"C", ``labels`` 1/0, ``y`` shape."""

    order: str = "F"
    labels: int = 1
    y: str = "column"

    def __str__(self) -> str:
        major = "column-major" if self.order == "F" else "row-major"
        base = "labels 1..K" if self.labels == 1 else "labels 0..K−1"
        if self.y == "one-hot":
            base = "y one-hot (m × K)"
        elif self.y == "vector":
            base += ", y of shape (m,)"
        return f"order {self.order} ({major}), {base}"

    @property
    def name(self) -> str:
        """"octave" (F/1), "numpy" (C/0) or "F/0", "C/1"."""
        return {("F", 1): "octave", ("C", 0): "numpy"}.get((self.order, self.labels),
                                                            f"{self.order}/{self.labels}")

    def params(self, case: Case) -> np.ndarray:
        """``nn_params`` as this convention unrolls Θ^(1), Θ^(2)."""
        return unroll(case.theta, self.order)

    def y_for(self, case: Case) -> np.ndarray:
        """The labels as this convention passes them."""
        if self.y == "one-hot":
            return case.Y.copy()
        y = case.labels.astype(np.int64) + self.labels
        return y.reshape(-1, 1) if self.y == "column" else y

    def roll(self, grad: np.ndarray, case: Case, order: str | None = None
             ) -> dict[int, np.ndarray]:
        """The learner's ``grad`` as D^(1), D^(2), read back in ``order`` (default: ours)."""
        return roll(grad, shapes(case.sizes), "grade", order=order or self.order)


COURSE = Convention("F", 1, "column")
NAMED = {"octave": COURSE, "numpy": Convention("C", 0, "vector")}


def parse(convention: Any, order: Any = None, labels: Any = None) -> dict[str, Any]:
    """The fixed parts of the convention: {} for "auto", else order and/or labels.

    A ValueError names what was wrong and what is accepted."""
    fixed: dict[str, Any] = {}
    if convention in NAMED:
        fixed = {"order": NAMED[convention].order, "labels": NAMED[convention].labels}
    elif convention != "auto":
        raise GradeUsageError(f"grade: convention must be 'auto', 'octave' (column-major, labels "
                         f"1..K) or 'numpy' (row-major, labels 0..K−1), got {convention!r}")
    if order is not None:
        if order not in ORDERS:
            raise GradeUsageError(f"grade: order must be 'F' (column-major, Octave's Theta1(:)) "
                             f"or 'C' (row-major, NumPy's ravel()), got {order!r}")
        fixed["order"] = order
    if labels is not None:
        if str(labels) not in ("0", "1"):
            raise GradeUsageError(f"grade: labels must be 1 (classes 1..K, the course) or 0 "
                             f"(0..K−1), got {labels!r}")
        fixed["labels"] = int(labels)
    return fixed


def candidates(fixed: dict[str, Any], y_shapes: tuple[str, ...]) -> list[Convention]:
    """Every convention consistent with ``fixed``: the course's F/1 first, then NumPy's C/0
    (ties between conventions the function cannot tell apart go to the first)."""
    out = []
    for y, (order, base) in product(y_shapes, (("F", 1), ("C", 0), ("C", 1), ("F", 0))):
        if fixed.get("order", order) != order or fixed.get("labels", base) != base:
            continue
        if y == "one-hot" and base == 0 and "labels" not in fixed:
            continue  # the base does not reach a one-hot y
        out.append(Convention(order, base, y))
    return out
