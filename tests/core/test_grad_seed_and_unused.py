"""mg.grad with a gradient given as a node under create_graph, and an input the output does
not depend on (issue 13, mutation testing of core/grad.py)."""

from __future__ import annotations

import numpy as np

import microgradnn as mg


def test_a_node_given_as_the_gradient_stays_in_the_graph() -> None:
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    v = mg.Tensor([3.0, 4.0], requires_grad=True)  # the vector of a vector-Jacobian product
    (vjp,) = mg.grad(x * x, x, gradient=v, create_graph=True)
    np.testing.assert_allclose(vjp.numpy(), [6.0, 16.0])  # v · 2x
    (by_v,) = mg.grad(vjp.sum(), v)  # differentiating by v gives the Jacobian's diagonal 2x
    np.testing.assert_allclose(by_v, [2.0, 4.0])


def test_an_input_the_output_does_not_reach_is_none_when_allowed() -> None:
    X = mg.Tensor([[1.0, 2.0]])  # data: a parent of the product the pass never reaches
    w = mg.Tensor([[3.0], [4.0]], requires_grad=True)
    gw, gX = mg.grad((X @ w).sum(), [w, X], allow_unused=True)
    np.testing.assert_array_equal(gw, [[1.0], [2.0]])
    assert gX is None
