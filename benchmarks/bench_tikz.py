"""LaTeX output speed: TikZ source of the lecture network, and the demo's LaTeX compiled.

* ``draw_network(...).to_tikz()`` for the lecture's 2-2-2-1 network (the drawing, one
  ``dot -Tjson0`` layout and the picture text), beside its peer in the same run, the same
  drawing rendered to SVG by ``dot``; target < 0.2 s.
* ``microgradnn demo --format tex``'s four documents (network, δ_2^(2), the Scalar graph,
  the Beamer sweep) compiled one after another by ``pdflatex -halt-on-error
  -no-shell-escape``, as the tests do; target < 60 s.

    python benchmarks/bench_tikz.py          # prints a table; exit 1 if a target is missed
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import best, best_time

import microgradnn as mg
from microgradnn.app.demo import write_tex

SOURCE_TARGET = 0.2  # seconds for the lecture network's TikZ source
COMPILE_TARGET = 60.0  # seconds for pdflatex on the demo's four documents
PDFLATEX = ["pdflatex", "-halt-on-error", "-no-shell-escape", "-interaction=batchmode"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    net = mg.nn.lecture_network()
    x, y = net.example
    times = best({
        "tikz": lambda: mg.draw_network(net, x, y).to_tikz(),
        "svg": lambda: mg.draw_network(net, x, y).svg(),
    }, args.repeat, warmup=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_seconds = best_time(lambda: write_tex(net, x, y, out), 1)
        start = time.perf_counter()
        for name in ("network", "delta_2_2", "graph", "sweep"):
            subprocess.run([*PDFLATEX, f"{name}.tex"], cwd=out, check=True,
                           stdout=subprocess.DEVNULL)
        compile_seconds = time.perf_counter() - start
    rows = [
        ("lecture network, TikZ source", times["tikz"], SOURCE_TARGET,
         f"{times['tikz'] / times['svg']:.2f}x the SVG render"),
        ("demo --format tex, writing the 4 .tex", write_seconds, None, ""),
        ("demo --format tex, pdflatex on all 4", compile_seconds, COMPILE_TARGET, ""),
    ]
    ok = True
    for name, seconds, target, note in rows:
        met = target is None or seconds < target
        ok &= met
        bar = f"< {target:g} s" if target is not None else ""
        print(f"{name:<40}{seconds:>9.3f} s  {bar:<9}{'' if met else 'MISSED'}  {note}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
