"""The backward sweep: walk a topological order backwards, adding each node's contributions
into its parents' gradients.

A node used twice receives the sum of both paths because contributions are added, never
assigned. ``Node.backward`` and :func:`~microgradnn.core.grad.grad` both run a sweep; they
differ only in what they do with the leaves' gradients afterwards.

Two ways to walk the same order, with the same result:

* :func:`sweep` first collects the graph (:func:`~.order.topological_order`: every node the
  root depends on, sorted by creation), resets every node's ``grad``, then walks the order
  backwards. It serves every graph, in every mode.
* :func:`heap_sweep` finds the graph as it goes, in one loop: it takes nodes newest first
  from a heap keyed by creation order, sets a parent's ``grad`` when it first reaches it and
  adds to it after. A node is taken only once every node made after it is done (they all
  come out of the heap before it), so its gradient is complete when it is taken: the order
  is ``reversed(topological_order(root))``, node for node. One loop instead of three makes
  a Tensor step's sweep about a third cheaper; the heap's log factor makes a 10⁵-node
  Scalar graph's twice as slow (benchmarks/README.md, "The sweep in one loop"). So a node
  type chooses it with ``_small_graphs`` (Tensor does), outside anomaly mode, whose checked
  steps stay in :func:`sweep`.
"""

from __future__ import annotations

import copy
import heapq
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .hooks import run_hooks
from .modes import AnomalyError, enable_grad, is_anomaly_enabled, recording_backward
from .order import _creation_order, topological_order

if TYPE_CHECKING:  # pragma: no cover
    from .node import Node

__all__ = ["backward_sweep", "heap_sweep", "local_contributions", "propagate_graph", "sweep"]


def backward_sweep(root: Node, seed: Any, create_graph: bool = False,
                   interior: list[tuple[Node, Any]] | None = None) -> list[tuple[Node, Any]]:
    """The sweep behind ``root`` that its node type's graphs suit: :func:`heap_sweep` where
    the type has ``_small_graphs`` (outside anomaly mode), else :func:`sweep`. Returns and
    reports what both do."""
    if root._small_graphs and not is_anomaly_enabled():
        return heap_sweep(root, seed, create_graph, interior)
    return sweep(topological_order(root), root, seed, create_graph, interior)


def sweep(order: list[Node], root: Node, seed: Any, create_graph: bool = False,
          interior: list[tuple[Node, Any]] | None = None) -> list[tuple[Node, Any]]:
    """The backward sweep. Leaves ``grad`` = ∂root/∂node on every node of ``order``.

    Returns (leaf, its grad before the pass) for every leaf, whose ``grad`` then holds this
    pass's gradient (after the leaf's hooks; ``None`` where the pass did not reach it), so
    that the caller decides whether leaves accumulate (``backward``) or are restored
    (``grad``); given a list ``interior``, adds (node, grad before) to it for every other
    node. With ``create_graph`` the gradients are nodes recording their own graph
    (:func:`propagate_graph`); without it, values, by the first-order loop below.
    """
    if interior is not None:  # (a loop of its own: backward's pass pays no test per node)
        interior.extend((node, node.grad) for node in order if node._a is not None)
    leaves = []
    for node in order:
        if node._a is None:
            leaves.append((node, node.grad))
        node.grad = None
    root.grad = seed
    try:
        if create_graph:
            propagate_graph(order)
            with enable_grad():  # a leaf's hooks record too
                _run_leaf_hooks(leaves, True)
        else:
            if is_anomaly_enabled():
                _propagate_checked(order)
            else:
                _propagate(order)
            _run_leaf_hooks(leaves, False)
    except BaseException:
        for leaf, before in leaves:  # a failed pass leaves the leaves as they were
            leaf.grad = before
        raise
    return leaves


def _propagate(order: list[Node]) -> None:
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
            node.grad = g = run_hooks(node, g)
        da = node._da
        if da is None:  # a rule (every Tensor op): its inputs are the tuple _a
            rule = node._b
            if rule is None:
                _no_rule(node)
            for parent, contribution in zip(a, rule(node, g, a, node._db)):
                if contribution is not None:
                    if contribution is g and parent._a is None:
                        contribution = _copy(contribution)  # (see _copy)
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


_push = heapq.heappush
_pop = heapq.heappop


def heap_sweep(root: Node, seed: Any, create_graph: bool = False,
               interior: list[tuple[Node, Any]] | None = None) -> list[tuple[Node, Any]]:
    """The sweep in one loop (see the module docstring); the same result as
    ``sweep(topological_order(root), root, seed, create_graph)`` outside anomaly mode.

    Returns (leaf, its grad before the pass) for every leaf the pass reached; given a list
    ``interior``, adds (node, grad before) to it for every other node it reached
    (:func:`~.grad.grad` restores them all). A failed pass leaves what :func:`sweep` leaves.
    One difference only a hook can see: while the pass runs, a node it has not reached yet
    still holds the grad it had before (the sorted sweep has set it to ``None``), and a hook
    that assigns such a node's grad sets what that node's gradient accumulates onto.
    """
    leaves: list[tuple[Node, Any]] = []
    if root._a is None:
        leaves.append((root, root.grad))
    elif interior is not None:
        interior.append((root, root.grad))
    root.grad = seed
    seen = {root}
    try:
        if create_graph:
            with enable_grad():  # every contribution, sum and hook records its graph
                _heap_loop(root, seen, leaves, interior, True)
        else:
            _heap_loop(root, seen, leaves, interior, False)
    except BaseException:
        for leaf, before in leaves:  # a failed pass leaves the leaves as they were,
            leaf.grad = before
        if interior is None:  # and the rest as sweep() leaves them (grad() restores what
            # the pass reached; what it did not reach is as it was)
            for node in topological_order(root):
                if node not in seen and node._a is not None:
                    node.grad = None
        raise
    return leaves


def _heap_loop(root: Node, seen: set[Node], leaves: list[tuple[Node, Any]],
               interior: list[tuple[Node, Any]] | None, graph: bool) -> None:
    # the nodes waiting: the newest is held aside in ``top``, the others in a heap of
    # (−creation number, node), so that a chain (most of a graph: one interior parent per
    # node) never touches the heap (a push and a pop cost 75 ns a node)
    top: Node | None = root
    heap: list[tuple[int, Node]] = []
    see = seen.add
    while top is not None:
        node = top
        top = _pop(heap)[1] if heap else None
        a = node._a
        if a is None:  # a leaf (only the root comes out here): nothing to pass on
            continue
        g = node.grad
        if node._hooks:
            node.grad = g = run_hooks(node, g, graph)
        da = node._da
        pairs: Iterable[tuple[Node, Any]]
        if graph:  # contributions as nodes
            if g is not None:
                pairs = _graph_contributions(node, g)
            else:
                parents = node.parents
                pairs = zip(parents, (None,) * len(parents))
        elif da is None:  # a rule (every Tensor op): contributions for the tuple _a
            rule = node._b
            if rule is None:
                _no_rule(node)
            pairs = zip(a, (None,) * len(a) if g is None else rule(node, g, a, node._db))
        elif a.__class__ is tuple:  # n-ary with local derivatives
            pairs = zip(a, [None if g is None else d * g for d in da])
        else:  # unary or binary with local derivatives
            b = node._b
            c = None if g is None else da * g
            pairs = ((a, c),) if b is None else (
                (a, c), (b, None if g is None else node._db * g))
        for parent, c in pairs:
            if parent in seen:  # reached before: add to what this pass gave it
                if c is not None:
                    before = parent.grad
                    if before is not None:
                        parent.grad = before + c
                    elif c is g and parent._a is None and not graph:
                        parent.grad = _copy(c)  # (see _copy)
                    else:
                        parent.grad = c
                continue
            see(parent)  # first reached: its grad is this pass's from here on (assigned, so
            # the common first contribution costs no test of what it held)
            if parent._a is None:
                leaves.append((parent, parent.grad))
                if c is g and c is not None and not graph:
                    c = _copy(c)
            else:
                if interior is not None:
                    interior.append((parent, parent.grad))
                if top is None:
                    top = parent
                elif parent._order > top._order:
                    _push(heap, (-top._order, top))
                    top = parent
                else:
                    _push(heap, (-parent._order, parent))
            parent.grad = c
    _run_leaf_hooks(leaves, graph)


def _run_leaf_hooks(leaves: list[tuple[Node, Any]], graph: bool) -> None:
    """The leaves' hooks, once the pass is done, in creation order (a hook may register one
    on a later leaf, which then runs too)."""
    for leaf, _ in leaves:  # (a loop, not any(): no generator on every pass)
        if leaf._hooks:
            break
    else:
        return
    for leaf in sorted([leaf for leaf, _ in leaves], key=_creation_order):
        if leaf._hooks:
            leaf.grad = run_hooks(leaf, leaf.grad, graph)


def _propagate_checked(order: list[Node]) -> None:
    """:func:`_propagate` in anomaly mode: every contribution is checked to be finite before
    it is added, and an error names the op and the input it was for."""
    for node in reversed(order):
        g = node.grad
        if g is None or node._a is None:
            continue
        if node._hooks:
            node.grad = g = run_hooks(node, g)
        parents = node.parents
        if node._da is None:
            if node._b is None:
                _no_rule(node)
            contributions = node._b(node, g, parents, node._db)
        else:
            contributions = local_contributions(node, g)
        for parent, contribution in zip(parents, contributions):
            if contribution is None:
                continue
            if contribution is g and parent._a is None:
                contribution = _copy(contribution)
            _check_finite(node, parent, contribution)
            before = parent.grad
            parent.grad = contribution if before is None else before + contribution


def _no_rule(node: Node) -> None:
    """A node with neither local derivatives nor a rule (``_b``; see core/node.py)."""
    raise TypeError(f"{type(node).__name__} op {node.op!r} states no chain rule: a node type "
                    "gives each op local derivatives (_da, _db) or a _vjp rule")


# A rule that passes δ through unchanged (a + b) would hand a leaf the very array its child
# shows as δ: the leaf gets a copy, so changing its grad in place cannot change the child's.
_copy = copy.copy


def propagate_graph(order: list[Node]) -> None:
    """The sweep of ``backward(create_graph=True)``: each contribution is computed by the
    node type's ``_graph_vjp`` from node operands, with grad mode on, so every ∂root/∂node
    is itself a node whose graph can be swept again (to any order).

    It does what the first-order sweep does at each step, on nodes: hooks run (and what
    they return keeps its graph), contributions are added into the parents, and in anomaly
    mode each contribution is checked, raising the same error. The values computed on the
    way (a rule's, a hook's, a sum of contributions) are not checked, as they are not in
    the first-order sweep (:class:`~.modes.recording_backward`): only what a step sends on."""
    anomaly = is_anomaly_enabled()
    with recording_backward() if anomaly else enable_grad():
        for node in reversed(order):
            g = node.grad
            if g is None or node._a is None:
                continue
            if node._hooks:
                node.grad = g = run_hooks(node, g, True)
            for parent, contribution in _graph_contributions(node, g):
                if contribution is None:
                    continue
                if anomaly:
                    _check_finite(node, parent, contribution.data)
                before = parent.grad
                parent.grad = contribution if before is None else before + contribution


def _graph_contributions(node: Node, g: Any) -> Iterable[tuple[Node, Any]]:
    """(parent, its contribution as a node) for each parent: the node type's ``_graph_vjp``,
    or an mg.Function's own ``graph_vjp`` (its rule is the bound method of one)."""
    a = node._a
    if node._da is None and a.__class__ is tuple:  # a rule, over the tuple of inputs _a
        custom = getattr(getattr(node._b, "__self__", None), "graph_vjp", None)
        return zip(a, custom(node, g) if custom else node._graph_vjp(g))
    return zip(node.parents, node._graph_vjp(g))


def local_contributions(node: Node, g: Any) -> list[Any]:
    """``d * g`` for each local derivative ``d`` of the node, in parent order."""
    if node._a.__class__ is tuple:
        return [d * g for d in node._da]
    if node._b is None:
        return [node._da * g]
    return [node._da * g, node._db * g]


def _check_finite(node: Node, parent: Node, contribution: Any) -> None:
    if not node._is_finite(contribution):
        raise AnomalyError(
            f"backward of {node.op!r} (node {node.label()}) produced a non-finite "
            f"gradient for its input {parent.label()}: {contribution!r}"
        )
