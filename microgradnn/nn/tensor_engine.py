"""The course's network on the Tensor engine: one graph for all m examples.

Θ^(l) are Tensor leaves; a^(1) (the data with its bias column) is a constant. The graph is
forward propagation written with Tensor ops, and J is the averaged, regularised cost:

    z^(l+1) = a^(l) Θ^(l)ᵀ                    (one row per example)
    h^(l+1) = g(z^(l+1)),  a^(l+1) = [1, h^(l+1)]  (h^(1) = x)
    J = (1/m) Σ [softplus(z^(L)) − y·z^(L)] + λ/(2m) Σ_l Σ_{j≥1} (Θ^(l)_ij)²

After ``J.backward()`` every node holds ∂J/∂node: ``z[l].grad`` is δ^(l)/m row by row, so
δ^(l) is reported as m·z[l].grad; ``h[l].grad`` times m is the lecture's weighted sum
(Θ^(l))ᵀ δ^(l+1) with the bias entry dropped; ``Θ[l].grad`` is D^(l).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..tensor import Tensor
from .backprop import Backprop, Layers
from .functional import binary_cross_entropy_with_logits

__all__ = ["TensorGraph", "tensor_autodiff", "tensor_graph"]


@dataclass
class TensorGraph:
    """The nodes of the network's graph: ``J``, ``theta[l]`` (Θ^(l)), ``z[l]`` (l ≥ 2) and
    ``h[l]`` = a^(l) without its bias unit (l = 1..L−1; ``h[1]`` is x, a constant). The
    output a^(L) = σ(z^(L)) is not a node: J is written from the logits z^(L)."""

    J: Tensor
    theta: dict[int, Tensor]
    h: dict[int, Tensor]
    z: dict[int, Tensor]


def tensor_graph(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float = 0.0,
                 activation: str = "sigmoid") -> TensorGraph:
    """Forward propagation and J as a Tensor graph (call ``graph.J.backward()``).

    Θ^(l) a^(l) is computed as h^(l) Θ^(l)[:, 1:]ᵀ + Θ^(l)[:, 0] (the bias unit's column
    added instead of a column of ones prepended), so X is never copied.
    """
    m, L = X.shape[0], len(Theta) + 1
    theta = {l: Tensor(T, requires_grad=True, name=f"Θ^({l})") for l, T in Theta.items()}
    h: dict[int, Tensor] = {1: Tensor(X, name="x")}  # a^(1) = x, a_0 = 1 left implicit
    z: dict[int, Tensor] = {}
    for l in range(1, L):
        T = theta[l]
        z[l + 1] = h[l] @ T[:, 1:].T + T[:, 0]  # z^(l+1) = Θ^(l) a^(l), with a_0 = 1
        z[l + 1].name = f"z^({l + 1})"
        if l + 1 < L:
            h[l + 1] = getattr(z[l + 1], activation)()  # a^(l+1) = g(z^(l+1)), no a_0
            h[l + 1].name = f"a^({l + 1})"
    zL = z[L]
    # Σ −[y log σ(z) + (1 − y) log(1 − σ(z))] over examples and outputs, from the logits
    J = binary_cross_entropy_with_logits(zL, Y, reduction="sum") / m
    if lam:
        J = J + (lam / (2.0 * m)) * sum((theta[l][:, 1:] ** 2).sum() for l in theta)
    J.name = "J"
    return TensorGraph(J, theta, h, z)


def tensor_autodiff(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float = 0.0,
                    activation: str = "sigmoid") -> Backprop:
    """δ^(l) per example, D^(l) and J from one backward pass of the Tensor graph."""
    m = X.shape[0]
    graph = tensor_graph(Theta, X, Y, lam, activation)
    graph.J.backward()
    dJ_dz = {l: node.grad for l, node in graph.z.items()}  # δ^(l)/m
    dJ_dh = {l: graph.h[l].grad for l in range(2, len(Theta) + 1)}
    D = {l: node.grad for l, node in graph.theta.items()}  # D^(l) = ∂J/∂Θ^(l)
    return Backprop.from_autodiff(Theta, lam, graph.J.item(), dJ_dz, dJ_dh, D, m, "tensor")
