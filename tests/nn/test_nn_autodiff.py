"""Autodiff of the course's network agrees with the hand-coded δ recurrence."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import microgradnn as mg
from microgradnn.nn import Network, lecture_network


def test_scalar_graph_names_and_delta():
    net = lecture_network()
    x, y = net.example
    sg = net.scalar_graph(x, y)
    assert sg.z[2][0].name == "z^(2)_1" and sg.a[3][2].name == "a^(3)_2"
    assert sg.a[2][0].name == "a^(2)_0" and sg.a[2][0].data == 1.0
    assert sg.a[4][0] is None and sg.a[4][1].name == "a^(4)_1"
    assert sg.theta[2][0][1].name == "Θ^(2)_11" and sg.theta[2][0][1].data == net.theta[2][0, 1]
    assert sg.cost.name == "cost"
    assert all(n.grad is None for n in sg.z[2])
    sg.cost.backward()
    r = net.backprop(x, y)
    for l in (2, 3, 4):
        for j, node in enumerate(sg.z[l], start=1):
            assert node.grad == pytest.approx(r.delta[l][0, j - 1], rel=1e-13, abs=1e-16)
        np.testing.assert_allclose(sg.delta(l), r.delta[l][0], rtol=1e-13)
    # the lecture's weighted sum is the grad of the activation node
    assert sg.a[2][2].grad == pytest.approx(r.weighted[2][0, 1], rel=1e-13)
    # ∂cost/∂Θ^(l)_ij = δ_i^(l+1) a_j^(l) for one example
    a2 = net.forward(x).a[2][0]
    assert sg.theta[2][1][2].grad == pytest.approx(r.delta[3][0, 1] * a2[2], rel=1e-13)
    assert sg.cost.data == pytest.approx(net.cost(x, y), rel=1e-14)


def test_scalar_graph_output_delta_is_a_minus_y_not_y_minus_a():
    net = lecture_network()
    x, _ = net.example
    for y in (0.0, 1.0):
        sg = net.scalar_graph(x, y)
        sg.cost.backward()
        a = sg.a[4][1].data
        assert sg.z[4][0].grad == pytest.approx(a - y, rel=1e-14)
        assert sg.cost.data == pytest.approx(-(y * np.log(a) + (1 - y) * np.log(1 - a)))


def test_scalar_graph_two_digit_indices_use_a_comma():
    net = Network([11, 2, 1], seed=0)
    sg = net.scalar_graph(np.zeros(11), 1)
    assert sg.theta[1][1][10].name == "Θ^(1)_2,10"
    assert sg.theta[1][1][9].name == "Θ^(1)_29"


def test_scalar_graph_multiclass_label_forms():
    net = Network([3, 4, 3], seed=1)
    x = np.array([0.5, -1.0, 2.0])
    by_index, by_row = net.scalar_graph(x, 2), net.scalar_graph(x, [0, 0, 1])
    assert by_index.cost.data == by_row.cost.data
    np.testing.assert_array_equal(by_index.y, [0, 0, 1])


def test_autodiff_scalar_reports_per_example_delta_not_delta_over_m():
    net = Network([3, 4, 2], seed=3)
    X = np.random.default_rng(0).normal(size=(6, 3))
    y = np.array([0, 1, 1, 0, 0, 1])
    hand, auto = net.backprop(X, y, 1.5), net.autodiff(X, y, 1.5, engine="scalar")
    assert auto.method == "scalar"
    for l in (2, 3):
        np.testing.assert_allclose(auto.delta[l], hand.delta[l], rtol=1e-12, atol=1e-16)
    for l in (1, 2):
        np.testing.assert_allclose(auto.grad[l], hand.grad[l], rtol=1e-12, atol=1e-16)
        np.testing.assert_allclose(auto.Delta[l], hand.Delta[l], rtol=1e-12, atol=1e-15)


def test_compare_table_and_markdown():
    net = Network([2, 3, 2], seed=0)
    X = np.random.default_rng(1).normal(size=(4, 2))
    cmp = net.compare(X, [0, 1, 1, 0], 0.5)
    assert cmp.ok
    methods = {r.method for r in cmp.rows}
    assert methods == {"loop", "tensor", "scalar", "numerical", "torch"}
    quantities = {r.quantity for r in cmp.rows}
    assert {"J", "δ^(2)", "δ^(3)", "D^(1)", "D^(2)", "D unrolled"} == quantities
    text = str(cmp)
    assert "relative diff" in text and "all agree" in text
    md = cmp.to_markdown().splitlines()
    assert md[0].startswith("| quantity |") and len(md) == 2 + len(cmp.rows)
    assert all(line.count("|") == 6 for line in md)


def test_compare_reports_a_disagreement():
    net = Network([2, 3, 2], seed=0)
    X = np.random.default_rng(1).normal(size=(4, 2))
    y = [0, 1, 1, 0]
    cmp = net.compare(X, y, 0.5, engines=["loop"])
    cmp.results["loop"].grad[1][0, 0] += 1e-3  # the rows were already computed
    assert cmp.ok
    bad = net.compare(X, y, 0.5, engines=["numerical"], eps=0.5)  # a crude step
    assert not bad.ok and "DISAGREEMENT" in str(bad)


@st.composite
def random_case(draw):
    L = draw(st.integers(2, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(L)]
    m = draw(st.integers(1, 4))
    activation = draw(st.sampled_from(["sigmoid", "tanh", "relu"]))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, sizes[0]))
    K = sizes[-1]
    y = rng.integers(0, 2, size=m) if K == 1 else rng.integers(0, K, size=m)
    lam = draw(st.sampled_from([0.0, 0.3, 2.0]))
    return Network(sizes, seed=seed, epsilon=1.0, activation=activation), X, y, lam


@settings(max_examples=40)
@given(random_case())
def test_every_method_agrees_on_random_networks(case):
    net, X, y, lam = case
    fwd = net.forward(X)
    # central differences must not straddle relu's kink
    assume(net.activation != "relu" or all(np.min(np.abs(z)) > 1e-3 for z in fwd.z.values()))
    cmp = net.compare(X, y, lam)
    assert cmp.ok, f"{net}\n{cmp}"
    assert cmp.relative("numerical", "D unrolled") < 1e-7


def test_check_gradients_accepts_torch():
    cmp = mg.nn.check_gradients(1.0, engines=("torch", "numerical"))
    assert cmp.ok and cmp.relative("torch") < 1e-12


def test_check_gradients_course_case():
    for lam in (0.0, 3.0):
        cmp = mg.nn.check_gradients(lam)
        assert cmp.relative("numerical", "D unrolled") < 1e-9
        assert cmp.ok, cmp


@pytest.mark.parametrize("engine", ["tensor", "scalar", "torch"])
def test_engines_report_the_lectures_weighted_sums(engine):
    net = Network([3, 4, 3, 2], seed=8, activation="tanh")
    X = np.random.default_rng(5).normal(size=(5, 3))
    y = np.array([0, 1, 1, 0, 1])
    hand = net.backprop(X, y, 0.5)
    auto = net.compare(X, y, 0.5, engines=[engine]).results[engine]
    assert auto.weighted.keys() == hand.weighted.keys() == {2, 3}
    for l in hand.weighted:
        np.testing.assert_allclose(auto.weighted[l], hand.weighted[l], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("sizes", "m"), [((4, 6, 2), 7), ((2, 3, 3, 1), 4)])
def test_check_gradients_other_sizes(sizes, m):
    cmp = mg.nn.check_gradients(0.5, sizes=sizes, m=m)
    assert cmp.ok, cmp
    assert cmp.reference.delta[len(sizes)].shape == (m, sizes[-1])
    with pytest.raises(ValueError, match=r"m must be a positive integer, got 0"):
        mg.nn.check_gradients(sizes=sizes, m=0)


def test_scalar_graph_repr():
    net = lecture_network()
    sg = net.scalar_graph(*net.example)
    assert repr(sg).startswith("ScalarGraph(sizes=[2, 2, 2, 1], cost=")
    assert "before backward" in repr(sg)
    sg.cost.backward()
    assert "after backward" in repr(sg)


def test_scalar_graph_output_units_are_off_the_cost_path():
    net = lecture_network()
    sg = net.scalar_graph(*net.example)
    sg.cost.backward()
    assert sg.a[4][1].grad is None  # the cost is computed from z^(4)_1, not from a^(4)_1
    assert sg.a[4][1].data == pytest.approx(net.predict_proba(net.example[0])[0, 0])
    assert sg.z[4][0] in mg.topological_order(sg.cost)
    assert sg.a[4][1] not in mg.topological_order(sg.cost)
