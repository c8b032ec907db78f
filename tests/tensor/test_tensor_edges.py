"""Tensor results at the edges the differential tester found (issue 13, items 1–3, 7, 8,
10, 11): each compared with PyTorch float64 where PyTorch has an answer."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import torch

import microgradnn as mg
from microgradnn.nn import functional as F


def _torch_leaf(x: object) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


# -- 1. cross-entropy with a logit of −inf -------------------------------------------------
def test_cross_entropy_with_minus_inf_logit_matches_pytorch() -> None:
    logits = [[-np.inf, 0.0, 1.0]]
    z = mg.Tensor(logits, requires_grad=True)
    loss = F.cross_entropy(z, [1])
    loss.backward()
    zt = _torch_leaf(logits)
    ref = torch.nn.functional.cross_entropy(zt, torch.tensor([1]))
    ref.backward()
    assert loss.item() == pytest.approx(ref.item(), rel=1e-12)  # 1.3133
    np.testing.assert_allclose(z.grad, zt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_cross_entropy_probabilities_ignore_an_impossible_class() -> None:
    # a class with logit −inf has probability 0: with target weight 0 it adds nothing
    # (PyTorch gives nan here); the loss is that of the other two classes alone
    z = mg.Tensor([[-np.inf, 0.0, 1.0]], requires_grad=True)
    loss = F.cross_entropy(z, [[0.0, 0.3, 0.7]])
    loss.backward()
    zt = _torch_leaf([[0.0, 1.0]])
    ref = torch.nn.functional.cross_entropy(zt, torch.tensor([[0.3, 0.7]], dtype=torch.float64))
    ref.backward()
    assert loss.item() == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(z.grad[:, 1:], zt.grad.numpy(), rtol=1e-12)
    assert z.grad[0, 0] == 0.0


# -- 2. powers at base 0 ----------------------------------------------------------------------
@pytest.mark.parametrize("exponent", [np.float64(0.0), np.array([0.0, 0.0]),
                                      mg.Tensor([0.0, 0.0])],
                         ids=["np.float64", "array", "Tensor"])
def test_zero_exponent_at_zero_base_gives_zero_gradient(exponent: object) -> None:
    x = mg.Tensor([0.0, 2.0], requires_grad=True)
    (x ** exponent).sum().backward()
    xt = _torch_leaf([0.0, 2.0])
    (xt ** torch.zeros(2, dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())  # [0, 0], not nan


def test_exponent_gradient_at_zero_base_matches_pytorch() -> None:
    base = np.array([0.0, 0.0, 0.0, 2.0])
    exps = [-1.0, 0.0, 2.0, -1.5]
    b = mg.Tensor(exps, requires_grad=True)
    with np.errstate(divide="ignore"):
        (mg.Tensor(base) ** b).sum().backward()
    bt = _torch_leaf(exps)
    (torch.as_tensor(base) ** bt).sum().backward()
    np.testing.assert_allclose(b.grad, bt.grad.numpy(), rtol=1e-12)  # −inf, 0, 0, finite
    assert b.grad[0] == -np.inf


# -- 3. in-place writes never drop a gradient path silently ----------------------------------
@pytest.mark.parametrize("write", ["setitem", "iadd", "imul"])
def test_inplace_write_of_a_node_that_requires_grad_is_refused(write: str) -> None:
    x = mg.Tensor([1.0, 1.0])
    w = mg.Tensor([2.0], requires_grad=True, name="w")
    with pytest.raises(RuntimeError, match=r"w requires grad.*drop its gradient path"):
        if write == "setitem":
            x[0] = w
        elif write == "iadd":
            x += w
        else:
            x *= w
    np.testing.assert_array_equal(x.data, [1.0, 1.0])  # nothing was written


def test_inplace_write_inside_no_grad_copies_values() -> None:
    x = mg.Tensor([1.0, 1.0])
    w = mg.Tensor(2.0, requires_grad=True)
    with mg.no_grad():
        x[0] = w
    np.testing.assert_array_equal(x.data, [2.0, 1.0])
    (x * w).sum().backward()
    assert float(w.grad) == 3.0  # x is a constant now: ∂/∂w = Σ x


# -- 7. constants of unusual number types; float32 leaves --------------------------------------
@pytest.mark.parametrize("constant", [Fraction(1, 3), np.longdouble(2), np.float16(2),
                                      np.int8(3), True])
def test_unusual_number_constants_give_float64(constant: object) -> None:
    t = mg.Tensor([1.0, 2.0], requires_grad=True)
    out = t * constant
    assert out.dtype == np.float64
    out.sum().backward()
    np.testing.assert_allclose(t.grad, [float(constant)] * 2)  # type: ignore[arg-type]


def test_float32_stays_float32_with_a_number_constant() -> None:
    t = mg.Tensor(np.ones(2, np.float32))
    assert (t * np.float64(2)).dtype == np.float32
    assert (t * Fraction(1, 2)).dtype == np.float32


_FLOAT32_LEAF = """
import sys
import numpy as np
import microgradnn as mg
if sys.argv[1] == "other-leaf-first":
    mg.Tensor(np.ones(2, np.float32), requires_grad=True)
w = mg.Tensor(np.ones(2, np.float32))
w.requires_grad = True
(w * np.ones(2)).sum().backward()
print(w.grad.dtype)
"""


@pytest.mark.parametrize("history", ["fresh", "other-leaf-first"])
def test_float32_leaf_grad_dtype_does_not_depend_on_other_leaves(history: str) -> None:
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", _FLOAT32_LEAF, history], capture_output=True,
                         text=True, check=True)
    assert run.stdout.strip() == "float32"


# -- 8. the gradient a leaf keeps is its own ---------------------------------------------------
def test_backward_gradient_argument_is_copied() -> None:
    G = np.ones(2)
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    x.backward(gradient=G)
    G[:] = 0.0
    assert x.grad.tolist() == [1.0, 1.0]
    y = mg.Tensor([1.0, 2.0], requires_grad=True)
    out = y * 3.0
    H = np.ones(2)
    out.backward(H)
    H[:] = 5.0
    assert out.grad.tolist() == [1.0, 1.0]


def test_zero_dim_leaf_grads_are_writable_arrays() -> None:
    x = mg.Tensor(3.0, requires_grad=True)
    (x * x).backward()
    assert type(x.grad) is np.ndarray and x.grad.shape == () and x.grad.flags.writeable
    (x * x).backward()  # accumulating keeps it an array
    assert type(x.grad) is np.ndarray and float(x.grad) == 12.0
    x.grad.fill(0)  # PyTorch's x.grad.zero_()
    assert float(x.grad) == 0.0


# -- 10. == and != are elementwise, nodes still hash ------------------------------------------
def test_equality_is_elementwise_like_numpy_and_pytorch() -> None:
    x = mg.Tensor([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x == 2, [False, True, False])
    np.testing.assert_array_equal(x != x, [False, False, False])
    np.testing.assert_array_equal(x == mg.Tensor([1.0, 0.0, 3.0]), [True, False, True])
    np.testing.assert_array_equal(x == np.array([1.0, 2.0, 0.0]), [True, True, False])


def test_nodes_with_equal_values_stay_distinct_in_sets_and_dicts() -> None:
    a, b = mg.Tensor([1.0, 2.0], requires_grad=True), mg.Tensor([1.0, 2.0], requires_grad=True)
    assert len({a, b}) == 2 and {a: 1, b: 2}[b] == 2
    out = (a * b).sum()
    assert set(mg.topological_order(out)) >= {a, b}
    out.backward()
    np.testing.assert_array_equal(a.grad, [1.0, 2.0])


# -- 11. errors that name what was wrong; empty tensors ---------------------------------------
@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda t: mg.concatenate([t, t], axis=None), TypeError, "concatenate: axis must be an int"),
    (lambda t: mg.stack([t, t], axis="0"), TypeError, "stack: axis must be an int"),
    (lambda t: t.clip(min=mg.Tensor(0.0)), TypeError, "clip: min must be a number"),
    (lambda t: t.clip(max="1"), TypeError, "clip: max must be a number"),
    (lambda t: t.max(dim=0, axis=0), TypeError, "max: got both axis=0 and dim=0"),
])
def test_bad_arguments_are_named(call: object, error: type, message: str) -> None:
    t = mg.Tensor([1.0, 2.0])
    with pytest.raises(error, match=message):
        call(t)  # type: ignore[operator]


def test_softmax_over_an_empty_axis_is_empty() -> None:
    for shape, axis in (((3, 0), 1), ((0, 3), 1), ((0, 3), 0)):
        t = mg.Tensor(np.ones(shape), requires_grad=True)
        ref = torch.ones(shape, dtype=torch.float64).softmax(dim=axis)
        assert t.softmax(axis=axis).shape == tuple(ref.shape)
        assert t.log_softmax(axis=axis).shape == tuple(ref.shape)


@pytest.mark.parametrize("op", ["max", "min"])
def test_extremum_over_a_non_empty_axis_of_an_empty_tensor(op: str) -> None:
    t = mg.Tensor(np.ones((0, 3)), requires_grad=True)
    out = getattr(t, op)(axis=1)
    assert out.shape == tuple(getattr(torch.ones((0, 3)), f"a{op}")(dim=1).shape) == (0,)
    out.sum().backward()
    assert t.grad.shape == (0, 3)
    with pytest.raises(ValueError, match=f"{op}: .* no elements along axis 0"):
        getattr(t, op)(axis=0)  # PyTorch and NumPy refuse this one too
