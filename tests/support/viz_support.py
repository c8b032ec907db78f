"""Helpers shared by the drawing tests: read what a rendered SVG actually shows.

(No tests here; the module name only keeps it next to the tests it serves.)
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "{http://www.w3.org/2000/svg}"


def parse_svg(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def texts(svg: str) -> list[str]:
    """Every <text> string of the SVG, in document order."""
    root = parse_svg(svg)
    return [t.text or "" for t in root.iter(f"{SVG_NS}text")]


def groups(svg: str, cls: str) -> dict[str, ET.Element]:
    """The <g class="node"> (or "edge", "cluster") elements keyed by their <title>."""
    root = parse_svg(svg)
    out: dict[str, ET.Element] = {}
    for g in root.iter(f"{SVG_NS}g"):
        if g.get("class") == cls:
            title = g.find(f"{SVG_NS}title")
            key = title.text if title is not None and title.text else ""
            n = 1
            base = key
            while key in out:  # parallel edges share a title
                n += 1
                key = f"{base}#{n}"
            out[key] = g
    return out


def group_texts(g: ET.Element) -> list[str]:
    return [t.text or "" for t in g.iter(f"{SVG_NS}text")]


def group_x(g: ET.Element) -> float:
    """The horizontal centre of a node's outline (polygon, path or ellipse)."""
    for el in g:
        tag = el.tag.replace(SVG_NS, "")
        if tag == "ellipse":
            return float(el.get("cx") or 0.0)
        coords = el.get("points") or el.get("d") or ""
        if tag in ("polygon", "path") and coords:
            xs = [float(v) for v in re.findall(r"(-?\d+(?:\.\d+)?),", coords)]
            return (min(xs) + max(xs)) / 2.0
    raise ValueError("no outline in this group")


def fmt(value: float, precision: int = 4) -> str:
    """A number as the drawings print it, written independently of microgradnn.viz:
    fixed point, typographic minus sign."""
    text = f"{value:.{precision}f}"
    if float(text) == 0.0:
        text = text.lstrip("-")
    return text.replace("-", "\N{MINUS SIGN}")


def neuron():
    """o = tanh(x1·w1 + x2·w2 + b), every node named (the classic micrograd neuron)."""
    import microgradnn as mg

    x1, x2 = mg.Scalar(2.0, name="x1"), mg.Scalar(0.0, name="x2")
    w1, w2 = mg.Scalar(-3.0, name="w1"), mg.Scalar(1.0, name="w2")
    b = mg.Scalar(6.8813735870195432, name="b")
    x1w1 = x1 * w1
    x1w1.name = "x1·w1"
    x2w2 = x2 * w2
    x2w2.name = "x2·w2"
    n = x1w1 + x2w2 + b
    n.name = "n"
    o = n.tanh()
    o.name = "o"
    return o
