"""Expressions from text: parsed with ast against a whitelist, never eval'd."""

from __future__ import annotations

import math

import pytest

from microgradnn.app.expr import ExpressionError, evaluate


def test_expression_builds_the_same_graph_as_code() -> None:
    root = evaluate("tanh(x*w + b)", {"x": 2.0, "w": -3.0, "b": 6.88})
    root.backward()
    assert root.data == pytest.approx(math.tanh(2.0 * -3.0 + 6.88))
    leaves = {n.name: n for n in root.parents[0].parents[0].parents}
    slope = 1 - root.data**2
    assert leaves["x"].grad == pytest.approx(slope * -3.0)
    assert leaves["w"].grad == pytest.approx(slope * 2.0)
    assert root.name == "tanh(x * w + b)"


def test_a_variable_used_twice_is_one_leaf() -> None:
    root = evaluate("x*x + 3*x - x/2", {"x": 1.5})
    root.backward()
    x = next(n for n in _leaves(root) if n.name == "x")
    assert x.grad == pytest.approx(2 * 1.5 + 3 - 0.5)


def test_constants_fold_and_functions_apply() -> None:
    root = evaluate("sigmoid(2**3 - y) + -y + abs(y) + sqrt(exp(y)) + log(y) + relu(y)",
                    {"y": 2.0})
    expected = 1 / (1 + math.exp(-6)) - 2 + 2 + math.exp(1) + math.log(2) + 2
    assert root.data == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("tanh(x*w +", "syntax error", None),
        ("foo(x)", "unknown function 'foo'", 1),
        ("x @ w", "unsupported syntax: operator MatMult", 1),
        ("x + y", "unknown variable 'y'", 5),
        ("__import__('os').system('true')", "unknown function", 1),
        ("x.real", "unsupported syntax: Attribute", 1),
        ("tanh(x, w)", "takes exactly one argument", 1),
        ("x", "w given but not used", 1),
        ("[x]", "unsupported syntax: List", 1),
    ],
)
def test_bad_expressions_point_at_the_column(text: str, message: str, column: int | None
                                             ) -> None:
    with pytest.raises(ExpressionError, match=message) as info:
        evaluate(text, {"x": 1.0, "w": 2.0})
    if column is not None:
        assert f"(column {column})" in str(info.value)
        assert info.value.column == column - 1
    assert str(info.value).rstrip().endswith("^")


def _leaves(root):
    from microgradnn import topological_order

    return [n for n in topological_order(root) if not n.parents]
