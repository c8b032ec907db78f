"""``draw_graph``: a computation graph with every node's value and δ = ∂root/∂node.

Each value node (a Scalar or Tensor) is a rounded box filled by the sign and size of its δ;
the op that made it is a small grey ellipse between its inputs and it. Edges into ops whose
arguments do not commute (−, /, **, matmul, ...) are labelled by argument position, and an
input used twice (``a * a``) has two edges. Node ids are topological indices, so the DOT
source of the same graph is the same on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..autodiff import Node, topological_order
from . import style
from .labels import check_show, colour_value, is_array, node_label
from .render import Drawing
from .tikz_labels import GraphLabels

__all__ = ["DEFAULT_MAX_NODES", "draw_graph"]

# `dot` lays out 1,000 structured nodes in 1-2 s but 2,000 tangled ones take minutes
DEFAULT_MAX_NODES = 1000

# ops whose arguments can be swapped without changing the result: no position labels
COMMUTATIVE = frozenset({"+", "*", "sum", "maximum"})

# how each op is drawn: one entry for every op string a Scalar or Tensor op records
# (`_result(..., op)` in scalar.py and tensor*.py; a test holds the two to each other).
# An op of some other node type is drawn as its own name.
OP_SYMBOLS = {
    # Scalar and Tensor
    "+": "+", "-": "−", "*": "×", "/": "÷", "**": "x<SUP>n</SUP>", "neg": "−x",
    "exp": "exp", "log": "log", "sqrt": "√", "tanh": "tanh", "sigmoid": "σ", "relu": "ReLU",
    "abs": "|x|", "sum": "Σ",
    # Scalar only
    "dot": "w·x + b",
    # Tensor only
    "matmul": "@", "softplus": "softplus", "clip": "clip", "mean": "mean", "max": "max",
    "min": "min", "maximum": "max(x, y)", "logsumexp": "logsumexp", "softmax": "softmax",
    "log_softmax": "log softmax", "reshape": "reshape", "transpose": "ᵀ", "index": "[ ]",
    "concatenate": "concat", "stack": "stack", "where": "where",
}


def draw_graph(
    root: Node,
    *,
    precision: int = 4,
    rankdir: str = "LR",
    show: Sequence[str] = ("value", "grad"),
    max_nodes: int | None = DEFAULT_MAX_NODES,
    collapse: str | None = None,
) -> Drawing:
    """Draw the graph behind ``root`` with every node's name, value and δ.

    ``precision``  decimals shown for every number;
    ``rankdir``    "LR" (inputs on the left) or "TB", "RL", "BT";
    ``show``       which of ("value", "grad") each node shows; δ is "—" until a backward
                   pass reaches the node;
    ``max_nodes``  refuse graphs with more nodes (``dot`` would take minutes): raise a
                   ValueError suggesting ``collapse="layer"`` or the Tensor engine
                   (``None`` for no limit);
    ``collapse``   ``"layer"`` groups a network's Scalar graph (names such as ``z^(2)_1``
                   carry the layer) into one node per layer.

    Returns a :class:`~microgradnn.viz.render.Drawing` (a ``graphviz.Digraph``).
    """
    options = _check_options(root, precision, rankdir, show, max_nodes, collapse,
                             "draw_graph")
    order = topological_order(root)
    if collapse == "layer":
        from .collapse import draw_layers

        return draw_layers(order, precision=precision, rankdir=rankdir)
    if max_nodes is not None and len(order) > max_nodes:
        raise ValueError(
            f"draw_graph: the graph behind {root.label()} has {len(order):,} nodes, more than "
            f"max_nodes={max_nodes:,}; Graphviz would take minutes to lay it out. Draw a "
            "network's Scalar graph with collapse='layer' (one node per layer), build it with "
            "the Tensor engine (one node per matrix), or raise max_nodes."
        )
    return build(order, [node.grad for node in order], **options)


def _check_options(root: Any, precision: Any, rankdir: Any, show: Any, max_nodes: Any,
                   collapse: Any, caller: str) -> dict[str, Any]:
    if not isinstance(root, Node):
        raise TypeError(f"{caller}: expected a graph node (Scalar or Tensor) as root, got "
                        f"{type(root).__name__}")
    style.check_precision(precision, caller)
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise ValueError(f"{caller}: rankdir must be one of 'LR', 'RL', 'TB', 'BT', "
                         f"got {rankdir!r}")
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int)
                                  or max_nodes < 1):
        raise ValueError(f"{caller}: max_nodes must be a positive integer or None, "
                         f"got {max_nodes!r}")
    if collapse not in (None, "layer"):
        raise ValueError(f"{caller}: collapse must be None or 'layer', got {collapse!r}")
    return {"precision": precision, "rankdir": rankdir, "show": check_show(show, caller)}


def op_label(op: str) -> str:
    """The small text of an op node (HTML-label text)."""
    return OP_SYMBOLS.get(op) or style.escape(op)


def new_drawing(rankdir: str, name: str = "computation_graph") -> Drawing:
    g = Drawing(name=name, graph_attr={**style.GRAPH_ATTR, "rankdir": rankdir},
                node_attr=style.NODE_ATTR, edge_attr=style.EDGE_ATTR)
    return g


def build(
    order: Sequence[Node],
    grads: Sequence[Any],
    *,
    precision: int = 4,
    rankdir: str = "LR",
    show: Sequence[str] = ("value", "grad"),
    scale: style.DivergingScale | None = None,
    current: int | None = None,
    caption: str | None = None,
) -> Drawing:
    """The drawing of ``order`` (topologically sorted nodes) with ``grads[i]`` as the δ of
    ``order[i]``. ``current`` marks one node (the one a backward step just finished);
    ``caption`` (HTML-label text) goes under the graph. Used by draw_graph and by
    backward_steps, which passes partial gradients and a fixed colour scale."""
    colours = [colour_value(grad) for grad in grads]  # each node's one colour number
    if scale is None:
        scale = style.DivergingScale(c for c in colours if c is not None)
    g = new_drawing(rankdir)
    body = g.body
    index = {node: i for i, node in enumerate(order)}
    lines: list[str] = []
    add = lines.append
    for i, node in enumerate(order):
        grad = grads[i]
        c = colours[i]
        ink = scale.text(c)
        label = node_label(node.name, node.data, grad, precision=precision, show=show,
                           scale=scale, ink=ink)
        tensor = is_array(node.data)
        extra = ""
        if i == current:
            extra = ' penwidth="3" color="#1a1a1a"'
        add(f'\tn{i} [label=<{label}> shape=box style="rounded,filled" '
            f'fillcolor="{scale.fill(c)}" margin="{"0.08,0.06" if tensor else "0.06,0.03"}"'
            f'{extra}]\n')
        parents = node.parents
        if not parents:
            continue
        add(f'\top{i} [label=<{op_label(node.op)}> shape=ellipse style=filled '
            f'fillcolor="{style.OP_FILL}" color="{style.OP_BORDER}" fontsize="10" '
            'height="0.3" width="0.3" margin="0.04,0.02"]\n')
        positional = len(parents) > 1 and node.op not in COMMUTATIVE
        for k, parent in enumerate(parents):
            p = index[parent]
            if positional:
                add(f'\tn{p} -> op{i} [label=<{k + 1}>]\n')
            else:
                add(f"\tn{p} -> op{i}\n")
        add(f"\top{i} -> n{i}\n")
    body.extend(lines)
    g.labels = GraphLabels(order, grads, scale, precision, show, current)
    if any(g is not None for g in grads):
        legend = scale.legend(precision)
    else:
        legend = style.font(style.escape(f"δ = ∂root/∂node: {style.MISSING} until a backward "
                                         "pass reaches the node"), size=9, color=style.MUTED)
    body.append(f"\tlegend [label=<{legend}> shape=plain]\n")
    if caption:
        g.attr(label=f"<{caption}>", labelloc="b", labeljust="l", fontsize="12")
    return g
