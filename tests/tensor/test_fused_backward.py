"""The fused backward ops that create_graph records for sigmoid and softplus
(microgradnn/tensor/fused.py): their own first and second derivatives by central
differences (gradcheck, gradgradcheck), their third derivatives against PyTorch float64
(aten's sigmoid_backward and softplus_backward, differentiated three times), and that
create_graph uses them: one node, the first-order sweep's floats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import microgradnn as mg
from microgradnn.core.order import topological_order
from microgradnn.tensor.fused import sigmoid_backward, softplus_backward

RNG = np.random.default_rng(7)
G = RNG.standard_normal((4, 3))
S = RNG.uniform(0.05, 0.95, (4, 3))  # a sigmoid's output lies in (0, 1)
X = RNG.standard_normal((4, 3)) * 3.0

FUSED: list[tuple[str, Callable[..., Any], Callable[..., Any], np.ndarray]] = [
    ("sigmoid_backward", sigmoid_backward, lambda g, s: torch.ops.aten.sigmoid_backward(g, s), S),
    ("softplus_backward", softplus_backward,
     lambda g, x: torch.ops.aten.softplus_backward(g, x, 1.0, 20.0), X),
]


def _third(backend: str, f: Callable[..., Any], arrays: list[np.ndarray]) -> list[np.ndarray]:
    """∂/∂inputs of Σ w·∂(Σ v·∂(Σ u·f)/∂inputs)/∂inputs: three reverse sweeps, the first two
    with create_graph, fixed non-constant u, v, w."""
    rng = np.random.default_rng(1)
    u, v, w = (rng.standard_normal(arrays[0].shape) for _ in range(3))
    if backend == "mg":
        xs = [mg.Tensor(a.copy(), requires_grad=True) for a in arrays]
        first = mg.grad((f(*xs) * u).sum(), xs, create_graph=True)
        second = mg.grad(sum(((d * v).sum() for d in first), start=0.0), xs, create_graph=True)
        third = mg.grad(sum(((d * w).sum() for d in second), start=0.0), xs)
        return [np.asarray(t) for t in third]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    tu, tv, tw = (torch.from_numpy(a) for a in (u, v, w))
    first = torch.autograd.grad((f(*ts) * tu).sum(), ts, create_graph=True)
    second = torch.autograd.grad(sum((d * tv).sum() for d in first), ts, create_graph=True)
    third = torch.autograd.grad(sum((d * tw).sum() for d in second), ts, allow_unused=True)
    return [np.zeros(a.shape) if t is None else t.numpy() for t, a in zip(third, arrays)]


@pytest.mark.parametrize(("name", "mine", "theirs", "second"), FUSED, ids=[f[0] for f in FUSED])
def test_fused_op_first_and_second_derivatives_match_differences(name: str, mine: Any,
                                                                  theirs: Any, second: Any
                                                                  ) -> None:
    leaves = [mg.Tensor(G.copy(), requires_grad=True), mg.Tensor(second.copy(),
                                                                 requires_grad=True)]
    assert mg.gradcheck(mine, leaves)
    assert mg.gradgradcheck(mine, leaves)


@pytest.mark.parametrize(("name", "mine", "theirs", "second"), FUSED, ids=[f[0] for f in FUSED])
def test_fused_op_value_and_third_derivative_match_pytorch(name: str, mine: Any, theirs: Any,
                                                           second: Any) -> None:
    np.testing.assert_allclose(mine(G, second), theirs(torch.from_numpy(G),
                                                       torch.from_numpy(second)).numpy(),
                               rtol=1e-12, atol=1e-15)
    for got, want in zip(_third("mg", mine, [G, second]), _third("torch", theirs, [G, second])):
        assert np.abs(want).max() > 1e-3  # a third derivative that is not zero
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("op", ["sigmoid", "softplus"])
def test_third_derivative_of_the_op_itself_matches_pytorch(op: str) -> None:
    mine = _third("mg", lambda x: getattr(x, op)(), [X])
    theirs = _third("torch", getattr(torch, op) if op == "sigmoid" else
                    torch.nn.functional.softplus, [X])
    np.testing.assert_allclose(mine[0], theirs[0], rtol=1e-9, atol=1e-12)


def test_fused_op_broadcasts_a_smaller_gradient_and_sums_it_back() -> None:
    g = mg.Tensor(G[:1].copy(), requires_grad=True)  # (1, 3) against (4, 3)
    s = mg.Tensor(S.copy(), requires_grad=True)
    out = sigmoid_backward(g, s)
    np.testing.assert_allclose(out.data, G[:1] * S * (1.0 - S), rtol=1e-15)
    dg, ds = mg.grad(out.sum(), [g, s])
    np.testing.assert_allclose(np.asarray(dg), (S * (1.0 - S)).sum(axis=0, keepdims=True),
                               rtol=1e-14)
    np.testing.assert_allclose(np.asarray(ds), np.broadcast_to(G[:1], S.shape) * (1.0 - 2 * S),
                               rtol=1e-14)


@pytest.mark.parametrize(("op", "fused"), [("sigmoid", "sigmoid_backward"),
                                           ("softplus", "softplus_backward")])
def test_create_graph_records_one_fused_node_with_the_first_order_floats(op: str,
                                                                         fused: str) -> None:
    x = mg.Tensor(X.copy(), requires_grad=True)
    u = RNG.standard_normal(X.shape)
    loss = (getattr(x, op)() * u).sum()
    (d,) = mg.grad(loss, [x], create_graph=True)
    forward = set(map(id, topological_order(loss)))
    backward = [n.op for n in topological_order(d) if id(n) not in forward and n.parents]
    assert backward == [fused]  # one node, no op-by-op VJP beside it
    (first,) = mg.grad((getattr(x, op)() * u).sum(), [x])
    np.testing.assert_array_equal(d.data, np.asarray(first))


def test_float32_input_keeps_float32_gradients_through_the_fused_node() -> None:
    x = mg.Tensor(X.astype(np.float32), requires_grad=True)
    (d,) = mg.grad(x.sigmoid().sum(), [x], create_graph=True)
    assert d.dtype == np.float32
    (h,) = mg.grad(d.sum(), [x])
    assert np.asarray(h).dtype == np.float32
    s = 1.0 / (1.0 + np.exp(-X))
    np.testing.assert_allclose(np.asarray(h), s * (1 - s) * (1 - 2 * s), rtol=1e-4, atol=1e-6)
