"""Every Scalar op against PyTorch (float64) and against central differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from op_table import ALL, Op

import microgradnn as mg


def _inputs(op: Op, data: st.DataObject) -> list[float]:
    low, high = op.domain
    return [data.draw(st.floats(low, high), label=f"x{i}") for i in range(op.arity)]


def _mg(op: Op, values: list[float]) -> tuple[float, list[float]]:
    nodes = [mg.Scalar(v, name=f"x{i}") for i, v in enumerate(values)]
    out = op.fn(*nodes)
    out.backward()
    return out.data, [n.grad for n in nodes]


def _torch(op: Op, values: list[float]) -> tuple[float, list[float]]:
    nodes = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    out = op.fn(*nodes)
    out.backward()
    return out.item(), [n.grad.item() for n in nodes]


@pytest.mark.parametrize("op", ALL, ids=lambda op: op.name)
@given(data=st.data())
def test_op_matches_pytorch(op: Op, data: st.DataObject) -> None:
    values = _inputs(op, data)
    value, grads = _mg(op, values)
    expected_value, expected_grads = _torch(op, values)
    assert value == pytest.approx(expected_value, rel=1e-12, abs=1e-12)
    assert grads == pytest.approx(expected_grads, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("op", ALL, ids=lambda op: op.name)
@given(data=st.data())
def test_op_matches_central_differences(op: Op, data: st.DataObject) -> None:
    values = _inputs(op, data)
    _, grads = _mg(op, values)

    def f(x: np.ndarray) -> float:
        return op.fn(*(mg.Scalar(float(v)) for v in x)).data

    numerical = mg.numerical_gradient(f, np.array(values), eps=1e-6)
    np.testing.assert_allclose(grads, numerical, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("op", ALL, ids=lambda op: op.name)
def test_op_passes_gradcheck(op: Op) -> None:
    low, high = op.domain
    rng = np.random.default_rng(len(op.name))
    nodes = [mg.Scalar(float(v)) for v in rng.uniform(low, high, op.arity)]
    assert mg.gradcheck(op.fn, nodes)


def test_each_op_documents_its_derivative() -> None:
    ops = ["__add__", "__sub__", "__rsub__", "__mul__", "__truediv__", "__rtruediv__",
           "__neg__", "__pow__", "__rpow__", "exp", "log", "sqrt", "tanh", "sigmoid", "relu",
           "abs", "sum", "dot"]
    for name in ops:
        doc = getattr(mg.Scalar, name).__doc__ or ""
        assert "∂" in doc, f"Scalar.{name} does not state its derivative"


@pytest.mark.parametrize("n", [1, 2, 7])
def test_sum_and_dot_match_pytorch(n: int) -> None:
    rng = np.random.default_rng(n)
    w, x, b = rng.normal(size=n), rng.normal(size=n), rng.normal()
    ws = [mg.Scalar(v) for v in w]
    xs = [mg.Scalar(v) for v in x]
    bias = mg.Scalar(b)
    out = mg.Scalar.dot(ws, xs, bias).tanh() + mg.Scalar.sum(ws) * mg.Scalar.sum(xs)
    out.backward()
    tw, tx, tb = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (w, x, b))
    expected = (tw @ tx + tb).tanh() + tw.sum() * tx.sum()
    expected.backward()
    assert out.data == pytest.approx(expected.item(), rel=1e-12)
    assert [s.grad for s in ws] == pytest.approx(tw.grad.tolist(), rel=1e-10)
    assert [s.grad for s in xs] == pytest.approx(tx.grad.tolist(), rel=1e-10)
    assert bias.grad == pytest.approx(tb.grad.item(), rel=1e-10)


def test_dot_is_one_node_with_every_input_as_parent() -> None:
    ws = [mg.Scalar(1.0), mg.Scalar(2.0)]
    xs = [mg.Scalar(3.0), mg.Scalar(4.0)]
    b = mg.Scalar(0.5)
    out = mg.Scalar.dot(ws, xs, b)
    assert out.op == "dot"
    assert out.parents == (*ws, *xs, b)
    assert out.data == 11.5


def test_sum_and_dot_accept_numbers_as_constants() -> None:
    w = mg.Scalar(2.0)
    out = mg.Scalar.dot([w, 3.0], [5.0, mg.Scalar(7.0)], 1.0)
    assert out.data == 2 * 5 + 3 * 7 + 1
    assert len(out.parents) == 2
    out.backward()
    assert w.grad == 5.0
    total = mg.Scalar.sum([w, 1.0, w])
    assert total.data == 5.0 and total.parents == (w, w)


def test_dot_with_a_number_or_a_subclass_as_bias_matches_pytorch() -> None:
    class Named(mg.Scalar):
        pass

    for bias in (0.25, Named(0.25, name="b")):
        ws = [mg.Scalar(0.5), mg.Scalar(-1.5)]
        xs = [mg.Scalar(2.0), mg.Scalar(0.75)]
        out = mg.Scalar.dot(ws, xs, bias).tanh()
        out.backward()
        tw, tx, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True)
                      for v in ([0.5, -1.5], [2.0, 0.75], 0.25))
        expected = (tw @ tx + tb).tanh()
        expected.backward()
        assert out.data == pytest.approx(expected.item(), rel=1e-12)
        assert [s.grad for s in ws] == pytest.approx(tw.grad.tolist(), rel=1e-10)
        assert [s.grad for s in xs] == pytest.approx(tx.grad.tolist(), rel=1e-10)
        if isinstance(bias, mg.Scalar):
            assert bias.grad == pytest.approx(tb.grad.item(), rel=1e-10)
        else:
            assert len(out.parents[0].parents) == 4  # the constant bias is no edge


@pytest.mark.parametrize("empty", [lambda: mg.Scalar.sum([]), lambda: mg.Scalar.sum(iter([])),
                                   lambda: mg.Scalar.dot([], [])])
def test_an_empty_sum_or_dot_is_a_leaf_holding_zero(empty) -> None:
    node = empty()
    assert node.is_leaf and node.parents == () and node.data == 0.0
    assert type(node.data) is float
    node.backward()
    node.backward()
    assert node.grad == 2.0  # a leaf accumulates


def test_comparisons_return_plain_bools() -> None:
    a, b = mg.Scalar(1.0), mg.Scalar(2.0)
    for result in (a < b, a <= 1.0, b > a, b >= 3.0, 0.5 < a):
        assert type(result) is bool
    assert (a < b, a <= 1.0, b > a, b >= 3.0, 0.5 < a) == (True, True, True, False, True)
    assert max([a, b]) is b


def test_numbers_on_either_side_give_scalars() -> None:
    a = mg.Scalar(3.0)
    for out in (2 + a, 2 - a, 2 * a, 2 / a, 2**a, a + 2, a - 2, a * 2, a / 2, a**2):
        assert isinstance(out, mg.Scalar)
    assert (2 - a).data == -1.0 and (2 / a).data == pytest.approx(2 / 3)


def test_sigmoid_is_stable_at_extremes() -> None:
    for v, expected in ((800.0, 1.0), (-800.0, 0.0)):
        s = mg.Scalar(v).sigmoid()
        assert s.data == expected
        assert math.isfinite(s.parents[0].data)
