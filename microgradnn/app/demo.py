"""The main job: the lecture's 2-2-2-1 network, one example, every δ four ways.

``microgradnn demo`` prints the forward pass (z and a per unit), a table of every δ_j^(l)
from hand-coded backprop, the tensor engine, the scalar engine and central differences,
the course's gradient-check verdict, and writes the pictures:

* ``network.svg``   the network with a and δ on every unit;
* ``delta_2_2.svg`` the lecture's picture of δ_2^(2) built from δ_1^(3) and δ_2^(3);
* ``graph.svg``     the scalar computation graph with δ on every node;
* ``backward.html`` the backward sweep, step by step;
* with ``--format tex`` also ``network.tex``, ``delta_2_2.tex``, ``graph.tex`` (TikZ) and
  ``sweep.tex`` (Beamer slides, the network's δ from right to left).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..check import numerical_gradient
from ..nn import Network, check_gradients, lecture_network
from ..nn.course import CHECK_TOLERANCE
from ..table import text_table

__all__ = ["AGREEMENT", "lecture_demo", "numerical_delta", "write_tex"]

AGREEMENT = CHECK_TOLERANCE  # the course's bar for a gradient check (relative difference)


def numerical_delta(net: Network, x: np.ndarray, y: np.ndarray, l: int) -> np.ndarray:
    """δ^(l) for one example by central differences, with no access to z.

    z_j^(l) = Θ^(l-1)_j0 · 1 + Σ_k Θ^(l-1)_jk a_k^(l-1): nudging the bias weight Θ^(l-1)_j0
    by ε nudges z_j^(l) by exactly ε, so ∂cost/∂Θ^(l-1)_j0 = δ_j^(l) (at λ = 0, m = 1).
    """
    X = np.atleast_2d(x)
    probe = Network(net.sizes, thetas=net.theta, activation=net.activation)  # copies Θ
    bias_column = probe.theta[l - 1][:, 0]  # a view: writing it changes the probe's Θ^(l-1)

    def cost(bias: np.ndarray) -> float:
        bias_column[:] = bias
        return probe.cost(X, y)

    return numerical_gradient(cost, net.theta[l - 1][:, 0])


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    return text_table(header, rows, align="r" * len(header))


def lecture_demo(out: Path | None, say: Callable[[str], None] = print, *,
                 tex: bool = False) -> bool:
    """Run the demo; return True when every δ agrees and the gradient check passes.
    ``tex=True`` also writes the pictures as LaTeX (see :func:`write_tex`)."""
    net = lecture_network()
    assert net.example is not None  # the lecture network comes with its example
    x, y = net.example
    X = np.atleast_2d(x)
    L = net.L
    say(f"The lecture's network: {net}\nOne example: x = {x.tolist()}, y = {y.tolist()}\n")

    fwd = net.forward(X)
    rows: list[tuple[str, ...]] = []
    for l in range(1, L + 1):
        a = fwd.a[l][0, 1:] if l < L else fwd.a[l][0]
        for j, a_j in enumerate(a, start=1):
            z = f"{fwd.z[l][0, j - 1]:+.6f}" if l >= 2 else "(input)"
            rows.append((f"unit {j} of layer {l}", z, f"{a_j:.6f}"))
    say("Forward propagation: z^(l+1) = Θ^(l) a^(l), a^(l+1) = g(z^(l+1))")
    say(_table(("", "z", "a"), rows) + "\n")

    hand = net.backprop(X, y)
    tensor = net.autodiff(X, y, engine="tensor")
    scalar = net.autodiff(X, y, engine="scalar")
    rows, worst = [], 0.0
    for l in range(L, 1, -1):
        numerical = numerical_delta(net, x, y, l)
        for j in range(1, net.sizes[l - 1] + 1):
            values = [hand.delta[l][0, j - 1], tensor.delta[l][0, j - 1],
                      scalar.delta[l][0, j - 1], numerical[j - 1]]
            spread = max(values) - min(values)
            worst = max(worst, spread / max(abs(values[0]), 1e-12))
            rows.append((f"δ_{j}^({l})", *(f"{v:+.9f}" for v in values), f"{spread:.1e}"))
    say("Backpropagation: δ^(L) = a^(L) − y; δ^(l) = (Θ^(l))ᵀ δ^(l+1) .* g'(z^(l))")
    say(_table(("", "hand-coded", "tensor engine", "scalar engine", "central diff.",
                "spread"), rows))
    deltas_agree = worst < 1e-6  # central differences carry ~1e-10 of truncation error
    say(f"every δ agrees: {'yes' if deltas_agree else 'NO'} "
        f"(largest spread relative to δ: {worst:.1e})\n")

    check = check_gradients()
    relative = check.relative("numerical", "D unrolled")
    check_ok = relative < AGREEMENT
    say(f"The course's gradient check (3-5-3 network, m = 5): relative difference "
        f"{relative:.2e} — {'passes' if check_ok else 'FAILS'} (< {AGREEMENT:g})")

    if out is not None:
        _write_pictures(net, x, y, out, say)
        if tex:
            write_tex(net, x, y, out)
            say(f"wrote {out / 'network.tex'}, delta_2_2.tex, graph.tex and sweep.tex")
    return deltas_agree and check_ok


def write_tex(net: Network, x: np.ndarray, y: np.ndarray, out: Path) -> list[Path]:
    """The demo's pictures as LaTeX: ``network.tex``, ``delta_2_2.tex``, ``graph.tex``
    (standalone TikZ documents) and ``sweep.tex`` (Beamer: the network's δ right to left)."""
    from ..viz import network_beamer

    _write_drawings(net, x, y, out, "tex")
    network_beamer(net, x, y, out / "sweep.tex")
    return [out / name for name in ("network.tex", "delta_2_2.tex", "graph.tex", "sweep.tex")]


def _write_drawings(net: Network, x: np.ndarray, y: np.ndarray, out: Path,
                    suffix: str) -> Any:
    """network, delta_2_2 and graph as ``.{suffix}`` files; returns the graph's cost node."""
    from ..viz import draw_graph, draw_network

    out.mkdir(parents=True, exist_ok=True)
    draw_network(net, x, y).render(outfile=out / f"network.{suffix}")
    draw_network(net, x, y, highlight=(2, 2)).render(outfile=out / f"delta_2_2.{suffix}")
    graph = net.scalar_graph(x, y)
    graph.cost.backward()
    draw_graph(graph.cost).render(outfile=out / f"graph.{suffix}")
    return graph.cost


def _write_pictures(net: Network, x: np.ndarray, y: np.ndarray, out: Path,
                    say: Callable[[str], None]) -> None:
    from ..viz import backward_steps

    cost = _write_drawings(net, x, y, out, "svg")
    backward_steps(cost).save_html(out / "backward.html")
    say(f"\nwrote {out / 'network.svg'}, delta_2_2.svg, graph.svg and backward.html")
