"""The caption of ``draw_network(..., highlight=(l, j))``: δ_j^(l) worked out with numbers.

Hidden layer, as the lecture draws it and then completes it:

    δ_j^(l) = (Σ_i Θ^(l)_ij δ_i^(l+1)) · g′(z_j^(l))
            = (Θ^(l)_1j δ_1^(l+1) + Θ^(l)_2j δ_2^(l+1)) · g′(z_j^(l))
            = (0.3000 × (−0.1234) + 0.4000 × 0.0567) × 0.2350
            = −0.0143 × 0.2350 = −0.0034

Output layer: δ_j^(L) = a_j^(L) − y_j with its numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .style import INK, MUTED, font, format_number, markup, table

if TYPE_CHECKING:  # pragma: no cover
    from .network import Example

__all__ = ["delta_caption", "theta_name"]

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


def delta_caption(ex: Example, hl: tuple[int, int], precision: int) -> str:
    """HTML-label text: the formula for δ_j^(l) and the same formula with its numbers."""
    assert ex.delta is not None and ex.weighted is not None and ex.y is not None  # y given
    l, j = hl
    d = markup(f"δ_{j}^({l})")
    value = float(ex.delta[l][j - 1])
    if l == ex.L:
        a, y = float(ex.a[l][j - 1]), float(ex.y[j - 1])
        lines = [f"{d} = {markup(f'a_{j}^({l})')} − {markup(f'y_{j}')}",
                 f"= {format_number(a, precision)} − {format_number(y, precision)} "
                 f"= {format_number(value, precision)}"]
    else:
        n = ex.sizes[l]
        symbols = [f"{markup(theta_name(l, i, j))} {markup(f'δ_{i}^({l + 1})')}"
                   for i in range(1, n + 1)]
        numbers = [f"{_num(float(ex.theta[l][i - 1, j]), precision)} × "
                   f"{_num(float(ex.delta[l + 1][i - 1]), precision)}" for i in range(1, n + 1)]
        s = float(ex.weighted[l][j - 1])  # Σ_i Θ^(l)_ij δ_i^(l+1), from backprop
        gp = g_prime(ex, l, j)
        gz = f"g′({markup(f'z_{j}^({l})')})"
        lines = [
            f"{d} = (Σ<SUB>i</SUB> {markup(theta_name(l, 'i', j))} "
            f"{markup(f'δ_i^({l + 1})')}) · {gz}",
            f"= ({_terms(symbols)}) · {gz}",
            f"= ({_terms(numbers)}) × {_num(gp, precision)}",
            f"= {_num(s, precision)} × {_num(gp, precision)} = {format_number(value, precision)}",
        ]
        if ex.activation == "sigmoid":
            a_j = markup(f"a_{j}^({l})")
            lines.append(font(f"Σ is the lecture's weighted sum of the δ to the right; "
                              f"g′({markup(f'z_{j}^({l})')}) = {a_j}(1 − {a_j}) for the sigmoid",
                              size=10, color=MUTED))
    return table((f'<TR><TD ALIGN="LEFT">{font(line, size=12, color=INK)}</TD></TR>'
                  for line in lines), cellpadding=2)


def theta_name(l: int, i: int | str, j: int) -> str:
    """Θ^(l)_ij as microgradnn.nn names it; ``i`` may be the symbol "i" of a sum."""
    from ..nn.scalar_engine import subscript

    # subscript is typed for int indices; the symbol "i" works alike (it str()s each one)
    return f"Θ^({l})_{subscript(i, j)}"  # type: ignore[arg-type]
