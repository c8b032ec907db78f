"""What each make target installs, read from make's own dry run (`make -n`), and what
scripts/install-system-deps.sh does when a program is missing or present.

`make demo` must install the package with its runtime dependencies only, plus `dot`;
`make test` adds its extras and the programs only the tests use (Chromium, GNU Octave,
TeX Live) before pytest starts. Stamps make a second run install nothing, and an edit of
pyproject.toml reinstall.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_DEPS = ROOT / "scripts" / "install-system-deps.sh"


def dry_run(target: str, venv: Path, cwd: Path = ROOT) -> list[str]:
    """The commands `make TARGET` would run with its environment in VENV."""
    proc = subprocess.run(["make", "-n", target, f"VENV={venv}"], cwd=cwd, text=True,
                          capture_output=True, check=True)
    return proc.stdout.splitlines()


def pip_installs(commands: list[str]) -> list[str]:
    """What each `pip install` line installs (its last word)."""
    return [shlex.split(c)[-1] for c in commands if " pip install " in f" {c} "]


def system_deps(commands: list[str]) -> list[list[str]]:
    return [shlex.split(c)[1:] for c in commands if "install-system-deps.sh" in c]


def index(commands: list[str], needle: str) -> int:
    return next(i for i, c in enumerate(commands) if needle in c)


def test_demo_on_a_fresh_machine_installs_runtime_dependencies_and_dot_only(tmp_path):
    commands = dry_run("demo", tmp_path / "venv")
    assert any(" -m venv " in c for c in commands)
    assert pip_installs(commands) == ["."]  # `pip install -e .`: no extras
    assert system_deps(commands) == [["graphviz"]]
    assert index(commands, "install-system-deps.sh") < index(commands, "microgradnn demo")


def test_demo_says_what_it_does_at_each_step(tmp_path):
    steps = [c for c in dry_run("demo", tmp_path / "venv") if "==>" in c]
    assert [shlex.split(s)[2].split()[0] for s in steps] == ["Creating", "Installing", "Running"]


@pytest.mark.parametrize(("target", "extras"), [
    ("test", [".", ".[test]", ".[lint]"]),
    ("docs", [".", ".[docs]"]),
    ("bench", [".", ".[bench]"]),
    ("lint", [".", ".[lint]"]),
])
def test_other_targets_install_their_extras_on_top(tmp_path, target, extras):
    assert pip_installs(dry_run(target, tmp_path / "venv")) == extras


def test_make_test_installs_every_real_component_before_pytest(tmp_path):
    commands = dry_run("test", tmp_path / "venv")
    (components,) = system_deps(commands)
    assert set(components) == {"graphviz", "chromium", "octave", "texlive", "rsvg"}
    assert index(commands, "install-system-deps.sh") < index(commands, "-m pytest")


def _set_mtime(path: Path, when: float) -> None:
    path.touch()
    os.utime(path, (when, when))


def test_second_run_installs_nothing_and_an_edited_pyproject_reinstalls(tmp_path):
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    venv = tmp_path / ".venv"
    venv.mkdir()
    now = time.time()
    # an environment that the first run made: pyproject.toml older than every stamp
    _set_mtime(tmp_path / "pyproject.toml", now - 300)
    _set_mtime(venv / "pyvenv.cfg", now - 200)
    for stamp in (".runtime", ".extra-test", ".extra-lint"):
        _set_mtime(venv / stamp, now - 100)
    for target in ("demo", "test"):
        commands = dry_run(target, venv, cwd=tmp_path)
        assert pip_installs(commands) == [], target
        assert not any(" -m venv " in c for c in commands), target

    _set_mtime(tmp_path / "pyproject.toml", now)  # edited after the install
    assert pip_installs(dry_run("demo", venv, cwd=tmp_path)) == ["."]
    assert pip_installs(dry_run("test", venv, cwd=tmp_path)) == [".", ".[test]", ".[lint]"]
    assert not any(" -m venv " in c for c in dry_run("demo", venv, cwd=tmp_path))


def run_system_deps(*components: str, path: str | None = None, as_nobody: bool = False
                    ) -> subprocess.CompletedProcess[str]:
    """Run the script (fed on stdin, so any user can read it) with PATH set to `path`."""
    env = {"PATH": path if path is not None else os.environ["PATH"], "LC_ALL": "C.UTF-8"}
    bash = shutil.which("bash")
    assert bash is not None
    cmd = [bash, "-s", "--", *components]
    if as_nobody:
        runuser, env_cmd = shutil.which("runuser"), shutil.which("env")
        assert runuser is not None and env_cmd is not None
        cmd = [runuser, "-u", "nobody", "--", env_cmd, *(f"{k}={v}" for k, v in env.items()),
               *cmd]
    return subprocess.run(cmd, input=SYSTEM_DEPS.read_text(encoding="utf-8"), env=env,
                          text=True, capture_output=True, timeout=60)


def test_system_deps_reports_each_present_component():
    # make test ran this script before pytest, so every component is here
    proc = run_system_deps("graphviz", "chromium", "octave", "texlive", "rsvg")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 5
    assert all(line.endswith(": present") for line in proc.stdout.splitlines())


def test_system_deps_rejects_an_unknown_component():
    proc = run_system_deps("graphviz", "matlab")
    assert proc.returncode == 2
    assert "unknown component 'matlab'" in proc.stderr
    assert "graphviz, chromium, octave, texlive or rsvg" in proc.stderr


def test_system_deps_without_root_says_how_to_install_what_is_missing():
    # A PATH with only what the script itself runs: dot, octave-cli, pdflatex are missing.
    # As a user who is not root, the script must explain, not install.
    with tempfile.TemporaryDirectory() as tmp:
        bin_dir = Path(tmp)
        bin_dir.chmod(0o755)
        for tool in ("bash", "sed", "cat", "id"):
            found = shutil.which(tool)
            assert found is not None, tool
            (bin_dir / tool).symlink_to(found)
        proc = run_system_deps("graphviz", "octave", "texlive", path=str(bin_dir),
                               as_nobody=os.geteuid() == 0)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "Missing system programs: graphviz octave texlive" in proc.stderr
    for how in ("apt-get install graphviz", "brew install octave",
                "apt-get install --no-install-recommends octave", "octave.org/download",
                "texlive-latex-extra poppler-utils", "conda install -c conda-forge octave"):
        assert how in proc.stderr, how
