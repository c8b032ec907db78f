"""Scalar ops at the extremes of a float (issue 13, item 5): where the value is finite the
derivative is a number (±inf if it overflows, as PyTorch), never a ZeroDivisionError or an
OverflowError about an expression the user did not write."""

from __future__ import annotations

import math

import pytest
import torch

import microgradnn as mg


def _torch_grad(fn, value: float) -> float:  # type: ignore[no-untyped-def]
    x = torch.tensor(value, dtype=torch.float64, requires_grad=True)
    fn(x).backward()
    return float(x.grad)


@pytest.mark.parametrize(("name", "fn"), [
    ("1/x", lambda x: 1 / x),
    ("x ** -1", lambda x: x ** -1),
    ("x ** -1.5", lambda x: x ** -1.5),
    ("3 / x", lambda x: 3.0 / x),
])
def test_tiny_operand_gives_the_derivative_pytorch_gives(name: str, fn) -> None:  # type: ignore[no-untyped-def]
    x = mg.Scalar(1e-200, name="x")
    out = fn(x)
    out.backward()
    assert math.isfinite(out.data)
    assert x.grad == _torch_grad(fn, 1e-200)  # −inf: the slope overflows, the value does not


def test_division_by_a_tiny_scalar_node() -> None:
    a, b = mg.Scalar(1.0, name="a"), mg.Scalar(1e-200, name="b")
    out = a / b
    out.backward()
    assert out.data == 1e200 and a.grad == 1e200 and b.grad == -math.inf


def test_tiny_base_with_a_scalar_exponent() -> None:
    x, n = mg.Scalar(1e-200), mg.Scalar(-1.0)
    (x ** n).backward()
    assert x.grad == -math.inf and n.grad == pytest.approx(1e200 * math.log(1e-200))


def test_power_of_zero_exponent_one_is_unchanged() -> None:
    x = mg.Scalar(3.0)
    (x ** 2).backward()
    assert x.grad == 6.0  # the ordinary slope is not disturbed


@pytest.mark.parametrize(("values", "expected"), [
    ([1e308, 1e308], math.inf), ([-1e308, -1e308], -math.inf), ([math.inf, -math.inf], math.nan),
    ([math.inf, 1.0], math.inf),
])
def test_scalar_sum_overflows_like_plus(values: list[float], expected: float) -> None:
    nodes = [mg.Scalar(v) for v in values]
    for total in (mg.Scalar.sum(nodes), mg.Scalar.sum([*values, nodes[0]])):
        plain = nodes[0] + nodes[1]
        assert math.isnan(total.data) if math.isnan(expected) else total.data == expected
        assert math.isnan(plain.data) if math.isnan(expected) else plain.data == expected
    s = mg.Scalar.sum(nodes)
    s.backward()
    assert [n.grad for n in nodes] == [1.0, 1.0]


def test_scalar_sum_is_still_exactly_rounded() -> None:
    assert mg.Scalar.sum([mg.Scalar(v) for v in (1e16, 1.0, -1e16)]).data == 1.0
