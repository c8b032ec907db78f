"""One call's outputs judged against the reference: J, each D^(l), and what is malformed.

:func:`read_outputs` turns whatever the learner returned into (J, grad) or a problem with its
finding code (``grad-shape``, ``cost-complex``, ...); :func:`judge` compares the numbers with
the case's autodiff reference, layer by layer, in the convention the function was called in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ...check import relative_difference
from .cases import Case
from .conventions import Convention
from .runner import Outcome

__all__ = ["TOLERANCE", "CaseResult", "judge", "read_outputs"]

TOLERANCE = 1e-8  # relative difference norm(a − b)/norm(a + b) under which a number is right


@dataclass
class CaseResult:
    """One case: the learner's J and D^(l) (``D``) beside autodiff's, relative differences
    (``rel_J``, ``rel_D[l]``), or the ``problem`` (code, message) that stopped the judging."""

    case: Case
    convention: Convention
    J: float | None = None
    D: dict[int, np.ndarray] | None = None
    rel_J: float | None = None
    rel_D: dict[int, float] = field(default_factory=dict)
    problem: tuple[str, str] | None = None
    error_line: int | None = None
    mutated: bool = False
    returned: bool = False  # the function returned (it may have returned nonsense)

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def lam(self) -> float:
        """λ of the case."""
        return self.case.lam

    @property
    def ran(self) -> bool:
        return self.D is not None

    @property
    def J_ok(self) -> bool:
        return self.rel_J is not None and self.rel_J < TOLERANCE

    @property
    def D_ok(self) -> bool:
        return self.ran and all(v < TOLERANCE for v in self.rel_D.values())

    @property
    def ok(self) -> bool:
        return self.problem is None and self.J_ok and self.D_ok and not self.mutated

    def to_dict(self) -> dict[str, object]:
        c = self.case
        return {"name": c.name, "lambda": c.lam, "m": c.m, "sizes": list(c.sizes),
                "J": self.J, "J_reference": c.reference.cost, "relative": {
                    "J": _finite(self.rel_J),
                    **{f"D{l}": _finite(v) for l, v in self.rel_D.items()}},
                "ok": self.ok, "problem": None if self.problem is None else
                {"code": self.problem[0], "message": self.problem[1]}}


def _finite(v: float | None) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def _layout(case: Case) -> str:
    s1, s2, K = case.sizes
    return f"{s2 * (s1 + 1)} + {K * (s2 + 1)} = Theta1_grad(:) ({s2}×{s1 + 1}) and " \
           f"Theta2_grad(:) ({K}×{s2 + 1})"


def read_outputs(outcome: Outcome, case: Case, language: str
                 ) -> tuple[float | None, np.ndarray | None, tuple[str, str] | None]:
    """(J, grad as a flat vector, None) or (J or None, None, (code, message))."""
    if outcome.values is None:
        code = "octave-error" if language == "octave" else "python-error"
        where = f" at line {outcome.line}" if outcome.line else ""
        return None, None, (code, f"your code stops{where}: {outcome.error}")
    if len(outcome.values) != 2:
        n = len(outcome.values)
        return None, None, ("grad-shape", f"returned {n} value{'s' * (n != 1)}; expected two, "
                            "[J grad] = nnCostFunction(...)")
    J_raw, g_raw = outcome.values
    J: float | None = None
    problem: tuple[str, str] | None = None
    try:
        Jc = np.asarray(J_raw, dtype=np.complex128)
    except (TypeError, ValueError):
        Jc = None
    if Jc is None or Jc.size != 1:
        shape = "a non-number" if Jc is None else f"shape {Jc.shape}"
        problem = ("cost-wrong", f"J is {shape}; expected one number, the cost J(Θ)")
    elif Jc.ravel()[0].imag != 0 or not np.isfinite(Jc.ravel()[0].real):
        v = Jc.ravel()[0]
        shown = f"{v.real:.6g}{v.imag:+.6g}i" if v.imag != 0 else f"{v.real}"
        problem = ("cost-complex", f"J = {shown} is not a real number (J left unassigned, or "
                   "log of a number ≤ 0?); J = −(1/m) Σ_t Σ_k [y_k log h_k + (1 − y_k) "
                   "log(1 − h_k)] is real")
    else:
        J = float(Jc.ravel()[0].real)
    try:
        g = np.asarray(g_raw, dtype=np.complex128)
    except (TypeError, ValueError):
        return J, None, ("grad-shape", f"grad is a {type(g_raw).__name__}; expected a vector "
                         "of numbers")
    n = sum(T.size for T in case.theta.values())
    if g.ndim > 2 or (g.ndim == 2 and 1 not in g.shape) or g.size != n:
        return J, None, ("grad-shape", f"grad has shape {g.shape}; expected a vector of "
                         f"{_layout(case)}")
    if np.any(g.imag != 0) or not np.all(np.isfinite(g.real)):
        return J, None, ("grad-wrong", "grad contains NaN, inf or complex numbers; expected "
                         "finite real D^(l) = ∂J/∂Θ^(l)")
    return J, g.real.ravel(), problem


def judge(outcome: Outcome, case: Case, convention: Convention, language: str,
          order: str | None = None) -> CaseResult:
    """The outcome of calling the learner on ``case`` in ``convention`` (grad read back in
    ``order``, by default the convention's own) against the reference."""
    J, g, problem = read_outputs(outcome, case, language)
    result = CaseResult(case, convention, J=J, problem=problem, error_line=outcome.line,
                        mutated=outcome.mutated, returned=outcome.values is not None)
    ref = case.reference
    if J is not None:
        result.rel_J = relative_difference(J, ref.cost)
    if g is not None:
        result.D = convention.roll(g, case, order)
        result.rel_D = {l: relative_difference(result.D[l], ref.grad[l]) for l in ref.grad}
    return result
