"""What each Tensor error says, in full: the op the user called, the node by name, what was
found and what was expected (messages are user-facing, so a garbled one is a bug)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import microgradnn as mg

BOTH = "got both axis=0 and dim=1; give one of them (dim= is PyTorch's name for axis=)"


@pytest.mark.parametrize("op", ["mean", "min", "logsumexp", "softmax", "log_softmax"])
def test_both_spellings_of_an_axis_name_the_op(op: str) -> None:
    t = mg.Tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    with pytest.raises(TypeError) as info:
        getattr(t, op)(axis=0, dim=1)
    assert str(info.value) == f"{op}: {BOTH}"


@pytest.mark.parametrize("op", ["mean", "min", "logsumexp"])
def test_both_spellings_of_keepdims_name_the_op(op: str) -> None:
    t = mg.Tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    with pytest.raises(TypeError) as info:
        getattr(t, op)(keepdims=True, keepdim=True)
    assert str(info.value) == f"{op}: got both keepdims and keepdim; give one of them"


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_takes_dim_as_its_axis(op: str) -> None:
    t = mg.Tensor([[1.0, 2.0], [3.0, 5.0]])
    np.testing.assert_array_equal(getattr(t, op)(dim=0).data, getattr(t, op)(axis=0).data)
    assert getattr(t, op)(dim=0).shape == (2, 2)


def test_clip_with_a_tensor_bound_says_what_to_use() -> None:
    t = mg.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError) as info:
        t.clip(min=mg.Tensor([0.0]))
    assert str(info.value) == ("clip: min must be a number or None, got Tensor; for bounds "
                               "that are Tensors use mg.maximum and mg.where")


def test_a_hook_on_a_tensor_without_grad_is_refused() -> None:
    c = mg.Tensor([1.0, 2.0], name="c")
    with pytest.raises(RuntimeError) as info:
        c.register_hook(lambda g: g)
    assert str(info.value) == ("cannot register a hook on c: it does not require grad, so no "
                               "backward pass reaches it (requires_grad=True)")


DROP = ("w requires grad, but writing it into c in place would drop its gradient path; build "
        "a new node instead (x = x + w, mg.where, mg.concatenate), or write inside "
        "mg.no_grad() to copy values only")


def test_writing_a_node_into_a_constant_in_place_is_refused() -> None:
    w = mg.Tensor([2.0], requires_grad=True, name="w")
    c = mg.Tensor([1.0, 2.0], name="c")
    with pytest.raises(RuntimeError) as info:
        c[0] = w
    assert str(info.value) == f"__setitem__: {DROP}"
    with pytest.raises(RuntimeError) as info:
        c += w
    assert str(info.value) == f"+=: {DROP}"


def test_a_write_of_the_wrong_shape_names_both_shapes() -> None:
    x = mg.Tensor([1.0, 2.0], requires_grad=True, name="x")
    with mg.no_grad(), pytest.raises(ValueError) as info:
        x[0:2] = np.ones(3)
    assert str(info.value) == ("__setitem__: (3,) does not fit into x of shape (2,): could not "
                               "broadcast input array from shape (3,) into shape (2,)")


def test_a_hook_result_is_checked_and_cast_to_the_gradient_dtype() -> None:
    x = mg.Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True, name="x")
    x.register_hook(lambda g: np.array([3.0, 4.0]))  # float64 from the hook
    (x * 2.0).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])
    y = mg.Tensor([1.0, 2.0], requires_grad=True, name="y")
    y.register_hook(lambda g: "three")
    with pytest.raises(TypeError) as info:
        (y * 2.0).sum().backward()
    assert "hook on y" in str(info.value)


def _no_warnings(fn: Any) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fn()


def test_powers_at_a_zero_base_warn_about_nothing() -> None:
    # the VJPs of a ** b divide by zero and take log(0) at a = 0 on purpose (PyTorch's values)
    def run() -> None:
        a = mg.Tensor([0.0, 2.0], requires_grad=True)
        b = mg.Tensor([0.5, 0.0], requires_grad=True)
        (a ** b).sum().backward()
        np.testing.assert_array_equal(a.grad, [np.inf, 0.0])  # PyTorch: [inf, 0]
        np.testing.assert_allclose(b.grad, [0.0, np.log(2.0)])  # PyTorch: [0, ln 2]

    _no_warnings(run)


def test_logsumexp_of_an_empty_axis_is_minus_inf_without_a_warning() -> None:
    def run() -> None:
        out = mg.Tensor(np.zeros((2, 0))).logsumexp(axis=1)
        np.testing.assert_array_equal(out.data, [-np.inf, -np.inf])

    _no_warnings(run)


def _message(call: Any) -> str:
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    return str(info.value)


def test_sum_names_itself_for_both_spellings() -> None:
    t = mg.Tensor([[1.0, 2.0]])
    assert _message(lambda: t.sum(axis=0, dim=1)) == f"sum: {BOTH}"
    assert _message(lambda: t.sum(keepdims=True, keepdim=True)) == (
        "sum: got both keepdims and keepdim; give one of them")
    np.testing.assert_array_equal(t.sum(dim=1, keepdim=True).numpy(), [[3.0]])


def test_a_tensor_with_a_scalar_says_the_graphs_are_separate() -> None:
    assert _message(lambda: mg.Tensor([1.0]) + mg.Scalar(1.0, name="s")) == (
        "+: cannot combine a Tensor with a Scalar (s); Scalar and Tensor graphs are separate"
        " — use Tensors throughout (mg.Tensor(s.data) for a Scalar's value) or Scalars "
        "throughout")


def test_a_join_along_a_non_integer_axis_says_what_an_axis_is() -> None:
    t = mg.Tensor([1.0])
    assert _message(lambda: mg.concatenate([t, t], axis=1.5)) == (  # type: ignore[arg-type]
        "concatenate: axis must be an int, got 1.5; expected the axis to join along "
        "(flatten first, t.reshape(-1), to join flat)")


def test_a_tensor_name_and_a_bad_backward_gradient_are_named() -> None:
    assert _message(lambda: mg.Tensor([1.0], name=3)) == (  # type: ignore[arg-type]
        "Tensor name must be a str, got int")
    y = mg.Tensor([1.0], requires_grad=True) * 2.0
    assert _message(lambda: y.backward(gradient=np.array([1j]))) == (
        "backward(gradient=...): cannot hold an array of dtype complex128; expected real "
        "numbers (float, int or bool)")
