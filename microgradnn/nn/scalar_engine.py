"""The course's network built from autodiff nodes, so the engine computes δ and D.

:func:`scalar_graph` builds one example from :class:`~microgradnn.Scalar` nodes named after
the course, for reading and drawing. Node names follow one scheme, ``symbol^(layer)_index``:

* ``a^(l)_j``  — unit j of layer l (``a^(1)_j`` is input x_j; ``a^(l)_0`` is the bias unit, 1);
* ``z^(l)_j``  — the weighted sum into unit j of layer l (one ``Scalar.dot`` node);
* ``Θ^(l)_ij`` — the weight from unit j of layer l to unit i of layer l+1; when an index
  has two digits the subscript is written with a comma, ``Θ^(1)_3,12``;
* ``cost_k``, ``cost`` — the per-output and total cost of the example.

The cost is the negative log-likelihood −[y log h + (1 − y) log(1 − h)] written from the
logits as softplus(z) − y·z (so a saturated output gives a finite cost and ∂/∂z = a − y
exactly). Beware the lecture's cost(t): it is written without the minus sign, and its
literal derivative would be y − a. Because the cost is taken from z^(L), the output units
a^(L)_k = σ(z^(L)_k) are in the graph as values (``sg.a[L][k]``) but not on the path to the
cost: their ``grad`` stays ``None``, and a drawing from ``sg.cost`` goes z^(L) → cost.

:func:`scalar_autodiff` does the same for m examples with shared Θ nodes and the averaged,
regularised J. The engine then gives ∂J/∂z^(l) = δ^(l)/m for each example, so δ is
reported as m times the z-node grads: like is compared with like.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scalar import Scalar
from .backprop import Backprop, Layers
from .notation import cost_name, name, subscript, theta_name

__all__ = ["ScalarGraph", "scalar_autodiff", "scalar_graph", "subscript"]


def _example_cost(z: Scalar, y: float) -> Scalar:
    """−[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z, from Scalar ops;
    the branch on the sign of z keeps exp from overflowing. ∂/∂z = σ(z) − y."""
    if z.data >= 0.0:
        return (1.0 - y) * z + (1.0 + (-z).exp()).log()
    return (1.0 + z.exp()).log() - y * z


@dataclass
class ScalarGraph:
    """One example as Scalar nodes, indexed like the course.

    ``theta[l][i-1][j]`` Θ^(l)_ij;  ``z[l][j-1]`` z_j^(l) for l = 2..L;
    ``a[l][j]`` a_j^(l) for j = 1..s_l, with ``a[l][0]`` the bias unit for l < L and
    ``None`` for the output layer (which has no bias); ``cost`` the example's cost;
    ``costs[k-1]`` the output unit k's share; ``y`` the 0/1 targets.
    After ``cost.backward()``: ``z[l][j-1].grad`` = δ_j^(l), ``a[l][j].grad`` =
    Σ_i Θ^(l)_ij δ_i^(l+1) (the lecture's weighted sum), ``theta[l][i-1][j].grad`` =
    δ_i^(l+1) a_j^(l).
    """

    cost: Scalar
    costs: list[Scalar]
    z: dict[int, list[Scalar]]
    a: dict[int, list[Scalar | None]]
    theta: dict[int, list[list[Scalar]]]
    y: np.ndarray

    @property
    def L(self) -> int:
        return len(self.theta) + 1

    def __repr__(self) -> str:
        sizes = [len(self.a[1]) - 1] + [len(self.z[l]) for l in range(2, self.L + 1)]
        state = "after backward" if self.cost.grad is not None else "before backward"
        return (f"ScalarGraph(sizes={sizes}, cost={self.cost.data:.6g}, "
                f"{len(self.z[self.L])} output(s), {state})")

    def delta(self, l: int) -> np.ndarray:
        """δ^(l) read from the z-node grads (after ``cost.backward()``)."""
        return _grads(self.z[l])

    def weighted(self, l: int) -> np.ndarray:
        """Σ_i Θ^(l)_ij δ_i^(l+1) for j = 1..s_l, read from the a-node grads (l < L)."""
        return _grads(self.a[l][1:])


def _grads(nodes: list[Scalar] | list[Scalar | None]) -> np.ndarray:
    """The nodes' grads as an array (NaN where a backward pass has not reached)."""
    return np.array([np.nan if n is None or n.grad is None else n.grad for n in nodes])


def _theta_nodes(Theta: Layers) -> dict[int, list[list[Scalar]]]:
    return {l: [[Scalar(float(T[i, j]), name=theta_name(l, i + 1, j))
                 for j in range(T.shape[1])] for i in range(T.shape[0])]
            for l, T in Theta.items()}


def _forward(theta: dict[int, list[list[Scalar]]], x: np.ndarray, y: np.ndarray,
             activation: str, tag: str = "") -> ScalarGraph:
    """Forward propagation of one example through Scalar nodes (``tag`` marks the example
    in the names when several share one graph)."""
    L = len(theta) + 1
    # units[l][j] is a_j^(l), with the bias unit a_0^(l) = 1 at j = 0 for l < L
    units: dict[int, list[Scalar]] = {
        1: [Scalar(1.0, name=name("a", 1, 0) + tag)]
        + [Scalar(float(v), name=name("a", 1, j) + tag) for j, v in enumerate(x, start=1)]}
    z: dict[int, list[Scalar]] = {}
    for l in range(1, L):
        z[l + 1] = []
        units[l + 1] = [Scalar(1.0, name=name("a", l + 1, 0) + tag)] if l + 1 < L else []
        for i, row in enumerate(theta[l], start=1):
            zi = Scalar.dot(row, units[l])  # z_i^(l+1) = Σ_j Θ^(l)_ij a_j^(l)
            zi.name = name("z", l + 1, i) + tag
            g = "sigmoid" if l + 1 == L else activation
            ai = getattr(zi, g)()  # a_i^(l+1) = g(z_i^(l+1)); the output layer's g is σ
            ai.name = name("a", l + 1, i) + tag
            z[l + 1].append(zi)
            units[l + 1].append(ai)
    a: dict[int, list[Scalar | None]] = {l: list(u) for l, u in units.items() if l < L}
    a[L] = [None, *units[L]]  # the output layer has no bias unit
    costs = []
    for k, (zk, yk) in enumerate(zip(z[L], y), start=1):
        c = _example_cost(zk, float(yk))
        c.name = cost_name(k) + tag
        costs.append(c)
    cost = Scalar.sum(costs)
    cost.name = f"cost{tag}"
    return ScalarGraph(cost, costs, z, a, theta, np.asarray(y, dtype=np.float64))


def scalar_graph(Theta: Layers, x: np.ndarray, y: np.ndarray,
                 activation: str = "sigmoid") -> ScalarGraph:
    """One example (x, y) as a graph of named Scalar nodes; see :class:`ScalarGraph`."""
    return _forward(_theta_nodes(Theta), x, y, activation)


# A Scalar graph of m examples has about 2·m·(number of weights) edges; past this many it
# would take minutes and gigabytes, so the scalar engine refuses and points to the tensor one.
SCALAR_EDGE_LIMIT = 5_000_000


def scalar_autodiff(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float,
                     activation: str) -> Backprop:
    m = X.shape[0]
    edges = 2 * m * sum(T.size for T in Theta.values())
    if edges > SCALAR_EDGE_LIMIT:
        raise ValueError(
            f"autodiff: engine='scalar' would build a graph of about {edges:,} edges for "
            f"m = {m} examples (limit {SCALAR_EDGE_LIMIT:,}); use engine='tensor', or fewer "
            "examples, for a network this size")
    theta = _theta_nodes(Theta)
    graphs = [_forward(theta, X[t], Y[t], activation, tag=f"[{t}]") for t in range(m)]
    weights = [w for rows in theta.values() for row in rows for w in row[1:]]  # j ≥ 1
    J = Scalar.sum([g.cost for g in graphs]) / m + (lam / (2.0 * m)) * Scalar.dot(weights,
                                                                                  weights)
    J.name = "J"
    J.backward()
    L = len(Theta) + 1
    dJ_dz = {l: np.array([g.delta(l) for g in graphs]) for l in range(2, L + 1)}  # δ/m
    dJ_dh = {l: np.array([g.weighted(l) for g in graphs]) for l in range(2, L)}
    D = {l: np.array([[w.grad for w in row] for row in theta[l]]) for l in theta}
    return Backprop.from_autodiff(Theta, lam, J.data, dJ_dz, dJ_dh, D, m, "scalar")
