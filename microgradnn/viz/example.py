"""What a picture of the course's network shows for one example: a^(l), z^(l), δ^(l) and
the lecture's weighted sums, keyed by the course's layer numbers (units 1-based).

Read from ``Network.forward`` and ``Network.backprop``; used by the network picture and
its δ caption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Example", "example_of"]


@dataclass
class Example:
    """What the picture shows for one example, keyed by layer l (units 1-based)."""

    sizes: tuple[int, ...]
    theta: dict[int, np.ndarray]
    a: dict[int, np.ndarray]  # a^(l) without the bias unit
    z: dict[int, np.ndarray]  # z^(l), l >= 2
    delta: dict[int, np.ndarray] | None  # δ^(l), l >= 2 (None without y)
    weighted: dict[int, np.ndarray] | None  # Σ_i Θ^(l)_ij δ_i^(l+1), 2 <= l < L (None without y)
    y: np.ndarray | None
    cost: float | None
    activation: str

    @property
    def L(self) -> int:
        return len(self.sizes)


def example_of(net: Any, x: Any, y: Any) -> Example:
    for attr in ("sizes", "theta", "forward", "backprop"):
        if not hasattr(net, attr):
            raise TypeError(f"draw_network: expected a microgradnn.nn.Network, got "
                            f"{type(net).__name__} (it has no {attr!r})")
    from ..nn.validation import as_numbers, one_example_y, one_hot

    sizes = tuple(int(s) for s in net.sizes)
    X = as_numbers(x, "x", "draw_network", f"one example, a vector of length s_1 = {sizes[0]}")
    if X.ndim == 2 and X.shape[0] == 1:
        X = X[0]
    if X.ndim != 1 or X.shape[0] != sizes[0]:
        raise ValueError(f"draw_network: x has shape {X.shape}; expected one example, a vector "
                         f"of length s_1 = {sizes[0]}")
    fwd = net.forward(X[None, :])
    L = len(sizes)
    a = {l: np.asarray(fwd.a[l][0, 1:] if l < L else fwd.a[l][0], dtype=np.float64)
         for l in range(1, L + 1)}
    z = {l: np.asarray(fwd.z[l][0], dtype=np.float64) for l in range(2, L + 1)}
    delta = weighted = Y = cost = None
    if y is not None:
        Y = np.atleast_1d(as_numbers(y, "y", "draw_network", "a class index 0..K−1 or a 0/1 "
                                     f"row of length K = {sizes[-1]}"))  # as drawn
        labels = one_example_y(Y, sizes[-1])  # as Network.backprop reads it, m = 1
        result = net.backprop(X[None, :], labels)
        delta = {l: np.asarray(result.delta[l][0], dtype=np.float64) for l in range(2, L + 1)}
        weighted = {l: np.asarray(result.weighted[l][0], dtype=np.float64) for l in range(2, L)}
        cost = float(result.cost)
        if labels.ndim == 1 and sizes[-1] > 1:  # a class index: show it as the 0/1 row
            Y = one_hot(labels, sizes[-1], "draw_network")[0]
    theta = {l: np.asarray(net.theta[l], dtype=np.float64) for l in range(1, L)}
    return Example(sizes, theta, a, z, delta, weighted, Y, cost,
                   getattr(net, "activation", "sigmoid"))
