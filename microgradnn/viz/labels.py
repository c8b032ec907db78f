"""The label of one value node: its name, value and δ, for a float or an array.

Small arrays (at most ``SMALL`` entries, at most 2-D) are drawn in full as a table whose δ
cells carry their own colour; larger ones are summarised by shape, norm, min and max.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core import Node
from .style import (
    INK,
    MISSING,
    MONO,
    MUTED,
    DivergingScale,
    escape,
    font,
    format_number,
    markup,
    short_number,
    table,
)

__all__ = ["SHOW", "check_show", "colour_value", "delta", "is_array", "node_label"]

SMALL = 12  # arrays with at most this many entries are drawn in full
SHOW = ("value", "grad")


def drawn_in_full(data: np.ndarray) -> bool:
    """Whether an array is drawn entry by entry (a table) rather than summed up by
    :func:`norm_min_max`: at most ``SMALL`` entries, at most 2-D, and not empty (an empty
    table is not a valid Graphviz label)."""
    return 0 < data.size <= SMALL and data.ndim <= 2


def check_show(show: Sequence[str], caller: str) -> tuple[str, ...]:
    if isinstance(show, str):
        show = (show,)
    items = tuple(show)
    unknown = [s for s in items if s not in SHOW]
    if unknown:
        raise ValueError(f"{caller}: show={items!r} has {unknown[0]!r}; expected a subset of "
                         f"{SHOW!r}")
    return items


def is_array(value: Any) -> bool:
    return isinstance(value, np.ndarray)


def colour_value(grad: Any) -> float | None:
    """The one number whose colour a node gets: the float δ, or an array δ's entry of
    largest magnitude (with its sign)."""
    if grad is None:
        return None
    if is_array(grad):
        if grad.size == 0:
            return 0.0
        flat = grad.reshape(-1).astype(float, copy=False)
        finite = flat[np.isfinite(flat)]
        if finite.size == 0:
            return float(flat[0])
        return float(finite[np.argmax(np.abs(finite))])
    return float(grad)


def delta(node: Node) -> Any:
    """The δ a drawing shows for ``node``: its ``grad`` as a value. After
    ``backward(create_graph=True)`` a gradient is itself a node; the drawing shows its data."""
    g = node.grad
    return g.data if isinstance(g, Node) else g


def scale_values(grads: Sequence[Any]) -> list[float]:
    """The magnitudes the colour scale spans (each array contributes its largest)."""
    out = []
    for g in grads:
        v = colour_value(g)
        if v is not None:
            out.append(v)
    return out


def _cell(text: str, bg: str | None = None, ink: str | None = None) -> str:
    attr = f' BGCOLOR="{bg}"' if bg else ""
    return f'<TD ALIGN="RIGHT"{attr}>{font(text, size=9, face=MONO, color=ink)}</TD>'


def _array_table(values: np.ndarray, precision: int, scale: DivergingScale | None) -> str:
    grid = values.reshape(1, -1) if values.ndim < 2 else values
    rows = []
    for r in grid:
        cells = []
        for v in r:
            v = float(v)
            if scale is None:
                cells.append(_cell(format_number(v, precision), "white", INK))
            else:
                cells.append(_cell(format_number(v, precision), scale.fill(v), scale.text(v)))
        rows.append(f"<TR>{''.join(cells)}</TR>")
    return ('<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="2" '
            f'COLOR="#bbbbbb">{"".join(rows)}</TABLE>')


def norm_min_max(values: np.ndarray) -> tuple[float, float, float] | None:
    """What an array too big to print is summed up by: its 2-norm, its least and its
    greatest entry (``None`` when it is empty). The SVG and the TikZ labels both show it."""
    flat = values.astype(float, copy=False).reshape(-1)
    if flat.size == 0:
        return None
    return float(np.linalg.norm(flat)), float(flat.min()), float(flat.max())


def _array_summary(values: np.ndarray, precision: int) -> str:
    stats = norm_min_max(values)
    if stats is None:
        return font("empty", size=9, color=MUTED)
    norm, low, high = (short_number(v, precision) for v in stats)
    return font(escape(f"‖·‖ {norm}   min {low}   max {high}"), size=9, face=MONO)


def _row(key: str, body: str, ink: str | None) -> str:
    key_ink = ink or INK  # readable on the node's fill (style.ink_on), like the numbers
    return (f'<TR><TD ALIGN="LEFT">{font(key, size=9, color=key_ink)}</TD><TD WIDTH="5"></TD>'
            f'<TD ALIGN="RIGHT">{body}</TD></TR>')


def _array_rows(data: np.ndarray, grad: Any, precision: int, show: Sequence[str],
                scale: DivergingScale, ink: str | None) -> list[str]:
    small = drawn_in_full(data)
    rows = [f'<TR><TD COLSPAN="3">{font(escape(_shape_text(data)), size=8, color=ink or MUTED)}'
            "</TD></TR>"]
    if "value" in show:
        body = _array_table(data, precision, None) if small else _array_summary(data, precision)
        rows.append(_row("value", body, ink))
    if "grad" in show:
        if grad is None:
            body = font(MISSING, size=10)
        elif not is_array(grad) or grad.shape != data.shape:
            body = font(escape(f"{grad!r}"), size=9)
        else:
            body = (_array_table(grad, precision, scale) if small
                    else _array_summary(grad, precision))
        rows.append(_row("δ", body, ink))
    return rows


def _shape_text(data: np.ndarray) -> str:
    shape = "×".join(str(d) for d in data.shape) if data.ndim else "scalar"
    return f"{shape} · {data.dtype}"


def node_label(name: str | None, data: Any, grad: Any, *, precision: int,
               show: Sequence[str], scale: DivergingScale, ink: str | None = None) -> str:
    """The HTML-like table of a value node (without the outer ``<...>``)."""
    rows = []
    if name:
        rows.append(f'<TR><TD COLSPAN="3"><B>{font(markup(name), size=12, color=ink)}</B>'
                    "</TD></TR>")
    if is_array(data):
        rows.extend(_array_rows(data, grad, precision, show, scale, ink))
    else:
        value = float(data)
        if "value" in show:
            rows.append(_row("value", font(format_number(value, precision), face=MONO,
                                           size=10, color=ink), ink))
        if "grad" in show:
            text = MISSING if grad is None else format_number(_as_float(grad), precision)
            rows.append(_row("δ", font(text, face=MONO, size=10, color=ink), ink))
    if not rows:
        rows.append("<TR><TD> </TD></TR>")
    return table(rows)


def _as_float(grad: Any) -> float:
    if is_array(grad):
        return float(grad.reshape(-1)[0]) if grad.size == 1 else math.nan
    return float(grad)
