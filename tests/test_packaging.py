"""The package as a user gets it: sdist and wheel build cleanly, and the wheel, installed
into a fresh virtual environment with the runtime dependencies only, imports and runs
`microgradnn demo` — so the demo needs nothing from the extras.

One build and one virtual environment serve the whole session (creating it installs NumPy
and SciPy, the slow part).
"""

from __future__ import annotations

import email
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import microgradnn

if sys.version_info >= (3, 11):
    import tomllib
else:  # the test extra installs tomli there
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Distributions that only the extras bring in; none may be in the runtime environment.
EXTRAS_ONLY = {"torch", "pytest", "hypothesis", "mkdocs", "scikit-learn", "matplotlib",
               "ruff", "mypy", "micrograd", "autograd", "nbclient", "build", "twine"}

# This machine's pip configuration names local mirror folders, and pip warns once per
# package that a folder lacks: a fact about the machine, not about this package.
MACHINE_PIP_NOTE = re.compile(r"WARNING: Location '[^']*' is ignored: it is neither a file "
                              r"nor a directory\.")


@dataclass
class Dist:
    sdist: Path
    wheel: Path
    build_log: str


@dataclass
class RuntimeVenv:
    python: Path
    bin: Path
    install_log: str


def _env() -> dict[str, str]:
    """The caller's environment, minus what would make a build or install say more."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # setuptools warns that it cannot byte-compile
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=_env(), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed:\n{proc.stdout[-3000:]}"
    return proc


def _warnings(log: str) -> list[str]:
    return [line for line in log.splitlines()
            if "warn" in line.lower() and not MACHINE_PIP_NOTE.search(line)]


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """`python -m build`: the sdist, then the wheel built from the sdist."""
    out = tmp_path_factory.mktemp("dist")
    log = _run(sys.executable, "-m", "build", "--outdir", out, ROOT).stdout
    (sdist,) = out.glob("microgradnn-*.tar.gz")
    (wheel,) = out.glob("microgradnn-*.whl")
    return Dist(sdist, wheel, log)


@pytest.fixture(scope="session")
def runtime_venv(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> RuntimeVenv:
    """A fresh virtual environment holding the wheel and its runtime dependencies only."""
    where = tmp_path_factory.mktemp("runtime-venv") / "venv"
    _run(sys.executable, "-m", "venv", where)
    bin_dir = where / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    log = _run(python, "-m", "pip", "install", "--no-compile", dist.wheel).stdout
    return RuntimeVenv(python, bin_dir, log)


def test_sdist_and_wheel_pass_twine_check(dist: Dist) -> None:
    proc = _run(sys.executable, "-m", "twine", "check", "--strict", dist.sdist, dist.wheel)
    assert proc.stdout.count("PASSED") == 2, proc.stdout


def test_build_prints_no_warning(dist: Dist) -> None:
    assert _warnings(dist.build_log) == []


def test_sdist_carries_the_licence_readme_and_every_module(dist: Dist) -> None:
    with tarfile.open(dist.sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {"LICENSE", "README.md", "pyproject.toml", "microgradnn/py.typed"} <= names
    modules = {str(p.relative_to(ROOT)) for p in (ROOT / "microgradnn").rglob("*.py")}
    assert modules <= names, f"missing from the sdist: {sorted(modules - names)}"


def _wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as zf:
        (meta,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(zf.read(meta))


def test_version_lives_in_one_place(dist: Dist) -> None:
    # pyproject.toml reads it from microgradnn/__init__.py instead of repeating it
    assert "version" not in PYPROJECT["project"]
    assert "version" in PYPROJECT["project"]["dynamic"]
    meta = _wheel_metadata(dist.wheel)
    assert meta["Version"] == microgradnn.__version__
    assert dist.wheel.name.startswith(f"microgradnn-{microgradnn.__version__}-")


def test_licence_is_an_spdx_expression_with_its_file(dist: Dist) -> None:
    meta = _wheel_metadata(dist.wheel)
    assert meta["License-Expression"] == "MIT"
    assert meta.get_all("License-File") == ["LICENSE"]


def test_wheel_requires_only_the_runtime_dependencies(dist: Dist) -> None:
    meta = _wheel_metadata(dist.wheel)
    unconditional = [r for r in meta.get_all("Requires-Dist") or [] if "extra ==" not in r]
    assert sorted(unconditional) == sorted(PYPROJECT["project"]["dependencies"])


def test_install_into_a_fresh_venv_prints_no_warning(runtime_venv: RuntimeVenv) -> None:
    assert _warnings(runtime_venv.install_log) == []


def test_fresh_venv_holds_no_extra(runtime_venv: RuntimeVenv) -> None:
    listed = _run(runtime_venv.python, "-m", "pip", "list", "--format", "freeze").stdout
    installed = {line.split("==")[0].lower() for line in listed.splitlines() if "==" in line}
    assert {"microgradnn", "numpy", "scipy", "graphviz"} <= installed
    assert installed & EXTRAS_ONLY == set()


def test_demo_runs_on_the_runtime_dependencies_alone(runtime_venv: RuntimeVenv,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "demo"
    # outside the repository, so that the installed package is what gets imported
    proc = _run(runtime_venv.bin / "microgradnn", "demo", "--out", out, cwd=tmp_path)
    assert "every δ agrees: yes" in proc.stdout
    assert "passes" in proc.stdout
    for name in ("network.svg", "delta_2_2.svg", "graph.svg", "backward.html"):
        assert (out / name).stat().st_size > 0, name


def test_import_and_demo_load_no_module_from_an_extra(runtime_venv: RuntimeVenv,
                                                      tmp_path: Path) -> None:
    script = (
        "import sys, pathlib, microgradnn\n"
        "from microgradnn.app.demo import lecture_demo\n"
        "assert microgradnn.__file__.startswith(sys.prefix), microgradnn.__file__\n"
        f"assert lecture_demo(pathlib.Path({str(tmp_path)!r}), say=lambda s: None)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    loaded = set(_run(runtime_venv.python, "-c", script, cwd=tmp_path).stdout.split())
    assert {"microgradnn", "numpy", "graphviz"} <= loaded
    assert loaded & {"torch", "sklearn", "matplotlib", "pytest", "hypothesis", "mkdocs"} == set()
