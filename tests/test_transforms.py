"""mg.jacobian / hessian / hvp / jvp / vjp against torch.func on random graphs (hypothesis),
their shapes as torch.autograd.functional returns them, Scalar inputs, and gradgradcheck."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
import torch.func as tf
from hypothesis import given, settings
from hypothesis import strategies as st

import microgradnn as mg

UNARY: list[Callable[[Any], Any]] = [lambda a: a.tanh(), lambda a: a.sigmoid(),
                                     lambda a: (a * 0.5).exp(), lambda a: a * a,
                                     lambda a: (a * a + 1.0).log(), lambda a: a.softmax(-1)]
BINARY: list[Callable[[Any, Any], Any]] = [lambda a, b: a * b, lambda a, b: a + b * 0.7,
                                           lambda a, b: a / (b * b + 1.0), lambda a, b: a - b]

step = st.tuples(st.booleans(), st.integers(0, 5), st.integers(0, 20), st.integers(0, 20))


def program(steps: list[tuple[bool, int, int, int]]) -> Callable[[Any], Any]:
    """A random graph: each step applies a unary or binary op to earlier values (so values
    are reused: fan-out and fan-in), the last value is the output vector."""
    def f(x: Any) -> Any:
        values = [x, x * 0.3 - 0.2]
        for binary, k, i, j in steps:
            a, b = values[i % len(values)], values[j % len(values)]
            values.append(BINARY[k % len(BINARY)](a, b) if binary else UNARY[k](a))
        return values[-1]
    return f


graphs = st.lists(step, min_size=1, max_size=6)
points = st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=4)


def _t(x: np.ndarray) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


@settings(max_examples=200, deadline=None)
@given(steps=graphs, xs=points, seed=st.integers(0, 1000))
def test_transforms_match_torch_func_on_random_graphs(steps: list, xs: list[float],
                                                      seed: int) -> None:
    f = program(steps)
    x = np.array(xs)
    rng = np.random.default_rng(seed)
    v, w = rng.standard_normal(x.shape), rng.standard_normal(x.shape)

    def scalar_f(t: Any) -> Any:
        return (f(t) * (_t(w) if isinstance(t, torch.Tensor) else w)).sum()

    tol = {"rtol": 1e-8, "atol": 1e-10}
    np.testing.assert_allclose(mg.jacobian(f, x), tf.jacrev(f)(_t(x)).numpy(), **tol)
    np.testing.assert_allclose(mg.hessian(scalar_f, x), tf.hessian(scalar_f)(_t(x)).numpy(),
                               **tol)
    out, jv = mg.jvp(f, x, v)
    t_out, t_jv = tf.jvp(f, (_t(x),), (_t(v),))
    np.testing.assert_allclose(out, t_out.numpy(), **tol)
    np.testing.assert_allclose(jv, t_jv.numpy(), **tol)
    _, hv = mg.hvp(scalar_f, x, v)
    np.testing.assert_allclose(hv, tf.jvp(tf.grad(scalar_f), (_t(x),), (_t(v),))[1].numpy(),
                               **tol)
    _, vj = mg.vjp(f, x, w)
    t_out, pullback = tf.vjp(f, _t(x))
    np.testing.assert_allclose(vj, pullback(_t(w))[0].numpy(), **tol)


def test_shapes_follow_torch_autograd_functional() -> None:
    X = np.random.default_rng(0).standard_normal((2, 3))
    Y = np.random.default_rng(1).standard_normal((3,))
    f = lambda a, b: (a @ b).tanh()  # noqa: E731
    ja, jb = mg.jacobian(f, (X, Y))
    ta, tb = torch.autograd.functional.jacobian(f, (_t(X), _t(Y)))
    assert ja.shape == tuple(ta.shape) == (2, 2, 3) and jb.shape == tuple(tb.shape) == (2, 3)
    np.testing.assert_allclose(ja, ta.numpy())
    g = lambda a, b: (a @ b).tanh().sum()  # noqa: E731
    h = mg.hessian(g, (X, Y))
    th = torch.autograd.functional.hessian(g, (_t(X), _t(Y)))
    for i in range(2):
        for j in range(2):
            assert h[i][j].shape == tuple(th[i][j].shape)
            np.testing.assert_allclose(h[i][j], th[i][j].numpy(), atol=1e-12)


def test_scalar_inputs_give_the_same_hessian_as_torch() -> None:
    f = lambda a, b: (a * b).tanh() * a + b.exp() / (a * a + 1.0)  # noqa: E731
    h = mg.hessian(f, (mg.Scalar(0.3), mg.Scalar(-0.5)))
    th = torch.autograd.functional.hessian(f, (_t(np.float64(0.3)), _t(np.float64(-0.5))))
    np.testing.assert_allclose(np.array(h, dtype=float), np.array([[float(v) for v in r]
                                                                   for r in th]), rtol=1e-12)


def test_gradgradcheck_passes_good_rules_and_names_the_input_of_a_wrong_one(
        monkeypatch: pytest.MonkeyPatch) -> None:
    x = mg.Tensor([0.3, -0.6], requires_grad=True, name="x")
    assert mg.gradgradcheck(lambda t: (t.tanh() * t).sum(), [x])
    assert mg.gradgradcheck(lambda a: a.sigmoid() * a.exp(), [mg.Scalar(0.4)])
    from microgradnn import scalar_derivatives

    # a wrong second-order rule for tanh: first derivatives stay right, second ones do not
    monkeypatch.setitem(scalar_derivatives._UNARY, "tanh", lambda out, a, d, mark: 1.0 - a * a
                        + (d - (1.0 - a.data * a.data)))
    with pytest.raises(mg.GradcheckError, match=r"gradgradcheck.*input 0 \(s\)"):
        mg.gradgradcheck(lambda a: a.tanh(), [mg.Scalar(0.4, name="s")])
