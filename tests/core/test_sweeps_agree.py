"""The create_graph sweep does what the first-order sweep does, step for step.

One table of graphs (both engines) runs through ``backward()`` and ``backward(create_graph=
True)``, and the two must leave the same gradient (value and dtype) in every node, leaves
and intermediate nodes alike, accumulate into a gradient a leaf already holds, run hooks
(whose returned nodes keep their graph), raise the same anomaly and version errors, and
give a float32 leaf a float32 gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import microgradnn as mg

Build = Callable[[], tuple[Any, list[Any]]]  # -> (root, leaves)


def _tensor_mlp(dtype: Any = np.float64) -> tuple[Any, list[Any]]:
    """Broadcast, matmul, a constant data matrix, a node used twice, sum and mean."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((6, 4)).astype(dtype)
    W = mg.Tensor(rng.standard_normal((4, 3)), requires_grad=True, name="W", dtype=dtype)
    b = mg.Tensor(rng.standard_normal(3), requires_grad=True, name="b", dtype=dtype)
    h = (X @ W + b).tanh()
    return (h * h).mean() + (h.sigmoid() * 0.5).sum() / 6.0, [W, b]


def _tensor_mixed() -> tuple[Any, list[Any]]:
    """A float32 leaf beside float64 operands: the first-order sweep casts its gradient."""
    x = mg.Tensor(np.array([0.5, 1.5, -2.0], dtype=np.float32), requires_grad=True, name="x")
    return (x * np.array([1.0, 2.0, 3.0]) + x.exp()).softplus().sum(), [x]


def _tensor_shapes() -> tuple[Any, list[Any]]:
    """Index, reshape, transpose, concatenate and a reduction over an axis."""
    x = mg.Tensor(np.arange(6.0).reshape(2, 3) / 7.0, requires_grad=True, name="x")
    y = np.concatenate([x[:, 1:], x.T.reshape(2, 3)[:, :1]], axis=1)
    return (y.sum(axis=0) ** 2).sum() + x.max(), [x]


def _scalar_chain() -> tuple[Any, list[Any]]:
    """Every Scalar edge form: unary, binary, sum and dot, a node used twice."""
    a, b, c = mg.Scalar(0.3, name="a"), mg.Scalar(-1.2, name="b"), mg.Scalar(2.0, name="c")
    d = mg.Scalar.dot([a, b], [c, a], bias=b)
    e = (a * b).tanh() + (c / a).log() + d * d
    return mg.Scalar.sum([e.sigmoid(), e ** 3.0, a.exp()]), [a, b, c]


GRAPHS: dict[str, Build] = {
    "tensor mlp": _tensor_mlp,
    "tensor float32 mlp": lambda: _tensor_mlp(np.float32),
    "tensor float32 leaf, float64 operands": _tensor_mixed,
    "tensor shapes": _tensor_shapes,
    "scalar chain": _scalar_chain,
}


def _value(g: Any) -> Any:
    """A gradient as plain numbers: a node's data, or the value itself."""
    return g.data if isinstance(g, mg.Tensor | mg.Scalar) else g


def _sweep(build: Build, create_graph: bool, times: int = 1) -> tuple[list[Any], list[Any]]:
    """Every node's grad (values, in topological order) after ``times`` backward passes,
    and the leaves' grads as left."""
    root, leaves = build()
    for _ in range(times):
        root.backward(create_graph=create_graph)
    return [_value(n.grad) for n in mg.topological_order(root)], [leaf.grad for leaf in leaves]


def _same(got: Any, want: Any) -> None:
    assert (got is None) == (want is None)
    if want is not None:
        dtype = np.asarray(want).dtype
        assert np.asarray(got).dtype == dtype
        # the same formulas, grouped differently (fused kernels against node ops): rounding
        rtol = 1e-5 if dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * 1e-3)


@pytest.mark.parametrize("times", [1, 2])
@pytest.mark.parametrize("name", GRAPHS)
def test_both_sweeps_leave_the_same_gradient_in_every_node(name: str, times: int) -> None:
    first, _ = _sweep(GRAPHS[name], False, times)
    second, leaves = _sweep(GRAPHS[name], True, times)
    assert len(first) == len(second)
    for got, want in zip(second, first):
        _same(got, want)
    for g in leaves:  # and under create_graph each is a node to differentiate again
        assert isinstance(g, mg.Tensor | mg.Scalar) and g.parents


@pytest.mark.parametrize("name", GRAPHS)
def test_create_graph_accumulates_into_a_gradient_from_a_first_order_pass(name: str) -> None:
    root, leaves = GRAPHS[name]()
    root.backward()
    once = [np.array(_value(leaf.grad)) for leaf in leaves]
    root.backward(create_graph=True)
    for leaf, g in zip(leaves, once):
        _same(_value(leaf.grad), (2 * g).astype(g.dtype))


def test_float32_leaves_get_float32_gradients_under_create_graph_as_in_pytorch() -> None:
    x = mg.Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    xt = torch.tensor([1.0, 2.0], dtype=torch.float32, requires_grad=True)
    (g,) = mg.grad((x * x).mean(), [x], create_graph=True)
    (gt,) = torch.autograd.grad((xt * xt).mean(), [xt], create_graph=True)
    assert g.dtype == np.float32 and gt.dtype == torch.float32
    (h,) = mg.grad(g.sum(), [x])
    (ht,) = torch.autograd.grad(gt.sum(), [xt])
    assert h.dtype == np.float32
    np.testing.assert_allclose(h, ht.numpy())


# -- hooks --------------------------------------------------------------------------------
def test_a_hook_returning_a_tensor_keeps_its_graph_under_create_graph() -> None:
    """y = x², its hook returns g·x: ∂/∂x Σ (2x·x) = 4x only if the hook's product is a node."""
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.register_hook(lambda g: g * x)
    (g,) = mg.grad(y.sum(), [x], create_graph=True)
    (h,) = mg.grad(g.sum(), [x])
    xt = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    yt = xt * xt
    yt.register_hook(lambda g: g * xt)
    (gt,) = torch.autograd.grad(yt.sum(), [xt], create_graph=True)
    (ht,) = torch.autograd.grad(gt.sum(), [xt])
    np.testing.assert_array_equal(g.data, gt.detach().numpy())
    np.testing.assert_array_equal(h, ht.numpy())  # [4, 8]


def test_a_leaf_hook_and_a_scalar_hook_returning_nodes_keep_their_graph() -> None:
    x = mg.Tensor([3.0], requires_grad=True)
    handle = x.register_hook(lambda g: g * x)  # the gradient becomes 2x·x: ∂/∂x = 4x
    (x * x).sum().backward(create_graph=True)
    np.testing.assert_array_equal(x.grad.data, [18.0])
    handle.remove()  # (else it multiplies the next pass's gradient by x too)
    (h,) = mg.grad(x.grad.sum(), [x])
    np.testing.assert_array_equal(h, [12.0])
    s = mg.Scalar(3.0)
    t = s * s
    t.register_hook(lambda g: g * s)  # the gradient becomes 2s·s: ∂/∂s = 4s
    (gs,) = mg.grad(t, [s], create_graph=True)
    assert gs.data == 18.0 and mg.grad(gs, [s]) == (12.0,)


def test_a_hook_returning_an_array_under_create_graph_is_checked_and_kept() -> None:
    x = mg.Tensor([1.0, 2.0], requires_grad=True, name="x")
    y = x * 3.0
    handle = y.register_hook(lambda g: np.array([1.0, 1.0, 1.0]))
    with pytest.raises(RuntimeError, match=r"hook on <\*> returned a gradient of shape "
                                           r"\(3,\); expected \(2,\)"):
        mg.grad(y.sum(), [x], create_graph=True)
    handle.remove()
    y.register_hook(lambda g: np.array([1.0, -1.0]))
    (g,) = mg.grad(y.sum(), [x], create_graph=True)
    np.testing.assert_array_equal(g.data, [3.0, -3.0])


# -- errors: the same in both sweeps --------------------------------------------------------
def _error(build: Callable[[], Any], create_graph: bool) -> str:
    with pytest.raises((mg.AnomalyError, RuntimeError)) as info:
        root, leaves = build()
        mg.grad(root, leaves, create_graph=create_graph)
    return f"{type(info.value).__name__}: {info.value}"


def _sqrt_at_zero() -> tuple[Any, list[Any]]:
    x = mg.Tensor([0.0, 1.0], requires_grad=True, name="x")
    return x.sqrt().sum(), [x]


def _scalar_sqrt_at_zero() -> tuple[Any, list[Any]]:
    x = mg.Scalar(0.0, name="x")
    return x.sqrt() * 2.0, [x]


def _pow_at_zero() -> tuple[Any, list[Any]]:
    """a ** b at a = 0, b = 2: the rule passes through 0^-1 = inf to a finite gradient."""
    a = mg.Tensor([0.0, 1.0], requires_grad=True, name="a")
    b = mg.Tensor([2.0, 2.0], requires_grad=True, name="b")
    return (a ** b * 1.0).sum(), [a]


def _changed_after_forward(through_graph: bool) -> Callable[[], tuple[Any, list[Any]]]:
    def build() -> tuple[Any, list[Any]]:
        a = mg.Tensor([1.0, 2.0], requires_grad=True, name="a")
        b = mg.Tensor([3.0, 4.0], name="b")
        z = a * b
        root = (z * z).sum() if through_graph else z.sum()  # z's g: a node, or a constant
        b += 1.0
        return root, [a]
    return build


@pytest.mark.parametrize("build", [_sqrt_at_zero, _scalar_sqrt_at_zero],
                         ids=["tensor", "scalar"])
def test_anomaly_mode_checks_each_create_graph_step_with_the_first_order_message(
        build: Callable[[], Any]) -> None:
    with mg.detect_anomaly(), np.errstate(divide="ignore"):
        first = _error(build, False)
        second = _error(build, True)
    assert first == second
    assert first.startswith("AnomalyError: backward of 'sqrt' (node <sqrt>) produced a "
                            "non-finite gradient for its input x")


def test_anomaly_mode_does_not_check_a_rule_s_own_intermediate_values() -> None:
    with mg.detect_anomaly():
        for create_graph in (False, True):
            root, (a,) = _pow_at_zero()
            (g,) = mg.grad(root, [a], create_graph=create_graph)
            np.testing.assert_array_equal(_value(g), [0.0, 2.0])


@pytest.mark.parametrize("through_graph", [False, True], ids=["constant g", "node g"])
def test_an_in_place_change_after_the_forward_raises_in_both_sweeps(through_graph: bool) -> None:
    build = _changed_after_forward(through_graph)
    first, second = _error(build, False), _error(build, True)
    assert first == second
    assert "b, a leaf, is at version 1; expected version 0 instead (saved by '*'" in first


@pytest.mark.parametrize("size", [3, 20000], ids=["small", "large (a broadcast view)"])
def test_a_leaf_s_create_graph_gradient_is_its_own_array(size: int) -> None:
    """Where g is a constant the create_graph sweep computes on arrays, as the first-order
    sweep does; a leaf still gets a writable array that no other node's gradient shares."""
    x = mg.Tensor(np.ones(size), requires_grad=True)
    y = x + 3.0  # ∂/∂x passes g through unchanged
    total = y.sum()  # ∂/∂y: g broadcast over y's shape
    total.backward(create_graph=True)
    assert x.grad.data.flags.writeable and not np.shares_memory(x.grad.data, y.grad.data)
    x.grad += 1.0  # a constant: changed in place like any Tensor that needs no gradient
    np.testing.assert_array_equal(y.grad.data, np.ones(size))
    np.testing.assert_array_equal(x.grad.data, np.full(size, 2.0))


def test_backward_keeps_a_gradient_node_s_graph_under_create_graph_as_grad_does() -> None:
    """y = x², seeded with v: ∂(v·2x)/∂v = 2x whether the pass is backward() or grad()."""
    for engine in ("backward", "grad"):
        x = mg.Tensor([1.0, 2.0], requires_grad=True)
        v = mg.Tensor([3.0, 4.0], requires_grad=True)
        y = x * x
        if engine == "backward":
            y.backward(gradient=v, create_graph=True)
            g = x.grad
        else:
            (g,) = mg.grad(y, [x], v, create_graph=True)
        np.testing.assert_array_equal(g.data, [6.0, 16.0])
        (dv,) = mg.grad(g.sum(), [v])
        np.testing.assert_array_equal(dv, [2.0, 4.0])
