"""Every example runs to completion as a user would run it, and the notebook executes.

Each script runs in a subprocess with this interpreter, writing into a temporary directory
(``--out``); the test checks the exit status, the lines that carry the example's result,
and the files it promises. The notebook is executed with nbclient on a kernel spec, written
into a temporary directory, that points at this interpreter — so it runs the checkout under
test, also in CI where only the project's .venv exists.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run_example(name: str, *args: str, cwd: Path, env_out: Path | None = None
                ) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MPLBACKEND="Agg")
    env.pop("MICROGRADNN_OUT", None)
    if env_out is not None:
        env["MICROGRADNN_OUT"] = str(env_out)
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run([sys.executable, str(EXAMPLES / name), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def _svg(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    assert "<svg" in text, path
    return text


def test_scalar_graph(tmp_path):
    done = run_example("scalar_graph.py", "--out", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # the neuron's published numbers: o = tanh(0.8814) = √2/2, ∂o/∂x1 = −1.5, ∂o/∂w1 = 1
    assert re.search(r"^\s+o\s+tanh\s+0\.707107\s+1\.000000$", done.stdout, re.MULTILINE)
    assert re.search(r"^\s+x1\s+-1\.500000\s+-1\.500000$", done.stdout, re.MULTILINE)
    assert "backward and central differences agree" in done.stdout
    assert "δ" in _svg(tmp_path / "neuron.svg")
    page = (tmp_path / "backward.html").read_text(encoding="utf-8")
    assert "<svg" in page and "http://" not in page.replace("http://www.w3.org", "")


def test_lecture_network(tmp_path):
    done = run_example("lecture_network.py", "--out", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # δ^(4) = a^(4) − y, printed by all three methods, equal to the forward pass's numbers
    h = float(re.search(r"h\(x\) = a\^\(4\) = ([0-9.]+)", done.stdout).group(1))
    row = re.search(r"δ_1\^\(4\)\s+(\S+)\s+(\S+)\s+(\S+)", done.stdout)
    assert [float(v) for v in row.groups()] == pytest.approx([h - 1.0] * 3, abs=1e-6)
    assert "all agree" in done.stdout
    assert done.stdout.count("δ_2^(2) = [") == 1  # the lecture's weighted sum, written out
    for name in ("network.svg", "delta_2_2.svg", "graph.svg"):
        _svg(tmp_path / name)


def test_quiz(tmp_path):
    done = run_example("quiz.py", "--networks", "60", "--out", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Answer: (d) there is insufficient information to tell." in done.stdout
    counts = re.search(r"δ_1\^\(3\) > 0 in (\d+), < 0 in (\d+), = 0 in (\d+)", done.stdout)
    positive, negative, zero = (int(c) for c in counts.groups())
    assert positive > 0 and negative > 0 and zero >= 1 and positive + negative + zero == 61
    assert "largest |δ_1^(2)| = 0.0e+00" in done.stdout
    for claim in ("(a)", "(b)", "(c)"):
        assert re.search(rf"^\s+{re.escape(claim)} .* FALSE: ", done.stdout, re.MULTILINE)
    _svg(tmp_path / "quiz.svg")


def test_quiz_exits_nonzero_when_the_runs_do_not_settle_it(tmp_path):
    # one random network (with seed 2 its δ_1^(3) < 0) leaves claim (c) "≤ 0" standing
    done = run_example("quiz.py", "--networks", "1", "--seed", "2", "--out", str(tmp_path),
                       cwd=tmp_path)
    assert done.returncode == 1, done.stdout
    assert "did not settle" in done.stdout
    assert re.search(r"\(c\) δ_1\^\(3\) ≤ 0 regardless\s+holds", done.stdout)


def test_examples_write_where_they_are_told(tmp_path):
    # no --out: $MICROGRADNN_OUT; nothing in the working directory or the repository
    before = set(EXAMPLES.iterdir())
    done = run_example("scalar_graph.py", cwd=tmp_path / "cwd", env_out=tmp_path / "env")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "env").iterdir()) == ["backward.html",
                                                                   "neuron.svg"]
    assert not list((tmp_path / "cwd").iterdir())
    assert set(EXAMPLES.iterdir()) == before


# ------------------------------------------------------------------------------ notebook

def _kernel_spec(where: Path) -> str:
    """A kernel spec for this interpreter in ``where``/kernels; returns its name."""
    name = "microgradnn-test"
    spec_dir = where / "kernels" / name
    spec_dir.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "microgradnn (tests)", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return name


def test_tour_notebook_runs(tmp_path):
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    notebook = nbformat.read(EXAMPLES / "tour.ipynb", as_version=4)
    # committed clean: no outputs, no execution counts
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None
    kernel = _kernel_spec(tmp_path)
    manager = KernelManager(kernel_name=kernel,
                            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(tmp_path
                                                                                   / "kernels")]))
    client = NotebookClient(notebook, km=manager, timeout=120,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=dict(os.environ, MPLBACKEND="Agg"))

    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "all methods agree: True" in text
    # the drawings display inline as SVG
    svgs = [o for o in outputs if o.output_type in ("display_data", "execute_result")
            and "image/svg+xml" in o.get("data", {})]
    assert len(svgs) >= 3
    # and the backward sweep as a self-contained page of SVG frames (in a sandboxed iframe)
    pages = [o["data"]["text/html"] for o in outputs
             if o.output_type in ("display_data", "execute_result")
             and "text/html" in o.get("data", {})]
    assert any("<iframe" in page and "&lt;svg" in page for page in pages)


def test_check_gradients(tmp_path):
    done = run_example("check_gradients.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = re.findall(r"gradient check, λ = ([0-9.]+): relative difference (\S+)", done.stdout)
    assert [lam for lam, _ in found] == ["0.0", "3.0"]
    assert all(float(value) < 1e-9 for _, value in found)  # the course's criterion


def test_digits(tmp_path):
    # a short run: 20 L-BFGS-B iterations already get well past chance (10%)
    done = run_example("digits.py", "--maxiter", "20", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    row = re.search(r"microgradnn Network 64-25-10\s+([0-9.]+)%\s+([0-9.]+)%", done.stdout)
    assert row and float(row.group(2)) > 80.0, done.stdout
    assert "MLPClassifier" in done.stdout


def test_every_example_is_tested():
    tested = {"scalar_graph.py", "lecture_network.py", "quiz.py", "tour.ipynb",
              "check_gradients.py", "digits.py"}
    present = {p.name for p in EXAMPLES.iterdir() if p.suffix in (".py", ".ipynb")}
    assert present == tested
