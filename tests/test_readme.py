"""The README's code runs, its Quickstart is two commands, and its picture is current."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

import microgradnn as mg

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README, flags=re.S)


def test_readme_code_blocks_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    monkeypatch.chdir(tmp_path)
    blocks = python_blocks()
    assert len(blocks) >= 2
    namespace: dict = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for block in blocks:
            exec(compile(block, "README.md", "exec"), namespace)
    printed = out.getvalue()
    # the values the README claims in its comments are what the code prints
    assert printed.splitlines()[0] == "0.7071 -1.5000 1.0000"
    assert (tmp_path / "neuron.svg").exists() and (tmp_path / "delta_2_2.svg").exists()


def test_quickstart_is_exactly_two_commands() -> None:
    section = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, flags=re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]


def test_readme_picture_shows_the_current_numbers() -> None:
    svg = (ROOT / "assets" / "lecture_network.svg").read_text(encoding="utf-8")
    net = mg.nn.lecture_network()
    x, y = net.example
    bp = net.backprop(x, y)
    for l, delta in bp.delta.items():
        for value in delta[0]:
            assert f"{value:.4f}".replace("-", "−") in svg or f"{value:.4f}" in svg, (
                f"assets/lecture_network.svg is stale: δ^({l}) value {value:.4f} missing; "
                "run python scripts/readme_figure.py")
