"""``GradeReport``: the verdict, the convention, per-case numbers, findings, localisation.

``str(report)`` is the terminal report (verdict first, then the cases' table, then the
findings and the δ's read back), at most 100 columns wide; ``to_json()`` is the
machine-readable form; ``draw()`` is the lecture's network picture with the learner's δ.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...table import text_table
from .conventions import Convention
from .diagnose import Finding
from .evaluate import CaseResult
from .localise import Localisation, describe

__all__ = ["WIDTH", "GradeReport"]

WIDTH = 100


@dataclass
class GradeReport:
    """What :func:`microgradnn.nn.grade` found.

    ``verdict`` "correct" | "wrong" | "error"; ``ok``; ``convention`` (order "F"/"C",
    labels 1/0); ``cases`` (:class:`CaseResult` per case); ``findings`` (:class:`Finding`);
    ``first_wrong`` e.g. ("D", 1, 2, 3) for ∂J/∂Θ^(1)_23 (j = 0 is the bias); ``notes``;
    ``localisation`` (the learner's δ read back for one example)."""

    target: str
    language: str
    verdict: str
    convention: Convention
    cases: list[CaseResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    first_wrong: tuple[str | int, ...] | None = None
    notes: list[str] = field(default_factory=list)
    localisation: Localisation | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.verdict == "correct"

    @property
    def exit_code(self) -> int:
        """0 correct, 1 wrong, 3 could not run."""
        return {"correct": 0, "wrong": 1}.get(self.verdict, 3)

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    # ------------------------------------------------------------------ text
    def __str__(self) -> str:
        head = {"correct": "CORRECT", "wrong": "WRONG", "error": "COULD NOT RUN"}[self.verdict]
        lines = textwrap.wrap(f"{head}: {self.target} ({self.language}; {self.convention})",
                              WIDTH, subsequent_indent="  ")
        if self.first_wrong:
            lines.append(f"first wrong: {describe(self.first_wrong)}")
        if self.cases:
            lines += ["", self._table()]
        if self.findings:
            lines += ["", "findings:"]
            for f in self.findings:
                where = f" [{f.where}]" if f.where else ""
                lines += textwrap.wrap(f"{f.code}: {f.message}{where}", WIDTH,
                                       initial_indent="  ", subsequent_indent="      ")
        if self.localisation is not None and any(r.ran and not r.D_ok for r in self.cases):
            lines += ["", "δ read back from your gradient's bias column, one example "
                      "(∂J/∂Θ^(l)_i0 = δ_i^(l+1)):", self.localisation.table()]
            lines += textwrap.wrap(self.localisation.message, WIDTH)
        for note in self.notes:
            lines += textwrap.wrap(f"note: {note}", WIDTH, subsequent_indent="      ")
        return "\n".join(lines)

    __repr__ = __str__

    def _table(self) -> str:
        layers = sorted({l for r in self.cases for l in r.case.reference.grad})
        header = ("case", "λ", "m", "J yours", "J autodiff", "rel J",
                  *(f"rel D^({l})" for l in layers), "ok")
        rows = []
        for r in self.cases:
            rel = [_num(r.rel_D.get(l)) for l in layers]
            status = "yes" if r.ok else (r.problem[0] if r.problem else "NO")
            rows.append((r.case.name, f"{r.case.lam:g}", str(r.case.m), _num(r.J, "f"),
                         f"{r.case.reference.cost:.6f}", _num(r.rel_J), *rel, status))
        return text_table(header, rows, align="lrrrrr" + "r" * len(layers) + "l")

    # ------------------------------------------------------------------ json
    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "target": self.target,
            "language": self.language,
            "convention": {"order": self.convention.order, "labels": self.convention.labels,
                           "y": self.convention.y, "name": self.convention.name},
            "cases": [r.to_dict() for r in self.cases],
            "findings": [f.to_dict() for f in self.findings],
            "first_wrong": list(self.first_wrong) if self.first_wrong else None,
            "notes": self.notes,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    # ------------------------------------------------------------------ picture
    def draw(self, case: str | None = None) -> Any:
        """The lecture's network picture for a one-example case (``case`` by name; by default
        the one the δ's were read back from): each unit shows the learner's δ_j^(l), read
        from their gradient's bias column; wrong units and the edges into them are red, with
        autodiff's δ as a third line. Drawn by :func:`microgradnn.viz.draw_grade`.

        The one import from nn up into viz: the contract gives the report a ``draw()``,
        and the picture itself belongs to viz (import-linter's contract names this edge)."""
        from ...viz.grade import draw_grade

        return draw_grade(self, case)

    def single_case(self, name: str | None = None) -> CaseResult:
        """The one-example case the picture shows: ``name``, or the one the δ's were read
        back from; ValueError naming the cases there are when none ran."""
        return self._single(name)

    def _single(self, name: str | None) -> CaseResult:
        pool = [r for r in self.cases if r.case.single and r.D is not None]
        if name is not None:
            pool = [r for r in pool if r.case.name == name]
        elif self.localisation is not None:
            pool = [self.localisation.case]
        if not pool:
            names = [r.case.name for r in self.cases if r.case.single]
            raise ValueError(f"GradeReport.draw: no one-example case {name!r} that ran; "
                             f"expected one of {names}")
        return pool[0]


def _num(v: float | None, kind: str = "e") -> str:
    if v is None:
        return "—"
    if not np.isfinite(v):
        return str(v)
    return f"{v:.6f}" if kind == "f" else f"{v:.1e}"
