"""Random expression graphs, with reused sub-expressions, against PyTorch (float64)."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import microgradnn as mg

# Ops safe on all reals (no kinks hit by random floats, no domain edges).
UNARY = {
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "exp_tanh": lambda a: a.tanh().exp(),
    "log1p_sq": lambda a: (a * a + 1.0).log(),
    "sqrt1p_sq": lambda a: (a * a + 1.0).sqrt(),
    "neg": lambda a: -a,
    "square": lambda a: a**2,
    "relu": lambda a: a.relu(),
    "abs": lambda a: a.abs(),
    "scale": lambda a: 0.5 * a - 0.25,
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1.0),
    "pow": lambda a, b: (a * a + 0.5) ** b.tanh(),
}
# n-ary nodes (ours, PyTorch's spelling), with constants among the operands
NARY = {
    "sum": (lambda a, b, c: mg.Scalar.sum([a, b, 0.5, c]),
            lambda a, b, c: a + b + 0.5 + c),
    "dot": (lambda a, b, c: mg.Scalar.dot([a, b, 0.3], [c, a, b], bias=c),
            lambda a, b, c: a * c + b * a + 0.3 * b + c),
    "dot_const_bias": (lambda a, b, c: mg.Scalar.dot([a, b], [b, c], bias=-0.2),
                       lambda a, b, c: a * b + b * c - 0.2),
}


@st.composite
def programs(draw: st.DrawFn) -> tuple[list[float], list[tuple]]:
    leaves = draw(st.lists(st.floats(-2.0, 2.0).filter(lambda v: abs(v) > 1e-3),
                           min_size=1, max_size=4))
    steps = []
    pool = len(leaves)
    for _ in range(draw(st.integers(1, 14))):
        op = draw(st.sampled_from([*sorted(UNARY), *sorted(BINARY), *sorted(NARY)]))
        arity = 1 if op in UNARY else 2 if op in BINARY else 3
        # operands may be the same node or any earlier node: reuse is the point
        steps.append((op, *(draw(st.integers(0, pool - 1)) for _ in range(arity))))
        pool += 1
    return leaves, steps


def run(program: tuple[list[float], list[tuple]], make, torch_ops: bool = False):
    leaves, steps = program
    nodes = [make(v) for v in leaves]
    for op, *args in steps:
        fn = UNARY.get(op) or BINARY.get(op) or NARY[op][1 if torch_ops else 0]
        nodes.append(fn(*(nodes[i] for i in args)))
    out = nodes[-1]
    for extra in nodes[len(leaves):-1:2]:  # fold some intermediates in, so they fan out
        out = out + 0.1 * extra
    return nodes[: len(leaves)], out


@settings(max_examples=250)
@given(programs())
def test_random_graph_matches_pytorch(program) -> None:
    leaves, out = run(program, lambda v: mg.Scalar(v))
    out.backward()
    t_leaves, t_out = run(
        program, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True),
        torch_ops=True)
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-9, abs=1e-12)
    for leaf, t_leaf in zip(leaves, t_leaves):
        expected = 0.0 if t_leaf.grad is None else t_leaf.grad.item()
        got = 0.0 if leaf.grad is None else leaf.grad
        assert got == pytest.approx(expected, rel=1e-8, abs=1e-10)


@settings(max_examples=100)
@given(programs())
def test_anomaly_mode_sweeps_to_the_same_gradients(program) -> None:
    """Anomaly mode takes the sweep's general step for every node; plain mode its fast ones."""
    leaves, out = run(program, lambda v: mg.Scalar(v))
    plain = mg.grad(out, leaves, allow_unused=True)
    assume(all(math.isfinite(g) for g in plain if g is not None))  # no overflow to flag
    with mg.detect_anomaly():
        checked = mg.grad(out, leaves, allow_unused=True)
    assert checked == plain
