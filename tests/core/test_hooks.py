"""Hooks (issue 13, item 6): what a hook returns is checked against the gradient it got, a
Tensor may be returned, and a hook that could never fire is refused when registered."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import microgradnn as mg


def test_hook_returning_a_wrong_shape_is_refused() -> None:
    x = mg.Tensor([1.0, 2.0], requires_grad=True, name="x")
    x.register_hook(lambda g: np.float64(1.0))
    with pytest.raises(RuntimeError, match=r"hook on x returned a gradient of shape \(\); "
                                           r"expected \(2,\)"):
        (x * 3.0).sum().backward()
    assert x.grad is None  # a failed pass leaves the leaf as it was


def test_hook_may_return_a_tensor_like_pytorch() -> None:
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    mid = x * 3.0
    mid.register_hook(lambda g: mg.Tensor(g) * 2.0)
    mid.sum().backward()
    xt = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    midt = xt * 3.0
    midt.register_hook(lambda g: g * 2.0)
    midt.sum().backward()
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())  # [6, 6]


def test_hook_on_a_tensor_that_does_not_require_grad_is_refused() -> None:
    t = mg.Tensor([1.0], name="data")
    with pytest.raises(RuntimeError, match="cannot register a hook on data: it does not "
                                           "require grad"):
        t.register_hook(lambda g: g)


def test_scalar_hook_results_are_checked() -> None:
    x = mg.Scalar(2.0, name="x")
    x.register_hook(lambda g: "twice")
    with pytest.raises(TypeError, match="hook on x: unsupported operand 'twice'"):
        (x * x).backward()
    y = mg.Scalar(2.0)
    y.register_hook(lambda g: mg.Scalar(g * 10))  # a node's value is taken
    (y * y).backward()
    assert y.grad == 40.0
