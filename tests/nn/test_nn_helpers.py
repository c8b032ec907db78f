"""The helpers the nn package shares: labels to one-hot, unrolled parameters, the positive
integer check, and the options Network.fit accepts — one helper for each idea, so every
caller gives the same answer and the same clear error."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microgradnn as mg
from microgradnn.nn import Network, debug_weights, random_weights, validation
from microgradnn.nn import functional as F
from microgradnn.nn.backprop import backprop_vectorised
from microgradnn.nn.params import roll, shapes, unroll
from microgradnn.nn.tensor_engine import tensor_graph
from microgradnn.nn.train import OPTIONS


# --------------------------------------------------------------------------- labels
@settings(max_examples=40)
@given(st.integers(1, 6).flatmap(
    lambda K: st.tuples(st.just(K), st.lists(st.integers(0, K - 1), min_size=1, max_size=12))))
def test_one_hot_is_the_identity_rows(case):
    K, y = case
    want = np.eye(K)[y]
    np.testing.assert_array_equal(validation.one_hot(y, K, "test"), want)
    np.testing.assert_array_equal(validation.one_hot(np.array(y, dtype=float), K, "test"), want)


def test_network_and_cross_entropy_read_class_indices_the_same_way(blobs):
    """Network.cost's labels and cross_entropy's targets go through one helper: the same
    indices give the same one-hot rows, hence the same softmax-free check of the cost."""
    X, y = blobs(24)
    net = Network([2, 4, 3], seed=0)
    by_index = net.cost(X, y)
    by_matrix = net.cost(X, validation.one_hot(y, 3, "test"))
    assert by_index == pytest.approx(by_matrix, rel=1e-15)
    z = mg.Tensor(net.forward(X).z[3])
    assert F.cross_entropy(z, y).item() == pytest.approx(
        F.cross_entropy(z, np.eye(3)[y]).item(), rel=1e-15)


@pytest.mark.parametrize("target, found", [
    (["a", "b", "a"], r"str values such as 'a'"),
    (["0", "1", "0"], r"str values such as '0'"),  # NumPy would silently read these
    (np.array([b"0", b"1", b"0"]), r"bytes values such as b'0'"),
    ([None, 1, 0], r"NoneType values such as None"),
])
def test_cross_entropy_with_non_numeric_targets_is_a_clear_error(target, found):
    z = mg.Tensor(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=rf"cross_entropy: target holds {found}; expected "
                                         r"class indices 0\.\.1"):
        F.cross_entropy(z, target)


def test_every_loss_names_a_non_numeric_target():
    z = mg.Tensor(np.zeros((2, 2)))
    strings = [["a", "b"], ["c", "d"]]
    for loss in (F.cross_entropy, F.binary_cross_entropy_with_logits, F.mse_loss):
        with pytest.raises(ValueError, match=rf"{loss.__name__}: target holds str values "
                                             r"such as 'a'; expected numbers of shape \(2, 2\)"):
            loss(z, strings)


@pytest.mark.parametrize("target, message", [
    ([0, 1.5, 1], r"target\[1\] = 1\.5 is not a class index in 0\.\.1"),
    ([0, -1, 1], r"target\[1\] = -1 is not a class index in 0\.\.1"),
    ([0, 1, np.nan], r"target\[2\] = nan is not a class index in 0\.\.1"),
    ([True, False, 2], r"target\[2\] = 2 is not a class index in 0\.\.1"),
])
def test_cross_entropy_bad_class_indices(target, message):
    with pytest.raises(ValueError, match=rf"cross_entropy: {message} \(2 classes"):
        F.cross_entropy(mg.Tensor(np.zeros((3, 2))), target)


def test_network_labels_give_the_same_errors(blobs):
    X, _ = blobs(3)
    net = Network([2, 3, 2], seed=0)
    with pytest.raises(ValueError, match=r"Network\.cost: y holds str values such as 'x'; "
                                         r"expected class indices"):
        net.cost(X, ["x", "y", "x"])
    with pytest.raises(ValueError, match=r"Network\.cost: y\[1\] = 0\.5 is not a class "
                                         r"index in 0\.\.1 \(2 classes; labels are 0-based\)"):
        net.cost(X, [0, 0.5, 1])
    with pytest.raises(ValueError, match=r"y\[0\] = 2 is not a class index in 0\.\.1 "
                                         r"\(K = 1 output takes 0/1 labels\)"):
        Network([2, 1]).cost(X, [2, 0, 1])


def test_draw_network_shows_a_class_index_as_its_one_hot_row():
    net = Network([2, 3, 3], seed=1)
    x = np.array([0.3, -0.2])
    by_index = mg.draw_network(net, x, 2).source
    by_row = mg.draw_network(net, x, [0.0, 0.0, 1.0]).source
    assert by_index == by_row
    assert "y = (0, 0, 1)" in by_index
    with pytest.raises(ValueError, match=r"y\[0\] = 3 is not a class index in 0\.\.2"):
        mg.draw_network(net, x, 3)
    with pytest.raises(ValueError, match=r"draw_network: y holds str values such as 'b'; "
                                         r"expected a class index 0\.\.K−1"):
        mg.draw_network(net, x, "b")
    with pytest.raises(ValueError, match=r"draw_network: x holds str values such as '0\.3'; "
                                         r"expected one example, a vector of length s_1 = 2"):
        mg.draw_network(net, ["0.3", "1"], 1)


# --------------------------------------------------------------------------- unrolled Θ
def test_roll_inverts_unroll():
    Theta = {1: random_weights(4, 3, rng=0), 2: random_weights(2, 4, rng=1)}
    p = unroll(Theta)
    assert p.shape == (4 * 4 + 2 * 5,)
    np.testing.assert_array_equal(p[:16], Theta[1].ravel())
    back = roll(p, {l: T.shape for l, T in Theta.items()})
    for l in Theta:
        np.testing.assert_array_equal(back[l], Theta[l])
    assert shapes([3, 4, 2]) == {1: (4, 4), 2: (2, 5)}


def test_network_and_backprop_unroll_with_the_same_helper(blobs):
    X, y = blobs(6)
    net = Network([2, 4, 3], seed=3)
    np.testing.assert_array_equal(net.unroll(), unroll(net.theta))
    bp = net.backprop(X, y, 0.5)
    np.testing.assert_array_equal(bp.unrolled_grad(), unroll(bp.grad))
    p = net.unroll() * 2.0
    net.set_unrolled(p)
    p[:] = 0.0  # the network holds its own copy
    for l, T in roll(unroll(net.theta), shapes(net.sizes)).items():
        np.testing.assert_array_equal(net.theta[l], T)
        assert np.all(T != 0.0)


def test_roll_wrong_length_names_the_layout():
    with pytest.raises(ValueError, match=r"Network\.set_unrolled: params has shape \(5,\); "
                                         r"expected \(13,\), the matrices 3×3, 1×4 unrolled"):
        Network([2, 3, 1]).set_unrolled(np.zeros(5))


def test_numerical_gradient_on_the_unrolled_cost_matches_backprop(blobs):
    X, y = blobs(5)
    net = Network([2, 3, 3], init="debug")
    cmp = net.compare(X, y, 1.0, engines=["numerical"])
    assert cmp.relative("numerical", "D unrolled") < 1e-9


# --------------------------------------------------------------------------- the cost
def test_tensor_engine_cost_is_functional_bce_summed_over_m(blobs):
    X, y = blobs(7)
    net = Network([2, 4, 3], seed=5)
    Y = validation.one_hot(y, 3, "test")
    graph = tensor_graph(net.theta, X, Y)
    zL = mg.Tensor(graph.z[3].data)
    want = F.binary_cross_entropy_with_logits(zL, Y, reduction="sum").item() / 7
    assert graph.J.item() == pytest.approx(want, rel=1e-15)
    assert graph.J.item() == pytest.approx(backprop_vectorised(net.theta, X, Y).cost,
                                           rel=1e-13)


# --------------------------------------------------------------------------- integers
@pytest.mark.parametrize("call, message", [
    (lambda: Network([3, 0]), r"Network: sizes\[1\] \(s_2, units in layer 2\) must be a "
                              r"positive integer, got 0"),
    (lambda: Network([3, 2.0]), r"sizes\[1\] .* must be a positive integer, got 2\.0"),
    (lambda: debug_weights(0, 2), r"debug_weights: fan_out must be a positive integer, got 0"),
    (lambda: debug_weights(2, -1), r"debug_weights: fan_in must be an integer >= 0, got -1"),
    (lambda: random_weights(True, 2), r"random_weights: fan_out must be a positive integer, "
                                      r"got True"),
    (lambda: mg.nn.check_gradients(m=2.5), r"check_gradients: m must be a positive integer, "
                                           r"got 2\.5"),
    (lambda: mg.nn.MLP([2, -3]), r"MLP: sizes\[1\] .* must be a positive integer, got -3"),
])
def test_counts_are_checked_by_one_helper(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_numpy_integers_are_counts_too():
    np.testing.assert_array_equal(debug_weights(np.int64(2), np.int32(1)), debug_weights(2, 1))
    assert Network([np.int64(2), np.int64(3)]).sizes == (2, 3)


@pytest.mark.parametrize("batch_size", [0, -4, 2.5, True, "8"])
def test_fit_batch_size_must_be_a_positive_integer(batch_size, blobs):
    X, y = blobs(6)
    with pytest.raises(ValueError, match=rf"Network\.fit: batch_size must be a positive "
                                         rf"integer, got {batch_size!r}"):
        Network([2, 3]).fit(X, y, method="sgd", maxiter=1, progress=False,
                            batch_size=batch_size)


def test_fit_maxiter_float_is_refused(blobs):
    X, y = blobs(6)
    with pytest.raises(ValueError, match=r"maxiter must be a positive integer, got 3\.0"):
        Network([2, 3]).fit(X, y, maxiter=3.0, progress=False)


# --------------------------------------------------------------------------- fit options
@pytest.mark.parametrize("method", ["L-BFGS-B", "CG", "sgd", "adam"])
def test_fit_refuses_unknown_options_for_every_method(method, blobs):
    X, y = blobs(6)
    net = Network([2, 3], seed=0)
    before = net.unroll()
    allowed = ", ".join(repr(o) for o in OPTIONS[method])
    with pytest.raises(ValueError, match=rf"Network\.fit: unknown options for {method!r}: "
                                         rf"\['foo'\]; {method!r} takes \[{allowed}\]"):
        net.fit(X, y, method=method, maxiter=2, progress=False, foo=1)
    np.testing.assert_array_equal(net.unroll(), before)  # nothing was trained


@pytest.mark.parametrize("method, options", [
    ("L-BFGS-B", {"tol": 1e-8, "gtol": 1e-9, "ftol": 1e-12, "maxcor": 5, "maxls": 10,
                  "maxfun": 500}),
    ("CG", {"tol": 1e-8, "gtol": 1e-9, "norm": 2.0, "disp": False}),
])
def test_fit_accepts_every_listed_scipy_option_without_warnings(method, options, blobs):
    assert set(options) == set(OPTIONS[method])
    X, y = blobs(24)
    net = Network([2, 3, 3], seed=0)
    start = net.cost(X, y, 0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # SciPy's OptimizeWarning for an unknown option
        history = net.fit(X, y, 0.1, method=method, maxiter=20, progress=False, **options)
    assert history[-1] < start


def test_scipy_option_reaches_scipy(blobs):
    """maxcor is L-BFGS-B's memory: a different value takes a different path."""
    X, y = blobs(24)
    paths = []
    for maxcor in (1, 10):
        net = Network([2, 4, 3], seed=0)
        paths.append(net.fit(X, y, 0.1, maxiter=15, progress=False, maxcor=maxcor).cost)
    assert paths[0] != paths[1]
