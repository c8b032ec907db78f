"""What each node of a drawing says in LaTeX, built from the nodes themselves (name, op,
value, δ), never read back from the SVG's HTML labels.

``draw_graph`` attaches a :class:`GraphLabels` to its drawing and ``draw_network`` a
:class:`NetworkLabels`; :mod:`microgradnn.viz.tikz` asks them for the text and fill of each
DOT node (by its DOT name) while Graphviz's layout gives the positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import latex, style
from .caption import MAX_TERMS, g_prime, theta_name
from .labels import colour_value, drawn_in_full, is_array, norm_min_max

if TYPE_CHECKING:  # pragma: no cover
    from ..core import Node
    from .example import Example

__all__ = ["GraphLabels", "Label", "NetworkLabels", "legend"]

MISSING = "---"  # the em dash: a δ no backward pass has reached

# each op as math; an op not listed is its escaped name
OP_MATH = {
    "+": "$+$", "-": "$-$", "*": r"$\times$", "/": r"$\div$", "**": "$x^n$", "neg": "$-x$",
    "exp": r"$\exp$", "log": r"$\log$", "sqrt": r"$\surd$", "tanh": r"$\tanh$",
    "sigmoid": r"$\sigma$", "relu": r"$\mathrm{ReLU}$", "abs": "$|x|$", "sum": r"$\Sigma$",
    "dot": r"$w\cdot x+b$", "matmul": "@", "softplus": "softplus", "clip": "clip",
    "mean": "mean", "max": r"$\max$", "min": r"$\min$", "maximum": r"$\max(x,y)$",
    "logsumexp": "logsumexp", "softmax": "softmax", "log_softmax": "log softmax",
    "reshape": "reshape", "transpose": r"$^{\top}$", "index": "[\\,]",
    "concatenate": "concat", "stack": "stack", "where": "where",
}


@dataclass(frozen=True)
class Label:
    """One node as TikZ draws it: LaTeX text, fill and ink (``#rrggbb`` or None), and an
    outline (``#rrggbb``, width in pt) when the node is emphasised."""

    text: str
    fill: str | None = None
    ink: str | None = None
    outline: tuple[str, float] | None = None


def _ink(scale: style.DivergingScale, value: float | None) -> str | None:
    return "#ffffff" if scale.text(value) == "white" else None


def _tabular(rows: Sequence[str], spec: str = r"@{}l@{\hspace{4pt}}r@{}") -> str:
    return rf"\begin{{tabular}}{{{spec}}}" + r"\\".join(rows) + r"\end{tabular}"


def colour_box(hex_colour: str, content: str, ink: str | None = None) -> str:
    """``content`` on a background of ``hex_colour`` (needs the colour defined)."""
    inner = rf"\textcolor{{{latex.color_name(ink)}}}{{{content}}}" if ink else content
    return (rf"{{\setlength{{\fboxsep}}{{1pt}}\colorbox{{{latex.color_name(hex_colour)}}}"
            rf"{{{inner}}}}}")


def legend(scale: style.DivergingScale, precision: int, title: str, note: bool) -> str:
    """The colour bar from −max|δ| to +max|δ| with its numbers, as a tabular."""
    stops = [-1.0, -0.25, 0.0, 0.25, 1.0]  # as style.DivergingScale.legend
    cells = [colour_box(scale.fill(s * scale.max), r"\rule{0pt}{1.2ex}\hspace{2.2em}")
             for s in stops]
    numbers = [rf"{{\tiny ${latex.number(s * scale.max, min(precision, style.SHORT))}$}}"
               for s in stops]
    rows = [rf"\multicolumn{{5}}{{c}}{{\scriptsize {title}}}", " & ".join(cells),
            " & ".join(numbers)]
    if note:
        rows.append(rf"\multicolumn{{5}}{{c}}{{\tiny no $\delta$ yet: {MISSING}}}")
    return r"{\setlength{\tabcolsep}{0.5pt}" + _tabular(rows, "ccccc") + "}"


def _array(values: np.ndarray, precision: int, scale: style.DivergingScale | None) -> str:
    grid = values.reshape(1, -1) if values.ndim < 2 else values
    rows = []
    for r in grid:
        cells = []
        for v in r:
            n = f"${latex.number(float(v), precision)}$"
            cells.append(colour_box(scale.fill(float(v)), n, _ink(scale, float(v)))
                         if scale is not None else n)
        rows.append(" & ".join(cells))
    spec = "r" * grid.shape[1]
    return (r"{\setlength{\tabcolsep}{1.5pt}\tiny$\left[\mbox{"
            + _tabular(rows, spec) + r"}\right]$}")


def _array_summary(values: np.ndarray, precision: int) -> str:
    stats = norm_min_max(values)
    if stats is None:
        return "empty"
    p = min(precision, style.SHORT)
    norm, low, high = (latex.number(v, p) for v in stats)
    return rf"{{\tiny$\|\cdot\|\ {norm}\quad\min\ {low}\quad\max\ {high}$}}"


@dataclass
class GraphLabels:
    """The value and op nodes of ``draw_graph`` (DOT names ``n{i}``, ``op{i}``) and its
    legend; ``grads[i]`` is the δ shown for ``order[i]`` (None: not reached yet)."""

    order: Sequence[Node]
    grads: Sequence[Any]
    scale: style.DivergingScale
    precision: int
    show: Sequence[str]
    current: int | None = None
    caption: str | None = None  # LaTeX under the graph
    _index: dict[Any, int] = field(default_factory=dict, repr=False)

    def node(self, name: str) -> Label | None:
        if name == "legend":
            if any(g is not None for g in self.grads):
                return Label(legend(self.scale, self.precision,
                                    r"$\delta = \partial\,\mathrm{root}/\partial\,\mathrm{node}$",
                                    True))
            return Label(r"{\scriptsize $\delta = \partial\,\mathrm{root}/\partial\,"
                         rf"\mathrm{{node}}$: {MISSING} until a backward pass reaches the node}}")
        if name.startswith("op") and name[2:].isdigit():
            op = self.order[int(name[2:])].op or ""
            return Label(OP_MATH.get(op) or latex.text(op), fill=style.OP_FILL)
        if name.startswith("n") and name[1:].isdigit():
            return self._value(int(name[1:]))
        return None

    def _value(self, i: int) -> Label:
        node, grad = self.order[i], self.grads[i]
        c = colour_value(grad)
        ink = _ink(self.scale, c)
        rows = []
        if node.name:
            rows.append(rf"\multicolumn{{2}}{{@{{}}c@{{}}}}{{\small {latex.math_name(node.name)}}}")
        data = node.data
        if is_array(data):
            shape = r"$\times$".join(str(d) for d in data.shape) if data.ndim else "scalar"
            rows.append(rf"\multicolumn{{2}}{{@{{}}c@{{}}}}{{\tiny {shape} $\cdot$ "
                        rf"{latex.text(data.dtype)}}}")
            small = drawn_in_full(data)
            if "value" in self.show:
                body = _array(data, self.precision, None) if small else \
                    _array_summary(data, self.precision)
                rows.append(rf"{{\scriptsize value}} & {body}")
            if "grad" in self.show:
                if grad is None:
                    body = MISSING
                elif not is_array(grad) or grad.shape != data.shape:
                    body = latex.text(repr(grad))
                else:
                    body = _array(grad, self.precision, self.scale) if small else \
                        _array_summary(grad, self.precision)
                rows.append(rf"$\delta$ & {body}")
        else:
            p = self.precision
            if "value" in self.show:
                rows.append(rf"{{\scriptsize value}} & ${latex.number(float(data), p)}$")
            if "grad" in self.show:
                text = MISSING if grad is None else f"${latex.number(_as_float(grad), p)}$"
                rows.append(rf"$\delta$ & {text}")
        outline = ("#1a1a1a", 2.0) if i == self.current else None
        return Label(_tabular(rows) if rows else "~", fill=self.scale.fill(c), ink=ink,
                     outline=outline)

    def edge(self, tail: str, head: str, k: int) -> str | None:
        """The label of the ``k``-th edge from ``tail`` to ``head``: an argument position."""
        if not head.startswith("op") or not tail[1:].isdigit():
            return None
        node = self.order[int(head[2:])]
        if not self._index:
            self._index = {n: i for i, n in enumerate(self.order)}
        p = int(tail[1:])
        positions = [m for m, parent in enumerate(node.parents) if self._index[parent] == p]
        return str(positions[k] + 1) if k < len(positions) else None


def _as_float(grad: Any) -> float:
    if is_array(grad):
        return float(grad.reshape(-1)[0]) if grad.size == 1 else float("nan")
    return float(grad)


@dataclass
class NetworkLabels:
    """The units, bias units, headers, elisions, edges and caption of ``draw_network``."""

    ex: Example
    shown: dict[int, list[int]]
    scale: style.DivergingScale
    precision: int
    highlight: tuple[int, int] | None
    done: frozenset[tuple[int, int]] | None = None  # units whose δ is shown (None: all)

    def node(self, name: str) -> Label | None:
        ex, p = self.ex, self.precision
        if name == "legend":
            return Label(legend(self.scale, p, r"$\delta = \partial\,\mathrm{cost}/\partial z$",
                                False))
        kind, _, rest = name.partition("_")
        if name.startswith("h") and name[1:].isdigit():
            l = int(name[1:])
            what = "input" if l == 1 else "output" if l == ex.L else "hidden"
            return Label(rf"\begin{{tabular}}{{c}}Layer {l}\\{{\scriptsize {what}, "
                         rf"$s_{{{l}}} = {ex.sizes[l - 1]}$}}\end{{tabular}}")
        if name.startswith("b") and name[1:].isdigit():
            return Label("$+1$", fill="#ffffff")
        if kind.startswith("e") and kind[1:].isdigit():
            l, j = int(kind[1:]), int(rest)
            units = self.shown[l]
            previous = max((u for u in units if u < j), default=0)
            return Label(rf"{{\scriptsize $\cdots$ {j - previous - 1:,} more units}}")
        if kind.startswith("u") and kind[1:].isdigit():
            return self._unit(int(kind[1:]), int(rest))
        return None

    def _unit(self, l: int, j: int) -> Label:
        ex, p = self.ex, self.precision
        d = float(ex.delta[l][j - 1]) if ex.delta is not None and l >= 2 else None
        rows = [rf"$a^{{({l})}}_{{{j}}}$ & ${latex.number(ex.a[l][j - 1], p)}$"]
        if d is not None and self.done is not None and (l, j) not in self.done:
            rows.append(rf"$\delta^{{({l})}}_{{{j}}}$ & {MISSING}")
            d = None
        elif d is not None:
            rows.append(rf"$\delta^{{({l})}}_{{{j}}}$ & ${latex.number(d, p)}$")
        ink = _ink(self.scale, d)
        outline = ("#1a1a1a", 2.0) if self.highlight == (l, j) else None
        return Label(_tabular(rows), fill=self.scale.fill(d) if d is not None else "#ffffff",
                     ink=ink, outline=outline)

    def edge(self, tail: str, head: str, k: int) -> str | None:
        """``Θ^(l)_ij = value`` for the edge from unit j (or the bias) to unit i."""
        l = int(head[1:].partition("_")[0]) - 1
        i = int(head.partition("_")[2])
        j = 0 if tail.startswith("b") else int(tail.partition("_")[2])
        w = float(self.ex.theta[l][i - 1, j])
        return (rf"{{\tiny ${_theta(l, i, j)} = "
                rf"{latex.number(w, min(self.precision, style.SHORT))}$}}")

    @property
    def caption(self) -> str:
        ex, p = self.ex, self.precision
        x = ", ".join(f"{v:.3g}" for v in ex.a[1][:6]) + (r", \ldots" if ex.sizes[0] > 6 else "")
        line = (rf"network {'-'.join(str(s) for s in ex.sizes)}\quad "
                rf"$x = ({x})$")
        if ex.y is not None:
            y = ", ".join(f"{v:g}" for v in ex.y[:10])
            line += rf"\quad $y = ({y})$\quad cost $= {latex.number(ex.cost or 0.0, p)}$"
        lines = [rf"{{\scriptsize {line}}}"]
        if self.highlight is not None:
            lines.extend(delta_lines(ex, self.highlight, p))
        return r"\begin{tabular}{@{}l@{}}" + r"\\".join(lines) + r"\end{tabular}"


def _theta(l: int, i: int | str, j: int) -> str:
    """Θ^(l)_ij as math (without the dollars), named as microgradnn.nn names it."""
    return latex.math_name(theta_name(l, i, j)).strip("$")


def _num(v: float, precision: int) -> str:
    n = latex.number(v, precision)
    return f"({n})" if v < 0 else n


def _terms(items: list[str]) -> str:
    if len(items) <= MAX_TERMS:
        return " + ".join(items)
    return (" + ".join(items[:MAX_TERMS - 2])
            + rf" + \cdots\ (\mbox{{{len(items) - (MAX_TERMS - 2)} more}})")


def delta_lines(ex: Example, hl: tuple[int, int], precision: int) -> list[str]:
    """δ_j^(l) worked out with its numbers, one displayed line each (as caption.py's)."""
    assert ex.delta is not None and ex.weighted is not None and ex.y is not None
    l, j = hl
    d = rf"\delta^{{({l})}}_{{{j}}}"
    value = float(ex.delta[l][j - 1])
    if l == ex.L:
        a, y = float(ex.a[l][j - 1]), float(ex.y[j - 1])
        return [rf"${d} = a^{{({l})}}_{{{j}}} - y_{{{j}}}"
                rf" = {latex.number(a, precision)} - {latex.number(y, precision)}"
                rf" = {latex.number(value, precision)}$"]
    n = ex.sizes[l]
    gz = rf"g'(z^{{({l})}}_{{{j}}})"
    symbols = [rf"{_theta(l, i, j)}\,\delta^{{({l + 1})}}_{{{i}}}"
               for i in range(1, n + 1)]
    numbers = [rf"{_num(float(ex.theta[l][i - 1, j]), precision)} \times "
               rf"{_num(float(ex.delta[l + 1][i - 1]), precision)}" for i in range(1, n + 1)]
    s = float(ex.weighted[l][j - 1])
    gp = g_prime(ex, l, j)
    return [
        rf"${d} = \sum_i {_theta(l, 'i', j)}\,\delta^{{({l + 1})}}_i \cdot {gz}$",
        rf"$\phantom{{{d}}} = ({_terms(symbols)}) \cdot {gz}$",
        rf"$\phantom{{{d}}} = ({_terms(numbers)}) \times {_num(gp, precision)}$",
        rf"$\phantom{{{d}}} = {_num(s, precision)} \times {_num(gp, precision)}"
        rf" = {latex.number(value, precision)}$",
    ]
