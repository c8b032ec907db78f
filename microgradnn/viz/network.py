"""``draw_network``: the lecture's picture of a network, with a^(l) and δ^(l) on every unit
and Θ^(l)_ij on every edge, for one example.

Layers are columns from left to right (one ``rank=same`` subgraph each), the bias unit "+1"
sits apart at the top of its column, and wide layers are elided ("⋯ 390 more units") so a
400-25-10 network stays legible. ``highlight=(l, j)`` draws the recurrence for δ_j^(l):
the edges from unit j to layer l+1 stand out, the rest fade, and a caption works the
formula out with its numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..nn.notation import theta_name
from . import style
from .caption import delta_caption
from .example import Example, example_of
from .render import Drawing, new_drawing
from .style import escape, font, format_number, markup, short_number
from .tikz_labels import NetworkLabels

__all__ = ["draw_network"]

HIGHLIGHT = "#1a1a1a"
LABELLED_EDGES = 9  # a layer pair with more drawn edges shows Θ^(l) as a table instead
MATRIX_CELLS = 7  # rows and columns of a Θ table before it elides with ⋯
BIAS_FILL = "#ffffff"
HIGHLIGHT_CELL = "#fff0a8"  # the highlighted unit's column in a Θ table


def _check(ex: Example, highlight: Any, max_units: Any, weights: Any,
           precision: Any) -> tuple[int, int] | None:
    if weights not in (True, False, "all"):
        raise ValueError(f"draw_network: weights must be True, False or 'all', got {weights!r}")
    style.check_precision(precision, "draw_network")
    if isinstance(max_units, bool) or not isinstance(max_units, int) or max_units < 3:
        raise ValueError(f"draw_network: max_units must be an integer >= 3, got {max_units!r}")
    if highlight is None:
        return None
    try:
        if isinstance(highlight, str) or len(highlight) != 2:
            raise TypeError
        l, j = (int(v) for v in highlight)
    except (TypeError, ValueError):
        raise ValueError(f"draw_network: highlight must be a pair (l, j), got {highlight!r}"
                         ) from None
    if not 2 <= l <= ex.L:
        raise ValueError(f"draw_network: highlight=({l}, {j}) names layer {l}; δ^(l) exists "
                         f"for layers 2..{ex.L} (the inputs, layer 1, have no δ)")
    if not 1 <= j <= ex.sizes[l - 1]:
        raise ValueError(f"draw_network: highlight=({l}, {j}) names unit {j}; layer {l} has "
                         f"units 1..{ex.sizes[l - 1]}")
    if ex.delta is None:
        raise ValueError("draw_network: highlight needs δ, so pass y (the example's label)")
    return l, j


def visible_units(size: int, max_units: int, keep: int | None = None) -> list[int]:
    """The units (1-based) drawn for a layer of ``size``: all of them when it fits, else
    the first max_units − 3, the last one, and ``keep`` (the highlighted unit)."""
    if size <= max_units:
        return list(range(1, size + 1))
    shown = set(range(1, max_units - 2)) | {size}
    if keep is not None:
        shown.add(keep)
    return sorted(shown)


def _unit_label(ex: Example, l: int, j: int, precision: int, ink: str) -> str:
    """a_j^(l) (for the inputs a^(1) = x) and δ_j^(l) with their values."""
    def row(symbol: str, value: float) -> str:
        number = font(format_number(value, precision), face=style.MONO, color=ink)
        return (f'<TR><TD ALIGN="LEFT">{font(markup(symbol), color=ink)}</TD>'
                f'<TD WIDTH="4"></TD><TD ALIGN="RIGHT">{number}</TD></TR>')

    rows = [row(f"a_{j}^({l})", ex.a[l][j - 1])]
    if ex.delta is not None and l >= 2:
        rows.append(row(f"δ_{j}^({l})", ex.delta[l][j - 1]))
    return style.table(rows, cellpadding=1)


def _edge_attrs(ex: Example, l: int, i: int, j: int, precision: int, weights: bool | str,
                emphasis: str | None, top: float) -> str:
    w = float(ex.theta[l][i - 1, j])
    width = 0.6 + 2.2 * abs(w) / top if top else 1.0
    attrs = []
    if w == 0.0:
        attrs.append('style="dashed"')
    if emphasis == "on":
        width = max(width, 1.2) + 1.2
        attrs.append(f'color="{HIGHLIGHT}" fontcolor="{HIGHLIGHT}"')
    elif emphasis == "off":
        attrs.append(f'color="{style.FADED}"')
    name = style.pretty(theta_name(l, i, j))
    attrs.append(f'penwidth="{width:.2f}" tooltip="{name} = {w!r}"')
    if weights == "all" or (weights and emphasis == "on"):
        attrs.append(f"label=<{markup(name)} = {short_number(w, precision)}>")
    return " ".join(attrs)


def draw_network(
    net: Any,
    x: Any,
    y: Any = None,
    *,
    highlight: tuple[int, int] | None = None,
    weights: bool | str = True,
    max_units: int = 12,
    precision: int = 4,
) -> Drawing:
    """The lecture's picture of ``net`` on one example ``x`` (and label ``y``).

    Each unit shows a_j^(l) and, when ``y`` is given, δ_j^(l) from ``net.backprop``; each
    edge is Θ^(l)_ij with its value (``weights=False`` hides the numbers; past
    ``LABELLED_EDGES`` drawn edges only the highlighted ones are labelled unless
    ``weights="all"``; every edge keeps its value as an SVG tooltip; zero weights are
    dashed). ``highlight=(l, j)`` emphasises the edges from unit j of layer l to layer
    l+1 and adds a caption computing δ_j^(l) = (Σ_i Θ^(l)_ij δ_i^(l+1)) · g'(z_j^(l)).
    Layers wider than ``max_units`` are elided. Returns a :class:`Drawing`.
    """
    ex = example_of(net, x, y)
    hl = _check(ex, highlight, max_units, weights, precision)
    scale = style.DivergingScale(
        [v for d in ex.delta.values() for v in d] if ex.delta is not None else [])
    g = new_drawing("LR", name="network")
    g.attr(nodesep="0.18", ranksep="1.6", ordering="out")
    shown = {l: visible_units(ex.sizes[l - 1], max_units,
                              hl[1] if hl and hl[0] == l else None)
             for l in range(1, ex.L + 1)}
    lines: list[str] = []
    for l in range(1, ex.L + 1):
        lines.extend(_column(ex, l, shown[l], scale, precision, hl))
    top = max((float(np.max(np.abs(T))) for T in ex.theta.values() if T.size), default=0.0)
    focus = hl if hl is not None and hl[0] < ex.L else None  # the output layer has no edges out
    for l in range(1, ex.L):
        sources = [0, *shown[l]]
        on_edges = weights == "all" or (weights is True and
                                        len(sources) * len(shown[l + 1]) <= LABELLED_EDGES)
        if weights and not on_edges:
            lines.append(_matrix(ex, l, shown, precision, focus))
        for i in shown[l + 1]:
            for j in sources:
                emphasis = None if focus is None else "on" if (l, j) == focus else "off"
                tail = f"b{l}" if j == 0 else f"u{l}_{j}"
                # with a Θ table, only the highlighted unit's edges keep their labels
                label = "all" if on_edges else bool(weights)
                lines.append(f"\t{tail} -> u{l + 1}_{i} ["
                             f"{_edge_attrs(ex, l, i, j, precision, label, emphasis, top)}]\n")
    for l in range(1, ex.L):  # headers in one row across the top, in layer order
        lines.append(f"\th{l} -> h{l + 1} [style=invis weight=100]\n")
    g.body.extend(lines)
    g.body.append(f"\tlegend [label=<{_legend(ex, scale, precision, top)}> shape=plain]\n")
    g.attr(label=f"<{_caption(ex, hl, precision)}>", labelloc="b", labeljust="c",
           fontsize="12")
    g.labels = NetworkLabels(ex, shown, scale, precision, hl)
    return g


def _legend(ex: Example, scale: style.DivergingScale, precision: int, top: float) -> str:
    """Colour (δ) and edge width (|Θ|) explained, one under the other."""
    rows = []
    if ex.delta is not None:
        rows.append(f"<TR><TD>{scale.legend(precision, 'fill: δ = ∂cost/∂z', note=False)}"
                    "</TD></TR>")
    bars, numbers = [], []
    for t in (0.0, 0.5, 1.0):
        width = 0.6 + 2.2 * t if top else 1.0
        bars.append(f'<TD HEIGHT="{max(1, round(width))}" WIDTH="40" BGCOLOR="{style.EDGE}">'
                    "</TD><TD WIDTH=\"8\"></TD>")
        numbers.append(f'<TD>{font(short_number(t * top, precision), size=8)}</TD><TD></TD>')
    head = font(escape("edge width: |Θ| (dashed: Θ = 0)"), size=9)
    rows.append(f'<TR><TD>{head}</TD></TR><TR><TD><TABLE BORDER="0" CELLBORDER="0" '
                f'CELLSPACING="0" CELLPADDING="0"><TR>{"".join(bars)}</TR>'
                f'<TR>{"".join(numbers)}</TR></TABLE></TD></TR>')
    return style.table(rows, cellpadding=2)


def _matrix(ex: Example, l: int, shown: dict[int, list[int]], precision: int,
            focus: tuple[int, int] | None) -> str:
    """Θ^(l) as a table node beside the edges it labels (rows i: units of layer l+1,
    columns j: units of layer l, column 0 the bias); wide matrices elide with ⋯."""
    T = ex.theta[l]
    rows_i = visible_units(T.shape[0], MATRIX_CELLS)
    cols_j = [0, *visible_units(T.shape[1] - 1, MATRIX_CELLS - 1)]
    mark = focus[1] if focus is not None and focus[0] == l else None

    def cell(text: str, bold: bool = False, bg: str | None = None) -> str:
        body = font(escape(text), size=9, face=style.MONO if not bold else None)
        bgcolor = f' BGCOLOR="{bg}"' if bg else ""
        return f'<TD ALIGN="RIGHT"{bgcolor}>{"<B>" + body + "</B>" if bold else body}</TD>'

    head = [cell(style.pretty(f"Θ^({l})"), bold=True)]
    previous = -1
    for j in cols_j:
        if j != previous + 1:
            head.append(cell("⋯"))
        head.append(cell(f"j={j}", bg=HIGHLIGHT_CELL if j == mark else None))
        previous = j
    body = [f"<TR>{''.join(head)}</TR>"]
    previous_i = 0
    for i in rows_i:
        if i != previous_i + 1:
            body.append(f'<TR>{cell("⋮")}</TR>')
        cells = [cell(f"i={i}")]
        previous = -1
        for j in cols_j:
            if j != previous + 1:
                cells.append(cell("⋯"))
            cells.append(cell(short_number(float(T[i - 1, j]), precision),
                              bg=HIGHLIGHT_CELL if j == mark else None))
            previous = j
        body.append(f"<TR>{''.join(cells)}</TR>")
        previous_i = i
    note = font(escape(f"Θ⁽{l}⁾ᵢⱼ: from unit j of layer {l} to unit i of layer {l + 1}"),
                size=8, color=style.MUTED)
    table = ('<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2" '
             f'COLOR="#bbbbbb">{"".join(body)}</TABLE>')
    return (f'\ttheta{l} [label=<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0">'
            f'<TR><TD>{table}</TD></TR><TR><TD>{note}</TD></TR></TABLE>> shape=plain]\n'
            f"\t{{rank=same; u{l}_{shown[l][-1]}; theta{l}}}\n"
            f"\tu{l}_{shown[l][-1]} -> theta{l} [style=invis]\n")


def _column(ex: Example, l: int, units: list[int], scale: style.DivergingScale,
            precision: int, hl: tuple[int, int] | None) -> list[str]:
    """One layer: header, bias unit, units (with an elision node), in a rank=same block
    whose invisible chain keeps them in order from top to bottom."""
    size = ex.sizes[l - 1]
    kind = "input" if l == 1 else "output" if l == ex.L else "hidden"
    sub = font(f"{kind}, {markup(f's_{l}')} = {size:,}", size=9, color=style.MUTED)
    header = style.table([f"<TR><TD>{font(f'Layer {l}', size=12)}</TD></TR>",
                          f"<TR><TD>{sub}</TD></TR>"], cellpadding=0)
    out = [f"\tsubgraph layer{l} {{\n", "\t\trank=same\n",
           f"\t\th{l} [label=<{header}> shape=plaintext]\n"]
    chain = [f"h{l}"]
    if l < ex.L:
        out.append(f'\t\tb{l} [label="+1" shape=circle style="dashed,filled" '
                   f'fillcolor="{BIAS_FILL}" color="{style.MUTED}" fontcolor="{style.MUTED}" '
                   'width="0.45" fixedsize=true]\n')
        chain.append(f"b{l}")
        chain.append(f"gap{l}")
        out.append(f'\t\tgap{l} [label="" shape=point style=invis width="0.15"]\n')
    previous = 0
    for j in units:
        if j != previous + 1:  # units previous+1 .. j-1 are elided
            more = escape(f"⋯ {j - previous - 1:,} more units")
            out.append(f"\t\te{l}_{j} [label=<{font(more, size=10, color=style.MUTED)}> "
                       "shape=plaintext]\n")
            chain.append(f"e{l}_{j}")
        d = ex.delta[l][j - 1] if (ex.delta is not None and l >= 2) else None
        fill = scale.fill(d) if d is not None else "#ffffff"
        ink = scale.text(d)
        extra = ""
        if hl is not None and (l, j) == hl:
            extra = f' penwidth="3" color="{HIGHLIGHT}"'
        elif hl is not None and l == hl[0] + 1:
            extra = ' penwidth="2"'
        out.append(f'\t\tu{l}_{j} [label=<{_unit_label(ex, l, j, precision, ink)}> '
                   f'shape=box style="rounded,filled" fillcolor="{fill}"{extra}]\n')
        chain.append(f"u{l}_{j}")
        previous = j
    out.append("\t\t" + " -> ".join(chain) + " [style=invis]\n")
    out.append("\t}\n")
    return out


def _caption(ex: Example, hl: tuple[int, int] | None, precision: int) -> str:
    parts = []
    title = "-".join(str(s) for s in ex.sizes)
    x = ", ".join(f"{v:.3g}" for v in ex.a[1][:6]) + (", ⋯" if ex.sizes[0] > 6 else "")
    line = f"network {title}   x = ({x})"
    if ex.y is not None:
        y = ", ".join(f"{v:g}" for v in ex.y[:10])
        line += f"   y = ({y})   cost = {format_number(ex.cost or 0.0, precision)}"
    parts.append(font(escape(line), size=10, color=style.MUTED))
    if hl is not None:
        parts.append(delta_caption(ex, hl, precision))
    return style.table(f'<TR><TD ALIGN="LEFT">{p}</TD></TR>' for p in parts)
