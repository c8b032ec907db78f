"""Backpropagation by hand, in NumPy, in the course's notation.

Read this beside the lecture notes. Layers are numbered l = 1..L as in the course, and
every dict below is keyed by that number: ``Theta[l]`` is Θ^(l) (shape s_{l+1} × (s_l + 1),
bias weights in column 0), ``a[l]`` is a^(l), ``z[l]`` is z^(l), ``delta[l]`` is δ^(l).
Examples are rows: ``a[l]`` has one row a^(l)ᵀ per example t, with the bias unit a_0 = 1
in column 0 for every layer but the output.

Two versions of the same algorithm, tested equal:

* :func:`backprop_loop` — exactly as the lecture states it: for t = 1..m, forward one
  example, δ^(L) = a^(L) − y^(t), δ^(l) = (Θ^(l))ᵀ δ^(l+1) .* g'(z^(l)), Δ^(l) += δ^(l+1)(a^(l))ᵀ;
* :func:`backprop_vectorised` — the same formulas for all m examples at once (one matrix
  product per layer instead of m).

The cost is the negative log-likelihood computed from the logits z^(L):
−[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z, finite for every z (no ε added),
and its derivative ∂/∂z is exactly σ(z) − y = a^(L) − y. (The lecture writes cost(t) without
the minus sign; taken literally its derivative would be y − a.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..tensor import kernels
from .params import unroll

__all__ = [
    "ACTIVATIONS",
    "G_PRIME_FROM_A",
    "Backprop",
    "Forward",
    "backprop_loop",
    "backprop_vectorised",
    "cost",
    "forward",
    "regularisation",
    "relu",
    "relu_gradient",
    "sigmoid",
    "sigmoid_gradient",
    "tanh",
    "tanh_gradient",
]

Layers = dict[int, np.ndarray]


# --------------------------------------------------------------------------- g and g'
# Each g'(z) is written once, with the activation a = g(z) that forward propagation already
# holds: the lecture's g'(z^(l)) = a^(l) .* (1 − a^(l)) for the sigmoid. The functions of z
# below (the course's ``sigmoidGradient`` and its kin) apply these to g(z).
G_PRIME_FROM_A: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": lambda a: a * (1.0 - a),  # g'(z) = g(z)(1 − g(z))
    "tanh": lambda a: 1.0 - a * a,  # g'(z) = 1 − tanh(z)²
    "relu": lambda a: (a > 0.0).astype(np.float64),  # g'(z) = 1 where z > 0 (a > 0), else 0
}


def sigmoid(z: np.ndarray) -> np.ndarray:
    """g(z) = 1 / (1 + e^−z), without overflow for large |z|."""
    return kernels.sigmoid(np.asarray(z))


def sigmoid_gradient(z: np.ndarray) -> np.ndarray:
    """g'(z) = g(z)(1 − g(z)), the course's ``sigmoidGradient``."""
    return G_PRIME_FROM_A["sigmoid"](sigmoid(z))


def tanh(z: np.ndarray) -> np.ndarray:
    """g(z) = tanh(z)."""
    return np.tanh(z)


def tanh_gradient(z: np.ndarray) -> np.ndarray:
    """g'(z) = 1 − tanh(z)²."""
    return G_PRIME_FROM_A["tanh"](tanh(z))


def relu(z: np.ndarray) -> np.ndarray:
    """g(z) = max(0, z)."""
    return np.maximum(z, 0.0)


def relu_gradient(z: np.ndarray) -> np.ndarray:
    """g'(z) = 1 where z > 0, else 0 (0 at the kink, as PyTorch)."""
    return G_PRIME_FROM_A["relu"](relu(z))


# name -> (g, g'), for the hidden layers; the output layer is always the sigmoid
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray],
                             Callable[[np.ndarray], np.ndarray]]] = {
    "sigmoid": (sigmoid, sigmoid_gradient),
    "tanh": (tanh, tanh_gradient),
    "relu": (relu, relu_gradient),
}


def _with_bias(a: np.ndarray) -> np.ndarray:
    """Prepend the bias unit a_0 = 1 to every row."""
    return np.hstack([np.ones((a.shape[0], 1)), a])


# --------------------------------------------------------------------------- forward and J
@dataclass
class Forward:
    """Forward propagation, one row per example.

    ``units[l]``  a^(l) without its bias unit, l = 1..L (``units[1]`` is X itself);
    ``z[l]``      z^(l), l = 2..L;
    ``a[l]``      a^(l) as the course writes it: the bias column a_0 = 1 first for l < L
                  (built on first use: the computation itself never copies X);
    ``h``         h_Θ(x) = a^(L).
    """

    units: Layers
    z: Layers

    @cached_property
    def a(self) -> Layers:
        L = max(self.units)
        return {l: _with_bias(u) if l < L else u for l, u in self.units.items()}

    @property
    def h(self) -> np.ndarray:
        return self.units[max(self.units)]


def forward(Theta: Layers, X: np.ndarray, activation: str = "sigmoid") -> Forward:
    """a^(1) = x with a_0 = 1; z^(l+1) = Θ^(l) a^(l); a^(l+1) = g(z^(l+1)), bias prepended
    below the output layer; h_Θ(x) = a^(L) = sigmoid(z^(L))."""
    g = ACTIVATIONS[activation][0]
    L = len(Theta) + 1
    units: Layers = {1: X}  # a^(1) = x (its bias unit a_0 = 1 is column 0 of Θ^(1) below)
    z: Layers = {}
    for l in range(1, L):
        # z^(l+1) = Θ^(l) a^(l) = Θ^(l)_{:,0}·1 + Θ^(l)_{:,1:} (a_1..a_s), for every example:
        # one column per example, transposed back to one row each (the faster way round
        # for BLAS on the course's shapes)
        z[l + 1] = (Theta[l][:, 1:] @ units[l].T).T + Theta[l][:, 0]
        if l + 1 < L:
            units[l + 1] = g(z[l + 1])  # a^(l+1) = g(z^(l+1)) (a_0 = 1 implied)
        else:
            units[L] = sigmoid(z[L])  # h_Θ(x) = a^(L) = g(z^(L)), the sigmoid output
    return Forward(units, z)


def regularisation(Theta: Layers, lam: float, m: int) -> float:
    """λ/(2m) Σ_l Σ_i Σ_{j≥1} (Θ^(l)_ij)², the bias column j = 0 left out."""
    return lam / (2.0 * m) * sum(float(np.sum(T[:, 1:] ** 2)) for T in Theta.values())


def _nll(zL: np.ndarray, Y: np.ndarray) -> float:
    """Σ_t Σ_k −[y log h + (1 − y) log(1 − h)] from the logits: softplus(z) − y·z."""
    return float(np.sum(kernels.softplus(zL) - Y * zL))


def cost(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float = 0.0,
         activation: str = "sigmoid") -> float:
    """J(Θ) = −(1/m) Σ_t Σ_k [y_k log h_k + (1 − y_k) log(1 − h_k)] + λ/(2m) Σ Θ², j ≥ 1."""
    m = X.shape[0]
    fwd = forward(Theta, X, activation)
    return _nll(fwd.z[len(Theta) + 1], Y) / m + regularisation(Theta, lam, m)


# --------------------------------------------------------------------------- δ, Δ, D
@dataclass
class Backprop:
    """What backpropagation computes, keyed by the course's layer number l.

    ``cost``       J(Θ) on the m examples;
    ``delta[l]``   δ^(l) for l = 2..L, one row per example (m × s_l): ∂cost(t)/∂z^(l);
    ``weighted[l]`` (Θ^(l))ᵀ δ^(l+1) with the bias entry dropped, l = 2..L−1: the lecture's
                   weighted sum δ_2^(2) = Θ_12^(2) δ_1^(3) + Θ_22^(2) δ_2^(3), before g'(z^(l));
    ``Delta[l]``   Δ^(l) = Σ_t δ^(l+1)(a^(l))ᵀ for l = 1..L−1 (shape of Θ^(l));
    ``grad[l]``    D^(l) = Δ^(l)/m + (λ/m)Θ^(l) on columns j ≥ 1: ∂J/∂Θ^(l);
    ``method``     which computation produced it ("loop", "vectorised", "scalar", ...).
    """

    cost: float
    delta: Layers
    Delta: Layers
    grad: Layers
    weighted: Layers = field(default_factory=dict)
    method: str = ""

    @property
    def D(self) -> Layers:
        """The course's name for ``grad``."""
        return self.grad

    def __repr__(self) -> str:
        deltas = ", ".join(f"δ^({l}): {d.shape[0]}×{d.shape[1]}" for l, d in self.delta.items())
        grads = ", ".join(f"D^({l}): {d.shape[0]}×{d.shape[1]}" for l, d in self.grad.items())
        return f"Backprop(method={self.method!r}, cost={self.cost:.6g}; {deltas}; {grads})"

    @classmethod
    def from_autodiff(cls, Theta: Layers, lam: float, J: float, dJ_dz: Layers,
                      dJ_dh: Layers, D: Layers, m: int, method: str) -> Backprop:
        """An autodiff engine's gradients of the averaged J packaged like
        :func:`backprop_vectorised`'s results. The engine gives ∂J/∂z^(l) = δ^(l)/m per
        example (so δ^(l) = m ∂J/∂z^(l)), the same for the weighted sums from ∂J/∂a^(l), and
        D^(l) = ∂J/∂Θ^(l); Δ^(l) is recovered by undoing D's formula:
        Δ^(l) = m D^(l) − λΘ^(l) on columns j ≥ 1, m D^(l) on column 0."""
        delta = {l: m * d for l, d in dJ_dz.items()}  # δ^(l) = m ∂J/∂z^(l)
        weighted = {l: m * w for l, w in dJ_dh.items()}  # (Θ^(l))ᵀ δ^(l+1) = m ∂J/∂a^(l)
        Delta: Layers = {}
        for l, T in Theta.items():
            Delta[l] = m * D[l]
            Delta[l][:, 1:] -= lam * T[:, 1:]
        return cls(float(J), delta, Delta, D, weighted, method)

    def unrolled_grad(self, order: str = "C") -> np.ndarray:
        """All D^(l) flattened and joined in layer order: ``order="C"`` row by row (as
        :meth:`Network.unroll`'s default) or ``"F"`` down the columns, the course's
        ``grad = [Theta1_grad(:); Theta2_grad(:)]``."""
        return unroll(self.grad, order)


def _D(Theta: Layers, Delta: Layers, lam: float, m: int) -> Layers:
    """D^(l) = Δ^(l)/m, plus (λ/m) Θ^(l) on columns j ≥ 1 only (bias weights unregularised)."""
    D: Layers = {}
    for l, T in Theta.items():
        D[l] = Delta[l] / m
        D[l][:, 1:] += (lam / m) * T[:, 1:]
    return D


def backprop_loop(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float = 0.0,
                  activation: str = "sigmoid") -> Backprop:
    """Backpropagation one example at a time, as the lecture states it.

    ``X`` is m × s_1, ``Y`` is the 0/1 matrix m × K. Returns a :class:`Backprop`.
    """
    g, g_prime = ACTIVATIONS[activation]
    L = len(Theta) + 1
    m = X.shape[0]
    Delta = {l: np.zeros_like(T) for l, T in Theta.items()}  # Δ^(l)_ij = 0 for all l, i, j
    delta: Layers = {l: np.zeros((m, Theta[l - 1].shape[0])) for l in range(2, L + 1)}
    weighted: Layers = {l: np.zeros((m, Theta[l].shape[1] - 1)) for l in range(2, L)}
    total = 0.0
    for t in range(m):  # for t = 1..m
        # set a^(1) = x^(t) and forward-propagate to compute a^(l) for l = 2, 3, ..., L
        a = {1: np.concatenate([[1.0], X[t]])}
        z = {}
        for l in range(1, L):
            z[l + 1] = Theta[l] @ a[l]  # z^(l+1) = Θ^(l) a^(l)
            a[l + 1] = (np.concatenate([[1.0], g(z[l + 1])]) if l + 1 < L
                        else sigmoid(z[l + 1]))
        y = Y[t]
        total += _nll(z[L], y)
        d = {L: a[L] - y}  # δ^(L) = a^(L) − y^(t)
        for l in range(L - 1, 1, -1):
            back = Theta[l].T @ d[l + 1]  # (Θ^(l))ᵀ δ^(l+1), one entry per unit j = 0..s_l
            weighted[l][t] = back[1:]
            # δ^(l) = (Θ^(l))ᵀ δ^(l+1) .* g'(z^(l)), bias row dropped
            d[l] = back[1:] * g_prime(z[l])
        for l in range(1, L):
            Delta[l] += np.outer(d[l + 1], a[l])  # Δ^(l) := Δ^(l) + δ^(l+1) (a^(l))ᵀ
        for l in range(2, L + 1):
            delta[l][t] = d[l]
    J = total / m + regularisation(Theta, lam, m)
    return Backprop(J, delta, Delta, _D(Theta, Delta, lam, m), weighted, "loop")


def _backward(Theta: Layers, fwd: Forward, Y: np.ndarray, activation: str
              ) -> tuple[Layers, Layers, Layers]:
    """δ^(l), the weighted sums (Θ^(l))ᵀ δ^(l+1) and Δ^(l) from a forward pass of all m
    examples at once (row t of each matrix is example t); J is not computed here."""
    g_prime_from_a = G_PRIME_FROM_A[activation]
    L = len(Theta) + 1
    a = fwd.units  # a^(l) without the bias column
    delta: Layers = {L: a[L] - Y}  # δ^(L) = a^(L) − y, every example at once
    weighted: Layers = {}
    for l in range(L - 1, 1, -1):
        weighted[l] = delta[l + 1] @ Theta[l][:, 1:]  # (Θ^(l))ᵀ δ^(l+1), bias row dropped
        delta[l] = weighted[l] * g_prime_from_a(a[l])  # δ^(l) = (Θ^(l))ᵀ δ^(l+1) .* g'(z^(l))
    Delta: Layers = {}
    for l in range(1, L):
        # Δ^(l) = Σ_t δ^(l+1) (a^(l))ᵀ; the bias unit a_0 = 1 makes column 0 Σ_t δ^(l+1)
        Delta[l] = np.empty_like(Theta[l])
        Delta[l][:, 0] = delta[l + 1].sum(axis=0)
        Delta[l][:, 1:] = delta[l + 1].T @ a[l]
    return dict(sorted(delta.items())), dict(sorted(weighted.items())), Delta


def backprop_vectorised(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float = 0.0,
                        activation: str = "sigmoid") -> Backprop:
    """The same algorithm for all m examples at once: row t of each matrix is example t.
    The δ recurrence and Δ are :func:`_backward`; J is added here."""
    m = X.shape[0]
    fwd = forward(Theta, X, activation)
    delta, weighted, Delta = _backward(Theta, fwd, Y, activation)
    J = _nll(fwd.z[len(Theta) + 1], Y) / m + regularisation(Theta, lam, m)
    return Backprop(J, delta, Delta, _D(Theta, Delta, lam, m), weighted, "vectorised")


def gradient(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float = 0.0,
             activation: str = "sigmoid") -> Layers:
    """D^(l) alone, as :func:`backprop_vectorised` computes it but without J (what a
    minibatch step needs)."""
    m = X.shape[0]
    _, _, Delta = _backward(Theta, forward(Theta, X, activation), Y, activation)
    return _D(Theta, Delta, lam, m)
