"""mg.Function: custom ops with their own backward, on Scalars and Tensors — swept like a
built-in op, one node named after the class, gradchecked and gradgradchecked, and
differentiable twice when backward is written with node ops."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from custom_ops import Cube

import microgradnn as mg


class Softplus(mg.Function):
    """ln(1 + e^x), stable: max(x, 0) + ln(1 + e^-|x|); derivative σ(x) = (tanh(x/2) + 1)/2,
    which never overflows."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return g * 0.5 * ((x * 0.5).tanh() + 1.0)


class LogSumExp(mg.Function):
    """ln Σ e^x over the last axis, stable: m + ln Σ e^(x - m); ∂/∂x = e^(x - out)."""

    @staticmethod
    def forward(ctx: Any, x: np.ndarray) -> Any:
        m = x.max(axis=-1, keepdims=True)
        out = (m + np.log(np.exp(x - m).sum(axis=-1, keepdims=True)))[..., 0]
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        x, out = ctx.saved_tensors
        return np.exp(x - np.expand_dims(out, -1)) * np.expand_dims(g, -1)


class Mul(mg.Function):
    """Two inputs, one a constant in some calls."""

    @staticmethod
    def forward(ctx: Any, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Any, g: Any) -> tuple[Any, Any]:
        a, b = ctx.saved_tensors
        return g * b, g * a


def test_cube_on_both_engines_first_second_and_third_order() -> None:
    s = mg.Scalar(0.5)
    y = Cube.apply(s)
    assert isinstance(y, mg.Scalar) and y.op == "Cube" and y.parents == (s,)
    (g,) = mg.grad(y, [s], create_graph=True)
    (h,) = mg.grad(g, [s], create_graph=True)
    (k,) = mg.grad(h, [s])
    assert (g.data, h.data, k) == pytest.approx((0.75, 3.0, 6.0))
    t = mg.Tensor([0.5, -2.0], requires_grad=True)
    Cube.apply(t).sum().backward()
    np.testing.assert_allclose(t.grad, [0.75, 12.0])


def test_softplus_is_stable_and_matches_pytorch_to_second_order() -> None:
    x = np.array([-800.0, -3.0, 0.0, 2.5, 800.0])
    t = mg.Tensor(x, requires_grad=True)
    y = Softplus.apply(t)
    assert np.all(np.isfinite(y.data))
    tx = torch.tensor(x, requires_grad=True)
    ty = torch.nn.functional.softplus(tx)
    np.testing.assert_allclose(y.data, ty.detach().numpy())
    (g,) = mg.grad(y.sum(), [t], create_graph=True)
    (h,) = mg.grad(g.sum(), [t])
    (tg,) = torch.autograd.grad(ty.sum(), tx, create_graph=True)
    (th,) = torch.autograd.grad(tg.sum(), tx)
    np.testing.assert_allclose(g.data, tg.detach().numpy())
    np.testing.assert_allclose(h, th.numpy(), atol=1e-15)


def test_user_functions_pass_gradcheck_and_gradgradcheck() -> None:
    rng = np.random.default_rng(0)
    x = mg.Tensor(rng.standard_normal((3, 4)), requires_grad=True, name="x")
    assert mg.gradcheck(lambda a: LogSumExp.apply(a), [x])
    assert mg.gradgradcheck(lambda a: LogSumExp.apply(a), [x])
    assert mg.gradcheck(lambda a: Softplus.apply(a), [x])
    assert mg.gradgradcheck(lambda a: Softplus.apply(a), [x])
    s, u = mg.Scalar(0.7, name="s"), mg.Scalar(-0.3, name="u")
    assert mg.gradgradcheck(lambda a, b: Mul.apply(a, b) * a, [s, u])
    assert mg.gradgradcheck(lambda a: Softplus.apply(a) * a, [s])


def test_logsumexp_matches_the_built_in_op() -> None:
    x = np.array([[1000.0, 999.0, -5.0], [0.1, 0.2, 0.3]])
    a, b = mg.Tensor(x, requires_grad=True), mg.Tensor(x, requires_grad=True)
    mine, builtin = LogSumExp.apply(a), b.logsumexp(axis=-1)
    np.testing.assert_allclose(mine.data, builtin.data)
    (mine * np.array([1.0, -2.0])).sum().backward()
    (builtin * np.array([1.0, -2.0])).sum().backward()
    np.testing.assert_allclose(a.grad, b.grad)


def test_a_wrong_backward_is_caught_by_gradcheck_naming_the_input() -> None:
    class Wrong(mg.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            (x,) = ctx.saved_tensors
            return g * x  # should be 2x

    with pytest.raises(mg.GradcheckError, match=r"input 0 \(w\)"):
        mg.gradcheck(lambda a: Wrong.apply(a).sum(), [mg.Tensor([1.0, 2.0], requires_grad=True,
                                                                 name="w")])


def test_constants_no_grad_and_bad_use() -> None:
    s = mg.Scalar(2.0)
    y = Mul.apply(s, 3.0)  # a number is a constant: one parent
    assert y.parents == (s,)
    y.backward()
    assert s.grad == 3.0
    with mg.no_grad():
        assert Cube.apply(mg.Scalar(2.0)).is_leaf
    with pytest.raises(TypeError, match="Scalars or Tensors"):
        Cube.apply(2.0)
    with pytest.raises(TypeError, match="one kind"):
        Mul.apply(mg.Scalar(1.0), mg.Tensor(1.0))

    class TooMany(Cube):
        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g, g

    with pytest.raises(ValueError, match="one per input"):
        TooMany.apply(mg.Scalar(1.0)).backward()


def test_a_subclass_without_forward_or_backward_is_named_when_applied() -> None:
    class NoBackward(mg.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            return 2 * x

    class NoForward(mg.Function):
        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g

    with pytest.raises(TypeError, match=r"NoBackward must define a static method "
                                        r"backward\(ctx, \*grads\)"):
        NoBackward.apply(mg.Scalar(1.0))
    with pytest.raises(TypeError, match=r"NoForward must define a static method "
                                        r"forward\(ctx, \*inputs\)"):
        NoForward.apply(mg.Tensor([1.0], requires_grad=True))


def test_drawn_as_one_node_named_after_the_class() -> None:
    x = mg.Tensor([0.5, 1.0], requires_grad=True, name="x")
    source = mg.draw_graph(Softplus.apply(x).sum()).source
    assert "Softplus" in source
    assert "maximum" not in source and "log1p" not in source  # the forward is not drawn
