"""Bad input to the course's network: a ValueError naming the argument, what was found and
what was expected."""

from __future__ import annotations

import numpy as np
import pytest

from microgradnn.nn import Network, debug_weights


@pytest.fixture
def net():
    return Network([3, 5, 3], seed=0)


X5 = np.ones((5, 3))


@pytest.mark.parametrize("method", ["cost", "backprop", "autodiff", "compare", "fit"])
def test_row_mismatch_names_both_counts(net, method):
    with pytest.raises(ValueError, match=rf"Network\.{method}: y has 4 rows but X has 5"):
        getattr(net, method)(X5, np.zeros(4, dtype=int), 0.0)


def test_label_outside_range(net):
    with pytest.raises(ValueError, match=r"y\[2\] = 3 is not a class index in 0\.\.2"):
        net.cost(X5, [0, 1, 3, 0, 1])
    with pytest.raises(ValueError, match=r"y\[0\] = -1"):
        net.cost(X5, [-1, 1, 2, 0, 1])
    with pytest.raises(ValueError, match=r"y\[1\] = 0\.5"):
        net.cost(X5, [0, 0.5, 2, 0, 1])
    with pytest.raises(ValueError, match=r"y\[0\] = 2 is not a class index in 0\.\.1"):
        Network([3, 1]).cost(X5, [2, 0, 0, 0, 0])


def test_one_hot_wrong_width(net):
    with pytest.raises(ValueError, match=r"width 4 .* K = 3 .* expected shape \(5, 3\)"):
        net.cost(X5, np.eye(4)[[0, 1, 2, 3, 0]])
    with pytest.raises(ValueError, match=r"only 0 and 1, found 2"):
        net.cost(X5, np.full((5, 3), 2.0))


def test_theta_shapes_must_match_sizes():
    with pytest.raises(ValueError, match=r"Θ\^\(2\) has shape \(3, 5\) but sizes \[3, 5, 3\] "
                                         r"need \(3, 6\)"):
        Network([3, 5, 3], thetas={1: debug_weights(5, 3), 2: np.zeros((3, 5))})
    with pytest.raises(ValueError, match=r"thetas has layers \[1\] .* l = \[1, 2\]"):
        Network([3, 5, 3], thetas={1: debug_weights(5, 3)})
    net = Network([3, 5, 3])
    net.theta[1] = np.zeros((4, 4))
    with pytest.raises(ValueError, match=r"Network\.forward: Θ\^\(1\) has shape \(4, 4\)"):
        net.forward(X5)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_x(net, bad):
    X = X5.copy()
    X[3, 1] = bad
    with pytest.raises(ValueError, match=r"Network\.cost: X contains NaN or inf .*row 3, "
                                         r"column 1"):
        net.cost(X, np.zeros(5, dtype=int))


def test_x_width(net):
    with pytest.raises(ValueError, match=r"X has shape \(5, 4\) but the input layer has 3 "
                                         r"units; expected \(m, 3\)"):
        net.forward(np.ones((5, 4)))


@pytest.mark.parametrize("lam", [-1.0, np.nan, np.inf])
def test_negative_lambda(net, lam):
    with pytest.raises(ValueError, match=r"Network\.backprop: lam \(λ\) must be a finite "
                                         r"number >= 0, got"):
        net.backprop(X5, np.zeros(5, dtype=int), lam)


@pytest.mark.parametrize("sizes", [[3], [], [3, 0], [3, 2.5]])
def test_bad_sizes(sizes):
    with pytest.raises(ValueError, match=r"Network: sizes"):
        Network(sizes)


def test_bad_options(net):
    with pytest.raises(ValueError, match=r"activation must be one of"):
        Network([2, 2], activation="softsign")
    with pytest.raises(ValueError, match=r"init must be one of"):
        Network([2, 2], init="zeros")
    with pytest.raises(ValueError, match=r"epsilon must be a positive number"):
        Network([2, 2], epsilon=-0.1)
    with pytest.raises(ValueError, match=r"engine must be one of"):
        net.autodiff(X5, np.zeros(5, dtype=int), engine="jax")
    with pytest.raises(ValueError, match=r"method must be"):
        net.backprop(X5, np.zeros(5, dtype=int), method="magic")
    with pytest.raises(ValueError, match=r"method must be one of"):
        net.fit(X5, np.zeros(5, dtype=int), method="newton", progress=False)
    with pytest.raises(ValueError, match=r"unknown method 'exact'"):
        net.compare(X5, np.zeros(5, dtype=int), engines=["exact"])
    with pytest.raises(ValueError, match=r"set_unrolled: params has shape \(3,\)"):
        net.set_unrolled(np.zeros(3))
    with pytest.raises(ValueError, match=r"scalar_graph: x has 5 rows"):
        net.scalar_graph(X5, np.zeros(5, dtype=int))


def test_huge_finite_x_is_accepted(net):
    from microgradnn.nn import validation

    X = np.full((2, 3), 1e308)  # the sum overflows, every entry is finite
    np.testing.assert_array_equal(validation.features(X, 3, "test"), X)


def test_thetas_as_a_list():
    net = Network([3, 5, 3], thetas=[debug_weights(5, 3), debug_weights(3, 5)])
    np.testing.assert_array_equal(net.theta[2], debug_weights(3, 5))


def test_scalar_engine_refuses_a_huge_graph():
    net = Network([400, 25, 10], seed=0)
    X = np.zeros((300, 400))
    with pytest.raises(ValueError, match=r"engine='scalar' would build a graph of about "
                                         r"6,171,000 edges for m = 300 .* use engine='tensor'"):
        net.autodiff(X, np.zeros(300, dtype=int), engine="scalar")
