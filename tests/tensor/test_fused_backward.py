"""The fused backward ops that create_graph records for sigmoid, softplus and the matrix
product (microgradnn/tensor/fused.py): their own first and second derivatives by central
differences (gradcheck, gradgradcheck), their higher derivatives against PyTorch float64
(aten's sigmoid_backward and softplus_backward differentiated three times; a @ bᵀ and
aᵀ @ b twice), and that create_graph uses them: one node each, the first-order floats."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import microgradnn as mg
from microgradnn.core.order import topological_order
from microgradnn.tensor.fused import matmul_nt, matmul_tn, sigmoid_backward, softplus_backward

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


A = RNG.standard_normal((4, 3))
B = RNG.standard_normal((5, 3))  # a @ bᵀ: (4, 5)
C = RNG.standard_normal((4, 5))  # aᵀ @ c: (3, 5)
PRODUCTS = [("matmul_nt", matmul_nt, lambda a, b: a @ b.T, [A, B]),
            ("matmul_tn", matmul_tn, lambda a, b: a.T @ b, [A, C])]


def _second(backend: str, f: Callable[..., Any], arrays: list[np.ndarray]) -> list[np.ndarray]:
    """∂/∂inputs of Σ_i w_i·∂(Σ u·f)/∂input_i (an HVP of the bilinear map), fixed u, w_i."""
    rng = np.random.default_rng(2)
    out_shape = f(*arrays).shape
    u = rng.standard_normal(out_shape)
    ws = [rng.standard_normal(a.shape) for a in arrays]
    if backend == "mg":
        xs = [mg.Tensor(a.copy(), requires_grad=True) for a in arrays]
        first = mg.grad((f(*xs) * u).sum(), xs, create_graph=True)
        return [np.asarray(t) for t in mg.grad(
            sum(((d * w).sum() for d, w in zip(first, ws)), start=0.0), xs)]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    first = torch.autograd.grad((f(*ts) * torch.from_numpy(u)).sum(), ts, create_graph=True)
    total = sum((d * torch.from_numpy(w)).sum() for d, w in zip(first, ws))
    return [t.numpy() for t in torch.autograd.grad(total, ts)]


@pytest.mark.parametrize(("name", "mine", "theirs", "arrays"), PRODUCTS,
                         ids=[p[0] for p in PRODUCTS])
def test_fused_product_derivatives_match_differences_and_pytorch(name: str, mine: Any,
                                                                 theirs: Any, arrays: Any
                                                                 ) -> None:
    np.testing.assert_allclose(mine(*arrays), theirs(*arrays), rtol=1e-14)
    leaves = [mg.Tensor(a.copy(), requires_grad=True) for a in arrays]
    assert mine(*leaves).op == name
    assert mg.gradcheck(mine, leaves)
    assert mg.gradgradcheck(mine, leaves)
    got, want = _second("mg", mine, arrays), _second("torch", theirs, arrays)
    for g, w in zip(got, want):
        assert np.abs(w).max() > 1e-3
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-14)


def test_create_graph_records_a_matmul_vjp_without_transpose_nodes() -> None:
    a = mg.Tensor(A.copy(), requires_grad=True)
    w = mg.Tensor(RNG.standard_normal((3, 2)), requires_grad=True)
    loss = ((a @ w).sigmoid()).sum()
    da, dw = mg.grad(loss, [a, w], create_graph=True)
    forward = set(map(id, topological_order(loss)))
    made = {n.op for d in (da, dw) for n in topological_order(d)
            if id(n) not in forward and n.parents}
    assert made == {"sigmoid_backward", "matmul_nt", "matmul_tn"}
    first = mg.grad(((a @ w).sigmoid()).sum(), [a, w])
    for d, f in zip((da, dw), first):
        np.testing.assert_array_equal(d.data, np.asarray(f))
