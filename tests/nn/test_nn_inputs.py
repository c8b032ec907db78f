"""The network's and the optimisers' inputs (issue 13, items 9 and 11): fit leaves the
caller's arrays alone, complex numbers are refused, and bad arguments are named."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import microgradnn as mg
from microgradnn.nn import Network


@pytest.mark.parametrize("method", ["sgd", "adam", "L-BFGS-B"])
def test_fit_does_not_change_the_callers_theta_arrays(method: str) -> None:
    net = Network([2, 3, 2], seed=0)
    mine = {l: T.copy() for l, T in net.theta.items()}
    net.theta = dict(mine)  # the caller's own arrays, assigned by hand
    before = {l: T.copy() for l, T in mine.items()}
    X = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    net.fit(X, [0, 1, 0, 1], lam=0.1, method=method, maxiter=3, progress=False)
    for l in mine:
        np.testing.assert_array_equal(mine[l], before[l])
        assert not np.array_equal(net.theta[l], before[l])  # the network itself was trained


def test_thetas_given_to_the_constructor_are_copied() -> None:
    T1, T2 = np.zeros((3, 3)), np.zeros((2, 4))
    net = Network([2, 3, 2], thetas={1: T1, 2: T2})
    net.fit(np.ones((2, 2)), [0, 1], method="sgd", maxiter=2, progress=False)
    assert not T1.any() and not T2.any()


@pytest.mark.parametrize("call", [
    lambda net: net.fit(np.ones((2, 2)) * (1 + 1j), [0, 1], progress=False),
    lambda net: net.cost(np.array([[1 + 2j, 0.0]]), [1]),
    lambda net: Network([2, 3, 2], thetas={1: np.zeros((3, 3)) + 0j, 2: np.zeros((2, 4))}),
])
def test_complex_numbers_are_refused(call: Callable[[Network], object]) -> None:
    with pytest.raises(ValueError, match="complex numbers; expected a numeric matrix of real"):
        call(Network([2, 3, 2], seed=0))


@pytest.mark.parametrize(("call", "message"), [
    (lambda: Network([2, 2], activation=["relu"]),
     r"Network: activation must be one of \['relu', 'sigmoid', 'tanh'\], got \['relu'\]"),
    (lambda: Network([2, 3, 2]).fit(np.ones((2, 2)), [0, 1], method="adam", betas=0.9,
                                    progress=False),
     r"Adam: betas must be a pair"),
    (lambda: Network([2, 3, 2]).fit(np.ones((2, 2)), [0, 1], method="sgd", lr="0.1",
                                    progress=False),
     r"SGD: lr must be a positive number, got '0.1'"),
    (lambda: Network([2, 3, 2]).scalar_graph(np.ones((2, 2)), [0, 1]),
     r"scalar_graph: x has 2 rows; expected one example"),
])
def test_network_errors_name_the_argument(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def _param() -> list[mg.Tensor]:
    return [mg.Tensor([1.0], requires_grad=True)]


@pytest.mark.parametrize(("make", "message"), [
    (lambda: mg.optim.SGD(_param(), lr="0.1"), "SGD: lr must be a positive number, got '0.1'"),
    (lambda: mg.optim.SGD(_param(), lr=float("nan")), "SGD: lr must be a positive number"),
    (lambda: mg.optim.SGD(_param(), momentum="0.9"), "SGD: momentum must be a number in"),
    (lambda: mg.optim.Adam(_param(), betas=0.9), r"Adam: betas must be a pair"),
    (lambda: mg.optim.Adam(_param(), betas=(0.9, "x")), r"Adam: betas\[1\] \(β₂\) must be"),
    (lambda: mg.optim.Adam(_param(), eps=None), "Adam: eps must be a positive number"),
])
def test_optimiser_hyperparameters_are_checked(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_zero_grad_can_keep_zeroed_arrays() -> None:
    p = mg.Tensor([1.0, 2.0], requires_grad=True)
    opt = mg.optim.SGD([p], lr=0.1)
    (p * p).sum().backward()
    grad = p.grad
    opt.zero_grad(set_to_none=False)
    assert p.grad is grad and not grad.any()
    opt.zero_grad()
    assert p.grad is None
