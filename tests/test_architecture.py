"""The package's imports point one way: import-linter's contracts in .importlinter (layers
core ← scalar, tensor ← check, optim ← nn ← viz ← app; layers inside core/ and tensor/; no
import cycles in any package; no NumPy in the core) hold, and they do catch a wrong-way
import."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path, package_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter on the package found in ``package_dir`` with root's contracts."""
    env = {**os.environ, "PYTHONPATH": str(package_dir)}
    return subprocess.run([str(LINT), "--no-cache", "--config", str(root / ".importlinter")],
                          cwd=package_dir, env=env, capture_output=True, text=True, timeout=300)


def test_the_contracts_hold() -> None:
    done = lint_imports(ROOT, ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    for contract in ("Layers: core <- scalar", "knows nothing about floats or arrays",
                     "No import cycles"):
        assert contract in done.stdout


def test_a_wrong_way_import_breaks_them(tmp_path: Path) -> None:
    """The core importing nn (a later layer, and NumPy through it) is reported, by name."""
    shutil.copytree(ROOT / "microgradnn", tmp_path / "microgradnn",
                    ignore=shutil.ignore_patterns("__pycache__"))
    grad = tmp_path / "microgradnn" / "core" / "grad.py"
    grad.write_text(grad.read_text(encoding="utf-8") + "\nfrom ..nn import backprop  # noqa\n",
                    encoding="utf-8")
    done = lint_imports(ROOT, tmp_path)
    assert done.returncode == 1, done.stdout
    assert "microgradnn.core.grad -> microgradnn.nn.backprop" in done.stdout
    assert "broken" in done.stdout
