"""Scalar ops at the extremes of a float (issue 13, item 5): where the value is finite the
derivative is a number (±inf if it overflows, as PyTorch), never a ZeroDivisionError or an
OverflowError about an expression the user did not write. And the second derivatives
(``create_graph=True``) where the derivative table has a case of its own: zero bases, constant
derivatives, and the n-ary ``sum`` and ``dot`` with and without a bias."""

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


# -- second derivatives where scalar_derivatives has a case of its own -------------------
def _second(out_of: object, x: mg.Scalar, y: mg.Scalar | None = None) -> tuple[float, object]:
    """(∂f/∂x, ∂²f/∂x∂y): the first as a number, the second as mg.grad returns it."""
    (g,) = mg.grad(out_of(), [x], create_graph=True)  # type: ignore[operator]
    return g.data, mg.grad(g, [y or x], allow_unused=True)[0]


def test_second_derivatives_of_powers_at_a_zero_base() -> None:
    z = mg.Scalar(0.0)
    assert _second(lambda: z ** 2, z) == (0.0, 2.0)
    assert _second(lambda: z ** 3, z) == (0.0, 0.0)
    assert _second(lambda: z ** 1.5, z) == (0.0, math.inf)  # 1.5·0.5·0^(-0.5)
    first, second = _second(lambda: z ** 0.5, z)  # the unbounded slope: a constant, no graph
    assert first == math.inf and second is None
    a = mg.Scalar(2.0)
    assert _second(lambda: 0.0 ** a, a) == (0.0, None)  # c ** a = 0: ln 0 never evaluated
    e = mg.Scalar(3.0)
    gz, ge = mg.grad(z ** e, [z, e], create_graph=True)  # a ** b at a = 0: no log(0)
    assert (gz.data, ge.data) == (0.0, 0.0)


def test_a_constant_derivative_has_no_graph_to_differentiate() -> None:
    x = mg.Scalar(2.0)
    assert _second(lambda: x ** 0, x) == (0.0, None)  # d/dx x⁰ = 0 everywhere
    one = mg.Scalar(1.0)
    assert _second(lambda: one ** 0.5, one) == (0.5, -0.25)
    b = mg.Scalar(3.0)
    assert _second(lambda: one ** b, one, b) == (3.0, 1.0)  # ∂/∂a a^b = b a^(b-1), at a = 1
    assert _second(lambda: 3.0 ** b, b) == pytest.approx((27 * math.log(3), 27 * math.log(3) ** 2))


def test_a_gradient_passed_on_unchanged_is_the_seed_itself() -> None:
    p, q = mg.Scalar(2.0), mg.Scalar(5.0)
    for out in (mg.Scalar.sum([p, q]), p ** 1, p + q):
        (g,) = mg.grad(out, [p], create_graph=True)
        assert (g.data, g.op, g.name) == (1.0, "", "seed ∂root/∂root")  # no 1·seed node


def test_second_derivatives_of_sum_and_dot() -> None:
    p, q, bias = mg.Scalar(2.0), mg.Scalar(5.0), mg.Scalar(7.0)
    assert _second(lambda: mg.Scalar.sum([p, q]), p, q) == (1.0, None)
    assert _second(lambda: mg.Scalar.dot([p, q], [q, p]), p, q) == (10.0, 2.0)  # 2pq
    assert _second(lambda: mg.Scalar.dot([p, q], [q, 3.0]), p, q) == (5.0, 1.0)  # pq + 3q
    assert _second(lambda: mg.Scalar.dot([p], [q], bias=bias), q, p) == (2.0, 1.0)
    assert _second(lambda: mg.Scalar.dot([p], [q], bias=bias), bias) == (1.0, None)
    y = mg.Scalar.dot([p, q], [q, p], bias=bias)  # 2pq + bias: every first derivative
    assert [g.data for g in mg.grad(y, [p, q, bias], create_graph=True)] == [10.0, 4.0, 1.0]
    x, w = mg.Scalar(3.0), mg.Scalar(1.0)
    assert _second(lambda: x * w, x, w) == (1.0, 1.0)  # ∂/∂x = w, a node equal to 1
