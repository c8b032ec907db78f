"""The op table of draw_graph matches the ops that exist: every op string a Scalar or Tensor
op records has a label, and no label waits for an op nobody produces. Also: every drawing
function checks ``precision`` the same way."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from op_table import ALL
from viz_support import parse_svg, texts

import microgradnn as mg
from microgradnn.viz import graph as viz_graph
from microgradnn.viz import style

RNG = np.random.default_rng(7)


def _ops(root: mg.Scalar | mg.Tensor) -> set[str]:
    """The op strings recorded in the graph behind ``root`` (leaves have none)."""
    return {node.op for node in mg.topological_order(root) if node.parents}


def _leaves(kind: str, arity: int, low: float, high: float) -> list[Any]:
    values = RNG.uniform(low, high, size=(arity, 2, 3))
    if kind == "scalar":
        return [mg.Scalar(float(v[0, 0])) for v in values]
    return [mg.Tensor(v, requires_grad=True) for v in values]


def _t(shape: tuple[int, ...] = (2, 3), low: float = -1.0, high: float = 1.0) -> mg.Tensor:
    return mg.Tensor(RNG.uniform(low, high, size=shape), requires_grad=True)


# ops beyond the elementwise table, one call each (name -> graph)
TENSOR_OPS: dict[str, Callable[[], mg.Tensor]] = {
    "matmul": lambda: _t((2, 3)) @ _t((3, 4)),
    "rmatmul": lambda: np.ones((4, 2)) @ _t((2, 3)),
    "sum": lambda: _t().sum(),
    "sum_axis": lambda: _t().sum(axis=0),
    "mean": lambda: _t().mean(axis=1),
    "max": lambda: _t().max(),
    "min": lambda: _t().min(axis=0),
    "logsumexp": lambda: _t().logsumexp(axis=1),
    "softmax": lambda: _t().softmax(axis=1),
    "log_softmax": lambda: _t().log_softmax(axis=1),
    "softplus": lambda: _t().softplus(),
    "clip": lambda: _t().clip(-0.5, 0.5),
    "reshape": lambda: _t().reshape(3, 2),
    "transpose": lambda: _t().transpose(),
    "T": lambda: _t().T,
    "getitem": lambda: _t()[0, 1:],
    "concatenate": lambda: mg.concatenate([_t(), _t()], axis=0),
    "stack": lambda: mg.stack([_t(), _t()]),
    "where": lambda: mg.where(np.array([True, False, True]), _t(), _t()),
    "maximum": lambda: mg.maximum(_t(), _t()),
}
SCALAR_OPS: dict[str, Callable[[], mg.Scalar]] = {
    "sum": lambda: mg.Scalar.sum([mg.Scalar(1.0), mg.Scalar(2.0), mg.Scalar(-0.5)]),
    "dot": lambda: mg.Scalar.dot([mg.Scalar(0.5), mg.Scalar(-1.0)],
                                 [mg.Scalar(2.0), mg.Scalar(3.0)], bias=mg.Scalar(0.1)),
}


def produced_ops() -> dict[str, str]:
    """op string -> one way of producing it, from the shared op table on both node types
    and from the ops outside it."""
    found: dict[str, str] = {}
    for kind in ("scalar", "tensor"):
        for row in ALL:
            for op in _ops(row.fn(*_leaves(kind, row.arity, *row.domain))):
                found.setdefault(op, f"{kind} {row.name}")
    for name, make in TENSOR_OPS.items():
        for op in _ops(make()):
            found.setdefault(op, f"tensor {name}")
    for name, make in SCALAR_OPS.items():
        for op in _ops(make()):
            found.setdefault(op, f"scalar {name}")
    return found


def test_every_produced_op_has_a_label_and_every_label_an_op():
    found = produced_ops()
    missing = {op: how for op, how in found.items() if op not in viz_graph.OP_SYMBOLS}
    assert not missing, f"ops drawn without a label entry: {missing}"
    unused = set(viz_graph.OP_SYMBOLS) - set(found)
    assert not unused, f"labels for ops that nothing produces: {sorted(unused)}"
    assert viz_graph.COMMUTATIVE <= set(found)


def test_each_op_is_drawn_with_its_symbol():
    for name in ("softmax", "log_softmax", "concatenate", "matmul", "getitem"):
        root = TENSOR_OPS[name]()
        shown = texts(mg.draw_graph(root).svg())
        symbol = viz_graph.OP_SYMBOLS[root.op]
        assert symbol in shown, (name, symbol, shown)


def test_position_labels_only_where_order_matters():
    """maximum commutes (no labels on its edges); concatenate does not (1, 2)."""
    source = mg.draw_graph(mg.maximum(_t(), _t())).source
    assert "[label=<1>]" not in source
    source = mg.draw_graph(mg.concatenate([_t(), _t()])).source
    assert "[label=<1>]" in source and "[label=<2>]" in source


@pytest.mark.parametrize("precision", [0, 13, 2.0, True, "4", None])
def test_every_drawing_function_checks_precision_the_same_way(precision):
    o = mg.Scalar(0.5, name="x").tanh()
    o.backward()
    net = mg.nn.lecture_network()
    x, y = net.example
    calls = {
        "draw_graph": lambda: mg.draw_graph(o, precision=precision),
        "draw_network": lambda: mg.draw_network(net, x, y, precision=precision),
        "backward_steps": lambda: mg.viz.backward_steps(o, precision=precision),
    }
    for caller, call in calls.items():
        expected = f"{caller}: precision must be an integer in 1..12, got {precision!r}"
        with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
            call()


def test_precision_bounds_are_accepted():
    assert style.check_precision(1, "t") == 1 and style.check_precision(12, "t") == 12
    o = mg.Scalar(0.5, name="x").tanh()
    assert parse_svg(mg.draw_graph(o, precision=12).svg()).tag.endswith("svg")


def test_a_name_with_markup_characters_is_shown_as_typed():
    """Labels are Graphviz HTML: a name with <, > and & is escaped, never read as markup."""
    x = mg.Scalar(0.5, name="a<b & c>")
    o = x.tanh()
    o.backward()
    shown = texts(mg.draw_graph(o).svg())
    assert any("a<b & c>" in text for text in shown), shown
