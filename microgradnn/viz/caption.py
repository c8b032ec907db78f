"""The caption of ``draw_network(..., highlight=(l, j))``: δ_j^(l) worked out with numbers.

Hidden layer, as the lecture draws it and then completes it, one aligned equation (a
table whose "=" signs share a column, so every renderer lines it up the same):

    δ₂⁽²⁾ = (Σᵢ Θ⁽²⁾ᵢ₂ δᵢ⁽³⁾) · g′(z₂⁽²⁾)
          = (Θ⁽²⁾₁₂ δ₁⁽³⁾ + Θ⁽²⁾₂₂ δ₂⁽³⁾) · g′(z₂⁽²⁾)
          = (0.3000 × (−0.1234) + 0.4000 × 0.0567) × 0.2350
          = −0.0143 × 0.2350 = −0.0034

Output layer: δ_j^(L) = a_j^(L) − y_j with its numbers.
"""

from __future__ import annotations

import numpy as np

from ..nn.notation import name, pretty, theta_name
from .example import Example
from .style import INK, MUTED, escape, font, format_number

__all__ = ["delta_caption", "equation"]

MAX_TERMS = 6  # longer sums show their first terms and "+ ⋯ (n more)"


def g_prime(ex: Example, l: int, j: int) -> float:
    """g′(z_j^(l)) for the network's hidden activation."""
    from ..nn.backprop import ACTIVATIONS

    return float(ACTIVATIONS[ex.activation][1](np.array([ex.z[l][j - 1]]))[0])


def _num(v: float, precision: int) -> str:
    text = format_number(v, precision)
    return f"({text})" if v < 0 else text


def _terms(items: list[str]) -> str:
    if len(items) <= MAX_TERMS:
        return " + ".join(items)
    return " + ".join(items[:MAX_TERMS - 2]) + f" + ⋯ ({len(items) - (MAX_TERMS - 2)} more)"


def equation(lhs: str, rows: list[str], note: str | None = None, size: float = 12) -> str:
    """An aligned multi-line equation as one HTML-like table: ``lhs = rows[0]``, then
    ``= rows[k]`` under it, the "=" signs in one column. Plain text in, markup out."""
    cell = '<TD ALIGN="{}" BALIGN="LEFT">{}</TD>'
    out = []
    for k, row in enumerate(rows):
        left = font(escape(lhs), size=size, color=INK) if k == 0 else " "
        out.append("<TR>" + cell.format("RIGHT", left)
                   + cell.format("CENTER", font("=", size=size, color=INK))
                   + cell.format("LEFT", font(escape(row), size=size, color=INK)) + "</TR>")
    if note:
        out.append(f'<TR><TD COLSPAN="3" ALIGN="LEFT">'
                   f'{font(escape(note), size=size - 2, color=MUTED)}</TD></TR>')
    return ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">'
            + "".join(out) + "</TABLE>")


def delta_caption(ex: Example, hl: tuple[int, int], precision: int) -> str:
    """HTML-label text: the formula for δ_j^(l) and the same formula with its numbers."""
    assert ex.delta is not None and ex.weighted is not None and ex.y is not None  # y given
    l, j = hl
    d = pretty(name("δ", l, j))
    value = float(ex.delta[l][j - 1])
    if l == ex.L:
        a, y = float(ex.a[l][j - 1]), float(ex.y[j - 1])
        return equation(d, [f"{pretty(name('a', l, j))} − {pretty(f'y_{j}')}",
                            f"{format_number(a, precision)} − {format_number(y, precision)} "
                            f"= {format_number(value, precision)}"])
    n = ex.sizes[l]
    symbols = [f"{pretty(theta_name(l, i, j))} {pretty(name('δ', l + 1, i))}"
               for i in range(1, n + 1)]
    numbers = [f"{_num(float(ex.theta[l][i - 1, j]), precision)} × "
               f"{_num(float(ex.delta[l + 1][i - 1]), precision)}" for i in range(1, n + 1)]
    s = float(ex.weighted[l][j - 1])  # Σ_i Θ^(l)_ij δ_i^(l+1), from backprop
    gp = g_prime(ex, l, j)
    gz = f"g′({pretty(name('z', l, j))})"
    note = None
    if ex.activation == "sigmoid":
        a_j = pretty(name("a", l, j))
        note = (f"Σ is the lecture's weighted sum of the δ to the right; "
                f"{gz} = {a_j}(1 − {a_j}) for the sigmoid")
    return equation(d, [
        f"(Σᵢ {pretty(theta_name(l, 'i', j))} {pretty(name('δ', l + 1, 'i'))}) · {gz}",
        f"({_terms(symbols)}) · {gz}",
        f"({_terms(numbers)}) × {_num(gp, precision)}",
        f"{_num(s, precision)} × {_num(gp, precision)} = {format_number(value, precision)}",
    ], note)
