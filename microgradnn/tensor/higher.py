"""The op table's VJPs evaluated on Tensors: the backward of ``create_graph=True``.

The first-order sweep calls an entry with arrays (:mod:`~microgradnn.tensor.apply`). Here
the same VJP functions get Tensors instead: g is a Tensor, ``ans`` the node itself and each
argument its parent node (a constant stays the array the forward saved), so every operator
and NumPy function a VJP uses (through ``__array_ufunc__``/``__array_function__``) records a
node, and the gradient can be differentiated again. No VJP is written twice.

What the first-order wrapper does around the VJPs, this does too: a step whose saved values
changed in place raises the same error, and a contribution to a float32 parent is cast to
float32 (with ``astype``, an op whose gradient is cast back).
"""

from __future__ import annotations

from typing import Any

from ..core import rule_of
from .apply import BOTH, ONLY_A, Binary, Nary, Op, Unary, constant, is_tensor, same, unbroadcast
from .versions import check_unchanged, newest

__all__ = ["graph_vjp"]


def graph_vjp(node: Any, g: Any) -> tuple[Any, ...]:
    """``node``'s contributions to its parents for ∂root/∂node = ``g`` (a Tensor), as
    Tensors with their own graph; ``None`` for a parent that needs no gradient."""
    rule, saved = rule_of(node)
    op = rule.__self__  # the op table's entry (a node keeps its bound ``run``)
    parents = node.parents
    if newest.stamp > node._order:  # an in-place change after this node: as first order
        check_unchanged(node, op.read(node, parents, saved))
    contributions = _on_nodes(op, node, g, parents, saved)
    if not op.casts:
        return contributions
    return tuple(c if c is None or c.dtype == p.dtype else c.astype(p.dtype)
                 for c, p in zip(contributions, parents))


def _on_nodes(op: Op, node: Any, g: Any, parents: tuple, saved: Any) -> tuple[Any, ...]:
    """The entry's VJPs called with nodes: g, the node as ``ans``, the parents as operands."""
    if isinstance(op, Unary):
        _, params = saved
        return (_node(op.vjps[0](g, node, parents[0], *params)),)
    if isinstance(op, Binary):
        x, y, sa, sb, nodes, params = saved
        if nodes == BOTH:
            x, y = parents
        elif nodes == ONLY_A:
            x = parents[0]
        else:
            y = parents[0]
        vjp_a, vjp_b = op.vjps
        ga = gb = None
        if sa is not None:
            ga = unbroadcast(_node(g if vjp_a is same else vjp_a(g, node, x, y, *params)), sa)
        if sb is not None:
            gb = unbroadcast(_node(g if vjp_b is same else vjp_b(g, node, x, y, *params)), sb)
        keep: slice = nodes
        return (ga, gb)[keep]  # type: ignore[return-value]  # (a slice, not an index)
    if isinstance(op, Nary):
        at, params = saved
        vjp = op.vjps[0]
        return tuple(_node(vjp(g, node, i, *params)) if p.requires_grad else None
                     for i, p in zip(at, parents))
    raise TypeError(f"create_graph: no rule to differentiate {node.op!r} twice")


def _node(c: Any) -> Any:
    """A contribution as a Tensor: a VJP that does not depend on g's graph (a zero) may
    return a plain array, which becomes a constant."""
    return c if is_tensor(c) else constant(c)
