"""Bad input to Scalar gets a clear error naming the op, the operand and the node."""

from __future__ import annotations

import pytest

import microgradnn as mg


@pytest.mark.parametrize("bad", ["2.0", None, [1.0], {"x": 1}, 1j, True])
def test_scalar_from_non_number_names_the_value(bad: object) -> None:
    with pytest.raises(TypeError, match="Scalar expects a real number") as info:
        mg.Scalar(bad)
    assert repr(bad) in str(info.value)


def test_scalar_name_must_be_text() -> None:
    with pytest.raises(TypeError, match="name must be a str"):
        mg.Scalar(1.0, name=3)


@pytest.mark.parametrize("value", [0.0, -1.5])
def test_log_outside_domain(value: float) -> None:
    with pytest.raises(ValueError, match=r"log: operand .* of node x is outside the domain"):
        mg.Scalar(value, name="x").log()


def test_sqrt_outside_domain() -> None:
    with pytest.raises(ValueError, match=r"sqrt: operand -4\.0 of node q is outside"):
        mg.Scalar(-4.0, name="q").sqrt()


def test_zero_to_a_negative_power() -> None:
    with pytest.raises(ValueError, match=r"0 \*\* -1.0 \(base z"):
        mg.Scalar(0.0, name="z") ** -1
    with pytest.raises(ValueError, match="zero base"):
        mg.Scalar(0.0, name="z") ** mg.Scalar(-2.0, name="n")


def test_negative_base_non_integer_exponent() -> None:
    with pytest.raises(ValueError, match=r"negative base -8\.0 .* non-integer exponent 0\.5"):
        mg.Scalar(-8.0, name="b") ** 0.5
    assert (mg.Scalar(-2.0) ** 3).data == -8.0  # integer exponents are fine
    with pytest.raises(ValueError, match="needs a base >= 0"):
        mg.Scalar(-2.0, name="b") ** mg.Scalar(2.0, name="n")


def test_division_by_zero_names_the_nodes() -> None:
    with pytest.raises(ZeroDivisionError, match="num / den"):
        mg.Scalar(1.0, name="num") / mg.Scalar(0.0, name="den")
    with pytest.raises(ZeroDivisionError, match=r"3\.0 / den"):
        3.0 / mg.Scalar(0.0, name="den")
    with pytest.raises(ZeroDivisionError, match="num / 0"):
        mg.Scalar(1.0, name="num") / 0


def test_unsupported_operand_names_the_op() -> None:
    with pytest.raises(TypeError, match=r"\*: unsupported operand 'a'"):
        mg.Scalar(1.0) * "a"
    with pytest.raises(TypeError, match=r"\+: unsupported operand"):
        mg.Scalar(1.0) + [1]  # noqa: RUF005


def test_overflow_is_an_error_not_an_inf() -> None:
    with pytest.raises(OverflowError, match=r"exp: exp\(1000.0\) overflows .*node big"):
        mg.Scalar(1000.0, name="big").exp()
    with pytest.raises(OverflowError, match=r"\*\*"):
        mg.Scalar(10.0) ** 400


def test_dot_length_mismatch() -> None:
    with pytest.raises(ValueError, match="2 weights but 3 inputs"):
        mg.Scalar.dot([mg.Scalar(1.0)] * 2, [mg.Scalar(1.0)] * 3)


def test_backward_gradient_must_be_a_number() -> None:
    with pytest.raises(TypeError, match=r"backward\(gradient=...\)"):
        mg.Scalar(1.0).backward("one")


def test_register_hook_needs_a_callable() -> None:
    with pytest.raises(TypeError, match="callable"):
        mg.Scalar(1.0).register_hook(3)
