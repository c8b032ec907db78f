"""The learner's δ on the lecture's picture: what ``GradeReport.draw()`` shows.

Each unit of the lecture's network shows the δ_j^(l) read back from the learner's gradient
(for one example, ∂J/∂Θ^(l)_i0 = δ_i^(l+1)); units whose δ differs from autodiff's, and the
edges into them, are red, with autodiff's δ beside them.
"""

from __future__ import annotations

import re
from typing import Any

from . import style
from .network import draw_network
from .render import Drawing

__all__ = ["WRONG_INK", "draw_grade"]

WRONG_INK = "#d62728"  # a wrong unit's border and its edges (4.5:1 on white)


def draw_grade(report: Any, case: str | None = None) -> Drawing:
    """The picture of ``report`` (a :class:`~microgradnn.nn.GradeReport`) for its one-example
    case ``case`` (by default the one the δ's were read back from)."""
    from ..nn.grader.learner_net import LearnerNetwork

    result = report.single_case(case)
    D = result.D or {}
    learner = {l + 1: D[l][:, 0] for l in D}
    net = LearnerNetwork(result.case.theta, learner)
    c = result.case
    g = draw_network(net, c.X[0], c.labels[0] if c.K > 1 else c.Y[0])
    ref = c.reference.delta
    note = (f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10">δ on each unit: yours, read back '
            f'from your gradient (∂J/∂Θ⁽ˡ⁾ᵢ₀ = δᵢ⁽ˡ⁺¹⁾); <FONT COLOR="{WRONG_INK}">red: '
            f'differs from autodiff</FONT> (case {c.name})</FONT></TD></TR>')
    for k, line in enumerate(g.body):  # one more row in the caption's table
        if line.lstrip().startswith(("label=<<TABLE", "fontsize=12 label=<<TABLE")):
            head, _, tail = line.rpartition("</TABLE>>")
            g.body[k] = f"{head}{note}</TABLE>>{tail}"
    wrong = {(l, j) for l, d in learner.items() for j in range(1, d.shape[0] + 1)
             if abs(d[j - 1] - ref[l][0, j - 1]) > 1e-7 * max(1.0, abs(ref[l][0, j - 1]))}
    for k, line in enumerate(g.body):
        head = line.strip().split(" [", 1)[0]
        target = head.split(" -> ")[-1] if " -> " in head else head
        unit = tuple(int(v) for v in target[1:].split("_")) if target.startswith("u") \
            and "_" in target else None
        if unit not in wrong or not line.rstrip().endswith("]"):
            continue
        end = line.rstrip()[:-1]
        if " -> " in head:  # an edge into a wrong unit
            g.body[k] = f'{end} color="{WRONG_INK}"]\n'
        else:
            l, j = unit
            # autodiff's δ as a third row of the unit's own label, in the unit's ink: an
            # external label would sit among the edges, which are drawn over it
            ink = re.search(r'COLOR="(#[0-9a-fA-F]{6})"', end)
            colour = ink.group(1) if ink else style.INK
            row = (f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}" POINT-SIZE="10">autodiff</FONT>'
                   f'</TD><TD WIDTH="4"></TD><TD ALIGN="RIGHT"><FONT FACE="Courier" '
                   f'COLOR="{colour}">{style.format_number(float(ref[l][0, j - 1]))}</FONT>'
                   '</TD></TR>')
            head_part, _, tail_part = end.rpartition("</TABLE>>")
            g.body[k] = f'{head_part}{row}</TABLE>>{tail_part} color="{WRONG_INK}" penwidth="3"]\n'
    return g
