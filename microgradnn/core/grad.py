"""``grad(output, inputs)``: ∂output/∂input as values, without touching any ``.grad``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .node import Node
from .sweep import backward_sweep

__all__ = ["grad"]


def grad(
    output: Node,
    inputs: Node | Iterable[Node],
    gradient: Any = None,
    *,
    allow_unused: bool = False,
    retain_graph: bool | None = None,
    create_graph: bool = False,
) -> tuple[Any, ...]:
    """∂output/∂input for each input, as a tuple, without touching any node's ``grad``.

    An input that ``output`` does not depend on raises ``ValueError`` unless
    ``allow_unused=True``, in which case its entry is ``None``. ``retain_graph`` is
    accepted for PyTorch users and changes nothing (graphs are always kept). With
    ``create_graph=True`` each result is a node with its own graph (differentiate it again).
    """
    wanted = (inputs,) if isinstance(inputs, Node) else tuple(inputs)
    for node in wanted:
        if not isinstance(node, Node):
            raise TypeError(f"grad: inputs must be nodes, got {type(node).__name__}")
    seed = output._seed() if gradient is None else output._check_gradient(gradient)
    if create_graph:  # a node given as the gradient stays one (jvp differentiates by it)
        seed = gradient if isinstance(gradient, Node) else output._seed_node(seed)
    leaves: list[tuple[Node, Any]] = []
    interior: list[tuple[Node, Any]] = []
    try:  # every node the pass reached is reported with the grad it held, and restored
        leaves = backward_sweep(output, seed, create_graph, interior)
        reached = dict(leaves)
        reached.update(interior)
        result = tuple(_this_pass(node, create_graph) if node in reached else None
                       for node in wanted)
    finally:
        for node, before in leaves:
            node.grad = before
        for node, before in interior:
            node.grad = before
    if not allow_unused:
        for node, g in zip(wanted, result):
            if g is None:
                raise ValueError(
                    f"grad: output {output.label()} does not depend on input {node.label()} "
                    "(pass allow_unused=True to get None for it)"
                )
    return result


def _this_pass(node: Node, create_graph: bool) -> Any:
    """The gradient a pass left in a node that it reached: a leaf's as an array of its own
    (first order), as the pass left it otherwise."""
    g = node.grad
    return g if create_graph or g is None or node._a is not None else node._own_grad(g)
