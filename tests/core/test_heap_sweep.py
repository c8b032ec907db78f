"""The one-loop sweep (heap_sweep) does what the sorted sweep does, node for node.

Both sweeps are run on identical fresh graphs of both node types (random programs with
reused sub-expressions, a node used twice, constants, a function whose backward sends
nothing to an input that needs a gradient) and must leave the same gradient in every node,
bit for bit, fire hooks in the same order, report the same leaves with what they held, and
leave the leaves as they were when a pass fails; with ``create_graph`` too, where every
gradient is a node. ``Tensor`` uses the one loop for
``backward()`` and ``mg.grad``; ``Scalar`` keeps the sorted sweep (core/sweep.py says why),
and both must agree whichever a node type picks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings

import microgradnn as mg
from microgradnn.core.sweep import heap_sweep, sweep
from tests.core.test_random_graphs import BINARY, NARY, UNARY, programs

MAKERS: dict[str, Callable[[float], Any]] = {
    "scalar": lambda v: mg.Scalar(v),
    "tensor": lambda v: mg.Tensor([v, -v / 2.0], requires_grad=True),
}


class Stop(mg.Function):
    """y = 2x, whose backward sends nothing to x: the pass does not reach x's graph."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        return 2.0 * x

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        return None


def build(program: tuple[list[float], list[tuple]], kind: str) -> tuple[Any, list[Any], list]:
    """(root, every node made, the calls of hooks as they fire) of a random program."""
    values, steps = program
    fired: list[int] = []
    nodes = [MAKERS[kind](v) for v in values]
    nodes.append(Stop.apply(nodes[0] * 3.0).exp() * 0.5 + nodes[-1])  # (x·3 is not reached)
    for op, *args in steps:
        fn = UNARY.get(op) or BINARY.get(op) or NARY[op][kind == "tensor"]  # (Scalar.sum, .dot)
        nodes.append(fn(*(nodes[i] for i in args)))
    root = nodes[-1] + 0.1 * nodes[len(values)]
    root = root if kind == "scalar" else root.sum()
    for i, node in enumerate(nodes):
        node.register_hook(lambda g, i=i: fired.append(i))
    return root, nodes, fired


def _values(nodes: list[Any]) -> list[Any]:
    """Every node's grad as an array (a gradient that is a node: its data)."""
    grads = [getattr(n.grad, "data", n.grad) for n in nodes]
    return [None if g is None else np.array(g, copy=True) for g in grads]


def _seed(root: Any, create_graph: bool = False) -> Any:
    """What backward() starts from: ∂root/∂root, as a node for a create_graph pass."""
    return root._seed_node(root._seed()) if create_graph else root._seed()


def _positions(leaves: list[tuple[Any, Any]], nodes: list[Any]) -> list[tuple[int, Any]]:
    """The leaves a sweep reported, as (place among the program's nodes, grad before),
    sorted; a constant the program's ops made counts as place -1."""
    index = {id(n): i for i, n in enumerate(nodes)}
    return sorted(((index.get(id(n), -1), before) for n, before in leaves),
                  key=lambda pair: pair[0])


@settings(max_examples=200, deadline=None)
@given(programs())
@pytest.mark.parametrize("create_graph", [False, True])
@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_the_one_loop_leaves_every_gradient_and_fires_every_hook_as_the_sorted_sweep(
        kind: str, create_graph: bool, program: tuple[list[float], list[tuple]]) -> None:
    root, nodes, fired = build(program, kind)
    seed = _seed(root, create_graph)
    want_leaves = _positions(sweep(mg.topological_order(root), root, seed, create_graph), nodes)
    want, want_fired = _values(nodes), list(fired)
    root, nodes, fired = build(program, kind)
    leaves = _positions(heap_sweep(root, _seed(root, create_graph), create_graph), nodes)
    assert fired == want_fired
    assert leaves == want_leaves
    for g, w in zip(_values(nodes), want, strict=True):
        assert (g is None) == (w is None)
        if w is not None:
            assert g.dtype == w.dtype
            np.testing.assert_array_equal(g, w)  # bit for bit: the same sums in the same order
    if create_graph:  # and each gradient is a node with a graph to differentiate again
        assert all(isinstance(n.grad, type(root)) for n in nodes if n.grad is not None)


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_backward_accumulates_and_grad_restores_every_node_whichever_sweep(kind: str) -> None:
    make = MAKERS[kind]
    x, y = make(0.5), make(-1.5)
    h = (x * y).tanh()
    root = h * h + x
    root = root if kind == "scalar" else root.sum()
    root.backward()
    once = _values([x, y, h])
    root.backward()  # leaves accumulate, an intermediate node holds this pass's ∂root/∂node
    twice = _values([x, y, h])
    np.testing.assert_array_equal(twice[0], 2 * once[0])
    np.testing.assert_array_equal(twice[2], once[2])
    gx, gh = mg.grad(root, [x, h])
    np.testing.assert_array_equal(gx, once[0])
    np.testing.assert_array_equal(gh, once[2])
    for got, want in zip(_values([x, y, h]), twice):  # grad touched no node's grad
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("kind", sorted(MAKERS))
def test_a_failing_pass_leaves_the_leaves_as_they_were(kind: str) -> None:
    make = MAKERS[kind]
    x, y = make(2.0), make(3.0)
    x.grad = np.array([7.0, 7.0]) if kind == "tensor" else 7.0
    h = x * y
    root = h * x
    root = root if kind == "scalar" else root.sum()

    def fail(g: Any) -> None:
        raise RuntimeError("hook failed")

    h.register_hook(fail)
    with pytest.raises(RuntimeError, match="hook failed"):
        root.backward()
    np.testing.assert_array_equal(x.grad, 7.0 if kind == "scalar" else [7.0, 7.0])
    assert y.grad is None


def test_a_leaf_as_root_and_a_gradient_that_is_the_childs_own_array() -> None:
    """backward() on a leaf gives it the seed; a + b passes g on, and a leaf gets a copy of
    it (changing the leaf's grad in place cannot change the child's δ)."""
    x = mg.Tensor(3.0, requires_grad=True)
    x.backward()
    assert x.grad == 1.0
    a = mg.Tensor([1.0, 2.0], requires_grad=True)
    s = a + 1.0
    s.backward(gradient=np.array([1.0, 1.0]))
    a.grad *= 5.0
    np.testing.assert_array_equal(s.grad, [1.0, 1.0])


def _both_sweeps(build_and_run: Callable[[], Any]) -> tuple[Any, Any]:
    """What ``build_and_run`` returns with Tensor on the one loop and on the sorted sweep."""
    results = []
    for small in (True, False):
        mg.Tensor._small_graphs = small
        try:
            results.append(build_and_run())
        finally:
            mg.Tensor._small_graphs = True
    return results[0], results[1]


def test_a_leaf_reached_first_with_nothing_still_gets_a_copy_of_a_passed_on_gradient() -> None:
    """x is first reached through Stop (no contribution), then through x + 0, which passes
    δ on unchanged: x must get its own array, or changing x.grad in place changes a's δ."""
    def run() -> tuple[bool, list[float]]:
        x = mg.Tensor([1.0, 2.0], requires_grad=True)
        a = x + 0.0
        out = a + Stop.apply(x)  # Stop is newer than a: taken first
        gx, ga = mg.grad(out, [x, a], gradient=np.array([1.0, 1.0]))
        out.backward(gradient=np.array([1.0, 1.0]))
        x.grad *= 5.0
        return gx is ga, a.grad.tolist()

    one_loop, sorted_sweep = _both_sweeps(run)
    assert one_loop == sorted_sweep == (False, [1.0, 1.0])


def test_after_a_failed_pass_the_nodes_it_did_not_reach_hold_none_as_in_the_sorted_sweep(
        ) -> None:
    def run() -> list[Any]:
        x = mg.Tensor([1.0, 2.0], requires_grad=True)
        h = x * mg.Tensor([3.0, 4.0], requires_grad=True)
        k = h.tanh()
        out = (k * 2.0).sum()
        out.backward()  # every node now holds a gradient
        k.register_hook(lambda g: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            out.backward()
        return [None if n.grad is None else n.grad.tolist() for n in (x, h, k)]

    one_loop, sorted_sweep = _both_sweeps(run)
    assert one_loop == sorted_sweep
    assert one_loop[1] is None  # h: reached by the failed pass's reset, not by a gradient


def test_a_leaf_hook_may_register_a_hook_on_a_later_leaf_that_fires_in_the_same_pass(
        ) -> None:
    def run() -> list[str]:
        fired: list[str] = []
        x = mg.Tensor([1.0], requires_grad=True)
        y = mg.Tensor([2.0], requires_grad=True)
        x.register_hook(lambda g: y.register_hook(lambda g: fired.append("y")) and None)
        (x * y).sum().backward()
        return fired

    one_loop, sorted_sweep = _both_sweeps(run)
    assert one_loop == sorted_sweep == ["y"]


def test_a_failed_grad_leaves_every_node_as_it_was_whichever_sweep() -> None:
    def run() -> list[Any]:
        x = mg.Tensor([1.0, 2.0], requires_grad=True)
        h = x * mg.Tensor([3.0, 4.0], requires_grad=True)
        k = h.tanh()
        out = (k * 2.0).sum()
        out.backward()
        before = _values([x, h, k])
        k.register_hook(lambda g: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            mg.grad(out, [x])
        return [(a is None and b is None) or np.array_equal(a, b)
                for a, b in zip(_values([x, h, k]), before)]

    one_loop, sorted_sweep = _both_sweeps(run)
    assert one_loop == sorted_sweep == [True, True, True]
