"""Every picture the demo and the docs draw, measured where people look at it: in headless
Chromium (the DOM's text boxes, as GitHub and MkDocs show an SVG) and in Graphviz's own
cairo/pango layout (what `dot -Tpng` and PDF output draw). No two texts overlap, every
label sits inside its node, every text meets WCAG AA contrast on its fill."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from svg_layout import measure_svgs, outside_their_node, overlaps, poor_contrast, xdot_texts
from viz_support import neuron

import microgradnn as mg
from microgradnn.app.demo import lecture_demo
from microgradnn.viz.render import Drawing


def _neuron_forward() -> Drawing:
    return mg.draw_graph(neuron())


def _neuron() -> Drawing:
    o = neuron()
    o.backward()
    return mg.draw_graph(o)


def _twice() -> Drawing:
    a, b = mg.Scalar(3.0, name="a"), mg.Scalar(4.0, name="b")
    ratio = (a * a - b) / (a + b)
    ratio.name = "ratio"
    ratio.backward()
    return mg.draw_graph(ratio)


def _tensor() -> Drawing:
    W = mg.Tensor(np.array([[0.5, -1.0, 2.0], [0.25, 0.0, -0.75]]), requires_grad=True,
                  name="Θ^(1)")
    x = mg.Tensor(np.array([1.0, 0.5, -2.0]), requires_grad=True, name="a^(1)")
    loss = (W @ x).sigmoid().sum()
    loss.name = "J"
    loss.backward()
    return mg.draw_graph(loss)


def _lecture(highlight: tuple[int, int] | None) -> Callable[[], Drawing]:
    def draw() -> Drawing:
        net = mg.nn.lecture_network()
        return mg.draw_network(net, *net.example, highlight=highlight)
    return draw


def _sized(sizes: list[int], highlight: tuple[int, int] | None = None,
           weights: bool | str = True) -> Callable[[], Drawing]:
    def draw() -> Drawing:
        net = mg.nn.Network(sizes, seed=0)
        x = np.linspace(-1.0, 1.0, sizes[0])
        return mg.draw_network(net, x, sizes[-1] - 1 if sizes[-1] > 1 else 1,
                               highlight=highlight, weights=weights)
    return draw


def _collapsed() -> Drawing:
    net = mg.nn.Network([64, 25, 10], seed=0)
    sg = net.scalar_graph(np.linspace(0, 1, 64), 3)
    sg.cost.backward()
    return mg.draw_graph(sg.cost, collapse="layer")


def _quiz() -> Drawing:
    net = mg.nn.lecture_network()
    theta = {l: t.copy() for l, t in net.theta.items()}
    theta[2][:, 1] = 0.0
    quiz = mg.nn.Network(net.sizes, thetas=theta)
    return mg.draw_network(quiz, *net.example, highlight=(2, 1))


def _expression(terms: int) -> Callable[[], Drawing]:
    def draw() -> Drawing:
        from microgradnn.app.expr import evaluate

        root = evaluate("+".join(["x*x"] * terms), {"x": 2.0})
        root.backward()
        return mg.draw_graph(root)
    return draw


PICTURES: dict[str, Callable[[], Drawing]] = {
    "neuron-forward": _neuron_forward,
    "neuron": _neuron,
    "twice": _twice,
    "tensor": _tensor,
    "lecture-network": _lecture(None),
    "delta-2-2": _lecture((2, 2)),
    "network-3-1": _lecture((3, 1)),
    "output-4-1": _lecture((4, 1)),
    "quiz": _quiz,
    "3-5-3": _sized([3, 5, 3]),
    "3-5-3-highlight": _sized([3, 5, 3], (2, 3)),
    "3-5-3-all-weights": _sized([3, 5, 3], weights="all"),
    "400-25-10": _sized([400, 25, 10], (2, 5)),
    "wide": _sized([64, 25, 10], weights=False),
    "collapsed": _collapsed,
    "sum-of-12": _expression(12),
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    """Each picture as an SVG file (with its DOT source), plus the demo's own files."""
    out = tmp_path_factory.mktemp("pictures")
    files = {}
    for name, draw in PICTURES.items():
        drawing = draw()
        path = Path(drawing.render(outfile=out / f"{name}.svg"))
        files[name] = (path, drawing.source)
    demo = out / "demo"
    assert lecture_demo(demo, say=lambda _: None)
    for path in sorted(demo.glob("*.svg")):
        files[f"demo-{path.stem}"] = (path, "")
    return files


@pytest.fixture(scope="module")
def measured(rendered) -> dict:
    paths = [path for path, _ in rendered.values()]
    by_file = measure_svgs(paths)
    return {name: by_file[path.name] for name, (path, _) in rendered.items()}


def test_every_picture_is_measured(measured):
    assert set(measured) >= set(PICTURES) | {"demo-network", "demo-delta_2_2", "demo-graph"}
    for name, (texts, _) in measured.items():
        assert len(texts) >= 5, name  # the page really drew it


@pytest.mark.parametrize("name", [*PICTURES, "demo-network", "demo-delta_2_2", "demo-graph"])
def test_no_two_texts_overlap_in_chromium(measured, name):
    texts, _ = measured[name]
    assert overlaps(texts) == []


@pytest.mark.parametrize("name", [*PICTURES, "demo-network", "demo-delta_2_2", "demo-graph"])
def test_every_label_lies_inside_its_node_in_chromium(measured, name):
    texts, shapes = measured[name]
    assert outside_their_node(texts, shapes) == []


@pytest.mark.parametrize("name", [*PICTURES, "demo-network", "demo-delta_2_2", "demo-graph"])
def test_every_text_meets_wcag_aa_contrast_on_its_fill(measured, name):
    texts, shapes = measured[name]
    assert poor_contrast(texts, shapes) == []


@pytest.mark.parametrize("name", list(PICTURES))
def test_no_two_texts_overlap_in_graphviz_cairo_layout(rendered, name):
    _, source = rendered[name]
    texts = xdot_texts(source)
    assert len(texts) >= 5
    assert overlaps(texts, slack=0.5) == []


def test_the_measures_catch_what_they_look_for(tmp_path):
    """The checks fail on a picture that is wrong: overlapping lines, a label wider than
    its node, light grey text on white."""
    svg = tmp_path / "bad.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120">'
        '<g class="node" id="n1"><title>n1</title>'
        '<polygon fill="#ffffff" points="0,0 60,0 60,40 0,40"/>'
        '<text x="5" y="20" font-size="14">a label far too long</text>'
        '<text x="5" y="24" font-size="14" fill="#bbbbbb">δ₁⁽²⁾ overlapping</text>'
        "</g></svg>", encoding="utf-8")
    texts, shapes = measure_svgs([svg])["bad.svg"]
    assert overlaps(texts)
    assert outside_their_node(texts, shapes)
    assert poor_contrast(texts, shapes) == [("δ₁⁽²⁾ overlapping", "#bbbbbb", "#ffffff", 1.92)]


def test_labels_use_unicode_scripts_not_graphviz_sub_sup(rendered):
    for name, (path, source) in rendered.items():
        svg = path.read_text(encoding="utf-8")
        assert "baseline-shift" not in svg, name
        if source:
            assert not re.search(r"<SU[BP]>", source), name


def test_svgs_carry_their_size_so_they_scale_in_markdown(rendered):
    for name, (path, _) in rendered.items():
        head = path.read_text(encoding="utf-8")[:1000]
        assert re.search(r'<svg width="\d+pt" height="\d+pt"', head), name
        assert "viewBox=" in head, name


def test_the_cairo_layout_check_catches_overlapping_text():
    squeezed = ('digraph { a [shape=plain label=<<TABLE BORDER="0"><TR>'
                '<TD FIXEDSIZE="TRUE" WIDTH="5" HEIGHT="10">long text here</TD>'
                '<TD FIXEDSIZE="TRUE" WIDTH="5" HEIGHT="10">more text</TD>'
                "</TR></TABLE>>] }")
    assert overlaps(xdot_texts(squeezed), slack=0.5) == [("long text here", "more text")]


def test_rsvg_draws_every_svg_at_its_declared_size(rendered, tmp_path):
    """librsvg (GNOME's viewer, many Markdown previews) reads each file and draws a real
    picture of the size the SVG declares."""
    import shutil
    import subprocess

    import matplotlib.image as mpimg

    exe = shutil.which("rsvg-convert")
    assert exe, "rsvg-convert is needed: apt-get install librsvg2-bin"
    for name, (path, _) in rendered.items():
        png = tmp_path / f"{name}.png"
        subprocess.run([exe, "-o", str(png), str(path)], check=True, timeout=120)
        head = path.read_text(encoding="utf-8")[:1000]
        w, h = (float(v) for v in re.search(r'<svg width="(\d+)pt" height="(\d+)pt"',
                                            head).groups())
        pixels = mpimg.imread(str(png))
        assert pixels.shape[1] == pytest.approx(w * 4 / 3, abs=2), name
        assert pixels.shape[0] == pytest.approx(h * 4 / 3, abs=2), name
        assert pixels[..., :3].std() > 0.02, name  # not blank
