"""Creation order and the topological order of a graph: every node a root depends on,
parents first."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .node import Node

__all__ = ["stamp", "topological_order"]

# Every node, and every in-place change of a Tensor, takes the next number (its ``_order``).
# Creation order is a topological order: a node's parents always exist before it does.
stamp: Callable[[], int] = itertools.count().__next__
_creation_order = attrgetter("_order")


def topological_order(root: Node) -> list[Node]:
    """Every node ``root`` depends on, parents before children, ``root`` last.

    Iterative (no recursion limit): collect the reachable nodes, then sort them by creation
    order, which is topological because an op's inputs exist before its output.
    """
    seen: set[Any] = {root, None}  # None stands for the missing _b of a unary op
    stack = [root]
    add = seen.add
    push = stack.append
    pop = stack.pop
    while stack:
        node = pop()
        a = node._a
        if a is None:  # a leaf: nothing to explore
            continue
        if a.__class__ is tuple:
            for parent in a:
                if parent not in seen:
                    add(parent)
                    push(parent)
            continue
        # a unary or binary op, without building a tuple (40% faster on scalar graphs)
        if a not in seen:
            add(a)
            push(a)
        b = node._b
        if b not in seen:
            add(b)
            push(b)
    seen.discard(None)
    return sorted(seen, key=_creation_order)
