"""The course's names, made and parsed in one module and drawn with Unicode scripts."""

from __future__ import annotations

import numpy as np
import pytest

import microgradnn as mg
from microgradnn.nn import notation


@pytest.mark.parametrize("symbol, layer, indices, text, drawn", [
    ("a", 2, (1,), "a^(2)_1", "a₁⁽²⁾"),
    ("δ", 3, (2,), "δ^(3)_2", "δ₂⁽³⁾"),
    ("z", 4, (12,), "z^(4)_12", "z₁₂⁽⁴⁾"),
    ("Θ", 2, (1, 2), "Θ^(2)_12", "Θ⁽²⁾₁₂"),
    ("Θ", 1, (3, 12), "Θ^(1)_3,12", "Θ⁽¹⁾₃,₁₂"),
    ("Θ", 2, ("i", 2), "Θ^(2)_i2", "Θ⁽²⁾ᵢ₂"),
])
def test_names_are_made_parsed_and_drawn_in_one_place(symbol, layer, indices, text, drawn):
    assert notation.name(symbol, layer, *indices) == text
    parsed = notation.parse(text)
    assert (parsed.symbol, parsed.layer, parsed.indices) == (symbol, layer, indices)
    assert notation.pretty(text) == drawn


def test_weights_belong_to_the_layer_they_feed_and_tags_survive():
    assert notation.parse("Θ^(1)_12").group == 2
    assert notation.parse("a^(2)_1[3]").tag == "[3]"
    assert notation.parse("cost") is None and notation.parse(None) is None
    assert notation.cost_unit("cost_2") == 2 and notation.cost_unit("cost_2[0]") == 2
    assert notation.cost_unit("cost") is None


def test_scripts_without_a_unicode_form_stay_as_written():
    assert notation.scripts("x_{10}") == "x₁₀"
    assert notation.scripts("x_w") == "x_w"  # no subscript w in Unicode
    assert notation.scripts("_x") == "_x"  # no base
    assert notation.scripts("hidden_layer") == "hidden_layer"


def test_scalar_graph_nodes_carry_the_notation_names():
    net = mg.nn.lecture_network()
    sg = net.scalar_graph(*net.example)
    assert sg.theta[2][0][2].name == notation.theta_name(2, 1, 2)
    assert sg.z[3][1].name == notation.name("z", 3, 2)
    assert sg.a[2][0].name == notation.name("a", 2, 0)
    assert sg.costs[0].name == notation.cost_name(1)
    wide = mg.nn.Network([11, 2, 1], seed=0).scalar_graph(np.zeros(11), 1)
    assert notation.parse(wide.theta[1][0][11].name).indices == (1, 11)
