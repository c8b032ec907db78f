"""The backward sweep as Beamer slides: one frame, one overlay per step.

``backward_steps(root).to_beamer("sweep.tex")`` writes a Beamer document whose single frame
has one slide per step of the sweep (``len(steps)`` slides: slide 1 is the forward pass, no
δ yet; slide k + 1 fills in the δ of the k-th node the sweep completes and writes its
chain-rule sum under the picture). :func:`network_beamer` does the same for the lecture's
network picture: δ^(L) first, then each layer from right to left, each δ_j^(l) with its
formula and numbers.

The picture is drawn once with Graphviz's layout; a node whose look changes between slides
is a ``\\node<a-b>`` per look, and each caption an ``\\only<k>``.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from . import latex
from .tikz import Layout, check_size, document, edge_commands, layout, node_command, wrap
from .tikz_labels import OP_MATH, Label, NetworkLabels, delta_lines


class BackwardSteps(Protocol):
    """What the slides read from :class:`~microgradnn.viz.steps.BackwardSteps` (steps.py
    imports this module, so the type is described here rather than imported)."""

    @property
    def root(self) -> Any: ...

    @property
    def order(self) -> Sequence[Any]: ...

    @property
    def grads(self) -> Sequence[Any]: ...

    @property
    def options(self) -> dict[str, Any]: ...

    def __len__(self) -> int: ...

    def __getitem__(self, k: int) -> Any: ...

__all__ = ["BEAMER_CLASS", "network_beamer", "steps_beamer"]

BEAMER_CLASS = "\\documentclass{beamer}\n\\setbeamertemplate{navigation symbols}{}"
MAX_WIDTH_MM = 118.0  # Beamer's 128 mm wide page, less its margins
MAX_HEIGHT_MM = 52.0  # what the title and a five-line caption leave of the 96 mm page


def _overlays(looks: Sequence[Label | None]) -> list[tuple[int, int, Label]]:
    """Runs of equal looks: (first slide, last slide, look), slides counted from 1."""
    runs: list[tuple[int, int, Label]] = []
    for k, look in enumerate(looks, start=1):
        if look is None:
            continue
        if runs and runs[-1][2] == look and runs[-1][1] == k - 1:
            runs[-1] = (runs[-1][0], k, look)
        else:
            runs.append((k, k, look))
    return runs


def _frame(title: str, where: Layout, steps: int, look: Callable[[int, str], Label | None],
           edge_label: Callable[[str, str, int], str | None], captions: Sequence[str]) -> str:
    check_size(where)
    lines = edge_commands(where.edges, edge_label)
    for shape in where.nodes:
        if "invis" in shape.style:
            continue
        runs = _overlays([look(k, shape.name) for k in range(steps)])
        whole = len(runs) == 1 and runs[0][:2] == (1, steps)
        for first, last, label in runs:
            overlay = "" if whole else f"<{first}-{last}>"
            lines.append(node_command(shape, label, overlay))
    ratio = where.width / where.height if where.height else 1.0
    width = min(MAX_WIDTH_MM, MAX_HEIGHT_MM * ratio)
    caption = "\n".join(f"\\only<{k}>{{{text}}}%" for k, text in enumerate(captions, start=1))
    return (f"\\begin{{frame}}{{{title}}}\n\\centering\n"
            f"\\resizebox{{{width:.1f}mm}}{{!}}{{%\n{wrap(lines)}}}\n\n\\vspace{{4pt}}"
            f"{{\\footnotesize\\raggedright\n{caption}\n\\par}}\n\\end{{frame}}")


def _write(path: str | os.PathLike[str], frame: str) -> Path:
    out = Path(path)
    if out.suffix.lower() != ".tex":
        raise ValueError(f"to_beamer: {str(out)!r} must end in .tex (a LaTeX document)")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(document(frame, BEAMER_CLASS), encoding="utf-8")
    return out


def _name(node: Any) -> str:
    """A node in a caption's math: its name, or ⟨op⟩ for an unnamed result."""
    if node.name:
        return latex.math_name(node.name).strip("$")
    op = node.op or "leaf"
    return rf"\langle\mbox{{{OP_MATH.get(op) or latex.text(op)}}}\rangle"


def _value(value: Any, precision: int) -> str:
    try:
        return latex.number(float(value), precision)
    except (TypeError, ValueError):
        shape = getattr(value, "shape", ())
        return rf"\mbox{{array {latex.text(shape)}}}"


def step_caption(steps: BackwardSteps, k: int) -> str:
    """Slide k + 1's caption: what step k of the sweep adds, as a chain-rule sum."""
    n = len(steps.order)
    p = steps.options["precision"]
    head = f"Step {k} of {n}: "
    if k == 0:
        return (head + "the forward pass is done, no $\\delta$ yet; the sweep starts at "
                f"${_name(steps.root)}$.")
    i = n - k
    node = steps.order[i]
    x = _name(node)
    value = _value(steps.grads[i], p)
    if k == 1:
        return head + f"the seed, $\\delta({x}) = \\partial {x}/\\partial {x} = {value}$."
    index = {m: j for j, m in enumerate(steps.order)}
    terms = []
    for user in steps.order[i + 1:]:
        for parent in user.parents:
            if index[parent] == i:
                u = _name(user)
                d = _value(steps.grads[index[user]], p)
                terms.append((rf"\delta({u})\,\frac{{\partial {u}}}{{\partial {x}}}",
                               rf"{d}\cdot\frac{{\partial {u}}}{{\partial {x}}}"))
    symbolic = " + ".join(t[0] for t in terms)
    numbers = " + ".join(t[1] for t in terms)
    return (head + f"$\\delta({x}) = {symbolic}$\\\\\n"
            f"\\hspace*{{2em}}$= {numbers} = {value}$")


def steps_beamer(steps: BackwardSteps, path: str | os.PathLike[str]) -> Path:
    """Write ``steps`` as one Beamer frame with ``len(steps)`` slides (see module doc)."""
    frames = [steps[k] for k in range(len(steps))]
    where = layout(frames[-1].source)  # every δ filled in: the widest labels
    captions = [frame.labels.caption for frame in frames]  # step_caption, set by steps[k]
    title = f"Backward sweep through ${_name(steps.root)}$"
    return _write(path, _frame(title, where, len(frames),
                               lambda k, name: frames[k].labels.node(name),
                               frames[-1].labels.edge, captions))


def network_beamer(net: Any, x: Any, y: Any, path: str | os.PathLike[str], *,
                   precision: int = 4, max_units: int = 12) -> Path:
    """The lecture's network as Beamer slides: slide 1 the forward pass (every a), then one
    slide per δ_j^(l), output layer first and then each hidden layer from right to left,
    each with its formula and numbers (``delta_lines``). Returns the path written."""
    from .network import draw_network

    drawing = draw_network(net, x, y, precision=precision, max_units=max_units)
    base = drawing.labels
    if not isinstance(base, NetworkLabels) or base.ex.delta is None:
        raise ValueError("network_beamer: needs y (the example's label) to compute δ")
    ex = base.ex
    units = [(l, j) for l in range(ex.L, 1, -1) for j in base.shown[l]]
    looks = [dataclasses.replace(base, highlight=units[k - 1] if k else None,
                                 done=frozenset(units[:k])) for k in range(len(units) + 1)]
    captions = [f"Forward pass of the {'-'.join(map(str, ex.sizes))} network done; "
                "backpropagation fills in $\\delta^{(L)}$ first, then each layer to its left."]
    for k, (l, j) in enumerate(units, start=1):
        lines = delta_lines(ex, (l, j), precision)
        head = f"Step {k} of {len(units)}: unit {j} of layer {l}"
        captions.append(head + "\\\\[3pt]\n" + "\\\\\n".join(lines))
    where = layout(drawing.source)
    return _write(path, _frame("Backpropagation, one $\\delta$ at a time", where, len(looks),
                               lambda k, name: looks[k].node(name), base.edge, captions))
