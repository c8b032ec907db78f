"""``draw_graph``: a computation graph with every node's value and δ = ∂root/∂node.

Each value node (a Scalar or Tensor) is a rounded box filled by the sign and size of its δ;
the op that made it is a small grey ellipse between its inputs and it. Edges into ops whose
arguments do not commute (−, ÷, xⁿ, matmul, ...) carry the argument's position, which the
legend explains, and an input used twice (``a * a``) has two edges. Node ids are
topological indices, so the DOT source of the same graph is the same on every run.

Kept short so Graphviz stays fast and the picture legible: a name longer than
``MAX_NAME`` characters (an expression's sub-expression) is cut, whole in the tooltip; a
leaf used more than ``FANOUT`` times is drawn once per ``FANOUT`` uses; a course cost
``cost_k`` is one node with the course's formula, its numerically stable inside collapsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..core import Node, topological_order
from ..nn.notation import COST_FORMULA, cost_unit, pretty
from . import style
from .collapse import draw_layers
from .labels import check_show, colour_value, delta, is_array, node_label
from .render import Drawing, new_drawing
from .tikz_labels import GraphLabels

__all__ = ["DEFAULT_MAX_NODES", "FANOUT", "MAX_NAME", "check_options", "describe",
           "draw_graph", "op_label"]

# `dot` lays out 1,000 structured nodes in 1-2 s but 2,000 tangled ones take minutes
DEFAULT_MAX_NODES = 1000
MAX_NAME = 32  # characters of a name drawn in a node; the whole name is its tooltip
FANOUT = 8  # a leaf with more uses is drawn once per FANOUT uses (dot slows on wide fans)

# ops whose arguments can be swapped without changing the result: no position labels
# (dot pairs its i-th weight with its i-th input, which the names show)
COMMUTATIVE = frozenset({"+", "*", "sum", "maximum", "dot"})

# how each op is drawn: one entry for every op string a Scalar or Tensor op records
# (`_result(..., op)` in scalar.py and tensor*.py; a test holds the two to each other).
# An op of some other node type is drawn as its own name. Plain Unicode, no markup.
OP_SYMBOLS = {
    # Scalar and Tensor
    "+": "+", "-": "−", "*": "×", "/": "÷", "**": "xⁿ", "neg": "−x",
    "exp": "exp", "log": "log", "sqrt": "√", "tanh": "tanh", "sigmoid": "σ", "relu": "ReLU",
    "abs": "|x|", "sum": "Σ",
    # Scalar only
    "dot": "Σ wᵢxᵢ",
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
    options = check_options(root, precision, rankdir, show, max_nodes, collapse,
                            "draw_graph")
    order = topological_order(root)
    if collapse == "layer":
        return draw_layers(order, precision=precision, rankdir=rankdir)
    if max_nodes is not None and len(order) > max_nodes:
        raise ValueError(
            f"draw_graph: the graph behind {describe(root, len(order) - 1)} has "
            f"{len(order):,} nodes, more than "
            f"max_nodes={max_nodes:,}; Graphviz would take minutes to lay it out. Draw a "
            "network's Scalar graph with collapse='layer' (one node per layer), build it with "
            "the Tensor engine (one node per matrix), or raise max_nodes."
        )
    return build(order, [delta(node) for node in order], **options)


def check_options(root: Any, precision: Any, rankdir: Any, show: Any, max_nodes: Any,
                  collapse: Any, caller: str) -> dict[str, Any]:
    """The drawing options shared by draw_graph and backward_steps, checked."""
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
    """The small text of an op node (plain text)."""
    return OP_SYMBOLS.get(op) or op


def short_name(name: str | None) -> str | None:
    """A name as drawn in its node: course notation with Unicode scripts, cut to MAX_NAME."""
    if not name:
        return name
    text = pretty(name)
    return text if len(text) <= MAX_NAME else _cut(text)


def _cut(text: str) -> str:
    return text[:MAX_NAME - 1].rstrip() + "…"


def describe(node: Node, i: int) -> str:
    """A node in words, for captions: its name, or its op and position (never ``<log>``)."""
    if node.name:
        return short_name(node.name) or ""
    if node.op:
        return f"the {op_label(node.op)} node (#{i})"
    return f"the leaf #{i}"


@dataclass
class Plan:
    """What a drawing of ``order`` shows: which nodes are hidden inside a collapsed cost,
    each cost node's outside inputs, and each leaf's fan-out groups."""

    hidden: set[int]
    inputs: dict[int, list[int]]  # a collapsed cost node: the nodes feeding its region
    groups: dict[tuple[int, int], int]  # (user, edge position) -> copy of a wide leaf
    copies: dict[int, int]  # leaf -> number of copies drawn


def plan(order: Sequence[Node]) -> Plan:
    """Collapse each course cost (``cost_k``) into one node; split wide leaf fan-outs."""
    index = {node: i for i, node in enumerate(order)}
    users: list[list[int]] = [[] for _ in order]
    for i, node in enumerate(order):
        for p in node.parents:
            users[index[p]].append(i)
    hidden: set[int] = set()
    inputs: dict[int, list[int]] = {}
    for c, node in enumerate(order):
        if cost_unit(node.name) is None or not node.parents:
            continue
        region: set[int] = set()
        outside: list[int] = []
        stack = [index[p] for p in node.parents]
        while stack:
            j = stack.pop()
            if j in region or j in outside:
                continue
            parent = order[j]
            inside = (not parent.name and parent.parents
                      and all(u == c or u in region or _feeds_only(order, users, u, c, index)
                              for u in users[j]))
            if inside:
                region.add(j)
                stack.extend(index[q] for q in parent.parents)
            else:
                outside.append(j)
        if region:
            hidden |= region
            inputs[c] = sorted(outside)
    groups: dict[tuple[int, int], int] = {}
    copies: dict[int, int] = {}
    seen: dict[int, int] = {}
    for i, node in enumerate(order):
        if i in hidden:
            continue
        for k, p in enumerate(node.parents):
            j = index[p]
            if order[j].parents or len(users[j]) <= FANOUT:
                continue
            n = seen.get(j, 0)
            seen[j] = n + 1
            groups[(i, k)] = n // FANOUT
            copies[j] = n // FANOUT + 1
    return Plan(hidden, inputs, groups, copies)


def _feeds_only(order: Sequence[Node], users: list[list[int]], u: int, c: int,
                index: dict[Node, int]) -> bool:
    """Whether node u is unnamed and every path from it leads into node c (it belongs to
    c's cost region even though it is not yet known to)."""
    stack, seen = [u], set()
    while stack:
        v = stack.pop()
        if v == c:
            continue
        if v in seen:
            continue
        seen.add(v)
        if order[v].name or not users[v]:
            return False
        stack.extend(users[v])
    return True


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
    ``caption`` (HTML-label text) goes under the graph. Node i's box has the SVG id
    ``v<i>``. Used by draw_graph and by backward_steps."""
    colours = [colour_value(grad) for grad in grads]  # each node's one colour number
    if scale is None:
        scale = style.DivergingScale(c for c in colours if c is not None)
    g = new_drawing(rankdir)
    g.attr(ordering="in")  # an op's inputs in their order: a bias unit above its units
    shape = plan(order)
    index = {node: i for i, node in enumerate(order)}
    lines: list[str] = []
    add = lines.append
    positional_used = False
    for i, node in enumerate(order):
        if i in shape.hidden:
            continue
        c = colours[i]
        fill = scale.fill(c)
        ink = style.ink_on(fill)
        full = pretty(node.name) if node.name else None
        name = full if full is None or len(full) <= MAX_NAME else _cut(full)
        label = node_label(name, node.data, grads[i], precision=precision,
                           show=show, scale=scale, ink=ink)
        margin = "0.08,0.06" if is_array(node.data) else "0.06,0.03"
        extra = ' penwidth="3" color="#1a1a1a"' if i == current else ""
        if name != full:  # the whole name where the label has no room for it
            extra += f' tooltip="{style.dot_string(full)}"'
        for copy in range(shape.copies.get(i, 1)):
            suffix = f"c{copy}" if copy else ""
            add(f'\tn{i}{suffix} [id="v{i}{suffix}" label=<{label}> shape=box '
                f'style="rounded,filled" fillcolor="{fill}" margin="{margin}"{extra}]\n')
        if not node.parents:
            continue
        k_cost = cost_unit(node.name)
        if i in shape.inputs:
            text = style.escape(f"cost{style.sub(str(k_cost))} = {COST_FORMULA}")
            note = style.font(style.escape("a = g(z), from z for stability"), size=8,
                              color=style.INK)
            formula = style.table([f"<TR><TD>{text}</TD></TR>", f"<TR><TD>{note}</TD></TR>"],
                                  cellpadding=0)
            add(f'\top{i} [label=<{formula}> shape=box style="rounded,filled" '
                f'fillcolor="{style.OP_FILL}" color="{style.OP_BORDER}" fontsize="10" '
                'margin="0.06,0.03"]\n')
            for p in shape.inputs[i]:
                add(f"\tn{p} -> op{i}\n")
            add(f"\top{i} -> n{i}\n")
            continue
        add(f'\top{i} [label=<{style.escape(op_label(node.op))}> shape=ellipse style=filled '
            f'fillcolor="{style.OP_FILL}" color="{style.OP_BORDER}" fontsize="10" '
            'height="0.3" width="0.3" margin="0.04,0.02"]\n')
        positional = len(node.parents) > 1 and node.op not in COMMUTATIVE
        positional_used |= positional
        for k, parent in enumerate(node.parents):
            p = index[parent]
            copy = shape.groups.get((i, k), 0)
            tail = f"n{p}c{copy}" if copy else f"n{p}"
            add(f'\t{tail} -> op{i} [label=<{k + 1}>]\n' if positional else
                f"\t{tail} -> op{i}\n")
        add(f"\top{i} -> n{i}\n")
    g.body.extend(lines)
    g.labels = GraphLabels(order, grads, scale, precision, show, current)
    g.body.append(f"\tlegend [label=<{_legend(scale, grads, precision, positional_used, shape)}>"
                  " shape=plain]\n")
    if caption:
        g.attr(label=f"<{caption}>", labelloc="b", labeljust="l", fontsize="12")
    return g


def _legend(scale: style.DivergingScale, grads: Sequence[Any], precision: int,
            positional: bool, shape: Plan) -> str:
    notes = []
    if positional:
        notes.append("edge numbers: operand position of −, ÷, xⁿ, … (1 = first)")
    if shape.copies:
        notes.append(f"a leaf used more than {FANOUT} times is drawn once per {FANOUT} uses")
    if any(g is not None for g in grads):
        head = scale.legend(precision)
    else:
        head = style.font(style.escape(f"δ = ∂root/∂node: {style.MISSING} until a backward "
                                       "pass reaches the node"), size=9, color=style.MUTED)
    rows = [f"<TR><TD>{head}</TD></TR>"]
    rows += [f'<TR><TD>{style.font(style.escape(n), size=8, color=style.MUTED)}</TD></TR>'
             for n in notes]
    return style.table(rows)
