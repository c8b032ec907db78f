"""LaTeX text for the TikZ pictures: escaped text, course names as real math, numbers.

Every character of a user's text that reaches LaTeX goes through :func:`text` (or
:func:`math_name`, which calls it for anything that is not course notation), so a name full
of ``\\ { } $ & # ^ _ % ~`` is typeset as those characters and can never run a command such
as ``\\input`` or ``\\write18``: the backslash, the braces and ``^`` (TeX's ``^^5c`` trick)
never reach the output unescaped. Characters pdflatex cannot typeset without extra packages
(anything outside ASCII that is not a known symbol) are written as ``[U+2603]``.

The output needs nothing beyond what ``tikz`` loads (LaTeX's own text and math commands).
"""

from __future__ import annotations

import math
import re

from ..nn.notation import SCRIPT
from .style import format_number

__all__ = ["COLOR_PREFIX", "color_name", "math_name", "number", "text"]

# text-mode replacements for LaTeX's special characters (and a few that OT1 fonts misprint)
_TEXT = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "<": r"\ensuremath{<}",
    ">": r"\ensuremath{>}",
    "|": r"\ensuremath{|}",
    '"': "''",
    "\n": " ",
    "\t": " ",
}

# non-ASCII symbols the drawings use, as math (valid in text via \ensuremath)
SYMBOLS = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu",
    "ξ": r"\xi", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma", "τ": r"\tau", "φ": r"\varphi",
    "χ": r"\chi", "ψ": r"\psi", "ω": r"\omega", "κ": r"\kappa", "ι": r"\iota",
    "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi",
    "Π": r"\Pi", "Σ": r"\Sigma", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
    "−": "-", "×": r"\times", "·": r"\cdot", "′": r"'", "∂": r"\partial", "√": r"\surd",
    "⋯": r"\cdots", "…": r"\ldots", "‖": r"\|", "∞": r"\infty", "≤": r"\le", "≥": r"\ge",
    "≠": r"\ne", "→": r"\to", "ᵀ": r"^{\top}", "∑": r"\sum",
}

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _char(c: str) -> str:
    if c in _TEXT:
        return _TEXT[c]
    if c in SYMBOLS:
        return rf"\ensuremath{{{SYMBOLS[c]}}}"
    if ord(c) < 128:
        return c
    return f"[U+{ord(c):04X}]"


def text(value: object) -> str:
    """``value`` as LaTeX text that prints exactly its characters (see the module doc).

    ``text("a_b & 50%") == r"a\\_b \\& 50\\%"``.
    """
    s = _CONTROL.sub("", str(value))
    return "".join(_char(c) for c in s)


def _math_atom(s: str, script: bool = False) -> str:
    """A base or script in math mode: Greek letters and single ASCII letters as math,
    digits and signs as they are (short letter-digit scripts such as ``i2`` too), words as
    upright text, anything else as escaped upright text."""
    if re.fullmatch(r"[A-Za-z]|[0-9]+(?:,[0-9]+)*|\([0-9A-Za-z+\-]{1,10}\)", s) or (
            script and re.fullmatch(r"[0-9A-Za-z]{1,3}", s)):
        return s
    if len(s) == 1 and s in SYMBOLS:
        return SYMBOLS[s]
    if re.fullmatch(r"[A-Za-z]+", s):
        return rf"\mathrm{{{s}}}"
    return rf"\mbox{{{text(s)}}}"


def math_name(name: object) -> str:
    """A node name as inline math: ``z^(2)_1`` → ``$z^{(2)}_{1}$``, ``Θ^(1)_12`` →
    ``$\\Theta^{(1)}_{12}$``; text that is not course notation is escaped text inside the
    math (``\\mbox{...}``), so any string is safe."""
    s = str(name)
    parts: list[str] = []
    pos = 0
    for m in SCRIPT.finditer(s):
        if m.start() == 0:
            continue  # a script needs a base: a leading ^ or _ is literal text
        if m.start() > pos:
            parts.append(_math_atom(s[pos:m.start()]))
        if m.group("paren") is not None:
            inner = f"({m.group('paren')})"
        else:
            inner = m.group("brace") if m.group("brace") is not None else m.group("word")
        parts.append(f"{m.group('kind')}{{{_math_atom(inner, script=True)}}}")
        pos = m.end()
    if pos < len(s):
        parts.append(_math_atom(s[pos:]))
    return "$" + "".join(parts) + "$" if parts else ""


def number(value: float, precision: int = 4) -> str:
    """A number as math-mode LaTeX, with the drawings' rounding (``style.format_number``):
    ``number(-0.5) == "-0.5000"``, ``1.200e-07`` stays in e-notation, ``inf`` → ``\\infty``."""
    v = float(value)
    if math.isnan(v):
        return r"\mathrm{nan}"
    if math.isinf(v):
        return r"\infty" if v > 0 else r"-\infty"
    mantissa, e, exponent = format_number(v, precision).replace("−", "-").partition("e")
    return mantissa + (rf"\mathrm{{e}}{{{exponent}}}" if e else "")


COLOR_PREFIX = "mg"


def color_name(hex_colour: str) -> str:
    """The ``\\definecolor`` name of a ``#rrggbb`` colour: ``#f7f7f7`` → ``mgF7F7F7``."""
    h = hex_colour.lstrip("#").upper()
    if not re.fullmatch(r"[0-9A-F]{6}", h):
        raise ValueError(f"color_name: expected a colour #rrggbb, got {hex_colour!r}")
    return COLOR_PREFIX + h
