"""Every Tensor op against PyTorch float64 (hypothesis shapes, broadcasting pairs, 0-d,
size-1 axes) and against central differences (mg.gradcheck).

One table, CASES, drives both: every row of the shared op table (tests/op_table.py, which
also drives the Scalar tests), then the ops only Tensor has. Each case's function takes a
namespace ``F`` first: MG (microgradnn) or TH (PyTorch), from tests/backends.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from types import SimpleNamespace
from typing import Any, NamedTuple

import numpy as np
import pytest
import torch
from backends import MG, TH, backprop, leaves
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from op_table import ALL, AWAY_FROM_ZERO, SAFE, Op

import microgradnn as mg
from microgradnn.tensor import kernels

Example = tuple[list[np.ndarray], dict[str, Any]]


class Inputs(NamedTuple):
    """How a case's inputs are made: drawn by hypothesis for the PyTorch comparison, or
    fixed for gradcheck (one example per seed: explicit small shapes, seeded values)."""

    draw: Callable[[st.DataObject], Example]
    fixed: Callable[[int], Example]


class Case(NamedTuple):
    name: str
    fn: Callable[..., Any]  # fn(F, *inputs, **kwargs)
    inputs: Inputs


shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
PAIRS = [((3, 1), (1, 4)), ((4,), (2, 4)), ((), (3,)), ((2, 1, 3), (4, 1)), ((1,), ())]
pairs = st.one_of(
    st.sampled_from(PAIRS),
    hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4)
    .map(lambda b: b.input_shapes),
)
# the gradcheck examples' shapes, by seed: one input, and a pair that broadcasts both ways
FIXED_SHAPES = [(2, 3), (3, 1, 2)]
FIXED_PAIRS = [((3, 1), (1, 4)), ((2, 1, 3), (4, 1))]


def _array(data: st.DataObject, shape: tuple[int, ...], domain: tuple[float, float],
           signed: bool = False) -> np.ndarray:
    low, high = domain
    x = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(low, high)))
    if signed:
        x = x * data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0])))
    return x


def _values(seed: int, sizes: Sequence[tuple[int, ...]], domain: tuple[float, float] = SAFE,
            signed: bool = False) -> list[np.ndarray]:
    """Seeded arrays of the given shapes, uniform over the domain (each sign random when
    signed): almost surely no ties, and no kink within gradcheck's step."""
    rng = np.random.default_rng(seed)
    low, high = domain
    arrays = [rng.uniform(low, high, shape) for shape in sizes]
    return [x * rng.choice([-1.0, 1.0], x.shape) for x in arrays] if signed else arrays


def fixed(*examples: tuple[list[tuple[int, ...]], dict[str, Any]]) -> Callable[[int], Example]:
    """Gradcheck's examples, one per seed: the inputs' shapes and the keyword arguments."""
    return lambda seed: (_values(seed, examples[seed][0]), examples[seed][1])


def unary(domain: tuple[float, float], signed: bool = False) -> Inputs:
    return Inputs(lambda data: ([_array(data, data.draw(shapes), domain, signed)], {}),
                  lambda seed: (_values(seed, [FIXED_SHAPES[seed]], domain, signed), {}))


def binary(domain: tuple[float, float]) -> Inputs:
    def draw(data: st.DataObject) -> Example:
        sa, sb = data.draw(pairs)
        return [_array(data, sa, domain), _array(data, sb, domain)], {}
    return Inputs(draw, lambda seed: (_values(seed, FIXED_PAIRS[seed], domain), {}))


def same_shape(count: int) -> Inputs:
    def draw(data: st.DataObject) -> Example:
        shape = data.draw(shapes)
        return [_array(data, shape, SAFE) for _ in range(count)], {}
    return Inputs(draw, lambda seed: (_values(seed, [FIXED_SHAPES[seed]] * count), {}))


def _reduction(data: st.DataObject) -> Example:
    shape = data.draw(shapes)
    ndim = len(shape)
    axis = data.draw(st.one_of(
        st.none(),
        st.integers(-ndim, ndim - 1),
        st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).map(tuple),
    ) if ndim else st.sampled_from([None, ()]))
    return [_array(data, shape, SAFE)], {"axis": axis, "keepdims": data.draw(st.booleans())}


def _along_axis(data: st.DataObject) -> Example:
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=4))
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    return [_array(data, shape, SAFE)], {"axis": axis}


def _matmul(data: st.DataObject) -> Example:
    m, n, k = (data.draw(st.integers(1, 4)) for _ in range(3))
    kind = data.draw(st.sampled_from(["vv", "vm", "mv", "mm", "batched", "broadcast"]))
    sa, sb = {
        "vv": ((n,), (n,)), "vm": ((n,), (2, n, k)), "mv": ((3, m, n), (n,)),
        "mm": ((m, n), (n, k)), "batched": ((2, m, n), (2, n, k)),
        "broadcast": ((2, 1, m, n), (3, n, k)),
    }[kind]
    return [_array(data, sa, SAFE), _array(data, sb, SAFE)], {}


def _shape_op(data: st.DataObject) -> Example:
    shape = data.draw(shapes)
    perm = tuple(data.draw(st.permutations(range(len(shape)))))
    return [_array(data, shape, SAFE)], {"perm": perm}


def _indexing(data: st.DataObject) -> Example:
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5))
    x = _array(data, shape, SAFE)
    kind = data.draw(st.sampled_from(["slice", "int", "ints", "bool", "mixed"]))
    if kind == "slice":
        index: Any = (slice(data.draw(st.integers(0, shape[0] - 1)), None,
                            data.draw(st.integers(1, 2))),)
    elif kind == "int":
        index = data.draw(st.integers(-shape[0], shape[0] - 1))
    elif kind == "ints":  # repeated indices must accumulate
        index = np.array(data.draw(st.lists(st.integers(0, shape[0] - 1), min_size=1,
                                            max_size=6)))
    elif kind == "bool":
        index = data.draw(hnp.arrays(bool, shape))
    else:
        index = (slice(None), np.array([0, 0])) if len(shape) > 1 else np.array([0, -1, 0])
    return [x], {"index": index}


def _joining(data: st.DataObject) -> Example:
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, max_side=3))
    axis = data.draw(st.integers(0, len(shape) - 1))
    count = data.draw(st.integers(1, 3))
    arrays = []
    for _ in range(count):
        s = list(shape)
        s[axis] = data.draw(st.integers(1, 3))
        arrays.append(_array(data, tuple(s), SAFE))
    return arrays, {"axis": axis}


def _stacking(data: st.DataObject) -> Example:
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    axis = data.draw(st.integers(-len(shape) - 1, len(shape)))
    return [_array(data, shape, SAFE) for _ in range(data.draw(st.integers(1, 3)))], {
        "axis": axis}


reduction = Inputs(_reduction, fixed(([(3, 4)], {"axis": -1, "keepdims": True}),
                                     ([(2, 3, 2)], {"axis": (0, 2), "keepdims": False})))
along_axis = Inputs(_along_axis, fixed(([(3, 4)], {"axis": -1}), ([(2, 3, 2)], {"axis": 0})))
matmul = Inputs(_matmul, fixed(([(2, 3), (3, 4)], {}), ([(2, 1, 2, 3), (3, 3, 2)], {})))
shape_op = Inputs(_shape_op, fixed(([(2, 3)], {"perm": (1, 0)}),
                                   ([(2, 3, 4)], {"perm": (2, 0, 1)})))
indexing = Inputs(_indexing, fixed(
    ([(4, 3)], {"index": np.array([0, 2, 0])}),  # a repeated index accumulates
    ([(4, 3)], {"index": (slice(1, None, 2), np.array([0, 0, 2]))})))
joining = Inputs(_joining, fixed(([(2, 3), (1, 3)], {"axis": 0}),
                                 ([(2, 1, 2), (2, 3, 2), (2, 2, 2)], {"axis": 1})))
stacking = Inputs(_stacking, fixed(([(2, 3), (2, 3)], {"axis": 0}),
                                   ([(3,), (3,), (3,)], {"axis": -1})))


def _from_table(op: Op) -> Case:
    """A row of the shared op table: the same function on both backends."""
    return Case(op.name, lambda F, *xs: op.fn(*xs),
                unary(op.domain) if op.arity == 1 else binary(op.domain))


CASES = [_from_table(op) for op in ALL] + [
    # relu and abs with both signs in one array (the table's rows keep one sign each)
    Case("relu", lambda F, a: a.relu(), unary(AWAY_FROM_ZERO, signed=True)),
    Case("abs", lambda F, a: a.abs(), unary(AWAY_FROM_ZERO, signed=True)),
    Case("softplus", lambda F, a: F.softplus(a), unary(SAFE)),
    Case("clip", lambda F, a: a.clip(-0.5, 0.7), unary(SAFE)),
    Case("clip_low", lambda F, a: a.clip(min=0.3), unary(SAFE)),
    Case("const_ops", lambda F, a: (3.0 - a) * 2.0 / 4.0 + 1.0 - 0.5 / (a * a + 1.0),
         unary(SAFE)),
    Case("maximum", lambda F, a, b: F.maximum(a, b), binary(SAFE)),
    Case("where", lambda F, a, b, c: F.where(c.data > 0 if F is MG else c > 0, a, b),
         same_shape(3)),
    Case("matmul", lambda F, a, b: a @ b, matmul),
    Case("sum", lambda F, a, **kw: F.sum(a, **kw), reduction),
    Case("mean", lambda F, a, **kw: F.mean(a, **kw), reduction),
    Case("max", lambda F, a, **kw: F.max(a, **kw), reduction),
    Case("min", lambda F, a, **kw: F.min(a, **kw), reduction),
    Case("logsumexp", lambda F, a, **kw: F.logsumexp(a, **kw), reduction),
    Case("softmax", lambda F, a, axis: a.softmax(axis), along_axis),
    Case("log_softmax", lambda F, a, axis: a.log_softmax(axis), along_axis),
    Case("reshape", lambda F, a, perm: a.reshape(-1), shape_op),
    Case("reshape_2d", lambda F, a, perm: a.reshape((1, -1)), shape_op),
    Case("transpose", lambda F, a, perm: F.permute(a, perm), shape_op),
    Case("index", lambda F, a, index: F.index(a, index), indexing),
    Case("concatenate", lambda F, *ts, axis: F.concatenate(ts, axis=axis), joining),
    Case("stack", lambda F, *ts, axis: F.stack(ts, axis=axis), stacking),
]
# where's condition comes from its third input, which therefore gets a zero gradient
NO_GRAD_INPUT = {"where": 2}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@settings(max_examples=15)
@given(data=st.data())
def test_op_matches_pytorch(case: Case, data: st.DataObject) -> None:
    arrays, kwargs = case.inputs.draw(data)
    value, grads = backprop(MG, partial(case.fn, MG, **kwargs), leaves(MG, arrays))
    expected, expected_grads = backprop(TH, partial(case.fn, TH, **kwargs), leaves(TH, arrays))
    assert isinstance(value, np.ndarray)
    assert value.shape == expected.shape
    np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-12)
    for i, (got, want) in enumerate(zip(grads, expected_grads)):
        if NO_GRAD_INPUT.get(case.name) == i:
            continue
        assert np.shape(got) == arrays[i].shape, f"grad of input {i} has the wrong shape"
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("seed", [0, 1])
def test_op_passes_gradcheck(case: Case, seed: int) -> None:
    arrays, kwargs = case.inputs.fixed(seed)
    assert mg.gradcheck(lambda *ts: case.fn(MG, *ts, **kwargs), leaves(MG, arrays))


def test_gradcheck_catches_a_wrong_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above can fail: a tanh rule missing its square is caught."""
    import dataclasses

    from microgradnn.tensor import ops

    wrong = dataclasses.replace(ops.TANH, vjps=(lambda g, ans, x: g * (1.0 - ans),))
    monkeypatch.setattr(ops, "TANH", wrong)
    x = mg.Tensor(np.linspace(-1, 1, 5), requires_grad=True)
    with pytest.raises(mg.GradcheckError, match="input 0"):
        mg.gradcheck(lambda t: t.tanh(), [x])


def test_each_op_documents_its_derivative() -> None:
    names = ["__add__", "__sub__", "__mul__", "__truediv__", "__neg__", "__pow__",
             "__matmul__", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "softplus", "abs",
             "clip", "sum", "mean", "max", "min", "logsumexp", "softmax", "log_softmax",
             "reshape", "transpose", "__getitem__"]
    for name in names:
        assert "∂" in (getattr(mg.Tensor, name).__doc__ or ""), f"Tensor.{name}"
    for fn in (mg.concatenate, mg.stack, mg.where, mg.maximum):
        assert "∂" in (fn.__doc__ or ""), fn.__name__


def test_max_ties_split_the_gradient_as_pytorch() -> None:
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    for axis in (None, 0, 1):
        t = mg.Tensor(x, requires_grad=True)
        t.max(axis).sum().backward()
        ref = torch.tensor(x, requires_grad=True)
        (ref.amax() if axis is None else ref.amax(dim=axis)).sum().backward()
        np.testing.assert_allclose(t.grad, ref.grad.numpy())
    a, b = mg.Tensor([1.0, 2.0], requires_grad=True), mg.Tensor([1.0, 3.0], requires_grad=True)
    mg.maximum(a, b).sum().backward()
    np.testing.assert_allclose(a.grad, [0.5, 0.0])
    np.testing.assert_allclose(b.grad, [0.5, 1.0])


@pytest.mark.parametrize("scale", [1.0, 400.0])
def test_fast_paths_on_large_and_tall_arrays_match_pytorch(scale: float) -> None:
    """Tall products are computed transposed and large sigmoids via exp: same numbers."""
    rng = np.random.default_rng(7)
    rows = kernels.IN_PLACE_SIGMOID_MIN // 6 + 1  # z has enough entries for the in-place σ
    x = rng.normal(size=(rows, 8)) * scale  # scale 400 reaches below -700: expit fallback
    w = rng.normal(size=(6, 8))
    b = rng.normal(size=6)
    outs, grads = [], []
    for F in (MG, TH):
        X, W, B = inputs = leaves(F, (x, w, b))
        z = X @ W.T + B  # (rows, 6): taller than 4 × 6, so computed as (W Xᵀ)ᵀ
        out = (z.sigmoid() * 3.0 + F.softplus(z)).sum() + (X.T @ z).sum()
        out.backward()
        outs.append(out.item())
        grads.append([F.grad(t) for t in inputs])
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-12)
    for m, r in zip(*grads):
        np.testing.assert_allclose(m, r, rtol=1e-10, atol=1e-12)

# Ops with several inputs, where some inputs are constants: a NumPy array, a plain number, or
# a Tensor with requires_grad=False. Such an input gets no gradient (None); the others match
# PyTorch. (The comparison above makes every input require grad.)
MIXED = {"add", "sub", "mul", "div", "pow", "maximum", "matmul", "concatenate", "stack"}
NO_NUMBER = {"matmul", "concatenate", "stack"}  # a number is not a valid operand there


def _mixed_input(F: SimpleNamespace, x: np.ndarray, kind: str, i: int, op: str) -> Any:
    if kind == "number":
        number = float(x.reshape(-1)[0])
        if F is TH and op == "maximum":  # torch.maximum takes tensors only
            return torch.tensor(number, dtype=torch.float64)
        return number
    if kind == "array":  # microgradnn takes the array itself; PyTorch a tensor without grad
        return F.constant(x)
    return F.leaf(x, kind == "grad", f"x{i}")

@pytest.mark.parametrize("case", [c for c in CASES if c.name in MIXED], ids=lambda c: c.name)
@settings(max_examples=20)
@given(data=st.data())
def test_constant_operands_get_no_gradient_and_the_rest_match_pytorch(
        case: Case, data: st.DataObject) -> None:
    arrays, kwargs = case.inputs.draw(data)
    choices = ["grad", "array", "nograd"] + ([] if case.name in NO_NUMBER else ["number"])
    kinds = data.draw(st.lists(st.sampled_from(choices), min_size=len(arrays),
                               max_size=len(arrays)).filter(lambda k: "grad" in k))
    results = []
    for F in (MG, TH):
        inputs = [_mixed_input(F, x, k, i, case.name)
                  for i, (x, k) in enumerate(zip(arrays, kinds))]
        results.append(backprop(F, partial(case.fn, F, **kwargs), inputs))
    (value, grads), (expected, expected_grads) = results
    np.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-12)
    for i, (kind, got, want) in enumerate(zip(kinds, grads, expected_grads)):
        if kind != "grad":
            assert got is None, f"input {i} ({kind}) got a gradient"
            continue
        assert np.shape(got) == arrays[i].shape, f"grad of input {i} has the wrong shape"
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
