"""A stand-in for :class:`~microgradnn.nn.Network` whose δ are the learner's, for drawing.

``draw_network`` asks a network for ``forward`` and ``backprop``; this one forwards with the
case's Θ and answers ``backprop`` with the δ read back from the learner's gradient (the bias
column, one example), so the lecture's picture shows the learner's δ on every unit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import backprop as bp
from ..network import Network

__all__ = ["LearnerNetwork"]


class LearnerNetwork:
    """``sizes``, ``theta``, ``activation``, ``forward`` as the network; ``backprop`` gives the
    learner's δ^(l) (``delta``: layer -> vector) for the one example."""

    activation = "sigmoid"

    def __init__(self, theta: dict[int, np.ndarray], delta: dict[int, np.ndarray]) -> None:
        self._net = Network([theta[1].shape[1] - 1, *(T.shape[0] for T in theta.values())],
                            thetas=theta)
        self.sizes = self._net.sizes
        self.theta = self._net.theta
        self._delta = delta

    def forward(self, X: Any) -> bp.Forward:
        return self._net.forward(X)

    def backprop(self, X: Any, y: Any, lam: float = 0.0) -> bp.Backprop:
        real = self._net.backprop(X, y, lam)
        delta = {l: d.reshape(1, -1) for l, d in self._delta.items()}
        weighted = {l: delta[l + 1] @ self.theta[l][:, 1:] for l in range(2, len(self.sizes))}
        return bp.Backprop(real.cost, delta, real.Delta, real.grad, weighted, "learner")
