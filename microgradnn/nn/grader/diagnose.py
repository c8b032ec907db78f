"""From the judged cases to findings: each code backed by evidence across the cases.

The order of the findings is the order to fix them in: the function does not run, returns
the wrong things, uses another convention, then the cost, then the gradient.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from .. import backprop as bp
from .cases import Case
from .evaluate import CaseResult
from .mistakes import (
    ASSEMBLY_RULES,
    DELTA_RULES,
    MATCH,
    Mistake,
    distance,
    lambda_factor,
    mistaken_D,
)

__all__ = ["ALL_CASES", "Finding", "cost_findings", "grad_findings", "names", "run_findings",
           "sigmoid_gradient_finding"]

ONE_HOT_HINT = ("Y needs K columns, one per class, whatever labels y holds (Octave I(y, :) "
                "with I = eye(num_labels); NumPy np.eye(K)[y]), not one per label present")
COURSE_SIGMOID_GRADIENT = bp.sigmoid_gradient(np.array([-1.0, -0.5, 0.0, 0.5, 1.0]))


@dataclass(frozen=True)
class Finding:
    """A diagnosis: a stable ``code``, a one-line ``message`` for the learner, and ``where``
    (the cases, layer or line it was seen in)."""

    code: str
    message: str
    where: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "where": self.where}


ALL_CASES = 9  # the number of standard cases: a finding seen in all of them says "all cases"


def names(results: list[CaseResult]) -> str:
    if len(results) == ALL_CASES:
        return "all cases"
    return ", ".join(r.case.name for r in results)


def _absent_class(case: Case) -> bool:
    return len(set(case.labels.tolist())) < case.K


def run_findings(results: list[CaseResult]) -> list[Finding]:
    """Errors, malformed outputs, inputs changed in place; one finding per distinct message."""
    out: list[Finding] = []
    seen: dict[str, list[CaseResult]] = {}  # one finding per code, its first message
    for r in results:
        if r.problem is not None:
            seen.setdefault(r.problem[0], []).append(r)
    for code, where in seen.items():
        message = where[0].problem[1]  # type: ignore[index]
        if where and all(_absent_class(r.case) for r in where) and \
                len(where) < len(results):
            message += ("; it fails only where a class is absent from y: " + ONE_HOT_HINT)
        out.append(Finding(code, message, names(where)))
    mutated = [r for r in results if r.mutated]
    if mutated:
        out.append(Finding("modifies-input", "the function changes the nn_params it was "
                           "given (in place); an optimiser's vector must stay as passed: "
                           "work on a copy", names(mutated)))
    return out


def cost_findings(results: list[CaseResult]) -> list[Finding]:
    """cost-wrong (J wrong at λ = 0) or cost-reg-wrong (right at λ = 0, wrong at λ > 0)."""
    judged = [r for r in results if r.rel_J is not None]
    wrong = [r for r in judged if not r.J_ok]
    if not wrong:
        return []
    if all(r.case.lam > 0 for r in wrong) and any(r.case.lam == 0 and r.J_ok for r in judged):
        return [Finding("cost-reg-wrong", _reg_hint(wrong), names(wrong))]
    only_absent = all(_absent_class(r.case) for r in wrong) and len(wrong) < len(judged)
    hint = ("J is wrong only where a class is absent from y: " + ONE_HOT_HINT if only_absent
            else _cost_hint(wrong))
    return [Finding("cost-wrong", hint, names(wrong))]


def _cost_hint(wrong: list[CaseResult]) -> str:
    base = "J differs from −(1/m) Σ_t Σ_k [y_k log h_k + (1 − y_k) log(1 − h_k)] + reg"
    ratios = {round(r.J / r.case.reference.cost, 9) for r in wrong
              if r.J is not None and r.case.lam == 0}
    if ratios and all(abs(q + 1) < 1e-9 for q in ratios):
        return base + ": it has the wrong sign (the minus in front of the sum)"
    if all(r.J is not None and r.case.lam == 0 and
           abs(r.J - r.case.m * r.case.reference.cost) < 1e-9 * abs(r.J) for r in wrong
           if r.case.lam == 0):
        return base + ": the sum is not divided by m"
    return base


def _reg_hint(wrong: list[CaseResult]) -> str:
    """Which regularisation term explains J in every λ > 0 case, if one does."""
    variants = {
        "the bias column j = 0 is regularised; the sum runs over j ≥ 1":
            lambda T, lam, m: lam / (2 * m) * sum(float(np.sum(t ** 2)) for t in T.values()),
        "the term is λ/m Σ Θ², not λ/(2m) Σ Θ²":
            lambda T, lam, m: lam / m * sum(float(np.sum(t[:, 1:] ** 2)) for t in T.values()),
        "the term is not divided by m: λ/(2m) Σ Θ²":
            lambda T, lam, m: lam / 2 * sum(float(np.sum(t[:, 1:] ** 2)) for t in T.values()),
        "the regularisation term λ/(2m) Σ_l Σ_{j≥1} (Θ^(l)_ij)² is missing":
            lambda T, lam, m: 0.0,
    }
    for message, reg in variants.items():
        if all(r.J is not None and distance(r.J, _unreg(r.case) + reg(
                r.case.theta, r.case.lam, r.case.m)) < MATCH for r in wrong):
            return f"J is right at λ = 0 but not at λ > 0: {message}"
    return "J is right at λ = 0 but not at λ > 0: the term is λ/(2m) Σ_l Σ_{j≥1} (Θ^(l)_ij)²"


def _unreg(case: Case) -> float:
    return case.reference.cost - bp.regularisation(case.theta, case.lam, case.m)


def grad_findings(results: list[CaseResult]) -> list[Finding]:
    """not-implemented, a catalogued mistake matched in every case, lambda-factor, or none."""
    ran = [r for r in results if r.D is not None]
    wrong = [r for r in ran if not r.D_ok]
    if not wrong:
        return []
    where = names(wrong)
    if all(not np.any(np.concatenate([d.ravel() for d in r.D.values()]))  # type: ignore[union-attr]
           for r in ran):
        return [Finding("not-implemented", "grad is all zeros: the cost is there but "
                        "backpropagation (δ^(3) = a^(3) − y, δ^(2) = (Θ^(2))ᵀδ^(3) .* g'(z^(2)), "
                        "Δ^(l) += δ^(l+1)(a^(l))ᵀ) is not", where)]
    for delta, assembly in product(DELTA_RULES, ASSEMBLY_RULES):
        mistake = Mistake(delta, assembly)
        if not mistake.codes:
            continue
        if all(_matches(r, mistaken_D(r.case, mistake)) for r in ran):
            return [Finding(code, message, where) for code, message in mistake.codes]
    for delta in DELTA_RULES:
        found = _lambda_factor(ran, delta)
        if found:
            extra = [Finding(code, message, where) for code, message in
                     Mistake(delta, "right").codes]
            return [*extra, Finding("lambda-factor", found, where)]
    if all(_absent_class(r.case) for r in wrong) and len(wrong) < len(ran):
        return [Finding("grad-wrong", "grad is wrong only where a class is absent from y: " +
                        ONE_HOT_HINT, where)]
    return []  # grad-wrong with its localisation is added by the caller


def _matches(r: CaseResult, D: dict[int, np.ndarray]) -> bool:
    assert r.D is not None
    return all(distance(r.D[l], D[l]) < MATCH for l in D)


def _lambda_factor(ran: list[CaseResult], delta: str) -> str | None:
    """D^(l) = Δ^(l)/m + cΘ^(l) with c = q·λ/m, the same q ≠ 1 in every λ > 0 case."""
    ratios = []
    for r in ran:
        assert r.D is not None
        c = lambda_factor(r.case, delta, r.D)
        if c is None:
            if not _matches(r, mistaken_D(r.case, Mistake(delta, "right"))):
                return None
            continue
        m, lam = r.case.m, r.case.lam
        fitted = mistaken_D(r.case, Mistake(delta, "no-reg"))
        for l, T in r.case.theta.items():
            fitted[l][:, 1:] += c * T[:, 1:]
        if not _matches(r, fitted):
            return None
        ratios.append((c * m / lam, m))
    if not ratios or any(abs(q - 1) < 1e-6 for q, _ in ratios):
        return None
    q0 = ratios[0][0]
    if all(abs(q - q0) < 1e-6 * max(1, abs(q0)) for q, _ in ratios):
        return (f"the λ term of D^(l) is {q0:.4g}·(λ/m)Θ^(l); it must be (λ/m)Θ^(l) "
                "(the derivative of λ/(2m) Σ Θ² is (λ/m)Θ)")
    if all(abs(q - m) < 1e-6 * m for q, m in ratios):
        return "the λ term of D^(l) is λΘ^(l); it must be (λ/m)Θ^(l): divide by m"
    return None


def sigmoid_gradient_finding(values: np.ndarray | None, error: str) -> Finding | None:
    """The learner's own sigmoidGradient.m checked on the course's numbers."""
    if error:
        return Finding("sigmoid-gradient", f"sigmoidGradient fails: {error}", "sigmoidGradient.m")
    if values is None or values.shape != COURSE_SIGMOID_GRADIENT.shape or \
            np.max(np.abs(values - COURSE_SIGMOID_GRADIENT)) > 1e-6:
        got = "?" if values is None else " ".join(f"{v:.6f}" for v in np.ravel(values)[:5])
        return Finding("sigmoid-gradient", f"sigmoidGradient([-1 -0.5 0 0.5 1]) gives {got}; "
                       "expected 0.196612 0.235004 0.250000 0.235004 0.196612, "
                       "g(z) .* (1 − g(z))", "sigmoidGradient.m")
    return None

