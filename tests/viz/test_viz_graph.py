"""draw_graph on Scalar graphs: what each node shows, edges, escaping, colours, determinism."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import textwrap

import pytest
from viz_support import fmt, group_texts, groups, neuron, texts

import microgradnn as mg
from microgradnn.viz import style


def named_graph() -> mg.Scalar:
    a = mg.Scalar(1.5, name="a")
    b = mg.Scalar(-0.75, name="b")
    c = a * b
    c.name = "c"
    d = (c - a) / b
    d.name = "d"
    e = d.tanh() + a * a
    e.name = "e"
    return e


def test_every_value_and_delta_is_drawn_at_the_stated_precision():
    o = neuron()
    o.backward()
    for precision in (2, 4, 6):
        shown = texts(mg.draw_graph(o, precision=precision).svg())
        for node in mg.topological_order(o):
            assert fmt(node.data, precision) in shown, (node.label(), precision)
            assert fmt(node.grad, precision) in shown, (node.label(), precision)


def test_delta_is_a_dash_before_backward_never_a_fake_zero():
    o = neuron()
    g = mg.draw_graph(o)
    nodes = groups(g.svg(), "node")
    value_nodes = [k for k in nodes if re.fullmatch(r"n\d+", k)]
    assert len(value_nodes) == len(mg.topological_order(o))
    for key in value_nodes:
        shown = group_texts(nodes[key])
        i = shown.index("δ")
        assert shown[i + 1] == style.MISSING
    # after the pass, the same nodes show numbers, and the legend spans the largest |δ|
    o.backward()
    shown = texts(mg.draw_graph(o).svg())
    assert style.MISSING not in [t for t in shown if t != "no δ yet: —"]
    largest = max(abs(n.grad) for n in mg.topological_order(o))
    assert fmt(largest, 3) in shown


def test_a_node_used_twice_has_two_edges_and_each_op_one_node():
    a = mg.Scalar(3.0, name="a")
    sq = a * a
    sq.name = "sq"
    sq.backward()
    svg = mg.draw_graph(sq).svg()
    edges = groups(svg, "edge")
    assert sum(1 for k in edges if k.startswith("n0->op1")) == 2
    assert len([k for k in groups(svg, "node") if k.startswith("op")]) == 1
    assert fmt(a.grad) in texts(svg) and a.grad == 6.0


def test_non_commutative_ops_label_argument_positions():
    a, b = mg.Scalar(2.0, name="a"), mg.Scalar(5.0, name="b")
    for op, labelled in ((lambda: a - b, True), (lambda: a / b, True),
                         (lambda: a**b, True), (lambda: a + b, False),
                         (lambda: a * b, False), (lambda: mg.Scalar.sum([a, b]), False)):
        out = op()
        edges = groups(mg.draw_graph(out).svg(), "edge")
        into_op = {k: group_texts(v) for k, v in edges.items() if "->op" in k}
        assert len(into_op) == 2
        labels = sorted(t for shown in into_op.values() for t in shown)
        # a is the first argument, b the second
        if labelled:
            assert labels == ["1", "2"]
            first = next(k for k in into_op if k.startswith(f"n{0}->"))
            assert into_op[first] == ["1"]
        else:
            assert labels == []


def test_ops_are_small_distinct_nodes():
    e = named_graph()
    e.backward()
    g = mg.draw_graph(e)
    order = mg.topological_order(e)
    ops = [line for line in g.body if line.lstrip().startswith("op")
           and "->" not in line]
    assert len(ops) == sum(1 for n in order if n.parents)
    assert all("shape=ellipse" in line and style.OP_FILL in line for line in ops)
    values = [line for line in g.body if re.match(r"\tn\d+ \[", line)]
    assert all("shape=box" in line and "rounded" in line for line in values)
    shown = texts(g.svg())
    for symbol in ("×", "−", "÷", "tanh", "+"):
        assert symbol in shown


def test_course_names_get_unicode_sub_and_superscripts():
    # browsers place Graphviz's <SUB>/<SUP> (baseline-shift spans) differently from
    # Graphviz; Unicode scripts are plain characters every renderer draws the same
    z = mg.Scalar(0.5, name="z^(2)_1")
    t = mg.Scalar(-1.0, name="Θ^(2)_12")
    out = z * t
    src = mg.draw_graph(out).source
    assert "z₁⁽²⁾" in src and "Θ⁽²⁾₁₂" in src
    assert "<SUB>" not in src and "<SUP>" not in src
    assert "z₁⁽²⁾" in texts(mg.draw_graph(out).svg())
    assert style.markup("x_{10}") == "x₁₀"
    assert style.markup("x_w") == "x_w"  # no Unicode subscript w: left as written
    assert style.markup("hidden_layer") == "hidden_layer"
    assert style.markup("_x") == "_x"


HOSTILE = [
    'say "hi"',
    "a<b>c",
    "</TD></TR></TABLE>>",
    "{braces} [brackets] ;semi",
    "line one\nline two",
    "fish & chips &amp;",
    "back\\slash",
    "tab\tand\rcarriage",
    "nul\x00byte",
    "-> edge? digraph { x }",
]


def test_hostile_names_give_valid_dot_that_dot_accepts():
    nodes = [mg.Scalar(float(i + 1), name=name) for i, name in enumerate(HOSTILE)]
    out = mg.Scalar.sum(nodes)
    out.name = HOSTILE[2]
    out.backward()
    svg = mg.draw_graph(out).svg()  # `dot` parses the source and renders it
    shown = "\n".join(texts(svg))
    for name in HOSTILE:
        for piece in name.replace("\r", "\n").split("\n"):
            piece = piece.replace("\x00", "\N{REPLACEMENT CHARACTER}")
            # the SVG has whitespace runs collapsed: compare word by word
            for word in piece.split():
                assert word in shown, (name, word)


def test_number_format_never_hides_a_small_gradient():
    assert style.format_number(-0.5, 4) == "−0.5000"
    assert style.format_number(0.0, 4) == "0.0000"
    assert style.format_number(-0.0, 4) == "0.0000"
    small = style.format_number(1.234e-7, 4)
    assert small != "0.0000" and float(small.replace("−", "-")) == pytest.approx(1.234e-7, 1e-3)
    assert float(style.format_number(-3.5e9, 3).replace("−", "-")) == pytest.approx(-3.5e9)
    assert style.format_number(math.inf) == "∞"


def test_fill_colour_encodes_sign_and_size_of_delta():
    scale = style.DivergingScale([-2.0, 0.5, 1.0])
    def rgb(value):
        h = scale.fill(value)
        return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))
    pos, neg = rgb(1.0), rgb(-1.0)
    assert pos[0] > pos[2]  # orange: more red than blue
    assert neg[2] > neg[0]  # purple-blue: more blue than red
    assert rgb(0.0) == (0xf7, 0xf7, 0xf7)
    # larger |δ| is darker, on both sides
    assert sum(rgb(2.0)) < sum(rgb(1.0)) < sum(rgb(0.1)) < sum(rgb(0.0))
    assert sum(rgb(-2.0)) < sum(rgb(-0.5)) < sum(rgb(0.0))
    assert scale.fill(None) == style.NO_GRAD_FILL
    assert scale.text(-2.0) == "#ffffff" and scale.text(0.01) == style.INK
    for v in (-2.0, -1.0, -0.5, -0.1, 0.0, 0.01, 0.3, 0.7, 1.0):  # WCAG AA on every fill
        assert style.contrast(scale.text(v), scale.fill(v)) >= 4.5, v
    # and the drawing uses it: a node with δ < 0 gets the scale's colour for its δ
    o = neuron()
    o.backward()
    g = mg.draw_graph(o)
    order = mg.topological_order(o)
    drawn = style.DivergingScale([n.grad for n in order])
    for i, node in enumerate(order):
        line = next(b for b in g.body if b.startswith(f"\tn{i} ["))
        assert f'fillcolor="{drawn.fill(node.grad)}"' in line


def test_same_graph_gives_identical_dot_source_across_builds_and_processes():
    def build() -> str:
        e = named_graph()
        e.backward()
        return mg.draw_graph(e).source

    assert build() == build()
    script = textwrap.dedent("""
        import microgradnn as mg
        junk = [mg.Scalar(i) for i in range(%d)]  # shift creation counters and ids
        a = mg.Scalar(1.5, name="a"); b = mg.Scalar(-0.75, name="b")
        c = a * b; c.name = "c"; d = (c - a) / b; d.name = "d"
        e = d.tanh() + a * a; e.name = "e"; e.backward()
        print(mg.draw_graph(e).source, end="")
    """)
    runs = [subprocess.run([sys.executable, "-c", script % n], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": str(n)}).stdout
            for n in (0, 17)]
    assert runs[0] == runs[1] == build()


def test_too_many_nodes_is_a_clear_error_suggesting_collapse():
    x = mg.Scalar(0.1, name="x")
    for _ in range(60):
        x = x * 1.01
    with pytest.raises(ValueError, match=r"61 nodes.*max_nodes=50.*collapse='layer'.*Tensor"):
        mg.draw_graph(x, max_nodes=50)
    assert mg.draw_graph(x, max_nodes=None).source.count("->") == 120


@pytest.mark.parametrize("kwargs, message", [
    ({"precision": 0}, "precision"), ({"rankdir": "XY"}, "rankdir"),
    ({"show": ("value", "colour")}, "colour"), ({"collapse": "module"}, "collapse"),
    ({"max_nodes": 0}, "max_nodes"),
])
def test_bad_options_name_what_was_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        mg.draw_graph(neuron(), **kwargs)
    with pytest.raises(TypeError, match="Scalar or Tensor"):
        mg.draw_graph(3.0)


def test_show_selects_rows():
    o = neuron()
    o.backward()
    only_values = texts(mg.draw_graph(o, show=("value",)).svg())
    assert "value" in only_values and "δ" not in only_values
    assert fmt(o.data) in only_values
    only_grads = texts(mg.draw_graph(o, show="grad", rankdir="TB").svg())
    assert "value" not in only_grads and "δ" in only_grads


def test_a_lone_leaf_and_the_legend_before_any_backward():
    x = mg.Scalar(2.5, name="x")
    shown = texts(mg.draw_graph(x).svg())
    assert "x" in shown and fmt(2.5) in shown and style.MISSING in shown
    assert any("until a backward pass" in t for t in shown)  # no colour bar of zeros
    x.backward()
    shown = texts(mg.draw_graph(x).svg())
    assert fmt(1.0) in shown and not any("until a backward pass" in t for t in shown)
