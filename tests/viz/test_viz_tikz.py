"""TikZ and Beamer output, compiled by the real pdflatex and read back with pdftotext."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from latex_tools import compile_tex, page_count, pdf_text, to_png

import microgradnn as mg
from microgradnn.nn import lecture_network
from microgradnn.viz import latex, style


@pytest.fixture(scope="module")
def lecture():
    net = lecture_network()
    x, y = net.example
    return net, x, y, net.backprop(x[None, :], y)


def _fmt(v: float, precision: int = 4) -> str:
    return style.format_number(v, precision).replace("\u2212", "-")


def _every_delta(bp, L: int) -> list[str]:
    return [_fmt(d) for l in range(2, L + 1) for d in bp.delta[l][0]]


def test_standalone_network_compiles_and_shows_every_a_and_delta(lecture, tmp_path):
    net, x, y, bp = lecture
    tex = Path(mg.draw_network(net, x, y).render(outfile=tmp_path / "net.tex"))
    pdf = compile_tex(tex)
    text = pdf_text(pdf)
    for value in _every_delta(bp, net.L):
        assert value in text, value
    fwd = net.forward(x[None, :])
    for a in fwd.a[3][0, 1:]:
        assert _fmt(a) in text
    assert "Layer 4" in text and to_png(pdf).stat().st_size > 1000


def test_caption_works_out_delta_2_2_with_its_numbers(lecture, tmp_path):
    net, x, y, bp = lecture
    tex = Path(mg.draw_network(net, x, y, highlight=(2, 2)).render(outfile=tmp_path / "c.tex"))
    text = pdf_text(compile_tex(tex))
    source = tex.read_text()
    assert r"\delta^{(2)}_{2} = \sum_i \Theta^{(2)}_{i2}\,\delta^{(3)}_i \cdot g'(z^{(2)}_{2})" \
        in source
    weighted = bp.weighted[2][0, 1]
    assert _fmt(weighted) in text and _fmt(bp.delta[2][0, 1]) in text
    assert _fmt(net.theta[2][0, 2]) in text  # Θ^(2)_12 in the sum's numbers


def test_picture_compiles_inside_a_document_with_only_tikz(lecture, tmp_path):
    net, x, y, _ = lecture
    body = mg.draw_network(net, x, y).to_tikz()
    assert body.lstrip().startswith(r"\begin{tikzpicture}") and r"\documentclass" not in body
    doc = tmp_path / "notes.tex"
    doc.write_text("\\documentclass{article}\n\\usepackage{tikz}\n\\begin{document}\n"
                   f"Figure:\n\n\\resizebox{{\\linewidth}}{{!}}{{{body}}}\n\\end{{document}}\n")
    assert "Layer 2" in pdf_text(compile_tex(doc))


def test_colours_are_the_svgs_defined_once(lecture):
    net, x, y, _ = lecture
    g = mg.draw_network(net, x, y)
    tikz = g.to_tikz()
    defined = re.findall(r"\\definecolor\{(mg[0-9A-F]{6})\}\{HTML\}\{([0-9A-F]{6})\}", tikz)
    names = [n for n, _ in defined]
    assert len(names) == len(set(names))
    fills = {f.upper() for f in re.findall(r'fillcolor="#([0-9a-f]{6})"', g.source)}
    unit_fills = {f for f in fills if f != "FFFFFF"}
    assert unit_fills and unit_fills <= {h for _, h in defined}


def test_a_60_node_expression_graph_compiles_with_every_delta(tmp_path):
    xs = [mg.Scalar(0.1 * (k + 1), name=f"x_{k}") for k in range(20)]
    total = xs[0]
    for k, v in enumerate(xs[1:], start=1):
        total = (total * v).tanh() + v if k % 2 else total + v * v
    total.name = "out"
    total.backward()
    order = mg.topological_order(total)
    assert len(order) >= 60
    tex = tmp_path / "big.tex"
    mg.draw_graph(total).render(outfile=tex)
    text = pdf_text(compile_tex(tex))
    for node in order:
        assert _fmt(node.grad) in text, node.label()


def test_a_tensor_graph_shows_small_arrays_in_full_and_large_ones_summarised(tmp_path):
    W = mg.Tensor(np.array([[0.5, -1.0], [2.0, 0.25]]), requires_grad=True, name="W")
    x = mg.Tensor(np.array([1.0, -2.0]), requires_grad=True, name="x")
    B = mg.Tensor(np.linspace(-1, 1, 40).reshape(5, 8), requires_grad=True, name="B")
    s = (W @ x).tanh().sum() + (B * B).sum()
    s.backward()
    tex = tmp_path / "t.tex"
    mg.draw_graph(s).render(outfile=tex)
    text = pdf_text(compile_tex(tex))
    for value in [*W.grad.ravel(), *x.grad.ravel()]:
        assert _fmt(value) in text
    assert "5×8" in text and f"max {_fmt(B.grad.max(), 3)}" in text


def test_a_step_of_the_sweep_is_a_picture_with_its_caption(tmp_path):
    a = mg.Scalar(2.0, name="a")
    c = a * a
    steps = mg.viz.backward_steps(c)
    tex = tmp_path / "step.tex"
    steps[2].render(outfile=tex)
    text = pdf_text(compile_tex(tex))
    assert "Step 2 of 2" in text and "4.0000" in text  # δ(a) = 2a


def test_numbers_follow_the_chosen_precision(lecture, tmp_path):
    net, x, y, bp = lecture
    tex = tmp_path / "p.tex"
    mg.draw_network(net, x, y, precision=6).render(outfile=tex)
    text = pdf_text(compile_tex(tex))
    for d in bp.delta[3][0]:
        assert _fmt(d, 6) in text


def test_a_layout_too_large_for_tex_is_refused_in_plain_words():
    x = mg.Scalar(0.5, name="x")
    y = x
    for _ in range(400):
        y = y * 1.0
    y.backward()
    with pytest.raises(ValueError, match="beyond TeX's largest dimension"):
        mg.draw_graph(y).to_tikz()


def test_a_collapsed_graph_says_it_has_no_tikz_form(lecture):
    net, x, y, _ = lecture
    sg = net.scalar_graph(x, y)
    sg.cost.backward()
    with pytest.raises(ValueError, match="no TikZ form"):
        mg.draw_graph(sg.cost, collapse="layer").to_tikz()


def test_graph_to_tikz_matches_dot_positions():
    x = mg.Scalar(2.0, name="x")
    w = mg.Scalar(-3.0, name="w")
    y = (x * w).tanh()
    y.backward()
    g = mg.draw_graph(y)
    svg_json = subprocess.run(["dot", "-Tjson0"], input=g.source, capture_output=True,
                              text=True, check=True).stdout
    import json

    pos = {o["name"]: o["pos"] for o in json.loads(svg_json)["objects"] if "pos" in o}
    tikz = g.to_tikz()
    for name in ("n0", "n1", "n2", "op2"):
        px, py = (float(v) for v in pos[name].split(","))
        match = re.search(rf"\({name}\) at \(([-\d.]+),([-\d.]+)\)", tikz)
        assert match, name
        assert abs(float(match.group(1)) - px) < 0.01 and abs(float(match.group(2)) - py) < 0.01


def test_beamer_sweep_has_one_slide_per_step(tmp_path):
    a = mg.Scalar(2.0, name="a")
    b = mg.Scalar(-3.0, name="b")
    c = (a - b) * a
    c.name = "c"
    steps = mg.viz.backward_steps(c)
    pdf = compile_tex(steps.to_beamer(tmp_path / "sweep.tex"))
    assert page_count(pdf) == len(steps) == 5
    c.backward()
    assert "---" not in pdf_text(pdf, 1) and "—" in pdf_text(pdf, 1)  # no δ on slide 1
    # slide k + 1 has the δ of the k-th node the sweep completes, and every earlier one
    order = steps.order
    for k in range(1, len(steps)):
        text = pdf_text(pdf, k + 1)
        for node in order[len(order) - k:]:
            assert _fmt(node.grad) in text, (k, node.label())
    assert "Step 4 of 4" in pdf_text(pdf, 5)


def test_network_beamer_fills_delta_from_the_output_layer_leftwards(lecture, tmp_path):
    net, x, y, bp = lecture
    pdf = compile_tex(mg.viz.network_beamer(net, x, y, tmp_path / "n.tex"))
    units = [(l, j) for l in range(net.L, 1, -1) for j in range(1, net.sizes[l - 1] + 1)]
    assert page_count(pdf) == 1 + len(units)
    for k, (l, j) in enumerate(units, start=1):
        text = pdf_text(pdf, k + 1)
        assert f"Step {k} of {len(units)}" in text
        assert _fmt(bp.delta[l][0, j - 1]) in text
    first = pdf_text(pdf, 2)  # δ^(4) only: no hidden δ yet
    assert _fmt(bp.delta[2][0, 0]) not in first


HOSTILE = [
    r"\input{secret}",
    r"\immediate\write18{touch pwned}",
    "^^5cinput{secret}",
    "50% & #1 $x$ {a} b_c ~d",
    "\\def\\x{1}\\x",
    "snow\u2603man",
    "end\\end{document}",
]


def test_hostile_names_are_text_never_commands(tmp_path):
    (tmp_path / "secret.tex").write_text("SECRETMARKER\n")
    leaves = [mg.Scalar(0.5 + k, name=name) for k, name in enumerate(HOSTILE)]
    y = mg.Scalar.sum(leaves)
    y.backward()
    tex = tmp_path / "h.tex"
    mg.draw_graph(y).render(outfile=tex)
    text = pdf_text(compile_tex(tex))  # one document, every name in it
    assert "SECRETMARKER" not in text
    assert not (tmp_path / "pwned").exists()
    printed = re.sub(r"[^A-Za-z0-9]", "", text)
    for name in HOSTILE:
        shown = name.replace("\u2603", "[U+2603]")  # pdflatex has no glyph for it: its code
        assert re.sub(r"[^A-Za-z0-9]", "", shown) in printed, name  # every letter, in order


def test_latex_text_escapes_every_special():
    out = latex.text("_ ^ % & # $ { } \\ ~")
    assert re.sub(r"\\(textbackslash|textasciicircum|textasciitilde)\{\}|\\[_%&#${}]", "",
                  out).strip().replace(" ", "") == ""
    assert latex.math_name("z^(2)_1") == "$z^{(2)}_{1}$"
    assert latex.math_name("Θ^(1)_12") == r"$\Theta^{(1)}_{12}$"


def test_bad_arguments_name_what_was_wrong(tmp_path):
    x = mg.Scalar(1.0, name="x")
    with pytest.raises(TypeError, match="standalone must be True or False"):
        mg.draw_graph(x).to_tikz(standalone="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"must end in \.tex"):
        mg.viz.backward_steps(x).to_beamer(tmp_path / "s.pdf")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "microgradnn", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def test_cli_render_writes_a_tex_graph(tmp_path):
    done = _cli("render", "tanh(x*w + b)", "--var", "x=2", "--var", "w=-3", "--var", "b=1",
                "-o", "graph.tex", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "x" in pdf_text(compile_tex(tmp_path / "graph.tex"))


def test_cli_demo_format_tex_writes_four_documents_that_compile(lecture, tmp_path):
    _, _, _, bp = lecture
    done = _cli("demo", "--format", "tex", "--out", "d", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "d"
    for name in ("network", "delta_2_2", "graph", "sweep"):
        assert (out / f"{name}.svg").exists() or name == "sweep"
        pdf = compile_tex(out / f"{name}.tex")
        if name != "graph":
            text = pdf_text(pdf)
            assert _fmt(bp.delta[2][0, 1]) in text
    assert page_count(out / "sweep.pdf") == 1 + 5  # δ^(4)_1, δ^(3)_1..2, δ^(2)_1..2


def test_large_tensor_is_summarised_by_norm_min_max_in_tikz_as_in_svg():
    """An array too big to print is one line in both outputs: its 2-norm, least and
    greatest entry, rounded to the drawings' short precision; an empty one says so."""
    data = np.random.default_rng(3).normal(size=(6, 7))
    big = mg.Tensor(data, requires_grad=True, name="big")
    empty = mg.Tensor(np.zeros((0, 2)), requires_grad=True, name="nothing")
    J = (big * big).sum() + empty.sum()
    J.backward()
    tex = mg.draw_graph(J).to_tikz()
    p = min(4, style.SHORT)
    for values in (big.data, big.grad):
        norm, low, high = (latex.number(v, p) for v in
                           (np.linalg.norm(values), values.min(), values.max()))
        assert rf"\|\cdot\|\ {norm}\quad\min\ {low}\quad\max\ {high}" in tex
    assert "empty" in tex
