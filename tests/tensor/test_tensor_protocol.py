"""Tensor as an array-like object: repr, truth, len, iteration, item, ``__array__``,
elementwise comparisons, the requires_grad switch and the gradients backward() starts from.
Numbers are worked out by hand in each test."""

from __future__ import annotations

import numpy as np
import pytest
from tensor_helpers import T, message

import microgradnn as mg


# --------------------------------------------------------------------------- array protocol
def test_repr_names_only_what_differs_from_the_defaults() -> None:
    assert repr(mg.Tensor([1.0, 2.0])) == "Tensor([1., 2.])"
    assert repr(T([1.5], name="w")) == "Tensor([1.5], requires_grad=True, name='w')"
    assert repr(T([1.0]) * 2.0) == "Tensor([2.], requires_grad=True, op='*')"
    assert repr(mg.Tensor([1.0], dtype=np.float32)) == "Tensor([1.], dtype=float32)"
    assert repr(mg.Tensor(np.zeros((3, 20)))).endswith("...]])") is False
    assert repr(mg.Tensor([1 / 3])) == "Tensor([0.333333])"
    assert repr(mg.Tensor([[1.0, 2.0], [3.0, 4.0]])) == "Tensor([[1., 2.],\n        [3., 4.]])"
    assert "..." in repr(mg.Tensor(np.zeros(41))) and "..." not in repr(mg.Tensor(np.zeros(40)))
    long = repr(mg.Tensor(np.arange(100.0)))
    assert "..." in long and long.startswith("Tensor([ 0.,  1.,  2.,")


def test_truth_length_iteration_and_item() -> None:
    assert bool(mg.Tensor([2.0])) and not bool(mg.Tensor([[0.0]]))
    assert bool(mg.Tensor(2.0)) and not bool(mg.Tensor(0.0))  # 0-d
    with pytest.raises(ValueError) as info:
        bool(mg.Tensor([1.0, 1.0], name="pair"))
    assert message(info) == ("the truth value of pair with 2 elements is ambiguous; "
                             "use .data.any() or .data.all()")
    m = T([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    assert len(m) == 3
    rows = list(m)
    assert [r.data.tolist() for r in rows] == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    rows[1].sum().backward()
    assert m.grad.tolist() == [[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]]
    with pytest.raises(TypeError) as info:
        len(mg.Tensor(3.0, name="s"))
    assert message(info) == "len() of a 0-d Tensor (s)"
    assert mg.Tensor([[2.5]]).item() == 2.5 and float(mg.Tensor(4.0)) == 4.0
    with pytest.raises(ValueError) as info:
        mg.Tensor([1.0, 2.0], name="v").item()
    assert message(info) == ("item: v has 2 elements (shape (2,)); only a one-element "
                             "Tensor converts to a float")


def test_array_protocol_shares_or_copies_as_asked() -> None:
    t = mg.Tensor([1.0, 2.0])
    assert np.asarray(t) is t.data and t.numpy() is t.data
    f32 = np.asarray(t, dtype=np.float32)
    assert f32.dtype == np.float32 and f32.tolist() == [1.0, 2.0]
    same = t.__array__(np.float64)
    assert same is t.data
    copied = np.array(t, copy=True)
    assert copied is not t.data and np.shares_memory(copied, t.data) is False
    copied32 = t.__array__(np.float32, copy=True)
    assert copied32.dtype == np.float32 and not np.shares_memory(copied32, t.data)
    assert copied32.tolist() == [1.0, 2.0]
    assert t.__array__(np.float32).dtype == np.float32
    h = mg.Tensor(np.array([1.0, 2.0], dtype=np.float32))
    assert np.asarray(h) is h.data and h.__array__().dtype == np.float32
    assert (t.shape, t.ndim, t.size, t.dtype) == ((2,), 1, 2, np.float64)


def test_comparisons_are_elementwise_boolean_arrays() -> None:
    t = mg.Tensor([1.0, 2.0, 3.0])
    assert (t < 2.0).tolist() == [True, False, False]
    assert (t <= 2.0).tolist() == [True, True, False]
    assert (t > mg.Tensor([0.0, 2.0, 4.0])).tolist() == [True, False, False]
    assert (t >= np.array([1.0, 3.0, 3.0])).tolist() == [True, False, True]


def test_requires_grad_switch_on_leaves_only() -> None:
    x = mg.Tensor([1.0, 2.0])
    assert x.requires_grad_() is x and x.requires_grad
    (x * x).sum().backward()
    assert x.grad.tolist() == [2.0, 4.0]
    x.requires_grad_(False)
    assert not x.requires_grad and not (x * 2.0).requires_grad
    with pytest.raises(RuntimeError) as info:
        (T([1.0]) * 2.0).requires_grad_()
    assert message(info) == ("you can only change requires_grad flags of leaf variables "
                             "(<*> is the output of '*')")
    f = mg.Tensor(np.ones(2, dtype=np.float32)).requires_grad_()
    (f * np.array([2.0, 3.0])).sum().backward()  # float64 constant: the grad stays float32
    assert f.grad.dtype == np.float32 and f.grad.tolist() == [2.0, 3.0]
    d = T([1.0, 2.0], name="d").detach()
    assert d.is_leaf and not d.requires_grad and d.name == "d"
    assert d.retain_grad() is None


def test_seed_and_explicit_gradients() -> None:
    x = T([[3.0]], dtype=np.float32)
    y = x * 2.0
    y.backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [[2.0]]
    assert y.grad.dtype == np.float32 and y.grad.shape == (1, 1)  # ∂y/∂y, in y's dtype
    v = T([1.0, 2.0], name="v")
    with pytest.raises(RuntimeError) as info:
        (v * 2.0).backward()
    assert message(info) == ("grad can be implicitly created only for scalar outputs "
                             "(<*> has shape (2,); pass backward(gradient=...) of that shape)")
    with pytest.raises(RuntimeError) as info:
        (v * 2.0).backward(gradient=np.ones(3))
    assert message(info) == ("backward: gradient has shape (3,) but the output <*> has "
                             "shape (2,); expected the same")
    (v * 2.0).backward(gradient=[1, 2])  # a list of ints: made a float array
    assert v.grad.tolist() == [2.0, 4.0] and v.grad.flags.writeable
    with pytest.raises(RuntimeError) as info:
        mg.Tensor([1.0], name="c").sum().backward()
    assert message(info) == ("element 0 of tensors does not require grad and does not have "
                             "a grad_fn (<sum>: no input of its graph has requires_grad=True)")
