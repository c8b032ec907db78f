"""What a create_graph pass leaves in the leaves (issue 13, mutation testing of Node.backward):
they accumulate, as on a first-order pass, and a leaf the pass does not reach keeps its grad;
a Tensor rule's chain-rule terms read the op's input."""

from __future__ import annotations

import numpy as np
import pytest

import microgradnn as mg


def test_create_graph_passes_accumulate_into_a_leaf() -> None:
    x = mg.Scalar(3.0, name="x")
    (x * x).backward(create_graph=True)  # 2x = 6
    (x * x * x).backward(create_graph=True)  # + 3x² = 27
    assert isinstance(x.grad, mg.Scalar) and x.grad.data == pytest.approx(33.0)
    g = x.grad
    x.grad = None
    g.backward()  # d(2x + 3x²)/dx = 2 + 6x = 20
    assert x.grad == pytest.approx(20.0)


def test_a_create_graph_pass_leaves_an_unreached_leaf_as_it_was() -> None:
    X = mg.Tensor([[1.0, 2.0]])  # data: a parent of the product the pass never reaches
    X.grad = np.array([[7.0, 7.0]])
    w = mg.Tensor([[3.0], [4.0]], requires_grad=True)
    (X @ w).sum().backward(create_graph=True)
    np.testing.assert_array_equal(X.grad, [[7.0, 7.0]])
    np.testing.assert_array_equal(np.asarray(w.grad), [[1.0], [2.0]])


def test_the_terms_of_a_tensor_rule_that_reads_its_input() -> None:
    x = mg.Tensor([2.0, 4.0], requires_grad=True)
    (term,) = x.log().contributions(np.array([1.0, 8.0]))  # δ / x
    np.testing.assert_allclose(term, [0.5, 2.0])
    (square,) = (x ** 3.0).contributions(np.ones(2))  # 3x²
    np.testing.assert_allclose(square, [12.0, 48.0])


class _Cube(mg.Function):
    @staticmethod
    def forward(ctx: mg.FunctionCtx, x: float) -> float:
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx: mg.FunctionCtx, g: float) -> float:
        (x,) = ctx.saved_tensors
        return g * 3.0 * x ** 2


def test_the_terms_of_a_functions_own_backward_on_scalars() -> None:
    x = mg.Scalar(2.0, name="x")
    y = _Cube.apply(x)
    assert y.data == 8.0 and y.contributions(0.5) == [6.0]  # δ · 3x²
