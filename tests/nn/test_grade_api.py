"""`microgradnn.nn.grade`: the report's fields, localisation, pictures and bad input."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from microgradnn.app.cli import main
from microgradnn.nn import grade
from microgradnn.nn.grader import GradeUsageError
from microgradnn.nn.grader.cases import standard_cases
from microgradnn.viz.style import format_number

BANK = Path(__file__).parent / "grade_bank"
sys.path.insert(0, str(BANK / "python"))
import conventions  # noqa: E402  (the bank's learner code)
import mistakes  # noqa: E402


def test_published_case_reproduces_the_course_numbers() -> None:
    cases = {c.name: c for c in standard_cases()}
    assert round(cases["published λ=0"].reference.cost, 4) == 7.4070
    assert round(cases["published λ=4"].reference.cost, 3) == 19.474
    assert [c.m for c in cases.values()].count(1) == 2  # the single-example cases
    assert cases["m<K λ=1"].m < cases["m<K λ=1"].K
    assert cases["m<n λ=1"].m < cases["m<n λ=1"].sizes[0]


def test_a_correct_callable_in_numpy_convention() -> None:
    r = grade(conventions.numpy_style)
    assert r.ok and r.verdict == "correct" and r.exit_code == 0
    assert (r.convention.order, r.convention.labels) == ("C", 0)
    assert len(r.cases) == 9 and all(max(c.rel_D.values()) < 1e-12 for c in r.cases)
    assert r.findings == [] and r.first_wrong is None
    assert any("the course's is order F" in note for note in r.notes)
    doc = json.loads(r.to_json())
    assert doc["verdict"] == "correct" and doc["convention"]["order"] == "C"
    assert set(doc["cases"][0]["relative"]) == {"J", "D1", "D2"}


def test_explicit_labels_override_detection() -> None:
    r = grade(conventions.numpy_style, order="C", labels=1)
    assert r.verdict == "wrong" and r.convention.labels == 1
    assert "labels-base" in r.codes


def test_localisation_names_the_step_and_the_first_wrong_entry() -> None:
    r = grade(str(BANK / "octave" / "grad_wrong" / "nnCostFunction.m"))
    assert r.first_wrong == ("D", 1, 1, 0)
    assert r.localisation is not None
    assert r.localisation.wrong[3] == [] and r.localisation.wrong[2] == [1, 2, 3, 4, 5]
    assert "δ^(3) agrees; δ^(2)_1 differs: the step δ^(2) = (Θ^(2))ᵀδ^(3) .* g'(z^(2))" in \
        r.localisation.message
    # the δ read back from the bias column is the learner's: Θ2 is right, so δ^(3) matches
    ref = r.localisation.case.case.reference.delta
    np.testing.assert_allclose(r.localisation.learner[3], ref[3][0], rtol=1e-12)
    text = str(r)
    assert text.startswith("WRONG") and "first wrong: ∂J/∂Θ^(1)_10" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_draw_shows_the_learners_delta_and_marks_the_wrong_units(tmp_path: Path) -> None:
    r = grade(mistakes.g_prime_of_a)
    g = r.draw()
    learner = r.localisation.learner[2]  # type: ignore[union-attr]
    # the learner's δ on the unit, as drawings write numbers (U+2212 minus)
    assert format_number(float(learner[0])) in g.source
    # every hidden unit differs: a third row with autodiff's δ, and a red border
    assert g.source.count(">autodiff<") == 5
    assert g.source.count('color="#d62728" penwidth="3"') == 5
    ref = r.localisation.reference[2]  # type: ignore[union-attr]
    assert format_number(float(ref[0])) in g.source
    out = g.render(outfile=tmp_path / "mine.svg")
    assert Path(out).read_text().count("#d62728") > 5
    with pytest.raises(ValueError, match="no one-example case"):
        r.draw("random λ=1")


def test_mutating_nn_params_is_wrong_and_said() -> None:
    r = grade(mistakes.changes_nn_params)
    assert r.verdict == "wrong" and r.codes == ["modifies-input"]
    assert all(max(c.rel_D.values()) < 1e-12 for c in r.cases)  # the numbers are right


@pytest.mark.parametrize(("args", "message"), [
    (["nowhere/nnCostFunction.m"], "does not exist; expected an .m file"),
    ([str(BANK)], "is a directory"),
    ([str(BANK / "octave" / "no_function" / "nnCostFunction.m")],
     "does not define function nnCostFunction"),
    ([str(BANK / "python" / "bad.py:not_a_function")], "is a int, not a function"),
    ([str(BANK / "python" / "bad.py:two_arguments")], "does not take the course's 7"),
    ([str(BANK / "python" / "bad.py:nope")], "defines no 'nope'"),
    ([str(BANK / "python" / "nothing.py:f")], "does not exist; expected a Python file"),
    (["nnCostFunction.txt"], "does not exist; expected nnCostFunction.m"),
    ([str(BANK / "python" / "bad.py:one_value"), "--timeout", "0"], "timeout must be"),
])
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                          message: str) -> None:
    assert main(["grade", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_bad_convention_is_a_usage_error() -> None:
    with pytest.raises(GradeUsageError, match="convention must be 'auto', 'octave'"):
        grade(conventions.numpy_style, convention="matlab")
    with pytest.raises(SystemExit) as stop:
        main(["grade", "x.m", "--order", "R"])
    assert stop.value.code == 2


def test_without_octave_exit_3_says_how_to_install(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no octave-cli on PATH
    status = main(["grade", str(BANK / "octave" / "correct_vectorised" / "nnCostFunction.m")])
    out = capsys.readouterr().out
    assert status == 3 and out.startswith("COULD NOT RUN")
    assert "apt-get install --no-install-recommends octave" in out and "brew" in out


def test_wrong_outputs_have_clear_messages() -> None:
    short = grade(str(BANK / "python" / "bad.py:short_grad"))
    assert "grad has shape (37,); expected a vector of 20 + 18" in short.findings[0].message
    nan = grade(str(BANK / "python" / "bad.py:nan_cost"))
    assert "J = nan is not a real number" in nan.findings[0].message


@pytest.mark.parametrize("target", ["mistakes.py:one_hot_from_present_labels",
                                    "mistakes.py:mixed_labels", "bad.py:short_grad",
                                    "conventions.py:column_major_0"])
def test_the_terminal_report_fits_100_columns_verdict_first(target: str) -> None:
    text = str(grade(str(BANK / "python" / target)))
    assert text.split(":")[0] in ("CORRECT", "WRONG", "COULD NOT RUN")
    assert max(len(line) for line in text.splitlines()) <= 100
