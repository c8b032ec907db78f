"""TikZ output: a drawing as a ``tikzpicture`` with Graphviz's own layout.

The positions, node sizes and edge splines come from ``dot -Tjson0`` run on the drawing's
DOT source, so the picture matches the SVG; the text of every node comes from the
:mod:`~microgradnn.viz.tikz_labels` object the drawing carries (real math built from the
nodes' names, values and δ), and every colour is the SVG's, defined once with
``\\definecolor``. The picture needs nothing but ``\\usepackage{tikz}``: core arrow tips,
no TikZ library.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from . import latex
from .dot import DOT_TIMEOUT, run_dot
from .tikz_labels import Label


class Drawing(Protocol):
    """What a picture is made from: the DOT source and ``dot``'s time limit (a
    :class:`~microgradnn.viz.render.Drawing` has both, and its ``labels``)."""

    source: str
    timeout: float | None

__all__ = ["PREAMBLE", "Layout", "document", "layout", "picture", "to_tikz", "write"]

PREAMBLE = r"\usepackage{tikz}"  # all a picture needs: colours come from xcolor, which tikz loads
PT_PER_INCH = 72.0
MAX_TEX_PT = 16_000.0  # TeX's dimensions stop at 16,383.99 pt (about 5.8 m)
DEFAULT_BORDER = "#4d4d4d"


@dataclass(frozen=True)
class Shape:
    """One laid-out DOT node: centre and size in points, its shape and style."""

    name: str
    x: float
    y: float
    width: float
    height: float
    shape: str
    style: str
    color: str


@dataclass(frozen=True)
class Edge:
    """One laid-out DOT edge: the spline (points), its arrow end, label position, style."""

    tail: str
    head: str
    points: tuple[tuple[float, float], ...]
    end: tuple[float, float] | None
    label_at: tuple[float, float] | None
    style: str
    color: str
    penwidth: float


@dataclass(frozen=True)
class Layout:
    """What ``dot`` decided: the bounding box, nodes, edges and the caption's position."""

    width: float
    height: float
    nodes: tuple[Shape, ...]
    edges: tuple[Edge, ...]
    caption_at: tuple[float, float] | None


def _point(text: str) -> tuple[float, float]:
    x, y = text.split(",")[:2]
    return float(x), float(y)


def layout(source: str, timeout: float | None = DOT_TIMEOUT) -> Layout:
    """Run ``dot -Tjson0`` on ``source`` (with the drawing's timeout) and read back
    positions and splines."""
    data = json.loads(run_dot(source, "json0", timeout=timeout))
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    objects = data.get("objects", [])
    names = {o["_gvid"]: o["name"] for o in objects}
    nodes = tuple(
        Shape(o["name"], *_point(o["pos"]), float(o.get("width", 0)) * PT_PER_INCH,
              float(o.get("height", 0)) * PT_PER_INCH, o.get("shape", "box"),
              o.get("style", ""), o.get("color", DEFAULT_BORDER))
        for o in objects if "pos" in o)  # clusters/subgraphs have no pos
    edges = []
    for e in data.get("edges", []):
        points, end = [], None
        for token in e.get("pos", "").split():
            if token.startswith("e,"):
                end = _point(token[2:])
            elif not token.startswith("s,"):
                points.append(_point(token))
        edges.append(Edge(names[e["tail"]], names[e["head"]], tuple(points), end,
                          _point(e["lp"]) if "lp" in e and "label" in e else None,
                          e.get("style", ""), e.get("color", "#555555"),
                          float(e.get("penwidth", 1.0))))
    caption_at = _point(data["lp"]) if "lp" in data else None
    return Layout(x1 - x0, y1 - y0, nodes, tuple(edges), caption_at)


def _hex(colour: str, fallback: str) -> str:
    return colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else fallback


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def node_command(shape: Shape, label: Label, overlay: str = "") -> str:
    """``\\node`` for one laid-out node with its label (``overlay``: a Beamer spec)."""
    opts = [f"minimum width={_num(shape.width)}pt", f"minimum height={_num(shape.height)}pt"]
    plain = shape.shape in ("plaintext", "plain", "none")
    if not plain:
        outline = label.outline
        border = _hex(shape.color, DEFAULT_BORDER) if outline is None else outline[0]
        opts.append(f"draw={latex.color_name(border)}")
        if outline is not None:
            opts.append(f"line width={_num(outline[1])}pt")
        if "dashed" in shape.style:
            opts.append("dashed")
    if label.fill:
        opts.append(f"fill={latex.color_name(label.fill)}")
    if label.ink:
        opts.append(f"text={latex.color_name(label.ink)}")
    if shape.shape == "circle":
        opts.append("circle")
    elif shape.shape == "ellipse":
        opts.append(f"rounded corners={_num(min(shape.height, shape.width) / 2)}pt")
    elif "rounded" in shape.style:
        opts.append("rounded corners=3pt")
    return (f"\\node{overlay}[{', '.join(opts)}] ({shape.name}) at "
            f"({_num(shape.x)},{_num(shape.y)}) {{{label.text}}};")


def edge_commands(edges: Iterable[Edge], label_of: Callable[[str, str, int], str | None]
                  ) -> list[str]:
    """``\\draw`` for every visible edge along dot's spline, with its label."""
    out = []
    seen: dict[tuple[str, str], int] = {}
    for e in edges:
        k = seen.get((e.tail, e.head), 0)
        seen[(e.tail, e.head)] = k + 1
        if "invis" in e.style or not e.points:
            continue
        p = e.points
        path = f"({_num(p[0][0])},{_num(p[0][1])})"
        for i in range(1, len(p) - 2, 3):
            (ax, ay), (bx, by), (cx, cy) = p[i], p[i + 1], p[i + 2]
            path += (f" .. controls ({_num(ax)},{_num(ay)}) and ({_num(bx)},{_num(by)}) .. "
                     f"({_num(cx)},{_num(cy)})")
        if e.end is not None:
            path += f" -- ({_num(e.end[0])},{_num(e.end[1])})"
        opts = [f"draw={latex.color_name(_hex(e.color, '#555555'))}",
                f"line width={_num(0.6 * e.penwidth)}pt"]
        if e.end is not None:
            opts.insert(0, "-latex")
        if "dashed" in e.style:
            opts.append("dashed")
        out.append(f"\\draw[{', '.join(opts)}] {path};")
        text = label_of(e.tail, e.head, k) if e.label_at is not None else None
        if text is not None and e.label_at is not None:
            out.append(f"\\node[font=\\tiny, fill=white, inner sep=0.5pt] at "
                       f"({_num(e.label_at[0])},{_num(e.label_at[1])}) {{{text}}};")
    return out


def colour_definitions(body: str) -> list[str]:
    """``\\definecolor`` once for every colour name the body uses."""
    names = sorted(set(re.findall(latex.COLOR_PREFIX + r"[0-9A-F]{6}", body)))
    return [f"\\definecolor{{{n}}}{{HTML}}{{{n[len(latex.COLOR_PREFIX):]}}}" for n in names]


def wrap(lines: list[str]) -> str:
    """The lines inside a ``tikzpicture``, with the colours they use defined first."""
    body = "\n".join(lines)
    head = colour_definitions(body)
    return ("\\begin{tikzpicture}[x=1pt, y=1pt, font=\\footnotesize, inner sep=1.5pt]\n"
            + "\n".join([*head, body]) + "\n\\end{tikzpicture}")


def picture(drawing: Drawing, where: Layout | None = None) -> str:
    """The ``tikzpicture`` of ``drawing`` (its layout computed unless ``where`` is given)."""
    labels = getattr(drawing, "labels", None)
    if labels is None:
        raise ValueError("to_tikz: this drawing has no TikZ form; TikZ comes for draw_graph "
                         "(without collapse), draw_network and backward_steps frames; render "
                         "it as .svg or .pdf instead")
    where = where or layout(drawing.source, drawing.timeout)
    check_size(where)
    lines = edge_commands(where.edges, labels.edge)
    for shape in where.nodes:
        if "invis" in shape.style:
            continue
        label = labels.node(shape.name)
        if label is not None:
            lines.append(node_command(shape, label))
    caption = getattr(labels, "caption", None)
    if caption and where.caption_at is not None:
        lines.append(f"\\node[align=left] at ({_num(where.caption_at[0])},"
                     f"{_num(where.caption_at[1])}) {{{caption}}};")
    return wrap(lines)


def check_size(where: Layout) -> None:
    """TeX cannot place anything beyond MAX_TEX_PT: refuse such a layout in plain words."""
    if max(where.width, where.height) > MAX_TEX_PT:
        raise ValueError(
            f"to_tikz: Graphviz laid this drawing out {where.width:,.0f} × {where.height:,.0f} "
            f"pt, beyond TeX's largest dimension ({MAX_TEX_PT:,.0f} pt); draw a smaller graph "
            "(or collapse='layer' as SVG), or use rankdir='TB' for a long chain")


def document(body: str, documentclass: str = r"\documentclass[border=6pt]{standalone}"
             ) -> str:
    """A complete LaTeX document around ``body`` (pdflatex, nothing but tikz needed)."""
    return (f"% made by microgradnn; compile with pdflatex\n{documentclass}\n{PREAMBLE}\n"
            f"\\begin{{document}}\n{body}\n\\end{{document}}\n")


def to_tikz(drawing: Drawing, standalone: bool = False) -> str:
    """The drawing as a ``tikzpicture`` (``standalone=True``: a whole document)."""
    if not isinstance(standalone, bool):
        raise TypeError(f"to_tikz: standalone must be True or False, got {standalone!r}")
    body = picture(drawing)
    return document(body) if standalone else body + "\n"


def write(drawing: Drawing, path: str | os.PathLike[str]) -> str:
    """Write the standalone document of ``drawing`` to ``path``; return the path."""
    out = Path(path)
    text = to_tikz(drawing, standalone=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return str(out)

