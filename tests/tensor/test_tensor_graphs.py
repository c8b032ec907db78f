"""Random composite Tensor graphs against PyTorch float64: the value, the inputs' gradients
and every intermediate node's δ (PyTorch's retain_grad) must agree.

A graph is a random program over three inputs whose shapes broadcast to one (m, n): unary,
binary (broadcasting), reducing (keepdims), matmul and shape steps, applied to earlier nodes
chosen at random, so nodes are reused and the graph is a DAG, not a chain.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from backends import MG, TH, leaves
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

F_ = Any  # the namespace, MG or TH

UNARY: list[Callable[[F_, Any], Any]] = [
    lambda F, a: a.tanh(),
    lambda F, a: a.sigmoid(),
    lambda F, a: F.softplus(a),
    lambda F, a: -a,
    lambda F, a: a.relu(),
    lambda F, a: a.abs(),
    lambda F, a: a.tanh() ** 2,
    lambda F, a: a.tanh().exp(),
    lambda F, a: (F.softplus(a) + 0.1).log(),
    lambda F, a: (a * a + 0.1).sqrt(),
    lambda F, a: 2.0 * a - 1.0,
    lambda F, a: a.clip(-0.5, 0.5),
]
BINARY: list[Callable[[F_, Any, Any], Any]] = [
    lambda F, a, b: a + b,
    lambda F, a, b: a - b,
    lambda F, a, b: a * b,
    lambda F, a, b: a / (b * b + 1.0),
    lambda F, a, b: F.maximum(a, b),
    lambda F, a, b: F.where((a.data > b.data) if F is MG else (a > b), a, b),
    lambda F, a, b: (a.sigmoid() + 0.5) ** b.tanh(),
]
REDUCE: list[Callable[[F_, Any], Any]] = [
    lambda F, a: F.sum(a, None, True),
    lambda F, a: F.mean(a, -1, True),
    lambda F, a: F.max(a, -1, True),
    lambda F, a: F.logsumexp(a, -1, True),
    lambda F, a: a.softmax(-1),
    lambda F, a: a.log_softmax(-1),
    lambda F, a: F.index(a, (..., np.arange(a.shape[-1])[::-1].copy())),
    lambda F, a: F.concatenate([a[..., :1], a[..., 1:]], axis=-1),
]


def _gram(F: F_, a: Any) -> Any:
    """x xᵀ x / 4: matmul and transpose, shape kept, x used three times."""
    return (a @ a.T) @ a / 4.0


def execute(F: F_, inputs: list, program: list[tuple[str, int, int, int]]) -> list:
    nodes = list(inputs)
    for kind, k, i, j in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if kind == "unary":
            out = UNARY[k % len(UNARY)](F, a)
        elif kind == "binary":
            out = BINARY[k % len(BINARY)](F, a, b)
        elif kind == "reduce" and a.ndim >= 1:
            out = REDUCE[k % len(REDUCE)](F, a)
        elif kind == "gram" and a.ndim == 2:
            out = _gram(F, a)
        else:
            out = UNARY[k % len(UNARY)](F, a)
        nodes.append(out)
    return nodes


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[np.ndarray], list[tuple[str, int, int, int]]]:
    m, n = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    family = [(m, n), (m, 1), (1, n), (n,), ()]
    arrays = [draw(hnp.arrays(np.float64, draw(st.sampled_from(family)),
                              elements=st.floats(-2.0, 2.0))) for _ in range(3)]
    step = st.tuples(st.sampled_from(["unary", "binary", "binary", "reduce", "gram"]),
                     st.integers(0, 99), st.integers(0, 99), st.integers(0, 99))
    return arrays, draw(st.lists(step, min_size=1, max_size=12))


def _run(F: F_, arrays: list[np.ndarray], program: list) -> tuple[list, list]:
    """Every node's value and δ: the last three nodes are summed into the root, weighted."""
    inputs = leaves(F, arrays)
    nodes = execute(F, inputs, program)
    for node in nodes[len(inputs):]:
        F.retain_grad(node)
    weights = np.linspace(1.0, 0.3, 3)
    root = nodes[-1].sum() * weights[0]
    for w, node in zip(weights[1:], nodes[-3:-1]):
        root = root + node.sum() * w
    root.backward()
    return [F.value(x) for x in nodes], [F.grad(x) for x in nodes]


@settings(max_examples=200)
@given(graph=graphs())
def test_random_graphs_match_pytorch(graph: tuple) -> None:
    arrays, program = graph
    values, grads = _run(MG, arrays, program)
    expected_values, expected_grads = _run(TH, arrays, program)
    for k, (v, ev) in enumerate(zip(values, expected_values)):
        np.testing.assert_allclose(v, ev, rtol=1e-9, atol=1e-12, err_msg=f"value of node {k}")
    for k, (g, eg) in enumerate(zip(grads, expected_grads)):
        if eg is None:  # not on a path to the root in PyTorch: not reached here either
            assert g is None or not np.any(g), f"node {k}"
            continue
        assert g is not None, f"node {k} got no gradient"
        assert np.shape(g) == np.shape(values[k]), f"grad of node {k} has the wrong shape"
        np.testing.assert_allclose(g, eg, rtol=1e-8, atol=1e-10, err_msg=f"grad of node {k}")
