"""How drawings look: fonts, numbers, escaped labels with Unicode sub- and superscripts,
the diverging colour scale that encodes δ, and text colours readable on every fill.

Every piece of text that reaches Graphviz goes through :func:`markup` (or :func:`escape`),
so a name full of quotes, angle brackets, braces, ampersands or newlines still yields valid
DOT. Scripts are Unicode characters (a₁⁽²⁾, Θ⁽²⁾₁₂), never Graphviz's ``<SUB>``/``<SUP>``:
those become SVG ``baseline-shift`` spans that browsers place differently from Graphviz,
while plain characters are drawn the same by browsers, rsvg, cairo and PDF viewers. Text
colours meet WCAG AA (contrast ≥ 4.5:1) on the fill they sit on: :func:`ink_on`.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

from ..nn.notation import pretty, sub, sup

__all__ = [
    "FONT",
    "MISSING",
    "DivergingScale",
    "check_precision",
    "contrast",
    "dot_string",
    "escape",
    "format_number",
    "ink_on",
    "markup",
    "short_number",
    "sub",
    "sup",
]

FONT = "Helvetica"
MONO = "Courier"
MISSING = "—"  # a δ no backward pass has reached: never drawn as a fake 0
MINUS = "−"  # U+2212, the typographic minus sign

INK = "#222222"
MUTED = "#666666"  # 5.7:1 on white (WCAG AA asks for 4.5:1)
EDGE = "#555555"
FADED = "#cccccc"
OP_FILL = "#eef0f3"
OP_BORDER = "#8a94a6"
NO_GRAD_FILL = "#f4f4f4"

GRAPH_ATTR = {
    "fontname": FONT,
    "bgcolor": "white",
    "pad": "0.25",
    "nodesep": "0.3",
    "ranksep": "0.45",
    # bounded layout searches: network simplex and crossing minimisation stop early on big
    # or tangled graphs instead of running for minutes (the picture stays correct)
    "nslimit": "8",
    "nslimit1": "8",
    "mclimit": "0.5",
    "searchsize": "30",
}
NODE_ATTR = {"fontname": FONT, "fontsize": "11", "color": "#4d4d4d", "penwidth": "1.0"}
EDGE_ATTR = {"fontname": FONT, "fontsize": "9", "color": EDGE, "arrowsize": "0.6",
             "fontcolor": MUTED}


# --------------------------------------------------------------------------- numbers
def format_number(value: float, precision: int = 4) -> str:
    """A number as drawn: fixed point with ``precision`` decimals, scientific when that
    would hide it (|v| < 10^-(precision-1)) or when it is huge; the minus sign is U+2212.

    ``format_number(-0.5, 4) == "−0.5000"``; ``format_number(1.2e-7, 4) == "1.200e−07"``.
    """
    v = float(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "∞" if v > 0 else MINUS + "∞"
    mag = abs(v)
    if v == 0.0 or (10.0 ** -(precision - 1) <= mag < 1e6):
        text = f"{v:.{precision}f}"
        if v == 0.0:
            text = text.lstrip("-")  # -0.0 is drawn as 0
    else:
        text = f"{v:.{max(precision - 1, 1)}e}"
    return text.replace("-", MINUS)


SHORT = 3  # at most this many decimals for a secondary number


def short_number(value: float, precision: int) -> str:
    """A secondary number (legend tick, edge weight, array summary): :func:`format_number`
    with at most ``SHORT`` decimals, so it stays short when ``precision`` is high."""
    return format_number(value, min(precision, SHORT))


MAX_PRECISION = 12


def check_precision(value: object, caller: str) -> int:
    """``precision`` (decimals shown for every number) checked for every drawing function:
    an integer in 1..MAX_PRECISION, else a ValueError naming ``caller``."""
    if isinstance(value, bool) or not isinstance(value, int) or \
            not 1 <= value <= MAX_PRECISION:
        raise ValueError(f"{caller}: precision must be an integer in 1..{MAX_PRECISION}, "
                         f"got {value!r}")
    return value


# --------------------------------------------------------------------------- text
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape(text: object) -> str:
    """Plain text for an HTML-like label: &, <, >, quotes escaped, newlines as <BR/>,
    control characters replaced (they are not valid in DOT)."""
    s = str(text)
    s = (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
         .replace('"', "&quot;"))
    s = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", s)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    # ]] and braces are fine inside an HTML string; newlines become line breaks
    return s.replace("\n", '<BR ALIGN="CENTER"/>')


def dot_string(text: object) -> str:
    """Text for a double-quoted DOT attribute (a tooltip): quotes and backslashes escaped,
    control characters replaced, line breaks as \\n."""
    s = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", str(text).replace("\r\n", "\n")
                     .replace("\r", "\n").replace("\t", " "))
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def markup(name: object) -> str:
    """A name as HTML-label text with Unicode scripts (:func:`microgradnn.nn.notation.pretty`):
    ``a^(2)_1`` → a₁⁽²⁾, ``Θ^(2)_12`` → Θ⁽²⁾₁₂, ``x_{10}`` → x₁₀; the rest escaped."""
    return escape(pretty(str(name)))


def font(text: str, *, size: float | None = None, color: str | None = None,
         face: str | None = None) -> str:
    """Wrap already-escaped label text in a <FONT> tag (only the attributes given)."""
    attrs = []
    if face:
        attrs.append(f'FACE="{face}"')
    if size:
        attrs.append(f'POINT-SIZE="{size:g}"')
    if color:
        attrs.append(f'COLOR="{color}"')
    return f"<FONT {' '.join(attrs)}>{text}</FONT>" if attrs else text


def table(rows: Iterable[str], *, cellpadding: int = 1, bgcolor: str | None = None) -> str:
    """A borderless HTML-like table, one row per already-built ``<TR>`` string."""
    bg = f' BGCOLOR="{bgcolor}"' if bgcolor else ""
    return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="{cellpadding}"'
            f'{bg}>{"".join(rows)}</TABLE>')


# --------------------------------------------------------------------------- colour
# A colour-blind-safe diverging scale (ColorBrewer PuOr ends): blue-purple for δ < 0,
# white for δ = 0, orange for δ > 0; the colour deepens with |δ|.
NEGATIVE = (0x54, 0x27, 0x88)  # dark blue-purple
NEGATIVE_MID = (0x80, 0x73, 0xac)
POSITIVE_MID = (0xe0, 0x82, 0x14)
POSITIVE = (0xb3, 0x58, 0x06)  # dark orange
WHITE = (0xf7, 0xf7, 0xf7)


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb`` (or "white"/"black")."""
    colour = {"white": "#ffffff", "black": "#000000"}.get(colour, colour)
    channels = [int(colour[k:k + 2], 16) / 255 for k in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(ink: str, fill: str) -> float:
    """WCAG contrast ratio of two colours, 1 to 21."""
    a, b = sorted((luminance(ink), luminance(fill)), reverse=True)
    return (a + 0.05) / (b + 0.05)


AA = 4.5  # WCAG AA contrast for normal text


@functools.lru_cache(maxsize=4096)  # a drawing has a few hundred distinct fills at most
def ink_on(fill: str) -> str:
    """The text colour for ``fill``: the house ink, or white on dark fills, or black when
    neither reaches 4.5:1 (one of black and white always does: their ratios multiply to 21)."""
    best = max((INK, "#ffffff"), key=lambda ink: contrast(ink, fill))
    return best if contrast(best, fill) >= AA else "#000000"


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))  # type: ignore[return-value]


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


class DivergingScale:
    """Maps δ to a fill colour: sign picks the hue, |δ| / max|δ| the depth (square-root
    scaled so small gradients still show). ``text(g)`` is the ink colour readable on it."""

    def __init__(self, values: Iterable[float]) -> None:
        top = 0.0
        for v in values:
            a = abs(float(v))
            if math.isfinite(a) and a > top:
                top = a
        self.max = top

    def depth(self, value: float) -> float:
        v = float(value)
        if not math.isfinite(v):
            return 1.0
        if self.max == 0.0 or v == 0.0:
            return 0.0
        return min(1.0, math.sqrt(abs(v) / self.max))

    def fill(self, value: float | None) -> str:
        if value is None:
            return NO_GRAD_FILL
        v = float(value)
        if math.isnan(v):
            return "#cc0000"
        t = self.depth(v)
        mid, end = (NEGATIVE_MID, NEGATIVE) if v < 0 else (POSITIVE_MID, POSITIVE)
        rgb = _mix(WHITE, mid, t / 0.6) if t <= 0.6 else _mix(mid, end, (t - 0.6) / 0.4)
        return _hex(rgb)

    def text(self, value: float | None) -> str:
        """The ink readable on ``fill(value)`` (contrast ≥ 4.5:1)."""
        return ink_on(self.fill(value))

    def legend(self, precision: int = 4, title: str = "δ = ∂root/∂node",
               note: bool = True) -> str:
        """An HTML-like label: the colour bar from −max|δ| to +max|δ| with its numbers."""
        stops = [-1.0, -0.25, 0.0, 0.25, 1.0]  # depth is √ scaled: ±0.25 max → half depth
        cells = []
        numbers = []
        for s in stops:
            v = s * self.max
            cells.append(f'<TD BGCOLOR="{self.fill(v)}" WIDTH="34" HEIGHT="12"></TD>')
            numbers.append(f'<TD>{font(short_number(v, precision), size=8)}</TD>')
        head = (f'<TR><TD COLSPAN="{len(stops)}">{font(escape(title), size=9)}</TD></TR>')
        missing = ""
        if note:
            missing = ('<TR><TD COLSPAN="5">'
                       + font(escape(f"no δ yet: {MISSING}"), size=8, color=MUTED) + "</TD></TR>")
        return (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">{head}'
                f'<TR>{"".join(cells)}</TR><TR>{"".join(numbers)}</TR>{missing}</TABLE>')
