"""``microgradnn grade PATH``: the report printed (or its JSON), pictures written, exit code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .grading import grade

__all__ = ["run_grade"]


def run_grade(target: str, *, convention: str = "auto", order: str | None = None,
              labels: Any = None, as_json: bool = False, out: Path | None = None,
              timeout: float = 60.0) -> int:
    """Grade ``target``, print the report, write the pictures to ``out``; the exit status:
    0 correct, 1 wrong, 3 could not run. Usage problems raise ValueError (exit 2)."""
    report = grade(target, convention=convention, timeout=timeout, order=order, labels=labels)
    written = []
    if out is not None and report.cases:
        for r in report.cases:
            if r.case.single and r.D is not None:
                name = r.case.name.replace(" ", "_").replace("λ=", "lambda")
                path = out / f"network_{name}.svg"
                report.draw(r.case.name).render(outfile=path)
                written.append(path)
    print(report.to_json() if as_json else report)
    if written and not as_json:
        print("\nwrote " + ", ".join(str(p) for p in written))
    return report.exit_code
