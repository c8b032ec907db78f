"""The catalogue of known mistakes, each recognised by evidence, never guessed.

A gradient mistake is a way of computing D^(l) that a learner really writes. Each is split in
two independent parts, and every combination is computed for every case:

* how δ is formed (:data:`DELTA_RULES`): right, g' applied to a instead of z
  (``g-prime-of-a``), a wrong sigmoidGradient (``sigmoid-gradient``: the template's zeros,
  z(1 − z), or g(z) without (1 − g(z)));
* how D is assembled from Δ (:data:`ASSEMBLY_RULES`): right, λ term missing
  (``grad-not-regularized``), bias column regularised (``bias-regularized``), 1/m missing
  (``missing-1/m``), sign reversed (``sign-flipped``); and a fitted λ factor
  (``lambda-factor``) found by least squares, then checked.

The learner's D matches a candidate when it agrees with it in every case that ran: evidence,
not a guess. Cost mistakes are read from the pattern of which cases' J are wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import backprop as bp
from .cases import Case

__all__ = ["ASSEMBLY_RULES", "DELTA_RULES", "MATCH", "Mistake", "distance", "mistaken_D"]

MATCH = 1e-7  # relative distance under which the learner's numbers match a candidate
Layers = dict[int, np.ndarray]


def distance(a: np.ndarray | float, b: np.ndarray | float) -> float:
    """norm(a − b)/max(norm(b), 1e-12): how far a is from the reference b (never inf)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf")
    return float(np.linalg.norm(a - b) / max(float(np.linalg.norm(b)), 1e-12))


def _sg(z: np.ndarray) -> np.ndarray:
    return bp.sigmoid_gradient(z)


# name -> (code, what the learner wrote, g'(z^(l)) as a function of z and a = g(z))
DELTA_RULES: dict[str, tuple[str, str, Callable[[np.ndarray, np.ndarray], np.ndarray]]] = {
    "right": ("", "", lambda z, a: _sg(z)),
    "g'(a)": ("g-prime-of-a", "δ^(2) uses sigmoidGradient(a^(2)) where the lecture has "
              "g'(z^(2)) = sigmoidGradient(z^(2))", lambda z, a: _sg(a)),
    "g'=0": ("sigmoid-gradient", "sigmoidGradient returns zeros (the unfinished template); "
             "it must return g(z) .* (1 − g(z))", lambda z, a: np.zeros_like(z)),
    "z(1-z)": ("sigmoid-gradient", "sigmoidGradient computes z .* (1 − z); it must be "
               "g(z) .* (1 − g(z)) with g the sigmoid", lambda z, a: z * (1.0 - z)),
    "g(z)": ("sigmoid-gradient", "sigmoidGradient returns g(z); it must be "
             "g(z) .* (1 − g(z))", lambda z, a: a),
}


def _assemble(kind: str, Delta: Layers, theta: Layers, lam: float, m: int) -> Layers:
    out: Layers = {}
    for l, T in theta.items():
        reg = np.hstack([np.zeros((T.shape[0], 1)), T[:, 1:]])  # Θ with the bias column 0
        if kind == "right":
            out[l] = Delta[l] / m + lam / m * reg
        elif kind == "no-reg":
            out[l] = Delta[l] / m
        elif kind == "bias-reg":
            out[l] = Delta[l] / m + lam / m * T
        elif kind == "no-1/m":
            out[l] = Delta[l] + lam / m * reg
        elif kind == "no-1/m-at-all":
            out[l] = Delta[l] + lam * reg
        elif kind == "sign":
            out[l] = -(Delta[l] / m + lam / m * reg)
        elif kind == "sign-delta":  # δ^(L) = y − a, the lecture's cost(t) without its minus
            out[l] = -Delta[l] / m + lam / m * reg
    return out


# name -> (code, message)
ASSEMBLY_RULES: dict[str, tuple[str, str]] = {
    "right": ("", ""),
    "no-reg": ("grad-not-regularized", "D^(l) lacks the λ term: D^(l) = Δ^(l)/m + (λ/m)Θ^(l) "
               "for j ≥ 1"),
    "bias-reg": ("bias-regularized", "the bias column j = 0 is regularised: D^(l)_i0 = "
                 "Δ^(l)_i0/m, with no λ term"),
    "no-1/m": ("missing-1/m", "Δ^(l) is not divided by m: D^(l) = (1/m)Δ^(l) + (λ/m)Θ^(l)"),
    "no-1/m-at-all": ("missing-1/m", "neither Δ^(l) nor λΘ^(l) is divided by m: "
                      "D^(l) = (1/m)Δ^(l) + (λ/m)Θ^(l)"),
    "sign": ("sign-flipped", "every D^(l) has the wrong sign: ∂J/∂Θ^(l) is "
             "+(1/m)Δ^(l) + (λ/m)Θ^(l), not its negative"),
    "sign-delta": ("sign-flipped", "δ^(L) has the wrong sign: δ^(L) = a^(L) − y (the "
                   "lecture's cost(t) is missing its minus sign; its literal derivative "
                   "y − a is not the gradient)"),
}


@dataclass(frozen=True)
class Mistake:
    """One candidate explanation: a δ rule and an assembly rule (right/right = no mistake)."""

    delta: str
    assembly: str

    @property
    def codes(self) -> list[tuple[str, str]]:
        """(code, message) for each part that is not right."""
        out = []
        for code, message in (DELTA_RULES[self.delta][:2], ASSEMBLY_RULES[self.assembly]):
            if code:
                out.append((code, message))
        return out


def delta_variant(case: Case, rule: str) -> Layers:
    """Δ^(l) = Σ_t δ^(l+1)(a^(l))ᵀ with g'(z^(2)) computed by ``rule``."""
    theta, X, Y = case.theta, case.X, case.Y
    fwd = bp.forward(theta, X)
    g_prime = DELTA_RULES[rule][2](fwd.z[2], fwd.units[2])
    d3 = fwd.units[3] - Y  # δ^(3) = a^(3) − y
    d2 = (d3 @ theta[2][:, 1:]) * g_prime  # δ^(2) = (Θ^(2))ᵀ δ^(3) .* g'(z^(2)), bias dropped
    a1, a2 = fwd.a[1], fwd.a[2]
    return {1: d2.T @ a1, 2: d3.T @ a2}  # Δ^(l) = Σ_t δ^(l+1) (a^(l))ᵀ


def mistaken_D(case: Case, mistake: Mistake) -> Layers:
    """D^(l) as a learner making ``mistake`` computes it on ``case``."""
    return _assemble(mistake.assembly, delta_variant(case, mistake.delta), case.theta,
                     case.lam, case.m)


def lambda_factor(case: Case, rule: str, D: Layers) -> float | None:
    """The c in D^(l) = Δ^(l)/m + cΘ^(l) (j ≥ 1) that fits the learner's D best, when λ > 0."""
    if case.lam == 0:
        return None
    Delta = delta_variant(case, rule)
    num = den = 0.0
    for l, T in case.theta.items():
        R = D[l][:, 1:] - Delta[l][:, 1:] / case.m
        num += float(np.sum(R * T[:, 1:]))
        den += float(np.sum(T[:, 1:] ** 2))
    return num / den if den else None
