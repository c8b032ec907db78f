"""The op table's VJPs evaluated on Tensors: the backward of ``create_graph=True``.

The first-order sweep calls an entry with arrays (:mod:`~microgradnn.tensor.apply`). Here
the same VJP functions get Tensors instead: g is a Tensor, ``ans`` the node itself and each
argument its parent node (a constant stays the array the forward saved), so every operator
and NumPy function a VJP uses (through ``__array_ufunc__``/``__array_function__``) records a
node, and the gradient can be differentiated again. No VJP is written twice.

What the first-order wrapper does around the VJPs, this does too: a step whose saved values
changed in place raises the same error, and a contribution to a float32 parent is cast to
float32 (with ``astype``, an op whose gradient is cast back). And what needs no graph is
not given one: where g is a constant (near the root: the seed, ∂J/∂(J/m), …) and the VJPs
read nothing that requires grad, the contributions are constants, computed by the
first-order rule on arrays (no node per operator, no zero-filled array to add a broadcast
g to) — the same values.

The two VJPs that the course's networks run most, σ's g·s(1 − s) and softplus's g·σ(x), are
recorded as one fused node each (:mod:`~microgradnn.tensor.fused`) instead of one node per
operator: the same values, a third of the nodes and temporaries, and a cheaper sweep back
through them. A matrix product's VJPs g @ bᵀ and aᵀ @ g are one node each, without a
transpose node for bᵀ or aᵀ.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import rule_of
from .apply import (
    BOTH,
    ONLY_A,
    ONLY_B,
    Binary,
    Nary,
    Op,
    Unary,
    constant,
    is_tensor,
    result,
    same,
    unbroadcast,
)
from .fused import matmul_nt, matmul_tn, sigmoid_backward, softplus_backward
from .versions import check_unchanged, newest

__all__ = ["graph_vjp"]


def graph_vjp(node: Any, g: Any) -> tuple[Any, ...]:
    """``node``'s contributions to its parents for ∂root/∂node = ``g`` (a Tensor), as
    Tensors with their own graph; ``None`` for a parent that needs no gradient."""
    rule, saved = rule_of(node)
    op = rule.__self__  # the op table's entry (a node keeps its bound ``run``)
    parents = node.parents
    if not g.requires_grad and _reads_no_node(op, parents, saved):
        # a constant g times constants: the first-order rule's arrays (which checks versions
        # and casts dtypes as in first order) as constants, without a node per operator
        return tuple(None if c is None else _constant(c, g, p, op)
                     for c, p in zip(rule(node, g.data, parents, saved), parents))
    if newest.stamp > node._order:  # an in-place change after this node: as first order
        check_unchanged(node, op.read(node, parents, saved))
    contributions = _on_nodes(op, node, g, parents, saved)
    if not op.casts:
        return contributions
    return tuple(c if c is None or c.dtype == p.dtype else c.astype(p.dtype)
                 for c, p in zip(contributions, parents))


def _constant(c: Any, g: Any, parent: Any, op: Op) -> Any:
    """A contribution computed on arrays, as a constant node: g itself if the rule passed
    it through; for a leaf, an array of its own (the rule may return g's array or a
    read-only broadcast view: the leaf's grad must be writable and unshared, as in the
    first-order sweep)."""
    if parent.is_leaf:
        return result(np.array(c), (), op, None, False)
    return g if c is g.data else result(c, (), op, None, False)


def _reads_no_node(op: Op, parents: tuple, saved: Any) -> bool:
    """Whether the VJPs that run read no value that requires grad: then, for a constant g,
    they are constants. (A unary op's input and output always require grad; a binary
    op's constant operand or a Tensor without requires_grad does not.)"""
    kind = op.__class__  # (Op is an ABC: isinstance would ask ABCMeta each time)
    if kind is Binary:
        _, _, sa, sb, nodes, _ = saved
        x_node = nodes is not ONLY_B and parents[0].requires_grad
        y_node = nodes is not ONLY_A and parents[-1].requires_grad
        for shape, names in zip((sa, sb), op.uses):
            if shape is not None and ("ans" in names or ("x" in names and x_node)
                                      or ("y" in names and y_node)):
                return False
        return True
    return kind is Nary or not op.uses[0]


def _on_nodes(op: Op, node: Any, g: Any, parents: tuple, saved: Any) -> tuple[Any, ...]:
    """The entry's VJPs called with nodes: g, the node as ``ans``, the parents as operands."""
    kind = op.__class__  # (Op is an ABC: isinstance would ask ABCMeta each time)
    if kind is Unary:
        _, params = saved
        fused = _FUSED.get(op.name)
        if fused is not None:
            return (fused(g, node, parents[0]),)
        return (_node(op.vjps[0](g, node, parents[0], *params)),)
    if kind is Binary:
        x, y, sa, sb, nodes, params = saved
        if nodes is BOTH:
            x, y = parents
        elif nodes is ONLY_A:
            x = parents[0]
        else:
            y = parents[0]
        vjp_a, vjp_b = op.vjps
        if op.name == "matmul" and x.ndim == 2 and y.ndim == 2:  # (arrays or Tensors)
            vjp_a, vjp_b = _MATMUL_VJPS
        ga = gb = None
        if sa is not None:
            ga = unbroadcast(_node(g if vjp_a is same else vjp_a(g, node, x, y, *params)), sa)
        if sb is not None:
            gb = unbroadcast(_node(g if vjp_b is same else vjp_b(g, node, x, y, *params)), sb)
        return (ga, gb) if nodes is BOTH else (ga,) if nodes is ONLY_A else (gb,)
    if kind is Nary:
        at, params = saved
        vjp = op.vjps[0]
        return tuple(_node(vjp(g, node, i, *params)) if p.requires_grad else None
                     for i, p in zip(at, parents))
    raise TypeError(f"create_graph: no rule to differentiate {node.op!r} twice")


# unary entries whose VJP on Tensors is one fused op: (g, the node's output, its input)
_FUSED = {"sigmoid": lambda g, s, x: sigmoid_backward(g, s),
          "softplus": lambda g, s, x: softplus_backward(g, x)}


# a 2-D matmul's VJPs on Tensors: g @ bᵀ and aᵀ @ g, each one op
_MATMUL_VJPS = (lambda g, ans, x, y: matmul_nt(g, y), lambda g, ans, x, y: matmul_tn(x, g))


def _node(c: Any) -> Any:
    """A contribution as a Tensor: a VJP that does not depend on g's graph (a zero) may
    return a plain array, which becomes a constant."""
    return c if is_tensor(c) else constant(c)
