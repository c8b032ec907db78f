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
    """Mean x of the <text> anchors of a group (its horizontal position)."""
    xs = [float(t.get("x")) for t in g.iter(f"{SVG_NS}text") if t.get("x") is not None]
    if not xs:
        xs = [float(v) for v in re.findall(r"(-?\d+\.?\d*),", _points(g))]
    return sum(xs) / len(xs)


def _points(g: ET.Element) -> str:
    for el in g.iter():
        if el.get("points"):
            return el.get("points") or ""
        if el.get("d"):
            return el.get("d") or ""
    return ""


def fmt(value: float, precision: int = 4) -> str:
    """A number as the drawings print it, written independently of microgradnn.viz:
    fixed point, typographic minus sign."""
    text = f"{value:.{precision}f}"
    if float(text) == 0.0:
        text = text.lstrip("-")
    return text.replace("-", "\N{MINUS SIGN}")
