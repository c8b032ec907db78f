"""Pickling and copying nodes: a graph travels whole, flat, and is renumbered on arrival.

``pickle.dumps(node)`` and ``copy.deepcopy(node)`` take the node together with the graph
behind it. Two things make that more than copying slots:

* **Depth.** Pickle and deepcopy recurse into each object's parents; a chain of a few
  thousand nodes exceeds Python's recursion limit. So the first node reached (the root)
  sends its ancestors first, as one flat list in topological order: each of them then finds
  its parents already sent and recurses no deeper than one level.
* **Process-local numbers.** A node's ``_order`` (its place in creation order, which the
  backward sweep sorts by) and the change stamps of a Tensor's version counter come from a
  counter of the process that made them. A restored node takes a fresh number as it is
  created — parents are created first, so the order stays topological — and a restored
  version counter keeps its count but no stamps (changes made before pickling count as
  older than every restored node).
* **Gradients that are graphs.** After ``backward(create_graph=True)`` a node's ``grad`` is
  a node whose graph is built on the forward graph (and may use the root itself). So the
  ancestors travel without their grads, and the root sends every grad of its graph after
  it: each gradient's graph is then created after all of the forward graph it depends on.

Hooks are not copied (as in PyTorch: they are usually closures that cannot be pickled).
"""

from __future__ import annotations

import threading
from typing import Any

from .order import stamp, topological_order

__all__ = ["reduce_node", "restore_node", "shallow_copy"]

_NOT_COPIED = frozenset({"_order", "_hooks"})
_GRADS = "grads of the graph"  # a root's state: (node, grad) for it and its ancestors


class _Plan(threading.local):
    """The nodes whose ancestors are already on their way, in this thread."""

    def __init__(self) -> None:
        self.planned: set[int] = set()
        self.open = 0


_plan = _Plan()


def _slots(cls: type) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        for name in getattr(klass, "__slots__", ()):
            if name not in names and name != "__weakref__":
                names.append(name)
    return names


def _state(node: Any, grad: bool = True) -> dict[str, Any]:
    return {name: getattr(node, name) for name in _slots(type(node))
            if name not in _NOT_COPIED and (grad or name != "grad") and hasattr(node, name)}


def reduce_node(node: Any) -> tuple:
    """``__reduce_ex__`` of every node: ancestors first when this node starts a graph, and
    their grads after it."""
    if id(node) in _plan.planned:  # its parents were sent before it; its grad comes later
        return (_new_node, (type(node),), _state(node, grad=False))
    ancestors = topological_order(node)[:-1]
    _plan.planned.update(id(n) for n in ancestors)
    _plan.open += 1
    state = _state(node, grad=False)
    state[_GRADS] = [(n, n.grad) for n in ancestors if n.grad is not None] + [(node, node.grad)]
    return (_new_root, (type(node), ancestors, _EndOfGraph()), state)


def _new_node(cls: type) -> Any:
    node: Any = object.__new__(cls)
    node._order = stamp()  # numbered as it is created: after its parents
    return node


def _new_root(cls: type, ancestors: list[Any], end: Any) -> Any:
    return _new_node(cls)  # the ancestors are created by now: they came first


class _EndOfGraph:
    """Sent after a root's ancestors: the plan for them is done."""

    def _close(self) -> None:
        _plan.open = max(_plan.open - 1, 0)
        if not _plan.open:
            _plan.planned.clear()

    def __reduce__(self) -> tuple:
        self._close()
        return (_EndOfGraph, ())

    def __deepcopy__(self, memo: dict[int, Any]) -> _EndOfGraph:
        self._close()
        return self


def restore_node(node: Any, state: dict[str, Any]) -> None:
    """``__setstate__`` of every node: its slots, no hooks (and, for a root, the grads of its
    graph)."""
    grads = state.pop(_GRADS, ())
    node.grad = None
    for name, value in state.items():
        setattr(node, name, value)
    node._hooks = None
    node._restored()
    for n, g in grads:
        n.grad = g


def shallow_copy(node: Any) -> Any:
    """``copy.copy(node)``: a new node with the same data, parents and grad, numbered now."""
    out = _new_node(type(node))
    restore_node(out, _state(node))
    return out
