"""Two fixed networks from the course: the lecture's 2-2-2-1 picture and the gradient check.

* :func:`lecture_network` — "Backpropagation Intuition"'s network: two inputs, two hidden
  layers of two units, one output, with fixed weights and one example (``net.example``);
  used by the demo, the docs and the drawings.
* :func:`check_gradients` — the course's ``checkNNGradients``: a 3-5-3 network on m = 5
  examples, debug weights and debug data, labels 1 + (t mod 3), backprop against central
  differences (and against both engines); every row must agree to 1e-9, as the course asks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validate import integer
from .compare import Comparison
from .init import debug_weights
from .network import Network

__all__ = ["LECTURE_THETA", "check_gradients", "lecture_network"]

# Fixed weights for the lecture's 2-2-2-1 network, Θ^(l) with the bias in column 0.
# Every weight is non-zero and no two are equal, so each δ in the picture is distinct and
# every edge carries a visible share of the δ to its right. (The lecture's quiz sets
# Θ_11^(2) = Θ_21^(2) = 0 to ask what happens; that is a variation on these weights.)
LECTURE_THETA = {
    1: np.array([[0.10, 0.30, -0.50],
                 [-0.20, 0.40, 0.60]]),
    2: np.array([[0.20, -0.70, 0.50],
                 [-0.10, 0.80, -0.30]]),
    3: np.array([[0.15, 0.90, -0.60]]),
}
LECTURE_EXAMPLE = (np.array([1.0, 0.5]), np.array([1.0]))


def lecture_network(activation: str = "sigmoid") -> Network:
    """The lecture's 2-2-2-1 network with fixed weights; ``net.example`` is (x, y)."""
    net = Network([2, 2, 2, 1], thetas={l: T.copy() for l, T in LECTURE_THETA.items()},
                  activation=activation)
    net.example = (LECTURE_EXAMPLE[0].copy(), LECTURE_EXAMPLE[1].copy())
    return net


CHECK_ENGINES = ("loop", "tensor", "scalar", "numerical")
CHECK_TOLERANCE = 1e-9  # the course's bar: norm(numgrad − grad)/norm(numgrad + grad) below it


def check_gradients(lam: float = 0.0, *, sizes: Sequence[int] = (3, 5, 3), m: int = 5,
                    engines: Sequence[str] = CHECK_ENGINES, progress: bool = False
                    ) -> Comparison:
    """The course's gradient check (checkNNGradients): by default sizes 3-5-3, m = 5.

    Θ^(l) = debug_weights(s_{l+1}, s_l); X = debug_weights(m, s_1 − 1) (m × s_1);
    labels y^(t) = 1 + (t mod K) in the course's 1-based numbering, i.e. t mod K here
    (t mod 2 when K = 1, so that both 0/1 labels occur).
    Returns the :class:`Comparison`; ``cmp.relative("numerical", "D unrolled")`` is the
    course's number norm(numgrad − grad)/norm(numgrad + grad), which must be below 1e-9
    (``cmp.ok`` holds every row to that). PyTorch is left out by default (importing it
    takes longer than the check); pass ``engines=(..., "torch")`` to include it.
    ``progress=True`` shows a progress bar while central differences run.
    """
    m = integer(m, "m", "check_gradients")
    net = Network(sizes, init="debug")
    X = debug_weights(m, net.sizes[0] - 1)
    y = np.arange(1, m + 1) % max(net.K, 2)  # 1 + mod(1:m, K) in 1-based labels
    return net.compare(X, y, lam, engines=engines, numerical_tolerance=CHECK_TOLERANCE,
                       progress=progress)
