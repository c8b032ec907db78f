"""NumPy functions on Tensors (NEP 13/18): unmodified NumPy code — including a learner's
nnCostFunction from the course — runs on Tensors, returns Tensors, and its gradients match
PyTorch's; functions without a derivative rule raise a TypeError naming them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import microgradnn as mg


def sigmoid(z: Any) -> Any:
    return 1 / (1 + np.exp(-z))


def nn_cost_function(theta1: Any, theta2: Any, X: np.ndarray, Y: np.ndarray, lam: float
                     ) -> Any:
    """The course's regularised cost, as a learner writes it for NumPy arrays."""
    m = X.shape[0]
    a1 = np.concatenate([np.ones((m, 1)), X], axis=1)
    a2 = sigmoid(a1 @ theta1.T)
    a2 = np.concatenate([np.ones((m, 1)), a2], axis=1)
    h = sigmoid(np.dot(a2, theta2.T))
    J = -np.sum(Y * np.log(h) + (1 - Y) * np.log(1 - h)) / m
    reg = lam / (2 * m) * (np.sum(np.square(theta1[:, 1:])) + np.sum(theta2[:, 1:] ** 2))
    return J + reg


def _data() -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(3)
    X = rng.standard_normal((6, 4))
    Y = np.eye(3)[rng.integers(0, 3, 6)]
    return rng.standard_normal((5, 5)) * 0.5, rng.standard_normal((3, 6)) * 0.5, X, Y


def test_course_cost_written_for_numpy_runs_on_tensors_with_pytorch_gradients() -> None:
    t1, t2, X, Y = _data()
    as_arrays = nn_cost_function(t1, t2, X, Y, 1.0)
    w1, w2 = mg.Tensor(t1, requires_grad=True), mg.Tensor(t2, requires_grad=True)
    J = nn_cost_function(w1, w2, X, Y, 1.0)
    assert isinstance(J, mg.Tensor) and J.data == pytest.approx(as_arrays)
    J.backward()
    p1 = torch.tensor(t1, requires_grad=True)
    p2 = torch.tensor(t2, requires_grad=True)
    tX, tY = torch.tensor(X), torch.tensor(Y)
    ones = torch.ones((6, 1), dtype=torch.float64)
    a2 = torch.cat([ones, torch.sigmoid(torch.cat([ones, tX], 1) @ p1.T)], 1)
    h = torch.sigmoid(a2 @ p2.T)
    tJ = (-(tY * h.log() + (1 - tY) * (1 - h).log()).sum() / 6
          + 1.0 / 12 * ((p1[:, 1:] ** 2).sum() + (p2[:, 1:] ** 2).sum()))
    tJ.backward()
    assert J.data == pytest.approx(tJ.item())
    np.testing.assert_allclose(w1.grad, p1.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(w2.grad, p2.grad.numpy(), rtol=1e-10)


FUNCTIONS = {
    "exp": (np.exp, torch.exp),
    "log": (lambda a: np.log(a * a + 1.0), lambda a: torch.log(a * a + 1.0)),
    "tanh": (np.tanh, torch.tanh),
    "sqrt": (lambda a: np.sqrt(a * a + 1.0), lambda a: torch.sqrt(a * a + 1.0)),
    "abs": (np.abs, torch.abs),
    "maximum": (lambda a: np.maximum(a, 0.1), lambda a: torch.clamp(a, min=0.1)),
    "minimum": (lambda a: np.minimum(a, 0.1), lambda a: torch.clamp(a, max=0.1)),
    "sum_axis": (lambda a: np.sum(a, axis=0), lambda a: a.sum(0)),
    "mean_keep": (lambda a: np.mean(a, axis=1, keepdims=True), lambda a: a.mean(1, True)),
    "max": (lambda a: np.max(a, axis=1), lambda a: a.amax(1)),
    "matmul_array_left": (lambda a: np.ones((2, 3)) @ a,
                          lambda a: torch.ones((2, 3), dtype=torch.float64) @ a),
    "array_times_tensor": (lambda a: np.arange(4.0) * a, lambda a: torch.arange(4.0) * a),
    "concatenate": (lambda a: np.concatenate([a, 2 * a], axis=1),
                    lambda a: torch.cat([a, 2 * a], 1)),
    "stack": (lambda a: np.stack([a, a * a]), lambda a: torch.stack([a, a * a])),
    "where": (lambda a: np.where(a.data > 0, a, 0.0) if isinstance(a, mg.Tensor) else None,
              lambda a: torch.where(a > 0, a, torch.zeros_like(a))),
    "reshape_transpose": (lambda a: np.transpose(np.reshape(a, (4, 3))),
                          lambda a: a.reshape(4, 3).T),
    "expand_squeeze": (lambda a: np.squeeze(np.expand_dims(a, 0), 0) ** 2, lambda a: a**2),
    "clip": (lambda a: np.clip(a, -0.5, 0.5), lambda a: a.clamp(-0.5, 0.5)),
    "log1p_expm1": (lambda a: np.log1p(np.expm1(a) ** 2), lambda a: torch.log1p(
        torch.expm1(a) ** 2)),
    "square_reciprocal": (lambda a: np.reciprocal(np.square(a) + 1.0),
                          lambda a: 1.0 / (a**2 + 1.0)),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_numpy_function_on_a_tensor_matches_pytorch(name: str) -> None:
    mine, theirs = FUNCTIONS[name]
    x = np.random.default_rng(len(name)).uniform(-1.5, 1.5, (3, 4))
    t = mg.Tensor(x, requires_grad=True)
    out = mine(t)
    assert isinstance(out, mg.Tensor) and out.requires_grad
    ref = torch.tensor(x, requires_grad=True)
    expected = theirs(ref)
    # (log1p and expm1 are ln(1 + a) and e^a - 1 here: absolute, not relative, accuracy)
    np.testing.assert_allclose(out.data, expected.detach().numpy(), rtol=1e-12, atol=1e-14)
    weights = np.cos(np.arange(out.size)).reshape(out.shape)
    (out * weights).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(t.grad, ref.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_value_only_and_piecewise_constant_functions_give_arrays() -> None:
    t = mg.Tensor([[-1.0, 2.0]], requires_grad=True)
    assert np.shape(t) == (1, 2) and np.ndim(t) == 2
    assert isinstance(np.sign(t), np.ndarray) and np.sign(t).tolist() == [[-1.0, 1.0]]
    assert np.zeros_like(t).shape == (1, 2) and np.allclose(t, [[-1.0, 2.0]])
    assert (np.greater(t, 0) == np.array([[False, True]])).all()


@pytest.mark.parametrize("call", [lambda t: np.sin(t), lambda t: np.cumsum(t),
                                  lambda t: np.add.reduce(t), lambda t: np.linalg.norm(t)],
                         ids=["sin", "cumsum", "add.reduce", "norm"])
def test_uncovered_functions_raise_naming_the_function(call: Any) -> None:
    t = mg.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="has no derivative rule in microgradnn"):
        call(t)


def test_out_keyword_is_refused_clearly() -> None:
    t = mg.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=r"np\.exp on Tensors takes no keyword"):
        np.exp(t, out=np.empty(2))
    out = np.zeros(2)  # a binary op's out, given by keyword or by position, is refused too:
    # the op table's fast path must not return a Tensor and leave out unwritten
    for call in (lambda: np.add(t, t, out=out), lambda: np.multiply(np.ones(2), t, out),
                 lambda: np.matmul(np.ones((1, 2)), t, out)):
        with pytest.raises(TypeError, match=r"on Tensors takes no keyword arguments \(out\)"):
            call()
    assert not out.any()
