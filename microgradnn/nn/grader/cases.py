"""The test cases a learner's ``nnCostFunction`` is run on, and their reference values.

Every case is a 3-layer network (the course's signature has one hidden layer):
``input_layer_size`` s_1, ``hidden_layer_size`` s_2, ``num_labels`` K = s_3. Labels are
stored 0-based here (class indices 0..K−1); :mod:`.conventions` hands them to the learner
in the base their function expects. Each reference (J and D^(l)) comes from the Tensor
autodiff engine and is cross-checked with the hand-coded recurrence of
:mod:`microgradnn.nn.backprop`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ...check import relative_difference
from .. import backprop as bp
from ..init import debug_weights
from ..params import roll, shapes
from ..tensor_engine import tensor_autodiff

__all__ = ["PROBE", "Case", "standard_cases"]

CROSS_CHECK = 1e-9  # autodiff and the hand-coded recurrence agree to rounding (~1e-15)


@dataclass(frozen=True, eq=False)
class Case:
    """One call of the learner's function: Θ^(1), Θ^(2), X (m × s_1), labels 0..K−1, λ."""

    name: str
    theta: dict[int, np.ndarray]
    X: np.ndarray
    labels: np.ndarray  # class indices 0..K−1, shape (m,)
    lam: float
    note: str = ""

    @property
    def sizes(self) -> tuple[int, int, int]:
        s1, s2, K = self.X.shape[1], self.theta[1].shape[0], self.theta[2].shape[0]
        return s1, s2, K

    @property
    def m(self) -> int:
        return int(self.X.shape[0])

    @property
    def K(self) -> int:
        return self.sizes[2]

    @property
    def Y(self) -> np.ndarray:
        """The 0/1 matrix m × K: row t is e_k for y^(t) = k."""
        return np.eye(self.K)[self.labels]

    @property
    def single(self) -> bool:
        """One example: ∂J/∂Θ^(l)_i0 = δ_i^(l+1), so the learner's δ can be read back."""
        return self.m == 1

    @cached_property
    def reference(self) -> bp.Backprop:
        """J, δ and D^(l) from the Tensor engine, checked against the hand-coded δ."""
        ad = tensor_autodiff(self.theta, self.X, self.Y, self.lam)
        hand = bp.backprop_vectorised(self.theta, self.X, self.Y, self.lam)
        worst = max([relative_difference(ad.cost, hand.cost)] +
                    [relative_difference(ad.grad[l], hand.grad[l]) for l in ad.grad])
        if worst > CROSS_CHECK:  # pragma: no cover - a bug in the library, not the learner
            raise RuntimeError(f"grade: autodiff and hand-coded backprop disagree on case "
                               f"{self.name!r} ({worst:.2e}); please report this")
        return ad


def _published() -> dict[int, np.ndarray]:
    """The published 2-2-4 case: nn_params = (1:18)'/10, rolled as Octave does."""
    return roll(np.arange(1, 19) / 10.0, shapes((2, 2, 4)), "grade", order="F")


def _random(sizes: tuple[int, int, int], m: int, seed: int) -> tuple[dict[int, np.ndarray],
                                                                     np.ndarray]:
    rng = np.random.default_rng(seed)
    theta = {l: rng.uniform(-0.9, 0.9, shape) for l, shape in shapes(sizes).items()}
    return theta, rng.uniform(-1.0, 1.0, (m, sizes[0]))


def standard_cases() -> list[Case]:
    """The cases, in the order they are run and reported."""
    check = {l: debug_weights(s_out, s_in) for l, (s_out, s_in) in ((1, (5, 3)), (2, (3, 5)))}
    Xc = debug_weights(5, 2)  # the course's checkNNGradients data, m = 5, s_1 = 3
    yc = np.arange(1, 6) % 3  # 1 + mod(1:m, K), 0-based
    pub = _published()
    Xp = np.cos(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    yp = np.array([4, 2, 3]) - 1
    few, Xf = _random((4, 3, 6), 3, 1)
    wide, Xw = _random((8, 4, 3), 4, 2)
    big, Xb = _random((20, 10, 5), 50, 3)
    yb = np.arange(50) % 5
    return [
        Case("checkNN λ=0", check, Xc, yc, 0.0, "3-5-3, m = 5, debug weights"),
        Case("checkNN λ=3", check, Xc, yc, 3.0, "3-5-3, m = 5, debug weights"),
        Case("published λ=0", pub, Xp, yp, 0.0, "2-2-4, J = 7.4070"),
        Case("published λ=4", pub, Xp, yp, 4.0, "2-2-4, J = 19.474"),
        Case("one example λ=0", check, Xc[:1], np.array([1]), 0.0, "m = 1, y = 2"),
        Case("one example λ=1", pub, Xp[1:2], np.array([3]), 1.0, "m = 1, y = 4"),
        Case("m<K λ=1", few, Xf, np.array([5, 0, 2]), 1.0, "4-3-6, m = 3"),
        Case("m<n λ=1", wide, Xw, np.array([2, 0, 1, 0]), 1.0, "8-4-3, m = 4"),
        Case("random λ=1", big, Xb, yb, 1.0, "20-10-5, m = 50"),
    ]


PROBE = 1  # the case run in every convention to find the learner's: checkNN λ=3
