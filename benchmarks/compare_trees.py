"""This tree against an earlier commit, step by step in one process: "as fast as before"
measured without the machine's swings.

Two runs of bench_tensor.py on a shared machine differ by a few percent, as much as a
change to the per-op cost is worth. Here the earlier commit's package is exported with
``git archive`` under another name (every ``microgradnn`` in its sources becomes
``mg_<commit>``) and imported beside this tree's, and bench_tensor.py's small step (b) runs
on both, alternating within each round, with hand-written NumPy as the common peer. Both
engines must give the same loss and gradients first (bit for bit, or the script says how
far apart they are). Each run prints the median over its rounds of this tree's time / the
earlier one's, for the whole step, the forward alone and the backward alone (a fresh graph
each forward; one graph swept again and again for the backward).

    python benchmarks/compare_trees.py f2f7803              # 7 runs of 60 rounds
    python benchmarks/compare_trees.py HEAD~3 --runs 3 --rounds 20
    python benchmarks/compare_trees.py ../old-checkout      # a directory: its microgradnn/

A directory compares a checkout with changes of its own: issue 14's "before" is f2f7803 with
the σ threshold issue 18 tuned later (its stable.py's 512 → 8192), so that the comparison
measures the restructure, not the threshold.
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
from bench_tensor import ratio, small_data, small_engine, small_forward, small_numpy
from threadpoolctl import threadpool_limits
from timing import clock

import microgradnn as mg

ROOT = Path(__file__).resolve().parents[1]


def export(earlier: str, into: Path) -> ModuleType:
    """The package as it was at commit ``earlier`` (or as it is in directory ``earlier``),
    imported as ``mg_<earlier>``."""
    name = "mg_" + "".join(c if c.isalnum() else "_" for c in Path(earlier).name)
    package = into / name
    if Path(earlier).is_dir():
        shutil.copytree(Path(earlier) / "microgradnn", package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    else:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", earlier, "microgradnn"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
        (into / "microgradnn").rename(package)
    for source in package.rglob("*.py"):
        source.write_text(source.read_text().replace("microgradnn", name))
    sys.path.insert(0, str(into))
    return importlib.import_module(name)


def agreement(new: Any, old: Any) -> str:
    """How the two engines' losses and gradients compare (exits if they disagree)."""
    pairs = list(zip([float(new[0].data), *new[1]], [float(old[0].data), *old[1]]))
    if all(np.array_equal(a, b) for a, b in pairs):
        return "the same loss and gradients, bit for bit"
    worst = max(float(np.max(np.abs(np.subtract(a, b)))) for a, b in pairs)
    if worst > 1e-12:
        raise SystemExit(f"the trees disagree: the largest difference is {worst:.3g}")
    return f"the same loss and gradients to {worst:.1g}"


def alternated(measures: dict[str, Callable[[], float]], repeat: int) -> dict[str, list[float]]:
    """Each measure once per round, the order reversed every other round."""
    results: dict[str, list[float]] = {name: [] for name in measures}
    names = list(measures)
    for r in range(repeat):
        for name in names if r % 2 == 0 else names[::-1]:
            results[name].append(measures[name]())
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("earlier", help="the earlier commit (f2f7803: before issue 14), or a "
                        "directory holding its microgradnn/")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--steps", type=int, default=200, help="calls per measurement")
    args = parser.parse_args(argv)
    X, Y, arrays = small_data()
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(1):
        earlier = export(args.earlier, Path(tmp))
        engines = {"new": mg, "old": earlier}
        leaves = {k: [lib.Tensor(p, requires_grad=True) for p in arrays]
                  for k, lib in engines.items()}
        print(f"{args.earlier} and this tree: "
              f"{agreement(small_engine(X, Y, leaves['new']), small_engine(X, Y, leaves['old']))}")
        roots = {k: small_forward(X, Y, ps) for k, ps in leaves.items()}
        measures = {
            "step new": clock(lambda: small_engine(X, Y, leaves["new"]), args.steps),
            "step old": clock(lambda: small_engine(X, Y, leaves["old"]), args.steps),
            "numpy": clock(lambda: small_numpy(X, Y, arrays), args.steps),
            "forward new": clock(lambda: small_forward(X, Y, leaves["new"]), args.steps),
            "forward old": clock(lambda: small_forward(X, Y, leaves["old"]), args.steps),
            "backward new": clock(roots["new"].backward, args.steps),
            "backward old": clock(roots["old"].backward, args.steps),
        }
        alternated(measures, 3)  # warm-up
        print(f"this tree / {args.earlier}, the median over {args.rounds} rounds of "
              f"{args.steps} calls (best times in µs):")
        for run in range(args.runs):
            t = alternated(measures, args.rounds)
            print(f"  run {run + 1}: step {ratio(t, 'step new', 'step old'):.3f} "
                  f"({min(t['step new']) * 1e6:.1f} against {min(t['step old']) * 1e6:.1f}), "
                  f"forward {ratio(t, 'forward new', 'forward old'):.3f}, "
                  f"backward {ratio(t, 'backward new', 'backward old'):.3f}; "
                  f"against NumPy {ratio(t, 'step new', 'numpy'):.2f} and "
                  f"{ratio(t, 'step old', 'numpy'):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
