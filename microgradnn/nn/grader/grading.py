"""``grade(target)``: run a learner's nnCostFunction on every case and judge it.

1. The target becomes a runner: an ``.m`` file runs in Octave, a callable or
   ``"file.py:function"`` in this process.
2. The probe case (checkNN, λ = 3) runs in every candidate convention; a Python function is
   graded in the one it follows best (an .m file is held to the course's F/1).
3. Every case runs in that convention and is judged against autodiff.
4. When something is wrong: findings from the catalogue, the first wrong entry, and the δ's
   read back for one example.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .cases import PROBE, Case, standard_cases
from .conventions import COURSE, Convention, candidates, parse
from .diagnose import (
    Finding,
    cost_findings,
    grad_findings,
    names,
    run_findings,
    sigmoid_gradient_finding,
)
from .evaluate import CaseResult, judge
from .localise import describe, first_wrong, localise
from .mistakes import MATCH, Mistake, distance, mistaken_D
from .octave import OctaveRunner
from .report import GradeReport
from .runner import GradeUsageError, Outcome, PythonRunner, RunFailure, load_python

__all__ = ["grade"]

Runner = PythonRunner | OctaveRunner


def make_runner(target: Any, timeout: float) -> Runner:
    """The runner for ``target``, or a :class:`GradeUsageError` saying what was expected."""
    if isinstance(target, (str, Path)) and str(target).endswith(".m"):
        path = Path(target)
        if not path.is_file():
            what = "is a directory" if path.is_dir() else "does not exist"
            raise GradeUsageError(f"grade: {path} {what}; expected an .m file")
        return OctaveRunner(path, timeout)
    if isinstance(target, Path) or (isinstance(target, str) and ":" not in target):
        path = Path(target)
        what = ("is a directory" if path.is_dir() else "does not exist" if not path.exists()
                else "is neither an .m file nor 'file.py:function'")
        raise GradeUsageError(f"grade: {path} {what}; expected nnCostFunction.m, "
                              "'file.py:function' or a Python function")
    function, label = load_python(target)
    return PythonRunner(function, label, timeout)


def _fit(outcome: Outcome, case: Case, conv: Convention, language: str
         ) -> tuple[int, float]:
    """How well the outputs fit the case in ``conv``, smaller is better: first how many of
    J and grad miss (grad may match any catalogued mistake, so a learner with a known
    mistake is still recognised in their convention), then how far they are."""
    best = (3, 3.0)
    for order in (conv.order, "C" if conv.order == "F" else "F"):
        r = judge(outcome, case, conv, language, order)
        if r.D is None and r.J is None:
            continue
        d_grad = 1.0 if r.D is None else min(
            max(distance(r.D[l], D[l]) for l in D)
            for D in (mistaken_D(case, Mistake(d, a)) for d, a in _FIT_MISTAKES))
        d_J = 1.0 if r.J is None else min(distance(r.J, case.reference.cost), 1.0)
        score = (int(d_grad >= MATCH) + int(d_J >= MATCH), min(d_grad, 1.0) + d_J)
        best = min(best, score)
    return best


_FIT_MISTAKES = [("right", "right"), ("right", "no-reg"), ("right", "bias-reg"),
                 ("right", "no-1/m"), ("right", "sign"), ("g'(a)", "right"),
                 ("g'=0", "right")]


def grade(target: Any, *, convention: str = "auto", timeout: float = 60,
          order: str | None = None, labels: int | str | None = None) -> GradeReport:
    """Grade a learner's ``nnCostFunction`` against autodiff on the standard cases.

    ``target``: a callable ``(nn_params, input_layer_size, hidden_layer_size, num_labels, X,
    y, lam) -> (J, grad)``, ``"file.py:function"``, or a path to an ``.m`` file (run in GNU
    Octave). ``convention``: "auto" (found from the function; .m files are held to the
    course's), "octave" (column-major, labels 1..K) or "numpy" (row-major, 0..K−1);
    ``order`` ("F"/"C") and ``labels`` (1/0) fix one choice each. ``timeout`` in seconds
    for the whole run. Bad arguments raise :class:`GradeUsageError` (a ValueError).
    """
    start = time.perf_counter()
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise GradeUsageError(f"grade: timeout must be a number of seconds > 0, got {timeout!r}")
    fixed = parse(convention, order, labels)
    runner = make_runner(target, timeout)
    cases = standard_cases()
    probe = cases[PROBE]
    try:
        if isinstance(runner, OctaveRunner):
            main = Convention(fixed.get("order", "F"), fixed.get("labels", 1), "column")
            others = [c for c in candidates({}, ("column",)) if c != main]
            outcomes = runner.run([(c, main) for c in cases] + [(probe, c) for c in others])
            main_outcomes, probes = outcomes[:len(cases)], list(zip(others,
                                                                   outcomes[len(cases):]))
            probes.insert(0, (main, main_outcomes[PROBE]))
        else:
            convs = candidates({}, ("column", "vector", "one-hot"))  # all, for diagnosis
            probes = list(zip(convs, runner.run([(probe, c) for c in convs])))
            def fit(p: tuple[Convention, Outcome]) -> tuple[int, float]:
                return _fit(p[1], probe, p[0], runner.language)

            y_shape = min(probes, key=fit)[0].y  # the shape of y it works with at all
            allowed = candidates(fixed, (y_shape,))
            main = min((p for p in probes if p[0] in allowed), key=fit)[0]
            main_outcomes = runner.run([(c, main) for c in cases])
    except RunFailure as failure:
        return GradeReport(runner.label, runner.language, "error", COURSE,
                           findings=[Finding(failure.code, failure.message)],
                           seconds=time.perf_counter() - start)
    results = [judge(o, c, main, runner.language) for o, c in zip(main_outcomes, cases)]
    report = GradeReport(runner.label, runner.language, "correct", main, results)
    report.notes += [f"your folder has no {h}.m: the standard one was used"
                     for h in runner.helpers_supplied]
    if isinstance(runner, OctaveRunner):
        sg = sigmoid_gradient_finding(runner.sigmoid_gradient, runner.sigmoid_gradient_error)
        if sg is not None and "sigmoidGradient" not in runner.helpers_supplied:
            report.findings.append(sg)
    if main != COURSE and runner.language == "python":
        report.notes.append(f"graded in the convention your function follows: {main}; the "
                            f"course's is {COURSE}")
    _conclude(report, results, probes, probe, runner.language)
    report.seconds = time.perf_counter() - start
    return report


def _conclude(report: GradeReport, results: list[CaseResult],
              probes: list[tuple[Convention, Outcome]], probe: Case, language: str) -> None:
    if all(r.ok for r in results):
        if report.findings:  # a wrong helper the function does not use: worth a note
            report.notes += [f"{f.code}: {f.message}" for f in report.findings]
            report.findings = []
        return
    ran = [r for r in results if r.returned]
    report.verdict = "wrong" if ran else "error"
    findings = run_findings(results)
    convention = _convention_findings(report.convention, probes, probe, language)
    findings += convention
    if convention:
        report.verdict = "wrong"  # it runs, in another convention: the cause is known
    else:
        findings += cost_findings(results)
        grad = grad_findings(results)
        codes = {f.code for f in findings + report.findings}
        if "sigmoid-gradient" in codes:
            grad = [f for f in grad if f.code != "sigmoid-gradient"]
        findings += grad
    report.first_wrong = first_wrong(results)
    report.localisation = localise(results)
    explained = _explained(findings + report.findings)
    bad = [r for r in results if r.ran and not r.D_ok]
    if bad and not explained:
        findings.append(Finding("grad-wrong", f"D^(l) differs from autodiff with no known "
                                f"cause; first wrong entry {describe(report.first_wrong)}; "
                                "the δ's read back below show the step to look at",
                                names(bad)))
    report.findings = findings + report.findings


_GRAD_CODES = {"not-implemented", "grad-shape", "unrolling-order", "labels-base",
               "grad-not-regularized", "bias-regularized", "lambda-factor", "missing-1/m",
               "sign-flipped", "g-prime-of-a", "sigmoid-gradient", "grad-wrong",
               "octave-error", "python-error"}


def _explained(findings: list[Finding]) -> bool:
    return any(f.code in _GRAD_CODES for f in findings)


def _convention_findings(main: Convention, probes: list[tuple[Convention, Outcome]],
                         probe: Case, language: str) -> list[Finding]:
    """unrolling-order / labels-base, when the probe fits exactly in another reading."""
    fits, parts = {}, {}
    for conv, outcome in probes:
        if conv.y != main.y:
            continue
        for order in ("F", "C"):
            r = judge(outcome, probe, conv, language, order)
            fits[(conv.order, order, conv.labels)] = r.ok
            parts[(conv.order, order, conv.labels)] = (r.J_ok, r.D_ok)
    if fits.get((main.order, main.order, main.labels)):
        return []
    o = main.order
    if any(parts.get((o, o, b), (False, False))[0] and
           parts.get((o, o, 1 - b), (False, False))[1] for b in (0, 1)):
        return [Finding("labels-base", "J and grad read y with different label bases (one "
                        "1..K, the other 0..K−1): use one base throughout", probe.name)]
    held = "the course's" if language == "octave" else "the"
    for (o_in, o_out, base), ok in fits.items():
        if not ok:
            continue
        if o_in != o_out:
            return [Finding("unrolling-order", f"nn_params is unrolled {_o(o_in)} but grad "
                            f"is read back {_o(o_out)}: unroll and roll the same way "
                            "(Octave: reshape(nn_params(1:n), s2, s1 + 1) and grad = "
                            "[Theta1_grad(:); Theta2_grad(:)])", probe.name)]
        if o_in != main.order:
            return [Finding("unrolling-order", f"the function is consistently {_o(o_in)}; "
                            f"{held} convention is {_o(main.order)} ([Theta1(:); Theta2(:)] "
                            "runs down the columns)", probe.name)]
        if base != main.labels:
            return [Finding("labels-base", f"the function treats y as labels "
                            f"{'1..K' if base == 1 else '0..K−1'}; {held} labels are "
                            f"{'1..K' if main.labels == 1 else '0..K−1'} (class k is "
                            "column k of Y)", probe.name)]
    return []


def _o(order: str) -> str:
    return "column-major (F)" if order == "F" else "row-major (C)"
