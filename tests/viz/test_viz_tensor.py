"""draw_graph on Tensor graphs: shape and dtype, small arrays in full, large ones summarised."""

from __future__ import annotations

import numpy as np
from viz_support import fmt, group_texts, groups, texts

import microgradnn as mg
from microgradnn.viz import style


def layer_graph():
    W = mg.Tensor(np.array([[0.5, -1.0, 2.0], [0.25, 0.0, -0.75]]), requires_grad=True,
                  name="Θ^(1)")
    x = mg.Tensor(np.array([1.0, 0.5, -2.0]), requires_grad=True, name="a^(1)")
    z = W @ x
    z.name = "z^(2)"
    a = z.sigmoid()
    a.name = "a^(2)"
    big = mg.Tensor(np.random.default_rng(0).normal(size=(20, 30)), requires_grad=True,
                    name="big")
    J = a.sum() + (big * big).mean()
    J.name = "J"
    return J, W, x, big


def _node(svg: str, name_text: str) -> list[str]:
    for g in groups(svg, "node").values():
        shown = group_texts(g)
        if name_text in shown:
            return shown
    raise AssertionError(f"no node shows {name_text!r}")


def test_small_tensors_are_drawn_in_full_with_shape_and_dtype():
    J, W, x, _ = layer_graph()
    before = mg.draw_graph(J).svg()
    w_before = _node(before, "Θ⁽¹⁾")
    assert "2×3 · float64" in w_before
    for v in W.data.ravel():
        assert fmt(v) in w_before
    i = w_before.index("δ")
    assert w_before[i + 1] == style.MISSING  # no backward yet: a dash, not zeros
    J.backward()
    svg = mg.draw_graph(J).svg()
    w_shown = _node(svg, "Θ⁽¹⁾")
    for v in (*W.data.ravel(), *W.grad.ravel()):
        assert fmt(v) in w_shown
    x_shown = _node(svg, "3 · float64")
    for v in (*x.data.ravel(), *x.grad.ravel()):
        assert fmt(v) in x_shown
    assert "scalar · float64" in texts(svg)  # the 0-d sums


def test_large_tensors_are_summarised_by_norm_min_max():
    J, _, _, big = layer_graph()
    J.backward()
    shown = _node(mg.draw_graph(J).svg(), "big")
    assert "20×30 · float64" in shown
    line = " ".join(shown)
    for arr in (big.data, big.grad):
        for v in (np.linalg.norm(arr), arr.min(), arr.max()):
            assert style.format_number(v, 3) in line
    assert fmt(big.data[0, 0]) not in line  # not drawn entry by entry
    assert len(shown) < 20


def _position(order, node):
    """order.index(node) by identity: Tensor == is elementwise, as in NumPy and PyTorch."""
    return next(i for i, n in enumerate(order) if n is node)


def test_delta_cells_carry_their_own_colour_and_matmul_edges_are_positional():
    J, W, x, _ = layer_graph()
    J.backward()
    g = mg.draw_graph(J)
    order = mg.topological_order(J)
    scale = style.DivergingScale(
        [np.max(np.abs(n.grad)) for n in order if n.grad is not None])
    w_line = next(b for b in g.body if b.startswith(f"\tn{_position(order, W)} ["))
    for v in W.grad.ravel():
        assert f'BGCOLOR="{scale.fill(v)}"' in w_line
    edges = groups(g.svg(), "edge")
    matmul = _position(order, next(n for n in order if n.op == "matmul"))
    assert group_texts(edges[f"n{_position(order, W)}->op{matmul}"]) == ["1"]
    assert group_texts(edges[f"n{_position(order, x)}->op{matmul}"]) == ["2"]


def test_tensor_graph_source_is_deterministic():
    def source() -> str:
        J, *_ = layer_graph()
        J.backward()
        return mg.draw_graph(J).source

    assert source() == source()


def test_an_empty_tensor_is_drawn_as_empty_not_as_an_empty_table():
    """A 0×2 Tensor used to give Graphviz an empty <TABLE>, which dot rejects; its value and
    δ now read "empty" in the SVG, the TikZ and the step-by-step page alike."""
    empty = mg.Tensor(np.zeros((0, 2)), requires_grad=True, name="nothing")
    J = empty.sum() * 2.0
    J.backward()
    shown = _node(mg.draw_graph(J).svg(), "nothing")
    assert "0×2 · float64" in shown
    assert shown.count("empty") == 2  # value and δ
    assert "empty" in mg.draw_graph(J).to_tikz()
    assert "empty" in mg.viz.backward_steps(J).html()


def test_gradients_recorded_by_create_graph_are_drawn_as_their_values():
    """After backward(create_graph=True) every grad is a node; the drawing shows its data
    (it used to fail converting a 2-element gradient Tensor to a float)."""
    w = mg.Tensor(np.array([0.5, -2.0]), requires_grad=True, name="w")
    J = (w * w * w).sum()
    J.backward(create_graph=True)
    assert isinstance(w.grad, mg.Tensor)
    shown = _node(mg.draw_graph(J).svg(), "w")
    for v in (*w.data, *w.grad.data):  # 3w² = 0.75, 12
        assert fmt(v) in shown
    s = mg.Scalar(3.0, name="s")
    y = s * s
    y.backward(create_graph=True)
    assert fmt(6.0) in " ".join(texts(mg.draw_graph(y).svg()))
