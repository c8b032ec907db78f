"""Pickling one graph after another in the same thread (issue 13, mutation testing of
core/copying.py): the plan of nodes already on their way is forgotten when a pickle ends,
a graph met while another is being sent (a node's create_graph gradient) does not end the
outer plan early, restored nodes take hooks, and a node subclass may be weakly referenced."""

from __future__ import annotations

import copy
import pickle
import threading
import weakref
from collections.abc import Callable

import pytest

import microgradnn as mg


def _chain(start: mg.Scalar, n: int) -> list[mg.Scalar]:
    nodes = [start]
    for _ in range(n):
        nodes.append(nodes[-1] * 1.0001 + 0.0)
    return nodes


def _copy(how: str, node: mg.Scalar) -> mg.Scalar:
    return pickle.loads(pickle.dumps(node)) if how == "pickle" else copy.deepcopy(node)


def _in_a_new_thread(body: Callable[[], None]) -> None:
    """Run body in a fresh thread (its own plan), re-raising what it raised."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            body()
        except BaseException as error:  # handed back to the test
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


@pytest.mark.parametrize("thread", ["main", "new"])
@pytest.mark.parametrize("how", ["pickle", "deepcopy"])
def test_a_node_inside_a_graph_already_copied_copies_flat_too(how: str, thread: str) -> None:
    def body() -> None:
        nodes = _chain(mg.Scalar(1.0, name="x"), 2500)  # 5001 nodes: deeper than recursion
        _copy(how, nodes[-1])
        middle = nodes[1500]  # its ancestors went with the first copy; that plan is over
        again = _copy(how, middle)
        assert again.data == pytest.approx(middle.data, rel=1e-15)
        again.backward()
        leaf = mg.topological_order(again)[0]
        assert leaf.name == "x" and leaf.grad == pytest.approx(1.0001 ** 1500, rel=1e-9)

    if thread == "main":
        body()
    else:
        _in_a_new_thread(body)


def _pickled_size(n: int) -> int:
    """The pickle of an n-step chain on a leaf whose gradient is a node (create_graph): that
    gradient is a graph of its own, sent while the chain's ancestors are being sent."""
    a = mg.Scalar(2.0, name="a")
    (a * a).backward(create_graph=True)
    assert isinstance(a.grad, mg.Scalar)
    return len(pickle.dumps(_chain(a, n)[-1]))


def test_a_pickle_grows_linearly_with_the_graph_when_a_gradient_graph_is_inside() -> None:
    small, medium, large = (_pickled_size(n) for n in (100, 300, 500))
    # each 200 more steps cost about the same bytes; a plan forgotten too early sends every
    # later node with the list of all its ancestors, and the pickle grows as n²
    assert large - medium == pytest.approx(medium - small, rel=0.1)


def test_a_gradient_graph_inside_a_pickle_comes_back_whole() -> None:
    a = mg.Scalar(2.0, name="a")
    (a * a).backward(create_graph=True)
    end = _chain(a, 50)[-1]
    end2 = pickle.loads(pickle.dumps(end))
    a2 = mg.topological_order(end2)[0]
    assert a2.name == "a" and a2.data == 2.0
    assert isinstance(a2.grad, mg.Scalar) and a2.grad.data == 4.0  # d(a²)/da at 2
    a2.grad.backward()  # the gradient graph is still a graph: d(2a)/da = 2
    assert a2.grad.data == pytest.approx(6.0)  # 4 (a²'s gradient node) + 2 accumulated


@pytest.mark.parametrize("how", ["pickle", "deepcopy", "copy"])
def test_a_restored_node_takes_hooks(how: str) -> None:
    x = mg.Scalar(3.0, name="x")
    y = x * x
    y2 = copy.copy(y) if how == "copy" else _copy(how, y)
    seen: list[float] = []
    y2.register_hook(lambda g: seen.append(g) or g * 2.0)
    y2.backward()
    x2 = y2.parents[0]
    assert seen == [1.0]
    assert x2.grad == pytest.approx(12.0)  # 2 · dy/dx = 2 · 6


class _WeakScalar(mg.Scalar):
    """A user's Scalar subclass that can be weakly referenced."""

    __slots__ = ("__weakref__",)


@pytest.mark.parametrize("how", ["pickle", "deepcopy", "copy"])
def test_a_node_subclass_with_weak_references_copies(how: str) -> None:
    node = _WeakScalar(2.5, name="w")
    ref = weakref.ref(node)
    out = copy.copy(node) if how == "copy" else _copy(how, node)
    assert type(out) is _WeakScalar and out.data == 2.5 and out.name == "w"
    assert ref() is node and weakref.ref(out)() is out


def test_a_restored_tensor_keeps_its_version_count_and_takes_in_place_changes() -> None:
    t = mg.Tensor([1.0, 2.0])
    t += 1.0
    t += 1.0
    t2 = pickle.loads(pickle.dumps(t))
    assert t2._version == 2
    t2 += 1.0  # counts on from there
    assert t2._version == 3 and t2.tolist() == [4.0, 5.0]
