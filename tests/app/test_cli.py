"""Every command through its entry point (a subprocess), exit codes and output checked."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXE = [sys.executable, "-m", "microgradnn"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*EXE, *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=300)


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).with_name("microgradnn")
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "demo" in result.stdout and "render" in result.stdout


def test_demo_prints_every_delta_and_writes_the_pictures(tmp_path: Path) -> None:
    result = run("demo", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for name in ("δ_1^(4)", "δ_1^(3)", "δ_2^(3)", "δ_1^(2)", "δ_2^(2)"):
        assert name in out
    assert "every δ agrees: yes" in out
    assert re.search(r"relative difference \d\.\d+e-\d+ — passes", out)
    for name in ("network.svg", "delta_2_2.svg", "graph.svg"):
        assert (tmp_path / name).read_text().lstrip().startswith(("<?xml", "<svg"))
    page = (tmp_path / "backward.html").read_text()
    assert "<html" in page.lower() and "http://" not in page.replace(
        "http://www.w3.org", "")


def test_check_passes_and_fails_with_the_right_exit_code() -> None:
    result = run("check", "--sizes", "3", "5", "3", "-m", "5", "--lam", "3")
    assert result.returncode == 0, result.stderr
    match = re.search(r"= (\d\.\d+e-\d+): PASS", result.stdout)
    assert match and float(match.group(1)) < 1e-9


def test_render_draws_an_expression(tmp_path: Path) -> None:
    target = tmp_path / "graph.svg"
    result = run("render", "tanh(x*w + b)", "--var", "x=2", "--var", "w=-3", "--var",
                 "b=6.88", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert "tanh(x * w + b)" in result.stdout
    assert target.read_text().count("<svg") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nonsense",), "invalid choice"),
        (("demo", "--bogus"), "unrecognized arguments"),
        (("render", "tanh(x*", "--var", "x=1"), "syntax error"),
        (("render", "x + y", "--var", "x=1"), "unknown variable 'y'"),
        (("render", "x", "--var", "x=abc"), "'abc' is not a number"),
        (("render", "x", "--var", "x"), "NAME=NUMBER"),
        (("check", "--sizes", "3"), "at least two layers"),
        (("check", "--lam", "-1"), "--lam must be >= 0"),
        (("demo", "--out", "/proc/no-such-dir/x"), "cannot write to --out"),
        (("train", "cifar"), "invalid choice"),
        (("render", "x", "--var", "x=1", "-o", "graph.xyz"), "suffix must be"),
    ],
)
def test_usage_errors_are_one_line_exit_2_no_traceback(args: tuple[str, ...], message: str
                                                       ) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""  # nothing half-done before the error
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["demo", "check", "render", "train"])
def test_help_on_every_command(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "usage: microgradnn " + command in result.stdout
    assert len(result.stdout.splitlines()) > 5


def test_train_digits(tmp_path: Path) -> None:
    result = run("train", "digits", "--maxiter", "30", "--quiet", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    accuracies = re.findall(r"(\d+\.\d)%", result.stdout)
    assert len(accuracies) == 4
    ours_test = float(accuracies[1])
    assert ours_test > 90.0
    assert (tmp_path / "hidden_units.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "weights.npz").stat().st_size > 1000
