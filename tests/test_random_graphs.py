"""Random expression graphs, with reused sub-expressions, against PyTorch (float64)."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
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


@st.composite
def programs(draw: st.DrawFn) -> tuple[list[float], list[tuple]]:
    leaves = draw(st.lists(st.floats(-2.0, 2.0).filter(lambda v: abs(v) > 1e-3),
                           min_size=1, max_size=4))
    steps = []
    pool = len(leaves)
    for _ in range(draw(st.integers(1, 14))):
        if draw(st.booleans()):
            op = draw(st.sampled_from(sorted(UNARY)))
            steps.append((op, draw(st.integers(0, pool - 1))))
        else:
            op = draw(st.sampled_from(sorted(BINARY)))
            # operands may be the same node or any earlier node: reuse is the point
            steps.append((op, draw(st.integers(0, pool - 1)), draw(st.integers(0, pool - 1))))
        pool += 1
    return leaves, steps


def run(program: tuple[list[float], list[tuple]], make):
    leaves, steps = program
    nodes = [make(v) for v in leaves]
    for op, *args in steps:
        fn = UNARY.get(op) or BINARY[op]
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
        program, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True))
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-9, abs=1e-12)
    for leaf, t_leaf in zip(leaves, t_leaves):
        expected = 0.0 if t_leaf.grad is None else t_leaf.grad.item()
        got = 0.0 if leaf.grad is None else leaf.grad
        assert got == pytest.approx(expected, rel=1e-8, abs=1e-10)
