"""The backward sweep: walk a topological order backwards, adding each node's contributions
into its parents' gradients.

A node used twice receives the sum of both paths because contributions are added, never
assigned. ``Node.backward`` and :func:`~microgradnn.core.grad.grad` both run :func:`sweep`;
they differ only in what they do with the leaves' gradients afterwards.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .hooks import run_hooks
from .modes import AnomalyError, enable_grad, is_anomaly_enabled, recording_backward

if TYPE_CHECKING:  # pragma: no cover
    from .node import Node

__all__ = ["local_contributions", "propagate_graph", "sweep"]


def sweep(order: list[Node], root: Node, seed: Any, create_graph: bool = False
          ) -> list[tuple[Node, Any]]:
    """The backward sweep. Leaves ``grad`` = ∂root/∂node on every node of ``order``.

    Returns (leaf, its grad before the pass) for every leaf, whose ``grad`` then holds this
    pass's gradient (after the leaf's hooks; ``None`` where the pass did not reach it), so
    that the caller decides whether leaves accumulate (``backward``) or are restored
    (``grad``). With ``create_graph`` the gradients are nodes recording their own graph
    (:func:`propagate_graph`); without it, values, by the first-order loop below.
    """
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
                for leaf, _ in leaves:
                    if leaf._hooks:
                        leaf.grad = run_hooks(leaf, leaf.grad, True)
        else:
            if is_anomaly_enabled():
                _propagate_checked(order)
            else:
                _propagate(order)
            for leaf, _ in leaves:
                if leaf._hooks:
                    leaf.grad = run_hooks(leaf, leaf.grad)
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
            rule = node._b if node._da is None and node._a.__class__ is tuple else None
            custom = getattr(getattr(rule, "__self__", None), "graph_vjp", None)  # mg.Function
            contributions = custom(node, g) if custom else node._graph_vjp(g)
            for parent, contribution in zip(node.parents, contributions):
                if contribution is None:
                    continue
                if anomaly:
                    _check_finite(node, parent, contribution.data)
                before = parent.grad
                parent.grad = contribution if before is None else before + contribution


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
