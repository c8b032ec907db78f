"""The course's names, made and parsed in one place: Θ^(l)_ij, a_j^(l), z_j^(l), δ_j^(l).

Nodes of :func:`~microgradnn.nn.scalar_engine.scalar_graph` are named in plain text,
``symbol^(layer)_index`` (``a^(2)_1``, ``z^(3)_2``, ``Θ^(1)_12``, ``Θ^(1)_3,12`` once an
index has two digits); :func:`name` makes such names and :func:`parse` reads them back.
Drawings show them with Unicode sub- and superscripts, which every renderer (browsers,
rsvg, cairo, PDF viewers) places the same way: :func:`pretty` gives ``a₁⁽²⁾``, ``δ₂⁽³⁾``,
``Θ⁽²⁾₁₂`` — a unit in the course's order (index, then layer), a weight as the lecture
writes Θ^(l)_ij. :func:`scripts` does the same for any name with ``^`` and ``_`` parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["COST_FORMULA", "SCRIPT", "CourseName", "cost_name", "cost_unit", "name", "parse",
           "pretty", "scripts", "subscript", "theta_name"]

WEIGHT_SYMBOLS = ("Θ", "Theta", "W")  # a weight Θ^(l) belongs to the layer it feeds, l + 1

SUPERSCRIPT = dict(zip("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ"))
SUBSCRIPT = dict(zip("0123456789+-−=()aeijklmnoprstuvx,",
                     "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ,"))


def subscript(*indices: int | str) -> str:
    """``12`` for (1, 2); ``3,12`` once any index has two characters."""
    parts = [str(i) for i in indices]
    return ("," if any(len(p) > 1 for p in parts) else "").join(parts)


def name(symbol: str, layer: int | str, *indices: int | str) -> str:
    """The plain-text course name: ``name("a", 2, 1) == "a^(2)_1"``."""
    return f"{symbol}^({layer})_{subscript(*indices)}" if indices else f"{symbol}^({layer})"


def theta_name(l: int | str, i: int | str, j: int | str) -> str:
    """Θ^(l)_ij, the weight from unit j of layer l to unit i of layer l + 1."""
    return name("Θ", l, i, j)


COST_FORMULA = "−y log a − (1 − y) log(1 − a)"  # one output unit's cost, a = g(z)
_COST = re.compile(r"^cost_(\d+)(?:\[\d+\])?$")


def cost_name(k: int) -> str:
    """The name of output unit k's cost node: ``cost_2``."""
    return f"cost_{k}"


def cost_unit(text: str | None) -> int | None:
    """k for a name made by :func:`cost_name` (with or without an example tag), else None."""
    m = _COST.match(text or "")
    return int(m.group(1)) if m else None


@dataclass(frozen=True)
class CourseName:
    """A parsed course name: ``Θ^(1)_3,12`` is ("Θ", 1, (3, 12), tag "")."""

    symbol: str
    layer: int
    indices: tuple[int | str, ...]  # a letter for a symbolic index: Θ^(l)_ij
    tag: str = ""  # what follows the indices, e.g. "[0]" for example 0

    @property
    def group(self) -> int:
        """The layer a drawing groups it with: Θ^(l) joins layer l + 1, the layer it feeds."""
        return self.layer + 1 if self.symbol in WEIGHT_SYMBOLS else self.layer


_NAME = re.compile(r"^(?P<symbol>[^\^_\s]+)\^\((?P<layer>\d+)\)"
                   r"(?:_(?P<index>[0-9a-z]+(?:,[0-9a-z]+)*))?(?P<tag>.*)$", re.S)


def parse(text: str | None) -> CourseName | None:
    """The parts of a course name, or None when ``text`` is not one."""
    if not text:
        return None
    m = _NAME.match(text)
    if m is None:
        return None
    index = m.group("index") or ""
    if "," in index:
        parts = index.split(",")
    elif len(index) == 2 and m.group("symbol") in WEIGHT_SYMBOLS:
        parts = [index[0], index[1]]  # Θ^(l)_ij with one-character i and j
    else:
        parts = [index] if index else []
    indices = tuple(int(p) if p.isdigit() else p for p in parts)
    return CourseName(m.group("symbol"), int(m.group("layer")), indices, m.group("tag"))


def _convert(text: str, table: dict[str, str]) -> str | None:
    out = [table.get(c) for c in text]
    return None if any(c is None for c in out) else "".join(out)  # type: ignore[arg-type]


def sup(text: str) -> str:
    """``text`` in Unicode superscripts, or ``^text`` when a character has none."""
    return _convert(text, SUPERSCRIPT) or f"^{text}"


def sub(text: str) -> str:
    """``text`` in Unicode subscripts, or ``_text`` when a character has none."""
    return _convert(text, SUBSCRIPT) or f"_{text}"


def pretty(text: str) -> str:
    """A name as drawn: a course name in the course's order with Unicode scripts
    (``a^(2)_1`` → ``a₁⁽²⁾``, ``Θ^(2)_12`` → ``Θ⁽²⁾₁₂``), anything else through
    :func:`scripts`."""
    parsed = parse(text)
    if parsed is None:
        return scripts(text)
    index = sub(subscript(*parsed.indices)) if parsed.indices else ""
    layer = sup(f"({parsed.layer})")
    tag = scripts(parsed.tag)
    if parsed.symbol in WEIGHT_SYMBOLS:
        return f"{parsed.symbol}{layer}{index}{tag}"
    return f"{parsed.symbol}{index}{layer}{tag}"


# A script: ^(2), ^{..}, ^2, _1, _{12}, _12 after a base character (Latin or Greek); the
# one grammar of course names, read by the SVG labels here and by the LaTeX labels in viz.
SCRIPT = re.compile(
    r"(?P<kind>[\^_])(?:\((?P<paren>[^()\n]{1,12})\)|\{(?P<brace>[^{}\n]{1,12})\}"
    r"|(?P<word>[0-9]+(?:,[0-9]+)+|[0-9A-Za-zα-ωΑ-Ω+\-−]{1,3})(?![0-9A-Za-z]))"
)


def scripts(text: str) -> str:
    """Every ``^…``/``_…`` part of ``text`` as Unicode scripts: ``x_{10}`` → ``x₁₀``,
    ``z^(2)_1`` → ``z⁽²⁾₁``; a leading ``^``/``_`` (no base) and parts with a character
    that has no Unicode script (``x_w``) stay as written."""
    out: list[str] = []
    pos = 0
    for m in SCRIPT.finditer(text):
        if m.start() == 0:
            continue
        out.append(text[pos:m.start()])
        if m.group("paren") is not None:
            inner = f"({m.group('paren')})"
        else:
            inner = m.group("brace") if m.group("brace") is not None else m.group("word")
        table = SUPERSCRIPT if m.group("kind") == "^" else SUBSCRIPT
        converted = _convert(inner, table)
        out.append(converted if converted is not None else m.group(0))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)
