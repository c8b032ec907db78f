"""numerical_gradient, gradcheck and relative_difference."""

from __future__ import annotations

import numpy as np
import pytest

import microgradnn as mg
from microgradnn.core import node_maker


def test_numerical_gradient_of_a_known_function() -> None:
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    original = x.copy()
    g = mg.numerical_gradient(lambda a: float(np.sum(a**3)), x)
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-7)
    np.testing.assert_array_equal(x, original)  # the caller's array is not modified
    assert g.shape == x.shape


def test_numerical_gradient_rejects_bad_eps() -> None:
    with pytest.raises(ValueError, match="eps must be positive"):
        mg.numerical_gradient(lambda a: 0.0, np.zeros(2), eps=0.0)


def test_relative_difference() -> None:
    assert mg.relative_difference([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert mg.relative_difference([0.0], [0.0]) == 0.0
    assert mg.relative_difference([1.0, 0.0], [0.0, 1.0]) == pytest.approx(1.0)
    assert mg.relative_difference([3.0], [1.0]) == pytest.approx(0.5)
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(3,\) differ"):
        mg.relative_difference([1.0, 2.0], [1.0, 2.0, 3.0])


def test_gradcheck_passes_for_correct_gradients() -> None:
    x, y = mg.Scalar(0.3, name="x"), mg.Scalar(-1.2, name="y")
    assert mg.gradcheck(lambda a, b: (a * b).tanh() + a.exp() / (b * b + 1.0), [x, y])
    assert x.grad is None  # gradcheck does not touch .grad



_make_scalar = node_maker(mg.Scalar)  # the core's constructor, as a new op would use it


def _wrong_square(x: mg.Scalar) -> mg.Scalar:
    """x·x with ∂/∂x stated as 1.5x per edge (3x in all, where 2x is right)."""
    return _make_scalar(x.data * x.data, "*", x, 1.5 * x.data, x, 1.5 * x.data)


def test_gradcheck_catches_a_wrong_derivative_and_names_the_input() -> None:
    x = mg.Scalar(1.5, name="x")
    with pytest.raises(mg.GradcheckError, match=r"input 0 \(x\).*numerical.*analytical") as info:
        mg.gradcheck(_wrong_square, [x])
    assert "3" in str(info.value) and "4.5" in str(info.value)


def test_gradcheck_rejects_non_nodes() -> None:
    with pytest.raises(TypeError, match="input 0 is a float"):
        mg.gradcheck(lambda a: a, [1.0])
    with pytest.raises(TypeError, match="f returned float"):
        mg.gradcheck(lambda a: 1.0, [mg.Scalar(1.0)])
