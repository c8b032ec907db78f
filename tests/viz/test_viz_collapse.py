"""Large graphs: collapse="layer" draws a network's Scalar graph as one node per layer, and
past max_nodes draw_graph refuses with advice instead of hanging in `dot`."""

from __future__ import annotations

import numpy as np
import pytest
from viz_support import fmt, group_texts, groups, texts

import microgradnn as mg
from microgradnn.nn import Network, lecture_network
from microgradnn.viz.collapse import layer_of


def test_layer_is_read_from_course_names():
    assert layer_of("z^(2)_1") == ("z", 2)
    assert layer_of("a^(1)_0[3]") == ("a", 1)
    assert layer_of("Θ^(1)_3,12") == ("Θ", 2)  # Θ^(1) feeds layer 2
    assert layer_of("cost_1") is None and layer_of(None) is None


def test_lecture_scalar_graph_collapses_to_one_cluster_per_layer():
    net = lecture_network()
    x, y = net.example
    sg = net.scalar_graph(x, y)
    sg.cost.backward()
    bp = net.backprop(x[None, :], y)
    svg = mg.draw_graph(sg.cost, collapse="layer").svg()
    clusters = groups(svg, "cluster")
    assert sorted(clusters) == [f"cluster_layer{l}" for l in range(1, net.L + 1)]
    nodes = groups(svg, "node")
    assert {k for k in nodes} == {f"layer{l}" for l in range(1, 5)} | {"root", "legend"}
    # each layer's node lists its units with δ_j^(l), equal to the hand-coded recurrence
    for l in range(2, net.L + 1):
        shown = group_texts(nodes[f"layer{l}"])
        for d in bp.delta[l][0]:
            assert f"δ {fmt(d)}" in shown
    # layer 2 holds Θ^(1) (6 weights), z^(2) and a^(2) with its bias unit
    assert "3 a, 2 z, 6 Θ" in group_texts(nodes["layer2"])
    edges = groups(svg, "edge")
    assert group_texts(edges["layer1->layer2"]) == ["6 edges"]
    assert fmt(sg.cost.data) in " ".join(group_texts(nodes["root"]))


def test_past_max_nodes_a_clear_error_and_collapse_draws_it_quickly():
    net = Network([400, 25, 10], seed=0)
    sg = net.scalar_graph(np.linspace(0.0, 1.0, 400), [3])
    sg.cost.backward()
    n = len(mg.topological_order(sg.cost))
    assert n > 10_000
    with pytest.raises(ValueError, match=rf"{n:,} nodes.*collapse='layer'.*Tensor engine"):
        mg.draw_graph(sg.cost)
    svg = mg.draw_graph(sg.cost, collapse="layer").svg()
    shown = texts(svg)
    assert "10,025 edges" in shown  # 25 × 401 weights into layer 2
    bp = net.backprop(np.linspace(0.0, 1.0, 400)[None, :], [3])
    for d in bp.delta[3][0]:
        assert f"δ {fmt(d)}" in shown
    wide = " ".join(shown)
    d2 = bp.delta[2][0]
    assert f"min {mg.viz.style.format_number(d2.min(), 3)}" in wide
    assert f"max {mg.viz.style.format_number(d2.max(), 3)}" in wide


def test_collapse_needs_layer_names():
    a = mg.Scalar(1.0, name="a")
    with pytest.raises(ValueError, match=r"z\^\(2\)_1"):
        mg.draw_graph(a * 2.0, collapse="layer")
