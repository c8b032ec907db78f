"""The graph core: what every node is, the order of a graph, and the backward sweep.

This module knows nothing about floats or arrays. A node type (``Scalar``, ``Tensor``)
subclasses :class:`Node` and states each op's chain rule as plain data, in the node's edge
slots:

| op             | inputs                     | ∂out/∂input                            |
|----------------|----------------------------|----------------------------------------|
| none (a leaf)  | ``_a = None``              |                                        |
| unary          | ``_a`` (and ``_b = None``) | ``_da``                                |
| binary         | ``_a``, ``_b``             | ``_da``, ``_db``                       |
| n-ary          | ``_a`` = a tuple of inputs | ``_da`` = a tuple, one per input       |
| any, as a rule | any of the above           | ``_da = None``: ``_vjp(grad)`` instead |

The sweep passes ``d * grad`` to each input for its local derivative ``d`` (every Scalar
op), or what ``_vjp(grad)`` returns, one contribution per input and ``None`` for an input
that needs no gradient (every Tensor op: matmul, broadcasting, reductions). The public view of
the edges is the ordered ``parents`` tuple.

Why slots and not a tuple per node: on a graph of 10⁵ scalars the cyclic garbage collector's
full passes trace every container alive, and a parents tuple per node doubles what they
trace; with the inputs in slots a node is a single object for it.

A node type also supplies ``_is_finite(value)`` for anomaly mode and ``_seed()``, the
implicit ∂root/∂root of ``backward()`` with no argument.

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

from . import copying
from .modes import (
    AnomalyError,
    detect_anomaly,
    enable_grad,
    inference_mode,
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
    "inference_mode",
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

    The op's edges live in ``_a``, ``_b``, ``_da``, ``_db`` (see the module docstring).
    """

    __slots__ = ("_a", "_b", "_da", "_db", "_hooks", "_order", "data", "grad", "name",
                 "op")

    data: Any
    grad: Any
    _a: Any  # None (a leaf), the first input, or a tuple of every input
    _b: Any  # the second input of a binary op, else None
    _da: Any  # ∂out/∂_a (a tuple when _a is), or None: the node's _vjp rule
    _db: Any  # ∂out/∂_b
    _hooks: list[Callable[[Any], Any]] | None
    _order: int
    op: str
    name: str | None

    # -- what a node type supplies ------------------------------------------------
    # (Node stays a plain class, not an ABC: isinstance checks sit on every op's hot path.)
    def _vjp(self, grad: Any) -> Sequence[Any]:
        """One contribution ∂root/∂parent per parent, given ∂root/∂self (when _da is None)."""
        raise TypeError(f"{type(self).__name__} op {self.op!r} states no chain rule: a node "
                        "type gives each op local derivatives (_da, _db) or a _vjp rule")

    @staticmethod
    def _is_finite(value: Any) -> bool:
        """Whether a value or gradient holds only finite numbers (for anomaly mode)."""
        raise TypeError("a node type must say how to test its values for NaN and inf")

    def _seed(self) -> Any:
        """∂root/∂root, the gradient backward() starts from when none is given."""
        raise TypeError(f"{type(self).__name__} has no implicit starting gradient; "
                        "pass backward(gradient=...)")

    def _hook_result(self, replaced: Any, g: Any) -> Any:
        """What a hook returned, checked against the gradient it was given (default: as is)."""
        return replaced

    def _check_hookable(self) -> None:
        """Raise if a hook on this node could never fire (default: every node can)."""

    def _own_grad(self, g: Any) -> Any:
        """A leaf's gradient as an object the leaf may keep and change (default: as is)."""
        return g

    def _restored(self) -> None:
        """Called when a copy or an unpickled node has its slots (default: nothing more)."""

    # -- pickle and copy (see :mod:`microgradnn.copying`) -------------------------------
    def __reduce_ex__(self, protocol: Any) -> Any:
        return copying.reduce_node(self)

    def __setstate__(self, state: dict[str, Any]) -> None:
        copying.restore_node(self, state)

    def __copy__(self) -> Any:
        return copying.shallow_copy(self)

    # -- shared behaviour -----------------------------------------------------------
    @property
    def parents(self) -> tuple[Node, ...]:
        """The inputs of the op that made this node, in order (``()`` for a leaf)."""
        a = self._a
        if a is None:
            return ()
        if a.__class__ is tuple:
            return a
        b = self._b
        return (a,) if b is None else (a, b)

    @property
    def is_leaf(self) -> bool:
        """A node no op made (or made with grad mode off): it has no parents."""
        return self._a is None

    def contributions(self, grad: Any) -> list[Any]:
        """The chain rule's terms this op sends its inputs when ∂root/∂self is ``grad``:
        δ(self)·∂self/∂parent for each parent, in ``parents`` order (``None`` for an input
        that needs no gradient), exactly what the backward sweep adds into them."""
        if self._a is None:
            return []
        if self._da is None:
            return list(self._vjp(grad))
        return _local_contributions(self, grad)

    def label(self) -> str:
        """The name if it has one, else the op, for messages."""
        return self.name or (f"<{self.op}>" if self.op else "<leaf>")

    def backward(self, gradient: Any = None, retain_graph: bool | None = None) -> None:
        """Sweep the graph behind this node, filling in every node's ``grad``.

        Intermediate nodes get this pass's ∂self/∂node; leaves accumulate into what they
        already hold (``zero_grad()`` sets them back to ``None``). If the pass raises (an
        anomaly, a hook), leaves keep the gradients they held before it.
        ``retain_graph`` is accepted for PyTorch users and changes nothing: a graph here is
        always kept, so backward may run through it again.
        """
        seed = self._seed() if gradient is None else self._check_gradient(gradient)
        for leaf, before, now in _sweep(topological_order(self), self, seed):
            if now is None:
                leaf.grad = before
            else:
                leaf.grad = leaf._own_grad(now if before is None else before + now)

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
        self._check_hookable()
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self, hook)


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


def _sweep(order: list[Node], root: Node, seed: Any) -> list[tuple[Node, Any, Any]]:
    """The backward sweep. Leaves ``grad`` = ∂root/∂node on every node of ``order``.

    Returns (leaf, grad before the pass, this pass's grad) for every leaf, so that the
    caller decides whether leaves accumulate (``backward``) or are restored (``grad``).
    """
    leaves = []
    for node in order:
        if node._a is None:
            leaves.append((node, node.grad))
        node.grad = None
    root.grad = seed
    try:
        _propagate(order, is_anomaly_enabled())
        return [(leaf, before, _run_hooks(leaf, leaf.grad) if leaf._hooks else leaf.grad)
                for leaf, before in leaves]
    except BaseException:
        for leaf, before in leaves:  # a failed pass leaves the leaves as they were
            leaf.grad = before
        raise


def _propagate(order: list[Node], anomaly: bool) -> None:
    """Walk ``order`` backwards, adding each node's contributions into its parents' grads.

    One step, ``parent.grad += ∂root/∂parent``, written out once per edge form: a loop over
    every node of a 10⁵-node graph pays for each call and tuple, so the common forms skip them.
    """
    for node in reversed(order):
        g = node.grad
        a = node._a
        if g is None or a is None:  # this pass did not reach it, or it is a leaf
            continue
        if node._hooks:
            node.grad = g = _run_hooks(node, g)
        da = node._da
        if da is None or anomaly:  # a _vjp rule (every Tensor op), or checking each step
            contributions = node._vjp(g) if da is None else _local_contributions(node, g)
            parents = a if a.__class__ is tuple else node.parents
            for parent, contribution in zip(parents, contributions):
                if contribution is None:
                    continue
                if contribution is g and parent._a is None:
                    # a rule passed δ through unchanged: the leaf gets a copy, so changing
                    # its grad in place cannot change the δ its child shows
                    contribution = copy.copy(contribution)
                if anomaly:
                    _check_finite(node, parent, contribution)
                before = parent.grad
                parent.grad = contribution if before is None else before + contribution
        elif a.__class__ is tuple:  # n-ary with local derivatives (Scalar.sum, Scalar.dot)
            for parent, d in zip(a, da):
                c = d * g
                before = parent.grad
                parent.grad = c if before is None else before + c
        else:  # unary or binary with local derivatives: most of a scalar graph
            c = da * g
            before = a.grad
            a.grad = c if before is None else before + c
            b = node._b
            if b is not None:
                c = node._db * g
                before = b.grad
                b.grad = c if before is None else before + c


def _local_contributions(node: Node, g: Any) -> list[Any]:
    """``d * g`` for each local derivative ``d`` of the node, in parent order."""
    if node._a.__class__ is tuple:
        return [d * g for d in node._da]
    if node._b is None:
        return [node._da * g]
    return [node._da * g, node._db * g]


def _run_hooks(node: Node, g: Any) -> Any:
    if g is None:  # the pass did not reach this node: nothing to show its hooks
        return None
    for hook in list(node._hooks or ()):
        replaced = hook(g)
        if replaced is not None:
            g = node._hook_result(replaced, g)
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
    retain_graph: bool | None = None,
) -> tuple[Any, ...]:
    """∂output/∂input for each input, as a tuple, without touching any node's ``grad``.

    An input that ``output`` does not depend on raises ``ValueError`` unless
    ``allow_unused=True``, in which case its entry is ``None``. ``retain_graph`` is
    accepted for PyTorch users and changes nothing (graphs are always kept).
    """
    wanted = (inputs,) if isinstance(inputs, Node) else tuple(inputs)
    for node in wanted:
        if not isinstance(node, Node):
            raise TypeError(f"grad: inputs must be nodes, got {type(node).__name__}")
    seed = output._seed() if gradient is None else output._check_gradient(gradient)
    order = topological_order(output)
    saved = {node: node.grad for node in order}
    try:
        this_pass = {leaf: None if now is None else leaf._own_grad(now)
                     for leaf, _, now in _sweep(order, output, seed)}
        result = tuple(
            this_pass.get(node, node.grad if node in saved else None) for node in wanted
        )
    finally:
        for node, g in saved.items():
            node.grad = g
    if not allow_unused:
        for node, g in zip(wanted, result):
            if g is None:
                raise ValueError(
                    f"grad: output {output.label()} does not depend on input {node.label()} "
                    "(pass allow_unused=True to get None for it)"
                )
    return result
