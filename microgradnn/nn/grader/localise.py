"""Where the learner's recurrence first goes wrong, in the lecture's terms.

For ONE example, ∂J/∂Θ^(l)_i0 = δ_i^(l+1): the bias weight's gradient is the δ of the unit it
feeds (a_0 = 1, and λ never touches the bias column). So the learner's δ's can be read back
from the bias column of their gradient, compared unit by unit with autodiff's, and the first
wrong step of the backward sweep named.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...table import text_table
from ..notation import subscript
from .evaluate import TOLERANCE, CaseResult

__all__ = ["Localisation", "describe", "first_wrong", "localise"]

STEPS = {
    3: "δ^(3) = a^(3) − y",
    2: "δ^(2) = (Θ^(2))ᵀδ^(3) .* g'(z^(2))",
}


@dataclass
class Localisation:
    """The learner's δ_j^(l) (``learner[l]``) beside autodiff's (``reference[l]``) for one
    example, the wrong units ``wrong[l]`` (1-based), and the sentence saying where to look."""

    case: CaseResult
    learner: dict[int, np.ndarray]
    reference: dict[int, np.ndarray]
    wrong: dict[int, list[int]]
    message: str

    def table(self) -> str:
        rows = []
        for l in sorted(self.reference, reverse=True):
            for j, (mine, ref) in enumerate(zip(self.learner[l], self.reference[l]), start=1):
                rows.append((f"δ_{j}^({l})", f"{mine:.6g}", f"{ref:.6g}",
                             "NO" if j in self.wrong[l] else "yes"))
        return text_table(("unit", "yours", "autodiff", "ok"), rows, align="lrrl")


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    scale = max(float(np.max(np.abs(b))), 1e-12)
    return np.abs(a - b) <= TOLERANCE * 10 * scale


def localise(results: list[CaseResult]) -> Localisation | None:
    """Read δ back from a one-example case that ran (λ = 0 first, a wrong one first)."""
    single = [r for r in results if r.case.single and r.D is not None]
    single.sort(key=lambda r: (r.D_ok, r.case.lam > 0))
    if not single:
        return None
    r = single[0]
    assert r.D is not None
    ref = r.case.reference
    learner = {l + 1: r.D[l][:, 0].copy() for l in r.D}  # δ_i^(l+1) = ∂J/∂Θ^(l)_i0
    reference = {l: ref.delta[l][0] for l in ref.delta}
    wrong = {l: [j + 1 for j in np.flatnonzero(~_close(learner[l], reference[l]))]
             for l in reference}
    L = max(reference)
    message = _where(r, wrong, L)
    return Localisation(r, learner, reference, wrong, message)


def _where(r: CaseResult, wrong: dict[int, list[int]], L: int) -> str:
    said = []
    for l in range(L, 1, -1):
        if not wrong[l]:
            said.append(f"δ^({l}) agrees")
            continue
        j = wrong[l][0]
        step = STEPS.get(l, f"δ^({l}) = (Θ^({l}))ᵀδ^({l + 1}) .* g'(z^({l}))")
        said.append(f"δ^({l})_{j} differs: the step {step} is where to look")
        return "; ".join(said) + f" (case {r.case.name!r})"
    if r.D_ok:
        return "; ".join(said) + f" and so does every D^(l) (case {r.case.name!r})"
    return ("; ".join(said) + ": the step Δ^(l) += δ^(l+1)(a^(l))ᵀ, D^(l) = Δ^(l)/m + "
            f"(λ/m)Θ^(l) (j ≥ 1) is where to look (case {r.case.name!r})")


def first_wrong(results: list[CaseResult]) -> tuple[str | int, ...] | None:
    """("D", l, i, j) — the first wrong gradient entry in the first wrong case, in the
    order backpropagation computes them (layer L−1 first), i 1-based, j = 0 the bias — or
    ("J",) when only the cost is wrong."""
    for r in results:
        if r.ok:
            continue
        if r.D is not None and not r.D_ok:
            ref = r.case.reference.grad
            for l in sorted(ref, reverse=True):
                bad = np.argwhere(~_close(r.D[l], ref[l]))
                if bad.size:
                    i, j = (int(v) for v in bad[0])
                    return ("D", l, i + 1, j)
        if r.rel_J is not None and not r.J_ok:
            return ("J",)
    return None


def describe(entry: tuple[str | int, ...] | None) -> str:
    if entry is None:
        return ""
    if entry[0] == "J":
        return "J"
    _, l, i, j = entry
    return f"∂J/∂Θ^({l})_{subscript(int(i), int(j))}"

