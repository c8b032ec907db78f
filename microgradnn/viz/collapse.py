"""``draw_graph(root, collapse="layer")``: a network's Scalar graph as one node per layer.

A network's Scalar graph has a node per weight, so a 400-25-10 network has over ten
thousand, far more than Graphviz can lay out. Collapsed, each layer becomes one cluster
holding one summary: how many nodes of each kind it has and, per unit, a_j^(l) and
δ_j^(l) = ∂root/∂z_j^(l) (or their range, for wide layers). Edges between clusters count
the graph edges they stand for.

The layer of a node is read from its name, ``symbol^(l)...`` as :mod:`microgradnn.nn`
names them; Θ^(l) joins layer l+1, the layer it feeds. An unnamed node joins the highest
layer among its inputs (it is part of that layer's computation).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from ..core import Node
from ..nn.notation import parse
from . import style
from .labels import colour_value, delta, is_array, scale_values
from .render import Drawing, new_drawing
from .style import MISSING, MUTED, escape, font, format_number, markup

__all__ = ["draw_layers", "layer_of"]

MAX_ROWS = 12  # per cluster; wider layers show ranges instead of one row per unit


def layer_of(name: str | None) -> tuple[str, int] | None:
    """(symbol, layer) for a course name such as ``z^(2)_1`` or ``Θ^(1)_12``."""
    parsed = parse(name)
    return None if parsed is None else (parsed.symbol, parsed.group)


Found = tuple[str, int] | None  # layer_of(node.name)


def _groups(order: Sequence[Node], found: Sequence[Found],
            index: dict[Node, int]) -> list[int | None]:
    """The group (layer) of every node of ``order``; None for inputs without a layer.
    ``found[i]`` is layer_of(order[i].name); ``index`` maps each node to its position."""
    group: list[int | None] = []
    for node, f in zip(order, found):
        if f is not None:
            group.append(f[1])
            continue
        known = [g for g in (group[index[p]] for p in node.parents) if g is not None]
        group.append(max(known) if known else None)
    return group


def _value_text(value: object, precision: int) -> str:
    if value is None:
        return MISSING
    if is_array(value):
        return escape(f"{value.shape}")  # type: ignore[attr-defined]
    return format_number(float(value), precision)  # type: ignore[arg-type]


def _mono(text: str, ink: str | None = None) -> str:
    return font(text, size=10, face=style.MONO, color=ink)


def _layer_summary(l: int | None, members: list[tuple[Node, Found]], precision: int,
             ink: str) -> str:
    kinds = Counter(f[0] if f else "op" for _, f in members)
    count = ", ".join(f"{n:,} {markup(k) if k != 'op' else 'other'}" for k, n in
                      sorted(kinds.items(), key=lambda kv: (kv[0] == "op", kv[0])))
    head = "inputs without a layer" if l is None else f"layer {l}"
    rows = [f'<TR><TD COLSPAN="3"><B>{font(escape(head), size=12, color=ink)}</B></TD></TR>',
            f'<TR><TD COLSPAN="3">{font(count, size=9, color=ink)}</TD></TR>']
    units = [n for n, f in members if f and f[0] in ("z", "a")
             and not n.name.split(")", 1)[-1].startswith("_0")]  # type: ignore[union-attr]
    zs = [n for n in units if n.name.startswith("z")]  # type: ignore[union-attr]
    if units and len(units) <= MAX_ROWS:
        for n in units:
            cells = (markup(n.name), _value_text(n.data, precision),
                     "δ " + _value_text(delta(n), precision))
            rows.append(f'<TR><TD ALIGN="LEFT">{font(cells[0], size=10, color=ink)}</TD>'
                        + "".join(f'<TD ALIGN="RIGHT">{_mono(c, ink)}</TD>' for c in cells[1:])
                        + "</TR>")
    elif zs:
        grads = np.array([delta(n) for n in zs if n.grad is not None], dtype=float)
        text = (f"δ of {len(zs):,} z: min {format_number(grads.min(), 3)}, "
                f"max {format_number(grads.max(), 3)}" if grads.size else f"δ {MISSING}")
        rows.append(f'<TR><TD COLSPAN="3">{font(escape(text), size=10, color=ink)}</TD></TR>')
    return style.table(rows, cellpadding=2)


def draw_layers(order: Sequence[Node], *, precision: int, rankdir: str) -> Drawing:
    """One cluster per layer of a network's Scalar graph (see the module docstring)."""
    root = order[-1]
    found = [layer_of(n.name) for n in order]
    if not any(found):
        raise ValueError(
            "draw_graph: collapse='layer' reads each node's layer from its name, such as "
            "z^(2)_1 or Θ^(1)_12 (as microgradnn.nn names them), and no node in this graph "
            "has one; name the nodes, or draw it without collapse")
    index = {node: i for i, node in enumerate(order)}
    group = _groups(order, found, index)
    members: dict[int | None, list[tuple[Node, Found]]] = defaultdict(list)
    for node, f, g in zip(order[:-1], found, group):
        members[g].append((node, f))
    scale = style.DivergingScale(scale_values([delta(n) for n in order]))
    d = new_drawing(rankdir, name="layers")
    keys = sorted(members, key=lambda k: -1 if k is None else k)
    ids = {k: ("inputs" if k is None else f"layer{k}") for k in keys}
    for k in keys:
        zs = [delta(n) for n, f in members[k] if f and f[0] == "z" and n.grad is not None]
        c = colour_value(np.array(zs, dtype=float)) if zs else None
        ink = scale.text(c)
        d.body.append(f"\tsubgraph cluster_{ids[k]} {{\n\t\tstyle=\"rounded,dashed\" "
                      f'color="{MUTED}" label=""\n'
                      f"\t\t{ids[k]} [label=<{_layer_summary(k, members[k], precision, ink)}> "
                      f'shape=box style="rounded,filled" fillcolor="{scale.fill(c)}"]\n\t}}\n')
    counts: Counter[tuple[int | None, int | None]] = Counter()
    for node, g in zip(order[:-1], group):
        for p in node.parents:
            pg = group[index[p]]
            if pg != g:
                counts[(pg, g)] += 1
    root_fill = scale.fill(colour_value(delta(root)))
    root_ink = style.ink_on(root_fill)
    root_label = style.table([
        f'<TR><TD><B>{font(markup(root.label()), size=12, color=root_ink)}</B></TD></TR>',
        f'<TR><TD>{_mono("value " + _value_text(root.data, precision), root_ink)}</TD></TR>',
    ])
    d.body.append(f'\troot [label=<{root_label}> shape=box style="rounded,filled" '
                  f'fillcolor="{root_fill}"]\n')
    for p in root.parents:
        counts[(group[index[p]], "root")] += 1  # type: ignore[index]
    for (a, b), n in sorted(counts.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        head = "root" if b == "root" else ids[b]
        label = font(f"{n:,} edge{'s' if n != 1 else ''}", size=9, color=MUTED)
        d.body.append(f'\t{ids[a]} -> {head} [label=<{label}> '
                      f'penwidth="{1.0 + min(3.0, np.log10(n)):.2f}"]\n')
    d.body.append(f"\tlegend [label=<{scale.legend(precision)}> shape=plain]\n")
    return d
