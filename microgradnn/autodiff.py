"""The graph core: what every node is, the order of a graph, and the backward sweep.

This module knows nothing about floats or arrays. A node type (``Scalar``, ``Tensor``)
subclasses :class:`Node` and states each op's chain rule in one of two plain-data forms:

* ``_local`` — a tuple of local derivatives ∂node/∂parent_i, one per parent; the sweep
  passes ``d * grad`` to parent i (every Scalar op, elementwise Tensor ops);
* ``_local = None`` and ``_vjp(grad)`` — the vector-Jacobian product: one contribution per
  parent, ``None`` where a parent needs no gradient (matmul, broadcasting, reductions).

It also supplies ``_is_finite(value)`` for anomaly mode and ``_seed()``, the implicit
∂root/∂root of ``backward()`` with no argument.

Grad mode and anomaly mode live in :mod:`microgradnn.modes` (re-exported here).

Every graph is swept the same way: put the nodes in topological order, walk it backwards,
and add each node's contributions into its parents' gradients. A node used twice receives
the sum of both paths because contributions are added, never assigned.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any

from .modes import (
    AnomalyError,
    checking_anomalies,
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)

__all__ = [
    "AnomalyError",
    "Node",
    "RemovableHandle",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "topological_order",
]

# Creation order is a topological order: a node's parents always exist before it does.
# Every node takes the next number; sorting a graph's nodes by it puts parents first.
_creation_counter = itertools.count()
_creation_order = attrgetter("_order")


# --------------------------------------------------------------------------- nodes
class RemovableHandle:
    """Returned by :meth:`Node.register_hook`; ``handle.remove()`` unregisters the hook."""

    __slots__ = ("_hook", "_node")

    def __init__(self, node: Node, hook: Callable[[Any], Any]) -> None:
        self._node = node
        self._hook = hook

    def remove(self) -> None:
        hooks = self._node._hooks
        if hooks and self._hook in hooks:
            hooks.remove(self._hook)


class Node:
    """A value in a computation graph.

    ``data``     the forward value;
    ``grad``     ∂root/∂node from the last backward pass (``None`` before one reaches it);
    ``parents``  the inputs of the op that made it, an ordered tuple (``a*a`` has two);
    ``op``       the op's name (``""`` for a leaf);
    ``name``     an optional label, shown in errors and drawings.
    """

    __slots__ = ("_hooks", "_local", "_order", "data", "grad", "name", "op",
                 "parents")

    data: Any
    grad: Any
    _hooks: list[Callable[[Any], Any]] | None
    _local: tuple[Any, ...] | None
    _order: int
    parents: tuple[Node, ...]
    op: str
    name: str | None

    # -- what a node type supplies ------------------------------------------------
    # (Node stays a plain class, not an ABC: isinstance checks sit on every op's hot path.)
    def _vjp(self, grad: Any) -> Sequence[Any]:
        """One contribution ∂root/∂parent per parent, given ∂root/∂self (if no _local)."""
        raise TypeError(f"{type(self).__name__} op {self.op!r} states no chain rule: a node "
                        "type gives each op local derivatives (_local) or a _vjp rule")

    @staticmethod
    def _is_finite(value: Any) -> bool:
        """Whether a value or gradient holds only finite numbers (for anomaly mode)."""
        raise TypeError("a node type must say how to test its values for NaN and inf")

    def _seed(self) -> Any:
        """∂root/∂root, the gradient backward() starts from when none is given."""
        raise TypeError(f"{type(self).__name__} has no implicit starting gradient; "
                        "pass backward(gradient=...)")

    @staticmethod
    def _own_grad(g: Any) -> Any:
        """A leaf's gradient as an object the leaf may keep and change (default: as is)."""
        return g

    # -- shared behaviour -----------------------------------------------------------
    @property
    def is_leaf(self) -> bool:
        """A node no op made (or made with grad mode off): it has no parents."""
        return not self.parents

    def label(self) -> str:
        """The name if it has one, else the op, for messages."""
        return self.name or (f"<{self.op}>" if self.op else "<leaf>")

    def backward(self, gradient: Any = None) -> None:
        """Sweep the graph behind this node, filling in every node's ``grad``.

        Intermediate nodes get this pass's ∂self/∂node; leaves accumulate into what they
        already hold (``zero_grad()`` sets them back to ``None``). If the pass raises (an
        anomaly, a hook), leaves keep the gradients they held before it.
        """
        seed = self._seed() if gradient is None else self._check_gradient(gradient)
        for leaf, before, now in _sweep(topological_order(self), self, seed):
            if now is None:
                leaf.grad = before
            else:
                leaf.grad = leaf._own_grad(now) if before is None else before + now

    def _check_gradient(self, gradient: Any) -> Any:
        return gradient

    def zero_grad(self) -> None:
        """Forget this node's gradient (``grad`` becomes ``None``)."""
        self.grad = None

    def register_hook(self, hook: Callable[[Any], Any]) -> RemovableHandle:
        """Call ``hook(grad)`` when this node's gradient is complete in a backward pass.

        A hook that returns a value replaces the gradient that flows on to the parents
        (and, for a leaf, the one accumulated into ``grad``).
        """
        if not callable(hook):
            raise TypeError(f"register_hook expects a callable, got {type(hook).__name__}")
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self, hook)


def topological_order(root: Node) -> list[Node]:
    """Every node ``root`` depends on, parents before children, ``root`` last.

    Iterative (no recursion limit): collect the reachable nodes, then sort them by creation
    order, which is topological because an op's inputs exist before its output.
    """
    seen = {root}
    stack = [root]
    add = seen.add
    push = stack.append
    pop = stack.pop
    while stack:
        for parent in pop().parents:
            if parent not in seen:
                add(parent)
                if parent.parents:  # leaves have nothing to explore
                    push(parent)
    return sorted(seen, key=_creation_order)


def _sweep(order: list[Node], root: Node, seed: Any) -> list[tuple[Node, Any, Any]]:
    """The backward sweep. Leaves ``grad`` = ∂root/∂node on every node of ``order``.

    Returns (leaf, grad before the pass, this pass's grad) for every leaf, so that the
    caller decides whether leaves accumulate (``backward``) or are restored (``grad``).
    """
    leaves = []
    for node in order:
        if not node.parents:
            leaves.append((node, node.grad))
        node.grad = None
    root.grad = seed
    try:
        _propagate(order, checking_anomalies())
        return [(leaf, before, _run_hooks(leaf, leaf.grad) if leaf._hooks else leaf.grad)
                for leaf, before in leaves]
    except BaseException:
        for leaf, before in leaves:  # a failed pass leaves the leaves as they were
            leaf.grad = before
        raise


def _propagate(order: list[Node], anomaly: bool) -> None:
    """Walk ``order`` backwards, adding each node's contributions into its parents' grads."""
    for node in reversed(order):
        g = node.grad
        if g is None:
            continue
        parents = node.parents
        if not parents:
            continue
        if node._hooks:
            node.grad = g = _run_hooks(node, g)
        local = node._local
        if local is not None:
            for parent, d in zip(parents, local):
                contribution = d * g
                if anomaly:
                    _check_finite(node, parent, contribution)
                before = parent.grad
                parent.grad = contribution if before is None else before + contribution
        else:
            for parent, contribution in zip(parents, node._vjp(g)):
                if contribution is None:
                    continue
                if contribution is g and not parent.parents:
                    # a rule passed δ through unchanged: the leaf gets a copy, so changing
                    # its grad in place cannot change the δ its child shows
                    contribution = copy.copy(contribution)
                if anomaly:
                    _check_finite(node, parent, contribution)
                before = parent.grad
                parent.grad = contribution if before is None else before + contribution


def _run_hooks(node: Node, g: Any) -> Any:
    if g is None:  # the pass did not reach this node: nothing to show its hooks
        return None
    for hook in list(node._hooks or ()):
        replaced = hook(g)
        if replaced is not None:
            g = replaced
    return g


def _check_finite(node: Node, parent: Node, contribution: Any) -> None:
    if not node._is_finite(contribution):
        raise AnomalyError(
            f"backward of {node.op!r} (node {node.label()}) produced a non-finite "
            f"gradient for its input {parent.label()}: {contribution!r}"
        )


def grad(
    output: Node,
    inputs: Node | Iterable[Node],
    gradient: Any = None,
    *,
    allow_unused: bool = False,
) -> tuple[Any, ...]:
    """∂output/∂input for each input, as a tuple, without touching any node's ``grad``.

    An input that ``output`` does not depend on raises ``ValueError`` unless
    ``allow_unused=True``, in which case its entry is ``None``.
    """
    wanted = (inputs,) if isinstance(inputs, Node) else tuple(inputs)
    for node in wanted:
        if not isinstance(node, Node):
            raise TypeError(f"grad: inputs must be nodes, got {type(node).__name__}")
    seed = output._seed() if gradient is None else output._check_gradient(gradient)
    order = topological_order(output)
    saved = [node.grad for node in order]
    try:
        this_pass = {leaf: now for leaf, _, now in _sweep(order, output, seed)}
        in_graph = set(order)
        result = tuple(
            this_pass.get(node, node.grad if node in in_graph else None) for node in wanted
        )
    finally:
        for node, g in zip(order, saved):
            node.grad = g
    if not allow_unused:
        for node, g in zip(wanted, result):
            if g is None:
                raise ValueError(
                    f"grad: output {output.label()} does not depend on input {node.label()} "
                    "(pass allow_unused=True to get None for it)"
                )
    return result
