"""draw_network: the lecture's 2-2-2-1 picture, rendered with the real `dot` and read back."""

from __future__ import annotations

import numpy as np
import pytest
from viz_support import SVG_NS, fmt, group_texts, group_x, groups, texts

import microgradnn as mg
from microgradnn.nn import Network, lecture_network, sigmoid_gradient
from microgradnn.viz import network as viz_network
from microgradnn.viz import style


@pytest.fixture(scope="module")
def lecture():
    net = lecture_network()
    x, y = net.example
    return net, x, y


def _path(edge):
    return next(edge.iter(f"{SVG_NS}path"), None)


def _stroke(edge) -> str:
    path = _path(edge)
    return path.get("stroke") if path is not None else ""


def test_every_delta_and_activation_of_the_lecture_network_is_drawn(lecture):
    net, x, y = lecture
    bp = net.backprop(x[None, :], y)
    fwd = net.forward(x[None, :])
    for precision in (3, 4):
        svg = mg.draw_network(net, x, y, precision=precision).svg()
        shown = texts(svg)
        for l in range(2, net.L + 1):
            for d in bp.delta[l][0]:
                assert fmt(d, precision) in shown, (l, d, precision)
        for l in range(1, net.L + 1):
            a = fwd.a[l][0, 1:] if l < net.L else fwd.a[l][0]
            for v in a:
                assert fmt(v, precision) in shown
    # every weight is on its edge, with its name
    nodes_and_edges = groups(svg, "edge")
    for l, T in net.theta.items():
        for i in range(1, T.shape[0] + 1):
            for j in range(T.shape[1]):
                tail = f"b{l}" if j == 0 else f"u{l}_{j}"
                edge = nodes_and_edges[f"{tail}->u{l + 1}_{i}"]
                assert f"= {fmt(T[i - 1, j], 3)}" in " ".join(group_texts(edge))


def test_layers_are_columns_from_left_to_right(lecture):
    net, x, y = lecture
    nodes = groups(mg.draw_network(net, x, y).svg(), "node")
    columns = []
    for l in range(1, net.L + 1):
        xs = [group_x(nodes[f"u{l}_{j}"]) for j in range(1, net.sizes[l - 1] + 1)]
        assert max(xs) - min(xs) < 5.0  # one column per layer
        columns.append(xs[0])
    assert columns == sorted(columns) and len(set(columns)) == net.L
    # bias units "+1" in every layer but the output, in their layer's column
    for l in range(1, net.L):
        assert group_texts(nodes[f"b{l}"]) == ["+1"]
        assert abs(group_x(nodes[f"b{l}"]) - columns[l - 1]) < 5.0
    assert f"b{net.L}" not in nodes


def test_highlight_draws_the_recurrence_with_its_numbers(lecture):
    net, x, y = lecture
    bp = net.backprop(x[None, :], y)
    svg = mg.draw_network(net, x, y, highlight=(2, 2)).svg()
    edges = groups(svg, "edge")
    emphasised = {k for k, e in edges.items() if _stroke(e) == viz_network.HIGHLIGHT}
    assert emphasised == {"u2_2->u3_1", "u2_2->u3_2"}
    faded = [k for k, e in edges.items() if _stroke(e) == style.FADED]
    assert len(edges) == sum(T.size for T in net.theta.values())  # every Θ_ij, bias included
    assert len(faded) == len(edges) - 2
    # the lecture: δ_2^(2) = Θ_12^(2) δ_1^(3) + Θ_22^(2) δ_2^(3), then times g'(z_2^(2))
    T2, d3 = net.theta[2], bp.delta[3][0]
    weighted = T2[0, 2] * d3[0] + T2[1, 2] * d3[1]
    g_prime = sigmoid_gradient(net.forward(x[None, :]).z[2][0, 1])
    assert weighted * g_prime == pytest.approx(bp.delta[2][0, 1], rel=1e-12)
    caption = " ".join(texts(svg))
    for number in (T2[0, 2], d3[0], T2[1, 2], d3[1]):
        assert fmt(number) in caption
    assert f"{fmt(weighted)}" in caption and fmt(g_prime) in caption
    assert f"= {fmt(bp.delta[2][0, 1])}" in caption


def test_highlight_on_the_output_layer_is_a_minus_y(lecture):
    net, x, y = lecture
    svg = mg.draw_network(net, x, y, highlight=(4, 1)).svg()
    h = net.forward(x[None, :]).h[0, 0]
    assert f"= {fmt(h)} − {fmt(y[0])} = {fmt(h - y[0])}" in " ".join(texts(svg))


def test_zero_weights_are_dashed_and_carry_no_delta(lecture):
    net, x, y = lecture
    quiz = Network(net.sizes, thetas={l: T.copy() for l, T in net.theta.items()})
    quiz.theta[2][0, 1] = quiz.theta[2][1, 1] = 0.0  # the lecture's quiz: Θ_11^(2) = Θ_21^(2) = 0
    svg = mg.draw_network(quiz, x, y, highlight=(2, 1)).svg()
    edges = groups(svg, "edge")
    dashed = {k for k, e in edges.items() if _path(e) is not None
              and _path(e).get("stroke-dasharray")}
    assert dashed == {"u2_1->u3_1", "u2_1->u3_2"}
    assert quiz.backprop(x[None, :], y).delta[2][0, 0] == 0.0
    caption = texts(svg)
    assert "= 0.0000 × " in " ".join(caption)


def test_without_y_only_activations_are_shown(lecture):
    net, x, _ = lecture
    shown = texts(mg.draw_network(net, x).svg())
    assert not any(t.startswith("δ") for t in shown)
    assert fmt(net.forward(x[None, :]).h[0, 0]) in shown
    with pytest.raises(ValueError, match="pass y"):
        mg.draw_network(net, x, highlight=(2, 1))


def test_a_400_25_10_network_is_elided_to_stay_legible():
    net = Network([400, 25, 10], seed=0)
    x = np.linspace(0.0, 1.0, 400)
    g = mg.draw_network(net, x, 3, highlight=(2, 20))
    svg = g.svg()
    shown = texts(svg)
    # units 1..9 and the last of each wide layer, plus the highlighted one
    assert "⋯ 390 more units" in shown
    assert "⋯ 10 more units" in shown and "⋯ 4 more units" in shown  # 10..19, 21..24
    nodes = groups(svg, "node")
    units = [k for k in nodes if k.startswith("u")]
    assert len(units) == 10 + 11 + 10
    assert "u2_20" in nodes and "u1_400" in nodes and "u1_10" not in nodes
    edges = groups(svg, "edge")
    assert {k for k, e in edges.items() if _stroke(e) == viz_network.HIGHLIGHT} == {
        f"u2_20->u3_{i}" for i in range(1, 11)}
    # only the highlighted edges carry a label; every δ^(3) is drawn
    labelled = [k for k, e in edges.items() if group_texts(e)]
    assert len(labelled) == 10
    plain = mg.draw_network(net, x, 3).svg()
    assert "⋯ 15 more units" in texts(plain)
    bp = net.backprop(x[None, :], [3])
    for d in bp.delta[3][0]:
        assert fmt(d) in shown


def test_same_network_gives_identical_source(lecture):
    net, x, y = lecture
    assert (mg.draw_network(net, x, y, highlight=(3, 1)).source
            == mg.draw_network(lecture_network(), *lecture_network().example,
                               highlight=(3, 1)).source)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"x": [1.0, 2.0, 3.0]}, ValueError, r"shape \(3,\).*s_1 = 2"),
    ({"highlight": (1, 1)}, ValueError, "layers 2..4"),
    ({"highlight": (2, 3)}, ValueError, "units 1..2"),
    ({"highlight": "2,2"}, ValueError, "pair"),
    ({"max_units": 2}, ValueError, "max_units"),
    ({"weights": "some"}, ValueError, "weights"),
    ({"net": "not a network"}, TypeError, "Network"),
])
def test_bad_arguments_name_what_was_wrong(lecture, kwargs, error, message):
    net, x, y = lecture
    args = {"net": net, "x": x, "y": y, **kwargs}
    with pytest.raises(error, match=message):
        mg.draw_network(args.pop("net"), args.pop("x"), args.pop("y"), **args)


def test_caption_uses_the_network_activation():
    net = lecture_network("tanh")
    x, y = net.example
    bp = net.backprop(x[None, :], y)
    caption = " ".join(texts(mg.draw_network(net, x, y, highlight=(3, 2)).svg()))
    weighted = net.theta[3][:, 2] @ bp.delta[4][0]
    g_prime = 1.0 - np.tanh(net.forward(x[None, :]).z[3][0, 1]) ** 2
    assert weighted * g_prime == pytest.approx(bp.delta[3][0, 1], rel=1e-12)
    assert f"= {fmt(weighted)} × {fmt(g_prime)} = {fmt(bp.delta[3][0, 1])}" in caption
    assert "sigmoid" not in caption
