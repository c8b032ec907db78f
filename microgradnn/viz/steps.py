"""``backward_steps(root)``: the backward sweep, one frame per node it completes.

The sweep walks the graph in reverse topological order, root first; when it reaches a
node, every use of that node has already sent its contribution, so the node's δ is final.
Frame 0 is the forward pass (every δ "—"); frame k shows the δ of the first k nodes the
sweep completes, with the k-th outlined. The δ come from :func:`microgradnn.grad` (the
one shared sweep), so building the frames leaves every node's ``.grad`` untouched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..core import Node, grad, topological_order
from . import style
from .graph import build, check_options, describe
from .labels import colour_value, drawn_in_full, is_array, scale_values
from .render import Drawing

__all__ = ["BackwardSteps", "backward_steps"]

MAX_FRAMES = 150  # every frame is a full drawing; longer sweeps make huge pages


class BackwardSteps:
    """The frames of one backward sweep (see the module docstring).

    ``len(steps)`` frames (nodes + 1); ``steps[k]`` is frame k as a :class:`Drawing`;
    ``steps.captions[k]`` says what frame k adds; ``save_svgs(dir)`` writes numbered SVGs;
    ``save_html(path)`` one self-contained page: one SVG (the last frame's layout) and,
    per node, what changes when the sweep reaches it, switched by a slider, a play button,
    zoom and pan.
    """

    MAX_TERMS = 6  # a caption's chain-rule sum shows at most this many terms

    def __init__(self, root: Node, order: Sequence[Node], grads: Sequence[Any], *,
                 precision: int, rankdir: str, show: Sequence[str]) -> None:
        self.root = root
        self.order = list(order)
        self.grads = list(grads)
        self.options = {"precision": precision, "rankdir": rankdir, "show": tuple(show)}
        self.show = tuple(show)
        self.scale = style.DivergingScale(scale_values(self.grads))
        index = {node: i for i, node in enumerate(self.order)}
        # each node's uses: (user, argument position), one per edge out of it
        self.users: list[list[tuple[int, int]]] = [[] for _ in self.order]
        for u, node in enumerate(self.order):
            for k, parent in enumerate(node.parents):
                self.users[index[parent]].append((u, k))
        self.captions = [self._caption(k) for k in range(len(self))]
        self._frames: dict[int, Drawing] = {}
        self._svgs: list[str] | None = None

    def __len__(self) -> int:
        return len(self.order) + 1

    def __iter__(self) -> Iterator[Drawing]:
        return (self[k] for k in range(len(self)))

    def __getitem__(self, k: int) -> Drawing:
        if not -len(self) <= k < len(self):
            raise IndexError(f"backward_steps: frame {k} out of range 0..{len(self) - 1}")
        k %= len(self)
        if k not in self._frames:
            # the sweep goes root first, so after k steps the last k nodes of order are done
            first = len(self.order) - k
            grads = [g if i >= first else None for i, g in enumerate(self.grads)]
            current = first if k else None
            self._frames[k] = build(self.order, grads, scale=self.scale, current=current,
                                    caption=style.font(style.escape(self.captions[k]),
                                                       size=13),
                                    **self.options)  # type: ignore[arg-type]
            from .beamer import step_caption

            self._frames[k].labels.caption = step_caption(self, k)  # what to_tikz writes
        return self._frames[k]

    def _caption(self, k: int) -> str:
        n = len(self.order)
        if k == 0:
            return (f"step 0 of {n}: the forward pass is done, no δ yet; the sweep starts "
                    f"at {describe(self.root, n - 1)}")
        i = n - k  # step k completes the k-th node from the end of order
        node = self.order[i]
        what = describe(node, i)
        value = self.grads[i]
        if k == 1:
            return (f"step 1 of {n}: δ({what}) = ∂root/∂root = {self._number(value)} "
                    "(the seed)")
        return f"step {k} of {n}: δ({what}) = {self._chain_rule(i)}"

    def _number(self, value: Any) -> str:
        if value is None or is_array(value):
            return _array_text(value, self.options["precision"])  # type: ignore[arg-type]
        return style.format_number(float(value), self.options["precision"])  # type: ignore[arg-type]

    def _chain_rule(self, i: int) -> str:
        """Σ δ(use)·∂use/∂x with its numbers: one term per edge out of node i."""
        node, value = self.order[i], self.grads[i]
        uses = self.users[i]
        count = f"{len(uses)} use{'s' if len(uses) != 1 else ''}"
        if is_array(node.data) or value is None:
            return (f"{self._number(value)}, the sum over its {count} of "
                    "δ(use) · ∂use/∂node")
        terms = []
        for u, k in uses:
            user, g = self.order[u], self.grads[u]
            local = user.contributions(1.0)[k]  # ∂use/∂x: what a unit δ(use) sends x
            if g is None or local is None:
                continue
            terms.append(f"{self._term(g)}×{self._term(local)}")
        shown = terms[:self.MAX_TERMS]
        if len(terms) > self.MAX_TERMS:
            shown.append(f"⋯ ({len(terms) - self.MAX_TERMS} more)")
        return (f"Σ δ(use)·∂use/∂x over its {count} = {' + '.join(shown)} = "
                f"{self._number(value)}")

    def _term(self, v: float) -> str:
        text = style.format_number(float(v), self.options["precision"])  # type: ignore[arg-type]
        return f"({text})" if float(v) < 0 else text

    def svgs(self) -> list[str]:
        """Every frame rendered to SVG text (needs Graphviz's ``dot``)."""
        if self._svgs is None:
            self._svgs = [frame.svg() for frame in self]
        return list(self._svgs)

    def save_svgs(self, directory: str | os.PathLike[str]) -> list[Path]:
        """Write ``step_000.svg``, ``step_001.svg``, ... into ``directory``; return the paths."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        width = max(3, len(str(len(self) - 1)))
        paths = []
        for k, svg in enumerate(self.svgs()):
            path = out / f"step_{k:0{width}d}.svg"
            path.write_text(svg, encoding="utf-8")
            paths.append(path)
        return paths

    def html(self, title: str | None = None) -> str:
        """One self-contained HTML page: the last frame's SVG, and per node the number of
        δ text elements the page blanks until the sweep reaches it."""
        from .html import page

        final = build(self.order, self.grads, scale=self.scale,
                      **self.options).svg()  # type: ignore[arg-type]
        counts = [self._delta_texts(i) for i in range(len(self.order))]
        root = describe(self.root, len(self.order) - 1)
        return page(final, counts, self.captions, title or f"Backward sweep through {root}",
                    no_grad_fill=style.NO_GRAD_FILL, ink=style.INK, missing=style.MISSING)

    def _delta_texts(self, i: int) -> int:
        """How many of node i's last text elements show its δ."""
        if "grad" not in self.show:
            return 0
        data, g = self.order[i].data, self.grads[i]
        if is_array(data) and is_array(g) and g.shape == data.shape and drawn_in_full(data):
            return int(g.size)
        return 1

    def save_html(self, path: str | os.PathLike[str], title: str | None = None) -> Path:
        """Write :meth:`html` to ``path`` (no network access, no external scripts)."""
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(self.html(title), encoding="utf-8")
        return out

    def to_beamer(self, path: str | os.PathLike[str]) -> Path:
        """Write the sweep as a Beamer document: one frame, one slide per step (``len(self)``
        slides), each filling in one more δ with its chain-rule sum (needs ``dot``)."""
        from .beamer import steps_beamer

        return steps_beamer(self, path)

    def _repr_html_(self) -> str:
        from .html import iframe

        return iframe(self.html())


def _array_text(value: Any, precision: int) -> str:
    if value is None:
        return style.MISSING
    c = colour_value(value)
    return f"array {value.shape}, largest |entry| {style.format_number(abs(c or 0.0), precision)}"


def backward_steps(
    root: Node,
    gradient: Any = None,
    *,
    precision: int = 4,
    rankdir: str = "LR",
    show: Sequence[str] = ("value", "grad"),
    max_nodes: int | None = MAX_FRAMES,
) -> BackwardSteps:
    """The backward sweep of ``root``'s graph as frames, one per node it completes.

    ``gradient`` seeds the sweep as in ``root.backward(gradient)``; the other options are
    :func:`draw_graph`'s. Nodes' ``.grad`` are left as they were.
    """
    options = check_options(root, precision, rankdir, show, max_nodes, None,
                             "backward_steps")
    order = topological_order(root)
    if max_nodes is not None and len(order) > max_nodes:
        raise ValueError(
            f"backward_steps: the graph behind {describe(root, len(order) - 1)} has "
            f"{len(order):,} nodes, more "
            f"than max_nodes={max_nodes:,}; each node is one frame. Step through a smaller "
            "graph, or raise max_nodes.")
    grads = grad(root, order, gradient, allow_unused=True)
    return BackwardSteps(root, order, grads, **options)
