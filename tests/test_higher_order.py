"""Gradients of gradients (create_graph=True) for every op of both engines, against PyTorch
float64 (torch.autograd.grad with create_graph twice) and against central differences of the
engine's own first derivative; third order on a handful; the Scalar ops' two statements of
their derivative (floats and node expressions) agree; create_graph=False keeps no graph.

Driven by the shared op table tests/support/op_table.py; every Tensor op's second
derivatives: tests/tensor/test_tensor_higher_order.py.
"""

from __future__ import annotations

import gc
from typing import Any

import numpy as np
import pytest
import torch
from op_table import ALL, Op

import microgradnn as mg
from microgradnn.core import topological_order
from microgradnn.scalar_derivatives import local_derivatives

RNG_POINTS = 3  # points per Scalar op


def _points(op: Op) -> list[list[float]]:
    rng = np.random.default_rng(len(op.name))
    low, high = op.domain
    return [list(rng.uniform(low, high, op.arity)) for _ in range(RNG_POINTS)]


def _scalar_hessian(op: Op, xs: list[float]) -> np.ndarray:
    leaves_ = [mg.Scalar(x, name=f"x{i}") for i, x in enumerate(xs)]
    grads = mg.grad(op.fn(*leaves_), leaves_, create_graph=True)
    rows = []
    for g in grads:
        if not isinstance(g, mg.Scalar) or g.is_leaf:  # a constant first derivative
            rows.append([0.0] * len(xs))
            continue
        second = mg.grad(g, leaves_, allow_unused=True)
        rows.append([0.0 if h is None else float(h) for h in second])
    return np.array(rows)


def _torch_hessian(fn: Any, xs: list[float]) -> np.ndarray:
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    grads = torch.autograd.grad(fn(*ts), ts, create_graph=True)
    rows = []
    for g in grads:
        if not g.requires_grad:
            rows.append([0.0] * len(xs))
            continue
        second = torch.autograd.grad(g, ts, allow_unused=True, retain_graph=True)
        rows.append([0.0 if h is None else h.item() for h in second])
    return np.array(rows)


def _scalar_first(op: Op, xs: list[float]) -> np.ndarray:
    leaves_ = [mg.Scalar(x) for x in xs]
    return np.array([float(g) for g in mg.grad(op.fn(*leaves_), leaves_)])


@pytest.mark.parametrize("op", ALL, ids=lambda op: op.name)
def test_scalar_second_derivatives_match_pytorch_and_differences(op: Op) -> None:
    for xs in _points(op):
        hessian = _scalar_hessian(op, xs)
        np.testing.assert_allclose(hessian, _torch_hessian(op.fn, xs), rtol=1e-9, atol=1e-10)
        eps = 1e-5
        for j in range(len(xs)):  # column j: central differences of the gradient along x_j
            up, down = list(xs), list(xs)
            up[j] += eps
            down[j] -= eps
            column = (_scalar_first(op, up) - _scalar_first(op, down)) / (2 * eps)
            np.testing.assert_allclose(hessian[:, j], column, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("op", ALL, ids=lambda op: op.name)
def test_scalar_derivative_expressions_equal_the_stored_floats(op: Op) -> None:
    """The second statement of each op's derivative (scalar_derivatives) is the first."""
    for xs in _points(op):
        out = op.fn(*[mg.Scalar(x) for x in xs])
        checked = 0
        for node in topological_order(out):
            if node.is_leaf:
                continue
            stored = node._da if isinstance(node._da, tuple) else (
                (node._da,) if node._b is None else (node._da, node._db))
            for d, want in zip(local_derivatives(node), stored):
                assert float(d) == pytest.approx(want, rel=1e-12, abs=1e-15), node.op
                checked += 1
        assert checked >= 1


def test_scalar_dot_second_derivatives_with_and_without_constants() -> None:
    w, x, b = mg.Scalar(0.3), mg.Scalar(-1.2), mg.Scalar(0.5)
    for y in (mg.Scalar.dot([w, w], [x, 2.0], b), mg.Scalar.dot([w, 3.0], [x, w], b)):
        (gw,) = mg.grad(y * y, [w], create_graph=True)
        (hw,) = mg.grad(gw, [w])
        tw, tx, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True)
                      for v in (0.3, -1.2, 0.5))
        ty = (tw * tx + tw * 2.0 + tb) if y.data == pytest.approx(0.3 * -1.2 + 0.6 + 0.5) \
            else (tw * tx + 3.0 * tw + tb)
        (tg,) = torch.autograd.grad(ty * ty, tw, create_graph=True)
        (th,) = torch.autograd.grad(tg, tw)
        assert float(gw) == pytest.approx(tg.item()) and hw == pytest.approx(th.item())


THIRD = {
    "tanh_cube": (lambda t: (t**3).tanh(), [0.4]),
    "sigmoid_exp": (lambda t: t.sigmoid() * t.exp(), [0.3]),
    "log_div": (lambda t: (t * t + 1.0).log() / (t + 2.0), [0.7]),
    "sqrt_pow": (lambda t: (t + 1.5).sqrt() * 2.0**t, [-0.2]),
}


@pytest.mark.parametrize("name", sorted(THIRD))
@pytest.mark.parametrize("engine", ["scalar", "tensor"])
def test_third_derivatives_match_pytorch(name: str, engine: str) -> None:
    fn, (x0,) = THIRD[name]
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    d = fn(t)
    want = []
    for _ in range(3):
        (d,) = torch.autograd.grad(d, t, create_graph=True)
        want.append(d.item())
    x: Any = mg.Scalar(x0) if engine == "scalar" else mg.Tensor(x0, requires_grad=True)
    y = fn(x)
    got = []
    for _ in range(3):
        (y,) = mg.grad(y, [x], create_graph=True)
        got.append(float(y.data))
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_backward_create_graph_leaves_nodes_that_differentiate_again() -> None:
    x = mg.Tensor([0.5, -1.0], requires_grad=True)
    (x**3).sum().backward(create_graph=True)
    assert isinstance(x.grad, mg.Tensor) and x.grad.requires_grad
    np.testing.assert_allclose(x.grad.data, 3 * np.array([0.25, 1.0]))
    g = x.grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad, 6 * np.array([0.5, -1.0]))
    s = mg.Scalar(2.0)
    (s * s * s).backward(create_graph=True)
    assert isinstance(s.grad, mg.Scalar) and s.grad.data == 12.0


def _graph_alive(create_graph: bool) -> bool:
    """Whether the tanh node of a graph outlives every name for it, after a backward pass
    (Tensors have slots and no weakref slot: found among the objects gc tracks)."""
    x = mg.Tensor(np.linspace(-1, 1, 6), requires_grad=True)
    hidden = (x * 2.0).tanh()
    hidden.name = marker = f"probe-{create_graph}"
    (hidden * hidden).sum().backward(create_graph=create_graph)
    del hidden
    gc.collect()
    alive = any(type(o) is mg.Tensor and o.name == marker for o in gc.get_objects())
    assert x.grad is not None
    return alive


def test_create_graph_false_keeps_no_gradient_graph_alive() -> None:
    assert not _graph_alive(False)  # x.grad is an array: nothing refers to the graph
    assert _graph_alive(True)  # x.grad is a node whose graph holds the intermediates
