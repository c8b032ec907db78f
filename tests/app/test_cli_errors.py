"""The command's promise (issue 13, item 13): a usage error is one line on stderr, exit 2,
no traceback, nothing written; a check too large for memory is refused with the number, and
a long one shows progress."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXE = [sys.executable, "-m", "microgradnn"]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None
        ) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run([*EXE, *args], capture_output=True, text=True, env=full_env,
                          cwd=cwd, timeout=300)


def assert_usage_error(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


@pytest.mark.parametrize(("args", "message"), [
    (("check", "--lam", "nan"), "--lam must be >= 0 and finite, got nan"),
    (("check", "--lam", "inf"), "--lam must be >= 0 and finite, got inf"),
    (("train", "digits", "--lam", "nan"), "--lam must be >= 0 and finite, got nan"),
    (("check", "--sizes", "2"), "at least two layers (input and output), got one: 2"),
    (("render", "x", "--var", "x=1", "--var", "x=2"), "--var x is given twice"),
    (("render", "x", "--var", "x=nan"), "--var x: 'nan' is not a finite number"),
    (("render", "x", "--var", "x=1e400"), "--var x: '1e400' is not a finite number"),
    (("render", "x", "--var", "x=1", "-o", "/proc/no-such-dir/x.svg"),
     "cannot write to -o '/proc/no-such-dir'"),
])
def test_bad_values_are_one_line_errors(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert_usage_error(result, message)
    assert result.stdout == ""


def test_out_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("mine")
    assert_usage_error(run("demo", "--out", str(target)), f"--out {str(target)!r} is a file; "
                                                          "expected a directory")
    assert target.read_text() == "mine"


def test_caret_is_explained_as_power() -> None:
    result = run("render", "x^2", "--var", "x=3")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "operator BitXor (^): for a power write **, as in x**2" in result.stderr


@pytest.mark.parametrize(("args", "what"), [
    (("check", "--sizes", "100000", "100000", "-m", "1"), "check --sizes 100000 100000 -m 1"),
    (("train", "digits", "--hidden", "10000000", "--quiet"), "train digits --hidden 10000000"),
])
def test_networks_too_large_for_memory_are_refused_with_the_number(
        args: tuple[str, ...], what: str, tmp_path: Path) -> None:
    result = run(*args, cwd=tmp_path)
    assert_usage_error(result, f"{what} needs about ")
    assert "B of memory (" in result.stderr and "weights" in result.stderr
    assert "is available" in result.stderr
    assert not any(tmp_path.iterdir())  # refused before anything was written


def test_large_check_leaves_out_the_scalar_engine_and_shows_progress() -> None:
    # 106 weights × m = 25,000: a scalar graph of 5.3M edges, past the engine's limit
    result = run("check", "--sizes", "10", "8", "2", "-m", "25000")
    assert result.returncode == 0, result.stderr
    assert "the scalar engine is left out" in result.stdout
    assert "engine='tensor'" not in result.stdout + result.stderr
    assert "PASS" in result.stdout
    assert "central differences" in result.stderr  # the progress bar
    assert "Traceback" not in result.stderr


def test_small_check_shows_no_progress_bar() -> None:
    result = run("check")
    assert result.returncode == 0 and result.stderr == ""


@pytest.mark.parametrize("args", [("demo",), ("render", "x*y", "--var", "x=1", "--var", "y=2",
                                              "-o", "g.svg")])
def test_without_dot_drawing_commands_refuse_and_leave_no_files(
        args: tuple[str, ...], tmp_path: Path) -> None:
    # a PATH with this Python's folder only: the real dot is not on it
    env = {"PATH": str(Path(sys.executable).parent)}
    out = ("--out", str(tmp_path / "demo")) if args[0] == "demo" else ()
    result = run(*args, *out, env=env, cwd=tmp_path)
    assert_usage_error(result, "needs Graphviz's `dot` to draw, and it is not on PATH")
    assert not any(tmp_path.iterdir())  # no stray .gv or half-written drawing


def test_without_dot_render_still_writes_dot_source(tmp_path: Path) -> None:
    env = {"PATH": str(Path(sys.executable).parent)}
    result = run("render", "x*y", "--var", "x=1", "--var", "y=2", "-o", "g.dot", env=env,
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "g.dot").read_text().startswith("digraph")
