"""What a Tensor makes of its input when a dtype is asked for (issue 13, mutation testing of
tensor/dtypes.py): ints and bools take the dtype asked for, a float64 array asked to stay
float64 is not copied, and a ragged input is named in the error."""

from __future__ import annotations

import numpy as np
import pytest

import microgradnn as mg


@pytest.mark.parametrize("data", [np.array([1, 2, 3]), [1, 2, 3], np.array([True, False]),
                                  np.array([1, 2], dtype=np.uint8)])
@pytest.mark.parametrize("dtype", [np.float32, "float64"])
def test_ints_and_bools_take_the_dtype_asked_for(data: object, dtype: object) -> None:
    t = mg.Tensor(data, dtype=dtype)
    assert t.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(t.numpy(), np.asarray(data, dtype=np.float64))


def test_ints_without_a_dtype_become_float64() -> None:
    assert mg.Tensor(np.array([1, 2], dtype=np.int8)).dtype == np.float64


def test_an_array_already_of_the_dtype_asked_for_is_not_copied() -> None:
    x64 = np.ones((2, 3))
    x32 = np.ones(3, dtype=np.float32)
    assert mg.Tensor(x64, dtype=np.float64).data is x64
    assert mg.Tensor(x32, dtype="float32").data is x32
    cast = mg.Tensor(x64, dtype=np.float32)  # another dtype: a float32 copy
    assert cast.dtype == np.float32 and cast.data is not x64


def test_a_float16_array_becomes_float64() -> None:
    t = mg.Tensor(np.array([0.5, 1.5], dtype=np.float16))
    assert t.dtype == np.float64
    np.testing.assert_array_equal(t.numpy(), [0.5, 1.5])


@pytest.mark.parametrize("data, kind", [([[1.0, 2.0], [3.0]], "list"),
                                        (((1.0,), (2.0, 3.0)), "tuple")])
def test_a_ragged_input_is_named_in_the_error(data: object, kind: str) -> None:
    with pytest.raises(ValueError, match=rf"^Tensor: could not make an array of {kind} "):
        mg.Tensor(data)


def test_a_leafs_gradient_is_its_own_array_not_the_callers() -> None:
    x = mg.Tensor([1.0, 2.0], requires_grad=True)
    frozen = np.ones(2)
    frozen.flags.writeable = False
    x.backward(gradient=frozen)  # a read-only gradient: the leaf gets a writable copy
    x.grad += 1.0
    np.testing.assert_array_equal(x.grad, [2.0, 2.0])
    y = mg.Tensor([1.0, 2.0], requires_grad=True)
    big = np.arange(4.0)
    y.backward(gradient=big[::2])  # a view of the caller's array: not kept as it is
    y.grad[0] = 100.0
    np.testing.assert_array_equal(big, [0.0, 1.0, 2.0, 3.0])
