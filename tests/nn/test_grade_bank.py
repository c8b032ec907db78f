"""The bank of learner implementations (tests/grade_bank/), each graded through the
`microgradnn grade` command: the verdict, the exit status and the finding codes expected.

The .m files run in the real GNU Octave (CI installs it); the Python ones in this process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from microgradnn.app.cli import main

BANK = Path(__file__).parent / "grade_bank"

# (target, exit status, verdict, the finding codes that must be there)
OCTAVE = [
    ("correct_vectorised", 0, "correct", []),
    ("correct_loop", 0, "correct", []),
    ("not_implemented", 1, "wrong", ["not-implemented"]),
    ("cost_complex", 1, "wrong", ["cost-complex"]),
    ("shape_error", 3, "error", ["octave-error"]),
    ("syntax_error", 3, "error", ["octave-error"]),
    ("sigmoid_gradient_template", 1, "wrong", ["sigmoid-gradient"]),
    ("g_prime_of_a", 1, "wrong", ["g-prime-of-a"]),
    ("grad_not_regularized", 1, "wrong", ["grad-not-regularized"]),
    ("bias_regularized", 1, "wrong", ["bias-regularized"]),
    ("lambda_factor", 1, "wrong", ["lambda-factor"]),
    ("missing_1_over_m", 1, "wrong", ["missing-1/m"]),
    ("sign_flipped", 1, "wrong", ["sign-flipped"]),
    ("cost_wrong", 1, "wrong", ["cost-wrong"]),
    ("cost_reg_wrong", 1, "wrong", ["cost-reg-wrong"]),
    ("labels_base", 1, "wrong", ["labels-base"]),
    ("grad_shape", 1, "wrong", ["grad-shape"]),
    ("grad_wrong", 1, "wrong", ["grad-wrong"]),
    ("mixed_order", 1, "wrong", ["unrolling-order"]),
    ("row_major", 1, "wrong", ["unrolling-order"]),
]

PYTHON = [
    ("conventions.py:octave_style", 0, "correct", [], ("F", 1)),
    ("conventions.py:row_major_1", 0, "correct", [], ("C", 1)),
    ("conventions.py:numpy_style", 0, "correct", [], ("C", 0)),
    ("conventions.py:column_major_0", 0, "correct", [], ("F", 0)),
    ("conventions.py:mixed_order", 1, "wrong", ["unrolling-order"], ("C", 0)),
    ("mistakes.py:mixed_labels", 1, "wrong", ["labels-base"], ("C", 0)),
    ("mistakes.py:g_prime_of_a", 1, "wrong", ["g-prime-of-a"], ("C", 0)),
    ("mistakes.py:one_hot_from_present_labels", 1, "wrong", ["python-error"], ("C", 0)),
    ("mistakes.py:changes_nn_params", 1, "wrong", ["modifies-input"], ("C", 0)),
    ("bad.py:one_value", 1, "wrong", ["grad-shape"], None),
    ("bad.py:nan_cost", 1, "wrong", ["cost-complex"], None),
    ("bad.py:short_grad", 1, "wrong", ["grad-shape"], None),
]


def grade_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    status = main(["grade", *args, "--json"])
    return status, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("folder", "status", "verdict", "codes"), OCTAVE,
                         ids=[row[0] for row in OCTAVE])
def test_octave_bank(capsys: pytest.CaptureFixture[str], folder: str, status: int,
                     verdict: str, codes: list[str]) -> None:
    got, report = grade_json(capsys, str(BANK / "octave" / folder / "nnCostFunction.m"))
    found = [f["code"] for f in report["findings"]]
    assert (got, report["verdict"]) == (status, verdict), found
    assert set(codes) <= set(found), found
    if verdict == "correct":
        assert found == [] and report["first_wrong"] is None
        assert report["convention"] == {"order": "F", "labels": 1, "y": "column",
                                        "name": "octave"}
        assert all(case["ok"] for case in report["cases"])


@pytest.mark.parametrize(("target", "status", "verdict", "codes", "convention"), PYTHON,
                         ids=[row[0] for row in PYTHON])
def test_python_bank(capsys: pytest.CaptureFixture[str], target: str, status: int,
                     verdict: str, codes: list[str], convention: tuple[str, int] | None) -> None:
    got, report = grade_json(capsys, str(BANK / "python" / target))
    found = [f["code"] for f in report["findings"]]
    assert (got, report["verdict"]) == (status, verdict), found
    assert set(codes) <= set(found), found
    if convention is not None:
        assert (report["convention"]["order"], report["convention"]["labels"]) == convention


def test_endless_loop_times_out(capsys: pytest.CaptureFixture[str]) -> None:
    got, report = grade_json(capsys, str(BANK / "octave" / "endless_loop" / "nnCostFunction.m"),
                             "--timeout", "4")
    assert (got, report["verdict"], [f["code"] for f in report["findings"]]) == \
        (3, "error", ["timeout"])


def test_python_endless_loop_times_out(capsys: pytest.CaptureFixture[str]) -> None:
    got, report = grade_json(capsys, str(BANK / "python" / "bad.py:loops_forever"),
                             "--timeout", "1")
    assert (got, [f["code"] for f in report["findings"]]) == (3, ["timeout"])


def test_octave_error_names_the_line_and_octaves_message(
        capsys: pytest.CaptureFixture[str]) -> None:
    main(["grade", str(BANK / "octave" / "shape_error" / "nnCostFunction.m")])
    out = capsys.readouterr().out
    assert out.startswith("COULD NOT RUN")
    assert "line 12: operator *: nonconformant arguments" in out


def test_syntax_error_shows_octaves_parse_error(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = grade_json(capsys, str(BANK / "octave" / "syntax_error" / "nnCostFunction.m"))
    assert "parse error" in report["findings"][0]["message"]


def test_missing_helpers_are_supplied_and_said(capsys: pytest.CaptureFixture[str]) -> None:
    _, mine = grade_json(capsys, str(BANK / "octave" / "correct_loop" / "nnCostFunction.m"))
    _, theirs = grade_json(capsys, str(BANK / "octave" / "correct_vectorised" /
                                       "nnCostFunction.m"))
    assert mine["notes"] == []
    assert any("no sigmoidGradient.m" in note for note in theirs["notes"])


def test_the_learners_own_sigmoid_gradient_is_checked(capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    _, report = grade_json(capsys, str(BANK / "octave" / "sigmoid_gradient_template" /
                                       "nnCostFunction.m"))
    helper = [f for f in report["findings"] if f["code"] == "sigmoid-gradient"]
    assert "gives 0.000000 0.000000" in helper[0]["message"]
    assert "0.196612 0.235004 0.250000" in helper[0]["message"]
