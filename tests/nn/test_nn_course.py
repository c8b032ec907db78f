"""The course's network against the course's published numbers and the lecture's claims."""

from __future__ import annotations

import numpy as np
import pytest

from microgradnn.nn import Network, debug_weights, lecture_network, sigmoid_gradient
from microgradnn.nn import backprop as bp


def published_case() -> tuple[Network, np.ndarray, np.ndarray]:
    """The course's check case: Θ = (1:18)/10 reshaped column-major for sizes 2-2-4,
    X = cos([1 2; 3 4; 5 6]), y = [4 2 3] (1-based)."""
    params = np.arange(1, 19) / 10.0
    Theta = {1: params[:6].reshape((2, 3), order="F"), 2: params[6:].reshape((4, 3), order="F")}
    X = np.cos(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    y = np.array([4, 2, 3]) - 1
    return Network([2, 2, 4], thetas=Theta), X, y


def test_sigmoid_gradient_published_values():
    got = sigmoid_gradient(np.array([-1, -0.5, 0, 0.5, 1]))
    np.testing.assert_allclose(got, [0.196612, 0.235004, 0.250000, 0.235004, 0.196612],
                               atol=5e-7)


@pytest.mark.parametrize(("lam", "J"), [(0.0, 7.4070), (4.0, 19.474)])
def test_published_cost(lam, J):
    net, X, y = published_case()
    decimals = 4 if lam == 0 else 3
    assert round(net.cost(X, y, lam), decimals) == J
    assert net.backprop(X, y, lam).cost == pytest.approx(net.cost(X, y, lam), abs=1e-12)


def test_published_case_gradient_at_lambda_4():
    """The course's ex4 test case also publishes grad (unrolled MATLAB-style, column-major)."""
    net, X, y = published_case()
    D = net.backprop(X, y, 4.0).grad
    unrolled = np.concatenate([D[1].ravel(order="F"), D[2].ravel(order="F")])
    np.testing.assert_allclose(unrolled, [
        0.76614, 0.97990, 0.37246, 0.49749, 0.64174, 0.74614, 0.88342, 0.56876, 0.58467,
        0.59814, 1.92598, 1.94462, 1.98965, 2.17855, 2.47834, 2.50225, 2.52644, 2.72233],
        atol=5e-6)


def test_published_case_gradient_matches_numerical():
    net, X, y = published_case()
    for lam in (0.0, 4.0):
        cmp = net.compare(X, y, lam, engines=["loop", "numerical"])
        assert cmp.relative("numerical", "D unrolled") < 1e-9, cmp
        assert cmp.ok, cmp


def test_debug_weights_column_major():
    W = debug_weights(3, 2)
    assert W.shape == (3, 3)
    np.testing.assert_array_equal(W[:, 0], np.sin([1.0, 2.0, 3.0]) / 10)
    np.testing.assert_array_equal(W[0], np.sin([1.0, 4.0, 7.0]) / 10)


def test_random_init_is_seeded_and_bounded():
    a, b = Network([4, 6, 2], seed=3), Network([4, 6, 2], seed=3)
    c = Network([4, 6, 2], seed=4)
    for l in (1, 2):
        np.testing.assert_array_equal(a.theta[l], b.theta[l])
        assert np.all(np.abs(a.theta[l]) <= 0.12)
    assert not np.array_equal(a.theta[1], c.theta[1])
    g = Network([4, 6, 2], seed=0, epsilon="glorot")
    assert np.abs(g.theta[1]).max() <= np.sqrt(6) / np.sqrt(4 + 6)
    assert np.abs(g.theta[1]).max() > 0.12  # wider than the default ε_init here


def test_loop_equals_vectorised_and_delta_output_is_a_minus_y():
    net = Network([3, 5, 4, 3], seed=1)
    X = np.random.default_rng(0).normal(size=(7, 3))
    y = np.array([0, 1, 2, 0, 1, 2, 2])
    loop, vec = net.backprop(X, y, 0.7, method="loop"), net.backprop(X, y, 0.7)
    assert loop.cost == pytest.approx(vec.cost, rel=1e-13)
    for name in ("delta", "Delta", "grad", "weighted"):
        a, b = getattr(loop, name), getattr(vec, name)
        assert a.keys() == b.keys()
        for l in a:
            np.testing.assert_allclose(a[l], b[l], rtol=1e-12, atol=1e-15)
    fwd = net.forward(X)
    np.testing.assert_array_equal(vec.delta[4], fwd.a[4] - np.eye(3)[y])
    assert [vec.delta[l].shape for l in (2, 3, 4)] == [(7, 5), (7, 4), (7, 3)]


def test_lecture_remark_hidden_delta_is_weighted_sum_from_the_right():
    net = lecture_network()
    x, y = net.example
    r = net.backprop(x, y)
    T2 = net.theta[2]
    # δ_2^(2) = Θ_12^(2) δ_1^(3) + Θ_22^(2) δ_2^(3), then times g'(z_2^(2))
    weighted = T2[0, 2] * r.delta[3][0, 0] + T2[1, 2] * r.delta[3][0, 1]
    assert r.weighted[2][0, 1] == pytest.approx(weighted, rel=1e-14)
    z2 = net.forward(x).z[2][0, 1]
    assert r.delta[2][0, 1] == pytest.approx(weighted * float(sigmoid_gradient(z2)), rel=1e-14)
    # δ_2^(3) = Θ_12^(3) δ_1^(4), times g'(z_2^(3))
    assert r.weighted[3][0, 1] == pytest.approx(net.theta[3][0, 2] * r.delta[4][0, 0])


def test_lecture_network_weights_are_distinct_and_non_zero():
    net = lecture_network()
    assert net.sizes == (2, 2, 2, 1)
    w = np.concatenate([T.ravel() for T in net.theta.values()])
    assert np.all(w != 0) and len(np.unique(w)) == len(w)
    x, y = net.example
    assert x.shape == (2,) and y.shape == (1,)


def test_regularisation_leaves_bias_column_alone():
    net = Network([3, 4, 2], seed=5)
    X = np.random.default_rng(1).normal(size=(6, 3))
    y = np.array([0, 1, 1, 0, 1, 0])
    plain, reg = net.backprop(X, y, 0.0), net.backprop(X, y, 2.5)
    for l, T in net.theta.items():
        np.testing.assert_array_equal(reg.grad[l][:, 0], plain.grad[l][:, 0])
        np.testing.assert_allclose(reg.grad[l][:, 1:] - plain.grad[l][:, 1:],
                                   2.5 / 6 * T[:, 1:], rtol=1e-12)
    # changing only the bias weights leaves the penalty unchanged
    extra = reg.cost - plain.cost
    for T in net.theta.values():
        T[:, 0] += 10.0
    assert net.cost(X, y, 2.5) - net.cost(X, y, 0.0) == pytest.approx(extra, rel=1e-12)


def test_binary_network_k1():
    net = Network([2, 3, 1], seed=2)
    X = np.random.default_rng(2).normal(size=(5, 2))
    y = np.array([0, 1, 1, 0, 1])
    r = net.backprop(X, y, 0.5)
    assert r.delta[3].shape == (5, 1)
    np.testing.assert_allclose(r.delta[3][:, 0], net.predict_proba(X)[:, 0] - y)
    assert set(net.predict(X)) <= {0, 1}
    assert net.cost(X, y.reshape(5, 1), 0.5) == net.cost(X, y, 0.5)
    cmp = net.compare(X, y, 0.5, engines=["loop", "scalar", "numerical", "torch"])
    assert cmp.ok, cmp


def test_one_hot_y_equals_indices():
    net = Network([3, 4, 3], seed=0)
    X = np.random.default_rng(3).normal(size=(4, 3))
    y = np.array([2, 0, 1, 2])
    assert net.cost(X, np.eye(3)[y], 1.0) == net.cost(X, y, 1.0)


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_other_hidden_activations(activation):
    net = Network([3, 4, 3, 2], seed=7, activation=activation, epsilon=0.8)
    X = np.random.default_rng(4).normal(size=(6, 3))
    y = np.array([0, 1, 1, 0, 1, 0])
    fwd = net.forward(X)
    assert np.all(fwd.z[2] != 0)  # away from relu's kink
    g_prime = bp.ACTIVATIONS[activation][1]
    r = net.backprop(X, y, 0.3)
    np.testing.assert_allclose(r.delta[2], (r.delta[3] @ net.theta[2][:, 1:]) * g_prime(fwd.z[2]))
    cmp = net.compare(X, y, 0.3, engines=["loop", "scalar", "numerical", "torch"])
    assert cmp.ok, cmp


def test_saturated_output_gives_finite_cost_and_exact_delta():
    net = Network([1, 1], thetas={1: np.array([[0.0, 800.0]])})
    X = np.array([[1.0], [-1.0]])
    y = np.array([0, 1])
    J = net.cost(X, y)
    assert np.isfinite(J) and J == pytest.approx(800.0)
    r = net.backprop(X, y)
    np.testing.assert_array_equal(r.delta[2][:, 0], [1.0, -1.0])


def test_forward_shapes_and_predict():
    net = Network([3, 5, 3], seed=0)
    X = np.ones((4, 3))
    fwd = net.forward(X)
    assert fwd.a[1].shape == (4, 4) and np.all(fwd.a[1][:, 0] == 1)
    assert fwd.a[2].shape == (4, 6) and fwd.a[3].shape == (4, 3)
    assert fwd.z[2].shape == (4, 5) and 1 not in fwd.z
    np.testing.assert_array_equal(net.predict(X), np.argmax(fwd.h, axis=1))


def test_save_load_roundtrip(tmp_path):
    net = lecture_network(activation="tanh")
    path = tmp_path / "net.npz"
    net.save(path)
    back = Network.load(path)
    assert back.sizes == net.sizes and back.activation == "tanh"
    for l in net.theta:
        np.testing.assert_array_equal(back.theta[l], net.theta[l])
    np.testing.assert_array_equal(back.example[0], net.example[0])
    assert "Θ^(1): 2×3" in repr(back) and "tanh" in repr(back)


def test_unroll_roundtrip():
    net = Network([3, 5, 3], seed=0)
    p = net.unroll()
    assert p.shape == (5 * 4 + 3 * 6,)
    other = Network([3, 5, 3], seed=1)
    other.set_unrolled(p)
    for l in net.theta:
        np.testing.assert_array_equal(other.theta[l], net.theta[l])


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_g_prime_from_the_activation_equals_g_prime_of_z(activation):
    z = np.linspace(-4, 4, 81) + 0.01  # no exact 0 (relu's kink)
    g, g_prime = bp.ACTIVATIONS[activation]
    np.testing.assert_allclose(bp.G_PRIME_FROM_A[activation](g(z)), g_prime(z), rtol=1e-12,
                               atol=1e-15)


def test_backprop_repr_is_short():
    net = Network([3, 5, 3], seed=0)
    r = net.backprop(np.zeros((100, 3)), np.zeros(100, dtype=int))
    text = repr(r)
    assert text.startswith("Backprop(method='vectorised', cost=")
    assert "δ^(2): 100×5" in text and "D^(2): 3×6" in text and len(text) < 200
