"""Drawing speed, measured against the work it draws, in one run.

* DOT source of a 10,000-node Scalar graph (draw_graph(..., max_nodes=None).source),
  as a ratio to building that graph and running backward on it; target < 1 s.
* draw_network of a 400-25-10 network with elision: building the source and Graphviz's
  `dot` layout to SVG; target < 5 s.
* `microgradnn render` of x*x + x*x + ... (a leaf with a fan-out of 200): parse, backward,
  node table, draw, `dot` → SVG; target < 3 s for 100 terms (300 terms for the record),
  and the whole command in a fresh process beside it.
* The lecture network's picture through `dot` to SVG: target < 0.3 s.
* backward.html of the lecture network's Scalar graph: target < 1 s and < 300 KB.
* For scale: the collapsed 400-25-10 Scalar graph, and the backward_steps page of the
  classic neuron.

Each timing is the best of ``--repeat`` runs.

    python benchmarks/bench_viz.py          # prints a table; exit 1 if a target is missed
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from timing import best_time

import microgradnn as mg

SOURCE_TARGET = 1.0  # seconds for the DOT source of 10,000 nodes
LAYOUT_TARGET = 5.0  # seconds for draw_network(400-25-10) through `dot`
RENDER_TARGET = 3.0  # seconds for `render` of a 100-term fan-out expression
LECTURE_TARGET = 0.3  # seconds for the lecture network's SVG
PAGE_TARGET = 1.0  # seconds for the lecture network's backward.html
PAGE_BYTES = 300_000  # and its size


def scalar_graph(n: int = 10_000, seed: int = 0) -> mg.Scalar:
    """``n`` nodes: n/5 named leaves, random ops on earlier nodes, and a root summing every
    node nothing else uses (so the whole graph is behind it)."""
    rng = random.Random(seed)
    nodes = [mg.Scalar(rng.uniform(-1, 1), name=f"x_{{{i}}}") for i in range(n // 5)]
    count = len(nodes)
    while count < n - 1:  # the root is the last node
        a, b = rng.choice(nodes[-400:]), rng.choice(nodes)
        kind = len(nodes) % 4
        count += 2 if kind == 2 else 1
        if kind == 0:
            out = a * b
        elif kind == 1:
            out = a + b
        elif kind == 2:
            out = (a - b).tanh()
        else:
            out = a * 0.5
        nodes.append(out)
    used = {id(p) for node in nodes for p in node.parents}
    root = mg.Scalar.sum([node for node in nodes if id(node) not in used])  # every sink
    root.name = "J"
    return root


def neuron() -> mg.Scalar:
    """o = tanh(x1·w1 + x2·w2 + b), the classic 10-node neuron."""
    x1, x2 = mg.Scalar(2.0, name="x1"), mg.Scalar(0.0, name="x2")
    w1, w2 = mg.Scalar(-3.0, name="w1"), mg.Scalar(1.0, name="w2")
    b = mg.Scalar(6.8813735870195432, name="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.name = "o"
    return o


def render(terms: int, out: Path) -> None:
    """What `microgradnn render "x*x + ..." --var x=2 -o out` does, in this process."""
    from microgradnn.app.cli import node_table
    from microgradnn.app.expr import evaluate

    root = evaluate("+".join(["x*x"] * terms), {"x": 2.0})
    root.backward()
    node_table(root)
    mg.draw_graph(root).render(outfile=out)


def render_command(terms: int, out: Path) -> float:
    """The same as a command in a fresh process (interpreter start and imports included)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "microgradnn", "render", "+".join(["x*x"] * terms),
                    "--var", "x=2", "-o", str(out)], check=True, capture_output=True)
    return time.perf_counter() - start


def build_and_backward() -> mg.Scalar:
    root = scalar_graph()
    root.backward()
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []

    root = build_and_backward()  # the graph drawn below
    t_build = best_time(build_and_backward, args.repeat)
    n = len(mg.topological_order(root))
    t_source = best_time(lambda: mg.draw_graph(root, max_nodes=None).source, args.repeat)
    source = mg.draw_graph(root, max_nodes=None).source
    rows.append((f"DOT source, {n:,}-node Scalar graph", t_source, SOURCE_TARGET,
                 f"{t_source / t_build:.2f}× build+backward ({t_build * 1e3:.0f} ms); "
                 f"{len(source) / 1e6:.1f} MB"))

    net = mg.nn.Network([400, 25, 10], seed=0)
    x = np.linspace(0.0, 1.0, 400)
    t_net_src = best_time(lambda: mg.draw_network(net, x, [3], highlight=(2, 5)), args.repeat)
    t_layout = best_time(lambda: mg.draw_network(net, x, [3], highlight=(2, 5)).svg(),
                         args.repeat)
    rows.append(("draw_network 400-25-10, source", t_net_src, None, ""))
    rows.append(("draw_network 400-25-10, source + dot → SVG", t_layout, LAYOUT_TARGET,
                 f"dot is {(t_layout - t_net_src) / t_layout:.0%} of it"))

    t_all = best_time(lambda: mg.draw_network(net, x, [3], weights="all").svg(), args.repeat)
    rows.append(("draw_network 400-25-10, every Θ labelled → SVG", t_all, LAYOUT_TARGET, ""))

    lecture = mg.nn.lecture_network()
    t_lecture = best_time(lambda: mg.draw_network(lecture, *lecture.example,
                                                  highlight=(2, 2)).svg(), args.repeat)
    t_lecture_src = best_time(lambda: mg.draw_network(lecture, *lecture.example,
                                                      highlight=(2, 2)).source, args.repeat)
    rows.append(("draw_network lecture 2-2-2-1 → SVG", t_lecture, LECTURE_TARGET,
                 f"dot is {(t_lecture - t_lecture_src) / t_lecture:.0%} of it"))

    with tempfile.TemporaryDirectory() as tmp:
        for terms, target in ((100, RENDER_TARGET), (300, None)):
            out = Path(tmp) / f"sum{terms}.svg"
            t_render = best_time(lambda: render(terms, out), args.repeat)  # noqa: B023
            t_command = min(render_command(terms, out) for _ in range(args.repeat))
            rows.append((f"render {terms}-term x*x + … (fan-out {2 * terms}) → SVG",
                         t_render, target, f"as a command: {t_command:.2f} s"))

    sg_lecture = lecture.scalar_graph(*lecture.example)
    sg_lecture.cost.backward()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "backward.html"
        t_page = best_time(lambda: mg.viz.backward_steps(sg_lecture.cost).save_html(page),
                           args.repeat)
        size = page.stat().st_size
        t_graph = best_time(lambda: mg.draw_graph(sg_lecture.cost).svg(), args.repeat)
    rows.append((f"backward.html, lecture graph ({len(mg.topological_order(sg_lecture.cost))}"
                 " nodes)", t_page, PAGE_TARGET,
                 f"{size / 1e3:.0f} KB (< {PAGE_BYTES / 1e3:.0f} KB"
                 f"{'' if size < PAGE_BYTES else ' !'}); {t_page / t_graph:.2f}× draw_graph → SVG"))
    size_ok = size < PAGE_BYTES

    sg = net.scalar_graph(x, [3])
    sg.cost.backward()
    size = len(mg.topological_order(sg.cost))
    t_collapse = best_time(lambda: mg.draw_graph(sg.cost, collapse="layer").svg(), args.repeat)
    rows.append((f"collapse='layer', {size:,}-node 400-25-10 graph → SVG", t_collapse, None,
                 ""))

    with tempfile.TemporaryDirectory() as tmp:
        t_steps = best_time(lambda: mg.viz.backward_steps(neuron()).save_html(
            Path(tmp) / "sweep.html"), 1)
    rows.append(("backward_steps(neuron) → HTML page", t_steps, None, ""))

    print(f"{'what':<52}{'seconds':>9}{'target':>8}  note")
    print("-" * 100)
    ok = True
    for what, seconds, target, note in rows:
        met = target is None or seconds < target
        ok &= met
        mark = "" if target is None else f"< {target:g}" + ("" if met else " !")
        print(f"{what:<52}{seconds:>9.3f}{mark:>8}  {note}")
    ok &= size_ok
    print("\nall targets met" if ok else "\nSOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
