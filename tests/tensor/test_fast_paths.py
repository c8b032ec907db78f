"""The Tensor engine's fast paths give bit-identical results to its general path.

Each random program (hypothesis, 200 examples per test, derandomized) runs twice: once as
usual, once inside ``fastpaths.general_path()``, where every op goes through the general
wrapper. Every node's value and every gradient (leaves' and intermediate nodes') must be
equal with ``np.array_equal`` and have the same type and dtype; a program that raises must
raise the same error, word for word, both ways. Programs mix float64 and float32 leaves, shapes
that broadcast, constants on either side (numbers, float32/float64 arrays, 0-d arrays, an
ndarray on the left of an operator, NumPy ufuncs called directly), 0-d operands, and run
plain, in anomaly mode, and with ``create_graph``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microgradnn as mg
from microgradnn.tensor import fastpaths

SHAPES = [(), (3,), (2, 3), (1, 3), (2, 1), (3, 2)]
DTYPES = [np.float64, np.float32]
# constants: how to make one for an operand of a given shape and dtype from a generator
CONSTANTS: dict[str, Callable[[np.random.Generator, tuple[int, ...], Any], Any]] = {
    "float": lambda rng, shape, dtype: float(rng.uniform(0.5, 2.0)),
    "int": lambda rng, shape, dtype: int(rng.integers(1, 4)),
    "zero": lambda rng, shape, dtype: 0.0,  # a division by it makes inf (anomaly mode raises)
    "array64": lambda rng, shape, dtype: rng.uniform(-2.0, 2.0, shape),
    "array32": lambda rng, shape, dtype: rng.uniform(-2.0, 2.0, shape).astype(np.float32),
    "row": lambda rng, shape, dtype: rng.uniform(-2.0, 2.0, shape[-1:]),  # broadcasts
    "0d64": lambda rng, shape, dtype: np.array(rng.uniform(0.5, 2.0)),
    "np.float64": lambda rng, shape, dtype: np.float64(rng.uniform(0.5, 2.0)),
    "np.float32": lambda rng, shape, dtype: np.float32(rng.uniform(0.5, 2.0)),
}
BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "@": lambda a, b: a @ b,
    "np.add": np.add,
    "np.multiply": np.multiply,
    "np.subtract": np.subtract,
    "np.true_divide": np.true_divide,
    "np.matmul": np.matmul,
    "maximum": mg.maximum,
}
UNARY: dict[str, Callable[[Any], Any]] = {
    "sigmoid": lambda t: t.sigmoid(),
    "softplus": lambda t: t.softplus(),
    "tanh": lambda t: t.tanh(),
    "exp": lambda t: t.exp(),
    "neg": lambda t: -t,
    "square": lambda t: t**2,
    "sum": lambda t: t.sum(),
    "sum0": lambda t: t.sum(axis=0) if t.ndim else t.sum(),
    "mean": lambda t: t.mean(),
    "T": lambda t: t.T,
}

# one step: (kind, op name, first operand, second operand, constant kind); operands are
# positions in the pool of nodes made so far (taken modulo its size)
steps = st.tuples(
    st.sampled_from(["tt", "tc", "ct", "unary"]),
    st.sampled_from(sorted(BINARY) + sorted(UNARY)),
    st.integers(0, 40),
    st.integers(0, 40),
    st.sampled_from(sorted(CONSTANTS)),
)
programs = st.tuples(
    st.integers(0, 2**32 - 1),  # the seed of every value
    st.lists(st.sampled_from(SHAPES), min_size=3, max_size=3),
    st.lists(st.sampled_from(DTYPES), min_size=3, max_size=3),
    st.lists(steps, min_size=1, max_size=8),
)


def run(program: Any, *, create_graph: bool = False) -> list[Any]:
    """Build the program's graph, sweep it, and return what can be observed: each node's value,
    each node's gradient, and the leaves' gradients (or the error it raised)."""
    seed, shapes, dtypes, program_steps = program
    rng = np.random.default_rng(seed)
    leaves = [mg.Tensor(rng.uniform(-2.0, 2.0, s).astype(d), requires_grad=True, name=f"x{i}")
              for i, (s, d) in enumerate(zip(shapes, dtypes))]
    pool: list[Any] = list(leaves)
    try:
        for kind, name, i, j, constant in program_steps:
            a, b = pool[i % len(pool)], pool[j % len(pool)]
            if kind == "unary" or name in UNARY:
                op: Any = UNARY.get(name, UNARY["sigmoid"])
                pool.append(op(a))
                continue
            fn = BINARY[name]
            c = CONSTANTS[constant](rng, a.shape, a.dtype)
            pool.append(fn(a, b) if kind == "tt" else fn(a, c) if kind == "tc" else fn(c, a))
        root = pool[-1].sum()
        root.backward(create_graph=create_graph)
    except (ValueError, TypeError, RuntimeError, FloatingPointError) as error:
        return [type(error).__name__, str(error)]
    observed: list[Any] = [p.data for p in pool] + [root.data]
    for p in pool:
        g = p.grad
        observed.append(g.data if create_graph and isinstance(g, mg.Tensor) else g)
    return observed


def assert_identical(fast: list[Any], general: list[Any]) -> None:
    assert len(fast) == len(general)
    for u, v in zip(fast, general):
        assert type(u) is type(v), (type(u), type(v))
        if isinstance(u, str) or u is None:
            assert u == v
            continue
        assert np.asarray(u).dtype == np.asarray(v).dtype
        assert np.array_equal(u, v, equal_nan=True), (u, v)


def both_ways(program: Any, **kwargs: Any) -> tuple[list[Any], list[Any]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # inf and nan are part of the test
        fast = run(program, **kwargs)
        with fastpaths.general_path():
            general = run(program, **kwargs)
    return fast, general


SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


@SETTINGS
@given(programs)
def test_random_programs_give_the_same_values_and_gradients_both_ways(program: Any) -> None:
    assert_identical(*both_ways(program))


@SETTINGS
@given(programs)
def test_in_anomaly_mode_both_ways_agree_and_raise_alike(program: Any) -> None:
    with mg.detect_anomaly():
        assert_identical(*both_ways(program))


@SETTINGS
@given(programs)
def test_with_create_graph_both_ways_give_the_same_gradient_graphs(program: Any) -> None:
    assert_identical(*both_ways(program, create_graph=True))


def test_the_switch_reaches_every_fast_path_and_is_restored() -> None:
    """general_path really changes the route: the 0-d fast path saves NumPy scalars, the
    general one the 0-d arrays; after the block (even one that raised) the fast path is back."""
    a = mg.Tensor(2.0, requires_grad=True)
    b = mg.Tensor(3.0, requires_grad=True)
    assert type(mg.core.rule_of(a - b)[1][0]) is np.float64
    with pytest.raises(KeyError), fastpaths.general_path():
        assert type(mg.core.rule_of(a - b)[1][0]) is np.ndarray
        raise KeyError("leaving the block by an error")
    assert fastpaths.switch.fast
    assert type(mg.core.rule_of(a - b)[1][0]) is np.float64
