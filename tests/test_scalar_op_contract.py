"""Scalar's contract at the edges the op table keeps away from: kinks, zero, domain limits,
constants mixed with nodes, n-ary ops fed by iterators, and what repr, bool and the
comparisons return. Each test pins a number a learner could check by hand."""

from __future__ import annotations

import math
import operator
from fractions import Fraction

import numpy as np
import pytest

import microgradnn as mg


def grads(root: mg.Scalar, *leaves: mg.Scalar) -> list[float | None]:
    root.backward()
    return [leaf.grad for leaf in leaves]


# --------------------------------------------------------------------------- comparisons
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@pytest.mark.parametrize(("op", "expected"), [
    ("<", [False, False, True]), ("<=", [False, True, True]),
    (">", [True, False, False]), (">=", [True, True, False]),
])
def test_comparisons_compare_values_at_the_boundary(op: str, expected: list[bool]) -> None:
    x = mg.Scalar(1.0)
    for other, want in zip([0.5, 1.0, 2.0], expected):
        for rhs in (other, mg.Scalar(other), Fraction(other)):
            assert COMPARE[op](x, rhs) is want, (op, rhs)


@pytest.mark.parametrize("op", ["<", "<=", ">", ">="])
def test_comparison_with_a_non_number_names_the_operator(op: str) -> None:
    with pytest.raises(TypeError) as info:
        COMPARE[op](mg.Scalar(1.0), "a")
    assert str(info.value) == (f"{op}: unsupported operand 'a' of type str; "
                               "expected a Scalar or a real number")


def test_truth_value_float_and_identity() -> None:
    assert not mg.Scalar(0.0) and not mg.Scalar(-0.0)
    assert mg.Scalar(1e-300) and mg.Scalar(-2.0)
    assert float(mg.Scalar(2.5)) == 2.5
    x = mg.Scalar(3.0)
    assert +x is x
    assert x == x and x != mg.Scalar(3.0)  # == is identity: nodes live in sets and dicts
    assert len({x, mg.Scalar(3.0)}) == 2


def test_repr_shows_value_grad_name_and_op() -> None:
    x = mg.Scalar(2.0, name="x")
    assert repr(x) == "Scalar(data=2.0, grad=None, name='x')"
    y = x * 3.0
    assert repr(y) == "Scalar(data=6.0, grad=None, op='*')"
    y.backward()
    assert repr(x) == "Scalar(data=2.0, grad=3.0, name='x')"
    assert repr(mg.Scalar(-1.5)) == "Scalar(data=-1.5, grad=None)"


# --------------------------------------------------------------------------- construction
def test_construction_copies_a_scalar_and_refuses_bools() -> None:
    x = mg.Scalar(2.0, name="x")
    y = mg.Scalar(x)
    assert y.data == 2.0 and y.name is None and y.is_leaf and y is not x
    assert mg.Scalar(Fraction(1, 4)).data == 0.25
    assert mg.Scalar(np.float32(0.5)).data == 0.5 and type(mg.Scalar(3).data) is float
    with pytest.raises(TypeError) as info:
        mg.Scalar(True)
    assert str(info.value) == "Scalar expects a real number, got True of type bool"
    with pytest.raises(TypeError) as info:
        mg.Scalar(1.0, name=3)
    assert str(info.value) == "Scalar name must be a str, got int"


def test_number_operands_are_floats_and_bools_are_refused() -> None:
    x = mg.Scalar(2.0, name="x")
    assert (x + Fraction(1, 2)).data == 2.5
    assert (x * np.float64(1.5)).data == 3.0
    with pytest.raises(TypeError) as info:
        x + True
    assert str(info.value) == ("+: unsupported operand True of type bool; "
                               "expected a Scalar or a real number")
    with pytest.raises(TypeError, match=r"^backward\(gradient=\.\.\.\): unsupported operand "
                                        r"'g' of type str; expected a Scalar or a real number$"):
        (x * 2.0).backward(gradient="g")


def test_backward_with_a_gradient_scales_every_derivative() -> None:
    x = mg.Scalar(2.0)
    (x * x).backward(gradient=0.5)
    assert x.grad == 2.0
    x.zero_grad()
    (x * x).backward(gradient=mg.Scalar(3.0))
    assert x.grad == 12.0


# --------------------------------------------------------------------------- each op's numbers
def test_arithmetic_derivatives_with_constants_on_either_side() -> None:
    x = mg.Scalar(2.0)
    cases = [
        (lambda: x + 1.0, 3.0, 1.0), (lambda: 1.0 + x, 3.0, 1.0),
        (lambda: x - 5.0, -3.0, 1.0), (lambda: 5.0 - x, 3.0, -1.0),
        (lambda: x * 4.0, 8.0, 4.0), (lambda: 4.0 * x, 8.0, 4.0),
        (lambda: x / 4.0, 0.5, 0.25), (lambda: 4.0 / x, 2.0, -1.0),
        (lambda: -x, -2.0, -1.0), (lambda: x**3, 8.0, 12.0),
        (lambda: 3.0**x, 9.0, 9.0 * math.log(3.0)),
    ]
    for make, value, slope in cases:
        x.zero_grad()
        out = make()
        out.backward()
        assert out.data == pytest.approx(value, rel=1e-15)
        assert x.grad == pytest.approx(slope, rel=1e-15)


def test_binary_derivatives_between_two_nodes() -> None:
    a, b = mg.Scalar(3.0), mg.Scalar(2.0)
    assert grads(a + b, a, b) == [1.0, 1.0]
    a.zero_grad(), b.zero_grad()
    assert grads(a - b, a, b) == [1.0, -1.0]
    a.zero_grad(), b.zero_grad()
    assert grads(a * b, a, b) == [2.0, 3.0]
    a.zero_grad(), b.zero_grad()
    assert grads(a / b, a, b) == [0.5, -0.75]
    a.zero_grad(), b.zero_grad()
    assert grads(a**b, a, b) == pytest.approx([6.0, 9.0 * math.log(3.0)], rel=1e-15)


def test_power_at_zero_and_integer_exponents() -> None:
    def slope(base: float, n: float) -> tuple[float, float | None]:
        x = mg.Scalar(base)
        out = x**n
        out.backward()
        return out.data, x.grad

    assert slope(0.0, 0) == (1.0, 0.0)  # x^0 = 1, flat everywhere
    assert slope(5.0, 0.0) == (1.0, 0.0)
    assert slope(0.0, 1) == (0.0, 1.0)  # x^1 = x: slope 1 at 0
    assert slope(0.0, 2) == (0.0, 0.0)
    assert slope(0.0, 0.5) == (0.0, math.inf)  # √x: vertical tangent at 0
    assert slope(-2.0, 3) == (-8.0, 12.0)  # a negative base with an integer exponent
    assert slope(-2.0, -1.0) == (-0.5, -0.25)
    assert slope(4.0, 0.5) == (2.0, 0.25)


def test_scalar_exponent_at_a_zero_base_and_a_number_base() -> None:
    a, b = mg.Scalar(0.0, name="a"), mg.Scalar(2.0, name="b")
    out = a**b
    out.backward()
    assert (out.data, a.grad, b.grad) == (0.0, 0.0, 0.0)  # a^b·ln a → 0 at a = 0
    e = mg.Scalar(3.0, name="e")
    out = 0.0**e
    out.backward()
    assert (out.data, e.grad, out.parents) == (0.0, 0.0, (e,))
    e.zero_grad()
    out = 2.0**e
    out.backward()
    assert out.data == 8.0 and e.grad == pytest.approx(8.0 * math.log(2.0), rel=1e-15)


def test_power_errors_name_both_operands() -> None:
    z, n = mg.Scalar(0.0, name="z"), mg.Scalar(-1.0, name="n")
    with pytest.raises(ValueError) as info:
        z ** -2
    assert str(info.value) == ("**: 0 ** -2.0 (base z, exponent -2) is undefined; "
                               "expected a non-negative exponent for a zero base")
    with pytest.raises(ValueError) as info:
        z**n
    assert "(base z, exponent n)" in str(info.value)
    neg = mg.Scalar(-8.0, name="neg")
    with pytest.raises(ValueError) as info:
        neg ** (1 / 3)
    assert str(info.value).startswith("**: negative base -8.0 (neg) with non-integer exponent "
                                      "0.3333333333333333 (0.3333333333333333) has no real value")
    with pytest.raises(ValueError) as info:
        neg ** mg.Scalar(2.0, name="two")
    assert str(info.value) == ("**: base -8.0 (neg) is negative; a Scalar exponent (two) needs "
                               "a base >= 0, since ∂(a^b)/∂b = a^b·ln a")
    with pytest.raises(OverflowError) as info:
        mg.Scalar(10.0, name="ten") ** 400
    assert str(info.value) == ("**: 10.0 ** 400.0 overflows a float "
                               "(base ten, exponent 400)")


def test_division_by_zero_names_the_operands() -> None:
    x, z = mg.Scalar(1.0, name="x"), mg.Scalar(0.0, name="z")
    with pytest.raises(ZeroDivisionError) as info:
        x / z
    assert str(info.value) == "division by zero: x / z, and the divisor is 0"
    with pytest.raises(ZeroDivisionError) as info:
        x / 0
    assert str(info.value) == "division by zero: x / 0, and the divisor is 0"
    with pytest.raises(ZeroDivisionError) as info:
        2 / z
    assert str(info.value) == "division by zero: 2.0 / z, and z is 0"


def test_elementary_functions_at_their_edges() -> None:
    def value_and_slope(x0: float, fn: str) -> tuple[float, float | None]:
        x = mg.Scalar(x0)
        out = getattr(x, fn)()
        out.backward()
        return out.data, x.grad

    assert value_and_slope(0.0, "relu") == (0.0, 0.0)  # the kink: slope 0, as PyTorch
    assert value_and_slope(0.5, "relu") == (0.5, 1.0)
    assert value_and_slope(-0.5, "relu") == (0.0, 0.0)
    assert value_and_slope(0.0, "abs") == (0.0, 0.0)
    assert value_and_slope(0.5, "abs") == (0.5, 1.0)
    assert value_and_slope(-0.5, "abs") == (0.5, -1.0)
    assert abs(mg.Scalar(-3.0)).data == 3.0
    assert value_and_slope(0.0, "sqrt") == (0.0, math.inf)
    assert value_and_slope(4.0, "sqrt") == (2.0, 0.25)
    assert value_and_slope(0.0, "sigmoid") == (0.5, 0.25)
    assert value_and_slope(0.0, "tanh") == (0.0, 1.0)
    assert value_and_slope(0.0, "exp") == (1.0, 1.0)
    assert value_and_slope(1.0, "log") == (0.0, 1.0)
    assert value_and_slope(0.25, "log")[1] == 4.0
    s, d = value_and_slope(-800.0, "sigmoid")  # e^800 would overflow: the other form
    assert 0.0 <= s < 1e-300 and d == s * (1.0 - s)
    s, d = value_and_slope(800.0, "sigmoid")
    assert (s, d) == (1.0, 0.0)
    s, _ = value_and_slope(-1.0, "sigmoid")
    assert s == pytest.approx(1.0 / (1.0 + math.e), rel=1e-15)
    s, _ = value_and_slope(1.0, "sigmoid")
    assert s == pytest.approx(1.0 / (1.0 + 1.0 / math.e), rel=1e-15)


def test_domain_errors_name_the_node() -> None:
    x = mg.Scalar(0.0, name="x")
    with pytest.raises(ValueError) as info:
        x.log()
    assert str(info.value) == "log: operand 0.0 of node x is outside the domain a > 0"
    with pytest.raises(ValueError) as info:
        mg.Scalar(-1e-300, name="n").sqrt()
    assert str(info.value) == "sqrt: operand -1e-300 of node n is outside the domain a >= 0"
    with pytest.raises(OverflowError) as info:
        mg.Scalar(710.0, name="big").exp()
    assert str(info.value) == "exp: exp(710.0) overflows a float (node big)"
    assert mg.Scalar(709.0).exp().data == math.exp(709.0)


# --------------------------------------------------------------------------- n-ary ops
def test_sum_is_exact_and_reads_any_iterable() -> None:
    a, b, c = mg.Scalar(1e16), mg.Scalar(1.0), mg.Scalar(-1e16)
    total = mg.Scalar.sum(v for v in (a, b, c))  # a generator, every operand a node
    assert total.data == 1.0  # fsum: naive left-to-right addition gives 0.0
    assert total.parents == (a, b, c) and total.op == "sum"
    assert grads(total, a, b, c) == [1.0, 1.0, 1.0]
    x = mg.Scalar(2.0)
    mixed = mg.Scalar.sum(iter([x, 1e16, 1.0, -1e16]))
    assert mixed.data == 3.0 and mixed.parents == (x,)
    assert grads(mixed, x) == [1.0]


def test_dot_reads_iterables_and_mixes_nodes_with_constants() -> None:
    w1, w2, x1, b = (mg.Scalar(v, name=n) for v, n in [(2.0, "w1"), (-3.0, "w2"),
                                                         (5.0, "x1"), (0.5, "b")])
    out = mg.Scalar.dot(iter([w1, w2]), iter([x1, 7.0]), bias=b)
    assert out.data == 2.0 * 5.0 - 3.0 * 7.0 + 0.5
    assert out.parents == (w1, w2, x1, b) and out.op == "dot"
    assert grads(out, w1, w2, x1, b) == [5.0, 7.0, 2.0, 1.0]
    for leaf in (w1, w2, x1, b):
        leaf.zero_grad()
    out = mg.Scalar.dot([1.5, w2], [x1, x1], bias=4.0)  # a number bias is a constant
    assert out.data == 1.5 * 5.0 - 3.0 * 5.0 + 4.0 and out.parents == (w2, x1, x1)
    assert grads(out, w2, x1) == [5.0, 1.5 - 3.0]
    numbers_only = mg.Scalar.dot([1.0, 2.0], [3.0, 4.0])
    assert numbers_only.data == 11.0 and numbers_only.is_leaf
    nodes = mg.Scalar.dot([w1, w2], [x1, x1])  # every operand a node, no bias
    assert nodes.data == -5.0 and nodes.parents == (w1, w2, x1, x1)
    for leaf in (w1, w2, x1):
        leaf.zero_grad()
    assert grads(nodes, w1, w2, x1) == [5.0, 5.0, -1.0]


def test_dot_length_mismatch_message() -> None:
    with pytest.raises(ValueError) as info:
        mg.Scalar.dot([mg.Scalar(1.0)] * 2, [mg.Scalar(1.0)] * 3)
    assert str(info.value) == "Scalar.dot: 2 weights but 3 inputs; expected the same number"
    with pytest.raises(TypeError, match=r"^Scalar\.dot: unsupported operand 'w'"):
        mg.Scalar.dot(["w"], [mg.Scalar(1.0)])
    with pytest.raises(TypeError, match=r"^Scalar\.sum: unsupported operand 'v'"):
        mg.Scalar.sum([mg.Scalar(1.0), "v"])


def test_a_subclass_takes_the_general_path_with_the_same_numbers() -> None:
    class Named(mg.Scalar):
        pass

    w, x = Named(2.0), mg.Scalar(3.0)
    out = mg.Scalar.dot([w], [x], bias=Named(1.0))
    assert out.data == 7.0 and grads(out, w, x) == [3.0, 2.0]
    s = mg.Scalar.sum([w, x])
    w.zero_grad(), x.zero_grad()
    assert s.data == 5.0 and grads(s, w, x) == [1.0, 1.0]


def test_no_grad_ops_are_leaves_with_the_same_value() -> None:
    x = mg.Scalar(2.0)
    with mg.no_grad():
        outs = [x + x, x * 3.0, x.exp(), mg.Scalar.sum([x, x]), mg.Scalar.dot([x], [x])]
    assert all(o.is_leaf and o.parents == () for o in outs)
    assert [o.data for o in outs] == [4.0, 6.0, math.exp(2.0), 4.0, 4.0]


def test_anomaly_forward_message_lists_the_inputs() -> None:
    a, b = mg.Scalar(1e308, name="a"), mg.Scalar(1e308, name="b")
    with mg.detect_anomaly():
        with pytest.raises(mg.AnomalyError) as info:
            a + b
        assert str(info.value) == "forward of '+' produced inf from inputs (a, b)"
        with pytest.raises(mg.AnomalyError) as info:
            a * 10.0
        assert str(info.value) == "forward of '*' produced inf from inputs (a)"
        with pytest.raises(mg.AnomalyError) as info:
            mg.Scalar.dot([a], [b])
        assert str(info.value) == "forward of 'dot' produced inf from inputs (a, b)"
        assert (a * 0.5).data == 5e307  # finite values pass


def test_reflected_ops_record_their_op_and_name_it_in_errors() -> None:
    x = mg.Scalar(2.0)
    assert (5.0 - x).op == "-" and (4.0 / x).op == "/" and (1.0 + x).op == "+"
    assert (3.0 * x).op == "*" and (2.0**x).op == "**"
    for make, op in [(lambda: "a" - x, "-"), (lambda: "a" / x, "/"), (lambda: "a" + x, "+"),
                     (lambda: "a" * x, "*"), (lambda: "a" ** x, "**"), (lambda: x - "a", "-"),
                     (lambda: x / "a", "/"), (lambda: x * "a", "*"), (lambda: x ** "a", "**")]:
        with pytest.raises(TypeError) as info:
            make()
        assert str(info.value) == (f"{op}: unsupported operand 'a' of type str; "
                                   "expected a Scalar or a real number")


def test_sum_overflows_to_inf_as_addition_does() -> None:
    a, b = mg.Scalar(1e308), mg.Scalar(1e308)
    assert (a + b).data == math.inf
    assert mg.Scalar.sum([a, b]).data == math.inf


SCALAR_OPS = {
    "+": lambda x: x + 1.0, "-": lambda x: x - 1.0, "*": lambda x: x * 2.0,
    "/": lambda x: x / 2.0, "neg": lambda x: -x, "**": lambda x: x**2,
    "exp": lambda x: x.exp(), "log": lambda x: x.log(), "sqrt": lambda x: x.sqrt(),
    "tanh": lambda x: x.tanh(), "sigmoid": lambda x: x.sigmoid(), "relu": lambda x: x.relu(),
    "abs": lambda x: x.abs(), "sum": lambda x: mg.Scalar.sum([x, 1.0]),
    "dot": lambda x: mg.Scalar.dot([x], [2.0]),
}


@pytest.mark.parametrize("op", sorted(SCALAR_OPS))
@pytest.mark.parametrize("value", [1.5, 0.5])
def test_every_scalar_node_records_its_op(op: str, value: float) -> None:
    x = mg.Scalar(value)
    out = SCALAR_OPS[op](x)
    assert out.op == op and x in out.parents
    y = mg.Scalar(-value)
    assert y.relu().op == "relu" and y.abs().op == "abs"
    assert (x ** mg.Scalar(2.0)).op == "**" and mg.Scalar.sum([x, x]).op == "sum"


def test_dot_names_itself_for_any_bad_operand() -> None:
    w = mg.Scalar(1.0)
    for ws, xs, bias in [([w], ["x"], None), (["w"], [w], None), ([w], [1.0], "b")]:
        with pytest.raises(TypeError) as info:
            mg.Scalar.dot(ws, xs, bias=bias)
        assert str(info.value).startswith("Scalar.dot: unsupported operand '")


def test_a_scalar_with_a_tensor_says_the_graphs_are_separate() -> None:
    t = mg.Tensor([1.0], name="t")
    with pytest.raises(TypeError) as error:
        mg.Scalar(1.0) + t
    assert str(error.value) == (
        "+: cannot combine a Scalar with a Tensor (t); Scalar and Tensor graphs are "
        "separate — use Tensors throughout (mg.Tensor(s.data) for a Scalar's value) or "
        "Scalars throughout")


def test_a_difference_of_two_scalars_records_its_op() -> None:
    a, b = mg.Scalar(5.0, name="a"), mg.Scalar(2.0, name="b")
    d = a - b
    assert d.op == "-" and d.label() == "<->" and d.data == 3.0
    assert (a - 2.0).op == "-" and (5.0 - b).op == "-"
