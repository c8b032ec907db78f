"""How the Tensor engine's per-op overhead scales with the batch: the small training step
(m×64 → 25 → 10, sigmoid, the course's cost; bench_tensor.py's (b)) at m = 1, 8, 32, 128
and 1024, each engine's time as a ratio to the same step written by hand in NumPy.

The engine adds a fixed cost per op (a node, its rule, its place in the sweep) to the
arithmetic NumPy does anyway, so its ratio falls towards 1 as the batch grows; PyTorch's
fixed cost per op is larger, HIPS autograd's larger still. Peers are timed interleaved in
``--repeat`` rounds after checking they agree; a ratio is the median over rounds of the
ratio within a round.

    python benchmarks/bench_scaling.py                  # measure and print the table
    python benchmarks/bench_scaling.py --save RESULTS   # and record it (the docs plot it)

The docs' performance page draws the recorded run (``results/batch_scaling.json``) with
:func:`plot` at build time; this module needs only NumPy and matplotlib until it measures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

BATCHES = (1, 8, 32, 128, 1024)
PEERS = {"microgradnn": "microgradnn", "pytorch": "PyTorch (CPU, float64)",
         "autograd": "HIPS autograd"}
RESULTS = Path(__file__).resolve().parent / "results" / "batch_scaling.json"
# a recorded run: {"batches": {m: {peer: {"seconds": best, "ratio": median ÷ numpy}}}, ...}
Results = dict[str, Any]


def calls_per_round(m: int) -> int:
    """Enough calls that a round of the slowest peer lasts a few milliseconds."""
    return max(5, 400 // max(1, m // 8))


def measure(repeat: int) -> Results:
    """Time the four peers of the small step at every batch size, one thread each."""
    import torch
    from bench_tensor import check_agreement, ratio, small_peers
    from threadpoolctl import threadpool_limits
    from timing import clock, rounds

    torch.set_num_threads(1)
    batches: dict[str, dict[str, dict[str, float]]] = {}
    with threadpool_limits(limits=1, user_api="blas"):
        for m in BATCHES:
            runs = small_peers(m)
            check_agreement(runs)
            times = rounds({name: clock(fn, calls_per_round(m)) for name, fn in runs.items()},
                           repeat)
            batches[str(m)] = {name: {"seconds": min(times[name]),
                                      "ratio": ratio(times, name, "numpy")}
                               for name in ("numpy", *PEERS)}
    return {"date": time.strftime("%Y-%m-%d"), "machine": _cpu(), "numpy": np.__version__,
            "torch": torch.__version__, "threads": 1, "repeat": repeat, "batches": batches}


def _cpu() -> str:
    """The processor's name and core count, for the record (Linux; else the architecture)."""
    try:
        names = [line.split(":", 1)[1].strip() for line in
                 Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")]
    except OSError:
        names = []
    name = names[0] if names else platform.machine()
    return f"{name}, {os.cpu_count()} cores"


def table(results: Results) -> str:
    """The run as text: each peer's best time per step and its ratio to NumPy."""
    head = f"{'batch m':>8} {'numpy':>10}" + "".join(f" {n:>15}" for n in PEERS)
    lines = [head + "   (time per step, × hand-written NumPy)", "-" * (len(head) + 38)]
    for m, row in results["batches"].items():
        cells = "".join(f" {row[n]['seconds'] * 1e6:7.0f}µs {row[n]['ratio']:5.2f}×"
                        for n in PEERS)
        lines.append(f"{m:>8} {row['numpy']['seconds'] * 1e6:8.1f}µs{cells}")
    return "\n".join(lines)


def plot(results: Results, path: str | Path) -> Path:
    """Draw the ratios to NumPy against the batch size (log–log), as .svg or .png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter

    batches = [int(m) for m in results["batches"]]
    ratios = {name: [results["batches"][str(m)][name]["ratio"] for m in batches]
              for name in PEERS}
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # text stays text in the SVG
        fig, ax = plt.subplots(figsize=(6.4, 3.8), layout="constrained")
        for (name, label), marker in zip(PEERS.items(), "os^"):
            ax.plot(batches, ratios[name], marker=marker, label=label)
        ax.axhline(1.0, color="0.3", linestyle="--", linewidth=1)
        ax.annotate("hand-written NumPy", (batches[0], 1.0), xytext=(2, 4),
                    textcoords="offset points", fontsize=9, color="0.3")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(batches, [str(m) for m in batches])
        top = max(max(r) for r in ratios.values())
        ticks = [t for t in (1, 1.5, 2, 3, 5, 10, 20, 50, 100) if t <= top * 1.2]
        ax.set_yticks(ticks, [f"{t:g}×" for t in ticks])
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("batch size m (examples per step)")
        ax.set_ylabel("time per step ÷ hand-written NumPy")
        ax.set_title("Small training step m×64 → 25 → 10: overhead by batch size",
                     fontsize=11)
        ax.grid(True, which="both", color="0.9")
        ax.legend(frameon=False)
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out)
        plt.close(fig)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="rounds per batch size")
    parser.add_argument("--save", type=Path, nargs="?", const=RESULTS, metavar="JSON",
                        help="record the run as JSON (default: benchmarks/results/"
                             "batch_scaling.json, which the docs plot)")
    parser.add_argument("--plot", type=Path, metavar="FILE", help="draw it (.svg or .png)")
    args = parser.parse_args(argv)
    results = measure(args.repeat)
    print(f"numpy {results['numpy']}, torch {results['torch']}, one thread, "
          f"{args.repeat} rounds per batch size")
    print(table(results))
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        print(f"recorded {args.save}")
    if args.plot:
        print(f"wrote {plot(results, args.plot)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
