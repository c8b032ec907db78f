"""``grad(output, inputs)``: ∂output/∂input as values, without touching any ``.grad``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .modes import is_anomaly_enabled
from .node import Node
from .order import topological_order
from .sweep import heap_sweep, sweep

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
    if output._small_graphs and not is_anomaly_enabled():
        result = _one_loop(output, seed, wanted, create_graph)
    else:
        order = topological_order(output)
        saved = {node: node.grad for node in order}
        try:
            this_pass = {leaf: leaf.grad if create_graph or leaf.grad is None
                         else leaf._own_grad(leaf.grad)
                         for leaf, _ in sweep(order, output, seed, create_graph)}
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


def _one_loop(output: Node, seed: Any, wanted: tuple[Node, ...], create_graph: bool
              ) -> tuple[Any, ...]:
    """grad's pass by heap_sweep, which reports every node it reached with the grad it held
    before: those are restored, and a wanted node it did not reach gets None."""
    leaves: list[tuple[Node, Any]] = []
    interior: list[tuple[Node, Any]] = []
    try:
        leaves = heap_sweep(output, seed, create_graph, interior)
        reached = dict(leaves)
        reached.update(interior)
        result = tuple(None if node not in reached
                       else node.grad if create_graph or node._a is not None or node.grad is None
                       else node._own_grad(node.grad) for node in wanted)
    finally:
        for node, before in leaves:
            node.grad = before
        for node, before in interior:
            node.grad = before
    return result
