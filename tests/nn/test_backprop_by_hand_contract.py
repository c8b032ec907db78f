"""backprop.py's formulas checked number by number on a network small enough to do by hand:
the forward pass with its bias units, J with and without λ, δ^(L) = a^(L) − y, the hidden δ
for each activation, Δ and D (bias column unregularised), and the minibatch gradient."""

from __future__ import annotations

import numpy as np
import pytest

from microgradnn.nn import backprop as bp


def sig(z: float) -> float:
    return float(1.0 / (1.0 + np.exp(-z)))


# a 1-1-1 network: one input, one hidden unit, one output; every number can be followed
THETA = {1: np.array([[0.5, -1.0]]), 2: np.array([[0.25, 2.0]])}
X = np.array([[2.0], [-1.0]])
Y = np.array([[1.0], [0.0]])


def by_hand(activation: str = "sigmoid", lam: float = 0.0) -> dict[str, object]:
    g, g_prime = {
        "sigmoid": (sig, lambda z: sig(z) * (1.0 - sig(z))),
        "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
        "relu": (lambda z: max(z, 0.0), lambda z: 1.0 if z > 0 else 0.0),
    }[activation]
    m = 2
    J, Delta1, Delta2 = 0.0, np.zeros((1, 2)), np.zeros((1, 2))
    deltas2: list[float] = []
    deltas3: list[float] = []
    weighted: list[float] = []
    for x, y in zip(X[:, 0], Y[:, 0]):
        z2 = 0.5 - 1.0 * x
        a2 = g(z2)
        z3 = 0.25 + 2.0 * a2
        h = sig(z3)
        J += -(y * np.log(h) + (1 - y) * np.log(1 - h))
        d3 = h - y
        w = 2.0 * d3
        d2 = w * g_prime(z2)
        Delta2 += d3 * np.array([[1.0, a2]])
        Delta1 += d2 * np.array([[1.0, x]])
        deltas2.append(d2)
        deltas3.append(d3)
        weighted.append(w)
    reg = lam / (2 * m) * (1.0**2 + 2.0**2)
    D1 = Delta1 / m + (lam / m) * np.array([[0.0, -1.0]])
    D2 = Delta2 / m + (lam / m) * np.array([[0.0, 2.0]])
    return {"J": J / m + reg, "delta2": deltas2, "delta3": deltas3, "weighted": weighted,
            "Delta": {1: Delta1, 2: Delta2}, "D": {1: D1, 2: D2}}


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("lam", [0.0, 3.0])
@pytest.mark.parametrize("method", [bp.backprop_loop, bp.backprop_vectorised])
def test_every_number_matches_the_hand_computation(method, activation: str, lam: float) -> None:
    want = by_hand(activation, lam)
    got = method(THETA, X, Y, lam=lam, activation=activation)
    assert got.cost == pytest.approx(want["J"], rel=1e-13)
    assert np.allclose(got.delta[3][:, 0], want["delta3"], rtol=1e-13, atol=0)
    assert np.allclose(got.delta[2][:, 0], want["delta2"], rtol=1e-13, atol=1e-300)
    assert np.allclose(got.weighted[2][:, 0], want["weighted"], rtol=1e-13, atol=0)
    for l in (1, 2):
        assert np.allclose(got.Delta[l], want["Delta"][l], rtol=1e-13, atol=1e-300)
        assert np.allclose(got.grad[l], want["D"][l], rtol=1e-13, atol=1e-300)
        assert got.D[l] is got.grad[l]
    assert sorted(got.delta) == [2, 3] and sorted(got.weighted) == [2]
    assert got.method == ("loop" if method is bp.backprop_loop else "vectorised")
    assert bp.cost(THETA, X, Y, lam, activation) == pytest.approx(want["J"], rel=1e-13)
    D = bp.gradient(THETA, X, Y, lam, activation)  # the minibatch step: D^(l) alone
    for l in (1, 2):
        assert np.allclose(D[l], want["D"][l], rtol=1e-13, atol=1e-300)
    assert np.allclose(got.unrolled_grad(), np.concatenate([want["D"][1].ravel(),
                                                           want["D"][2].ravel()]), rtol=1e-13)


def test_forward_keeps_x_and_adds_the_bias_units_on_demand() -> None:
    fwd = bp.forward(THETA, X, "tanh")
    assert fwd.units[1] is X
    assert np.allclose(fwd.z[2][:, 0], [0.5 - 2.0, 0.5 + 1.0], rtol=1e-15)
    a2 = np.tanh(fwd.z[2])
    assert np.allclose(fwd.units[2], a2, rtol=1e-15)
    assert np.allclose(fwd.z[3], 0.25 + 2.0 * a2, rtol=1e-15)
    assert np.array_equal(fwd.a[1], np.hstack([np.ones((2, 1)), X]))
    assert np.array_equal(fwd.a[2][:, 0], [1.0, 1.0]) and fwd.a[3].shape == (2, 1)
    assert fwd.h is fwd.units[3] and np.allclose(fwd.h, 1 / (1 + np.exp(-fwd.z[3])))
    assert fwd.a is fwd.a  # built once
    assert sorted(fwd.z) == [2, 3]


def test_regularisation_skips_the_bias_column_and_scales_by_lambda_over_2m() -> None:
    theta = {1: np.array([[100.0, 1.0, -2.0]]), 2: np.array([[-50.0, 3.0]])}
    assert bp.regularisation(theta, 4.0, 2) == pytest.approx(4.0 / 4.0 * (1 + 4 + 9))
    assert bp.regularisation(theta, 0.0, 5) == 0.0


def test_gradient_helpers_of_z() -> None:
    z = np.array([-1.0, 0.0, 2.0])
    assert np.allclose(bp.sigmoid_gradient(z), [sig(-1) * (1 - sig(-1)), 0.25,
                                                sig(2) * (1 - sig(2))], rtol=1e-15)
    assert np.allclose(bp.tanh_gradient(z), 1 - np.tanh(z) ** 2, rtol=1e-15)
    assert bp.relu_gradient(z).tolist() == [0.0, 0.0, 1.0]  # 0 at the kink
    assert bp.relu(z).tolist() == [0.0, 0.0, 2.0] and bp.tanh(z).tolist() == np.tanh(z).tolist()
    assert bp.sigmoid([0.0]).tolist() == [0.5]  # a list works too


def test_from_autodiff_undoes_the_averaging_and_the_regularisation() -> None:
    want = bp.backprop_vectorised(THETA, X, Y, lam=2.0)
    m = 2
    dJ_dz = {l: d / m for l, d in want.delta.items()}
    dJ_dh = {l: w / m for l, w in want.weighted.items()}
    D = {l: d.copy() for l, d in want.grad.items()}
    got = bp.Backprop.from_autodiff(THETA, 2.0, np.float64(want.cost), dJ_dz, dJ_dh, D, m, "tensor")
    assert type(got.cost) is float and got.cost == want.cost and got.method == "tensor"
    for l in (1, 2):
        assert np.allclose(got.Delta[l], want.Delta[l], rtol=1e-13, atol=1e-15)
    for l in (2, 3):
        assert np.allclose(got.delta[l], want.delta[l], rtol=1e-15)
    assert np.allclose(got.weighted[2], want.weighted[2], rtol=1e-15)


def test_repr_lists_the_shapes() -> None:
    r = bp.backprop_vectorised(THETA, X, Y)
    assert repr(r) == (f"Backprop(method='vectorised', cost={r.cost:.6g}; "
                       "δ^(2): 2×1, δ^(3): 2×1; D^(1): 1×2, D^(2): 1×2)")


def test_defaults_are_the_sigmoid_and_no_regularisation() -> None:
    want = by_hand("sigmoid", 0.0)
    assert bp.cost(THETA, X, Y) == pytest.approx(want["J"], rel=1e-13)
    for method in (bp.backprop_loop, bp.backprop_vectorised):
        got = method(THETA, X, Y)
        assert got.cost == pytest.approx(want["J"], rel=1e-13)
        assert np.allclose(got.grad[1], want["D"][1], rtol=1e-13, atol=0)
    assert np.allclose(bp.gradient(THETA, X, Y)[2], want["D"][2], rtol=1e-13, atol=0)
    assert np.allclose(bp.forward(THETA, X).units[2], 1 / (1 + np.exp(-bp.forward(
        THETA, X).z[2])), rtol=1e-15)


def test_unrolled_grad_follows_the_order_asked_for() -> None:
    from microgradnn.nn import Network

    net = Network([2, 2, 1], init="debug")
    X = np.array([[0.5, -1.0], [1.5, 0.25]])
    y = np.array([1, 0])
    result = net.backprop(X, y)
    D1, D2 = result.grad[1], result.grad[2]
    np.testing.assert_array_equal(result.unrolled_grad(),
                                  np.concatenate([D1.ravel(), D2.ravel()]))
    np.testing.assert_array_equal(result.unrolled_grad("F"),  # Octave's [D1(:); D2(:)]
                                  np.concatenate([D1.ravel("F"), D2.ravel("F")]))
    assert not np.array_equal(result.unrolled_grad("F"), result.unrolled_grad("C"))
