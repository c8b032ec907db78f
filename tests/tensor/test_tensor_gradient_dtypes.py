"""Every gradient has the dtype of the node it belongs to: a float32 leaf that meets float64
data (a binary op, a join, ``where``, a hook) still gets a float32 gradient, and the float64
side a float64 one, on every path an op's backward can take."""

from __future__ import annotations

import numpy as np
import pytest

import microgradnn as mg

F32 = np.float32


def _pair() -> tuple[mg.Tensor, mg.Tensor]:
    x = mg.Tensor(np.array([1.0, 2.0], dtype=F32), requires_grad=True, name="x")
    y = mg.Tensor([3.0, 4.0], requires_grad=True, name="y")
    return x, y


def _check(x: mg.Tensor, y: mg.Tensor, gx: list[float], gy: list[float]) -> None:
    assert (x.grad.dtype, y.grad.dtype) == (F32, np.float64)
    np.testing.assert_array_equal(x.grad, gx)
    np.testing.assert_array_equal(y.grad, gy)


def test_a_product_of_float32_and_float64() -> None:
    x, y = _pair()
    out = x * y
    assert out.dtype == np.float64
    out.sum().backward()
    _check(x, y, [3.0, 4.0], [1.0, 2.0])


@pytest.mark.parametrize("join", ["concatenate", "stack"])
def test_joins_of_float32_and_float64(join: str) -> None:
    x, y = _pair()
    out = getattr(mg, join)([x, y])
    assert out.dtype == np.float64
    (out * np.arange(4.0).reshape(out.shape)).sum().backward()
    _check(x, y, [0.0, 1.0], [2.0, 3.0])


def test_where_of_float32_and_float64() -> None:
    x, y = _pair()
    mg.where(np.array([True, False]), x, y).sum().backward()
    _check(x, y, [1.0, 0.0], [0.0, 1.0])


def test_a_join_after_an_in_place_change_elsewhere_keeps_the_dtypes() -> None:
    x, y = _pair()
    out = mg.concatenate([x, y])
    other = mg.Tensor([0.0])
    other += 1.0  # an in-place change after the node: the checked backward path
    (out * 2.0).sum().backward()
    _check(x, y, [2.0, 2.0], [2.0, 2.0])


def test_float32_matmul_stays_float32() -> None:
    x, _ = _pair()
    z = mg.Tensor(np.array([5.0, 6.0], dtype=F32), requires_grad=True)
    (x @ z).backward()
    assert (x.grad.dtype, z.grad.dtype) == (F32, F32)
    np.testing.assert_array_equal(x.grad, [5.0, 6.0])


def test_a_float32_intermediate_node_gets_a_float32_gradient() -> None:
    x, y = _pair()
    h = x * 2.0  # float32, not a leaf: its grad comes straight from the op that used it
    (h * y).sum().backward()
    assert h.grad.dtype == F32 and x.grad.dtype == F32
    np.testing.assert_array_equal(h.grad, [3.0, 4.0])
    for join in (mg.concatenate, mg.stack):
        h.grad = None
        join([h, y]).sum().backward()
        assert h.grad.dtype == F32
        np.testing.assert_array_equal(h.grad, [1.0, 1.0])


@pytest.mark.parametrize("size", [2, 100_000])  # a small sum's filled array and a large one's view
def test_the_gradient_of_a_float32_sum_is_float32(size: int) -> None:
    x = mg.Tensor(np.ones(size, dtype=F32), requires_grad=True)
    h = x * 2.0
    h.sum().backward()
    assert h.grad.dtype == F32 and x.grad.dtype == F32
    assert float(x.grad[0]) == 2.0
