"""Drawings that stay bounded: wide fan-outs split, long names cut, every `dot` run with a
timeout and a clear message, long expressions drawn or refused in one line, PNG resolution
and text colours that read on every fill."""

from __future__ import annotations

import random
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from viz_support import groups, neuron

import microgradnn as mg
from microgradnn.app.expr import evaluate
from microgradnn.viz import style
from microgradnn.viz.graph import FANOUT, MAX_NAME
from microgradnn.viz.render import DEFAULT_DPI, LayoutTimeout


def _fan_out(terms: int) -> mg.Scalar:
    root = evaluate("+".join(["x*x"] * terms), {"x": 2.0})
    root.backward()
    return root


@pytest.mark.parametrize("terms", [100, 300])
def test_a_leaf_used_hundreds_of_times_is_drawn_once_per_group_of_uses(terms):
    drawing = mg.draw_graph(_fan_out(terms), max_nodes=None)
    source = drawing.source
    copies = set(re.findall(r"^\tn0(?:c\d+)? \[", source, re.M))
    assert len(copies) == -(-2 * terms // FANOUT)  # 2 uses per term, FANOUT per copy
    for copy in copies:
        tail = copy.strip(" [\t")
        assert len(re.findall(rf"^\t{tail} -> ", source, re.M)) <= FANOUT
    svg = drawing.svg()  # dot lays it out (bench_viz.py times it)
    assert "⋯" not in svg and "…" in svg  # long sub-expression names cut ...
    longest = max(len(t) for key, g in groups(svg, "node").items() if key != "legend"
                  for t in g.itertext())
    assert longest <= MAX_NAME + 10  # ... so no node is as wide as its expression
    assert "x*x+x*x+x*x+x*x" in source  # ... and whole (up to its ends) in the tooltip


def test_a_pathological_graph_hits_the_timeout_with_advice():
    rng = random.Random(0)
    nodes = [mg.Scalar(rng.uniform(-1, 1), name=f"x{i}") for i in range(300)]
    while len(nodes) < 1500:
        a, b = rng.choice(nodes), rng.choice(nodes)
        nodes.append(a * b if len(nodes) % 2 else a + b)
    used = {id(p) for n in nodes for p in n.parents}
    root = mg.Scalar.sum([n for n in nodes if id(n) not in used])
    drawing = mg.draw_graph(root, max_nodes=None)
    drawing.timeout = 0.5  # the tangle takes dot several seconds
    with pytest.raises(LayoutTimeout, match=r"within 0.5 s.*collapse='layer'.*Tensor engine"):
        drawing.svg()


def test_every_drawing_bounds_graphviz_searches():
    source = mg.draw_graph(neuron()).source
    for attribute in ("nslimit", "nslimit1", "mclimit", "searchsize"):
        assert re.search(rf"\b{attribute}=", source), attribute


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", data[16:24])


def test_png_resolution_follows_dpi_and_defaults_to_192(tmp_path):
    drawing = mg.draw_graph(neuron())
    w96, h96 = _png_size(Path(drawing.render(outfile=tmp_path / "a.png", dpi=96)))
    w, h = _png_size(Path(drawing.render(outfile=tmp_path / "b.png")))
    assert DEFAULT_DPI == 192
    assert w == pytest.approx(2 * w96, rel=0.02) and h == pytest.approx(2 * h96, rel=0.02)
    svg = drawing.render(outfile=tmp_path / "c.svg", dpi=300)  # SVG keeps its size in pt
    assert re.search(r'<svg width="\d+pt"', Path(svg).read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match=r"dpi must be a number in 10\.\.1200"):
        drawing.render(outfile=tmp_path / "d.png", dpi=0)


def _cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "microgradnn", *args], capture_output=True,
                          text=True, timeout=timeout)


def test_render_cli_takes_dpi(tmp_path):
    out = tmp_path / "n.png"
    done = _cli("render", "tanh(x*w + b)", "--var", "x=2", "--var", "w=-3", "--var", "b=6.88",
                "-o", str(out), "--dpi", "96")
    assert done.returncode == 0, done.stderr
    small = _png_size(out)
    done = _cli("render", "tanh(x*w + b)", "--var", "x=2", "--var", "w=-3", "--var", "b=6.88",
                "-o", str(out))
    assert _png_size(out)[0] == pytest.approx(2 * small[0], rel=0.02)
    done = _cli("render", "x", "--var", "x=1", "--dpi", "lots", "-o", str(out))
    assert done.returncode == 2 and "--dpi expects a number, got 'lots'" in done.stderr


def test_render_of_600_terms_is_a_one_line_error_not_a_recursion_error(tmp_path):
    done = _cli("render", "+".join(["x*x"] * 600), "--var", "x=2", "-o",
                str(tmp_path / "big.svg"))
    assert done.returncode == 2
    assert "RecursionError" not in done.stderr and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "1,200 nodes" in line and "max_nodes=1,000" in line and len(line) < 600


def test_deeply_nested_expressions_evaluate_or_say_why():
    root = evaluate("+".join(["x*x"] * 3000), {"x": 2.0})
    assert root.data == 3000 * 4.0
    assert len(root.name) < 100  # named by its two ends, not 18,000 characters
    with pytest.raises(ValueError, match="nested"):  # the parser's own limit, in one line
        evaluate("(" * 5000 + "x" + ")" * 5000, {"x": 1.0})


@pytest.mark.parametrize("depth", [0.0, 0.1, 0.3, 0.5, 0.6, 0.62, 0.7, 0.9, 1.0])
def test_text_on_every_fill_of_the_scale_meets_wcag_aa(depth):
    scale = style.DivergingScale([1.0])
    for value in (depth, -depth):
        fill = scale.fill(value)
        assert style.contrast(scale.text(value), fill) >= 4.5, (value, fill)
    for fill in (style.OP_FILL, style.NO_GRAD_FILL, "#ffffff"):
        assert style.contrast(style.ink_on(fill), fill) >= 4.5
        assert style.contrast(style.MUTED, "#ffffff") >= 4.5


def test_contrast_is_wcag_ratio():
    assert style.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert style.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # fails AA
    assert style.ink_on("#8073ac") == "#000000"  # neither #222 nor white reaches 4.5 there
