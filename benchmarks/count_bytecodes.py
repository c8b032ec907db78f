"""How many bytecodes the interpreter runs for one small step, per function: a count that
does not move with the machine's load.

Timings on a shared machine move by several percent from run to run, more than most changes
to the per-op overhead are worth; this count does not move at all. It traces bench_tensor.py's
step (b) (32×64 → 25 → 10, sigmoid, the course's cross-entropy) with ``sys.settrace`` and
``f_trace_opcodes`` and counts each executed bytecode against its function, for microgradnn,
for hand-written NumPy and for bare_engine.py (the same core with each op a closure of its
own). NumPy's own work is not counted: it is the same in all three. With ``--repeat N`` it
also times the three in N interleaved rounds; the time an engine adds to NumPy's, divided
by the bytecodes it adds, is what a bytecode costs with what it sets off (calls, attribute
lookups, small allocations): 11–12 ns on the machine of benchmarks/README.md (2026-11-30).

    python benchmarks/count_bytecodes.py              # the counts and the busiest functions
    python benchmarks/count_bytecodes.py --repeat 20  # and the three timed
"""

from __future__ import annotations

import argparse
import collections
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import numpy as np
from bare_engine import small_bare
from bench_tensor import check_agreement, small_data, small_engine, small_numpy
from threadpoolctl import threadpool_limits
from timing import clock, rounds

import microgradnn as mg

Key = tuple[str, str, int]


def count(step: Callable[[], object], steps: int = 20, warmup: int = 5) -> dict[Key, float]:
    """Bytecodes per call of ``step``, by (file, function, first line)."""
    counts: collections.Counter[Key] = collections.Counter()

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            code = frame.f_code
            counts[Path(code.co_filename).name, code.co_name, code.co_firstlineno] += 1
        return tracer

    for _ in range(warmup):
        step()
    sys.settrace(tracer)
    try:
        for _ in range(steps):
            step()
    finally:
        sys.settrace(None)
    return {key: n / steps for key, n in counts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--top", type=int, default=20, help="functions to list (default 20)")
    parser.add_argument("--repeat", type=int, default=0, help="rounds of timing (default: none)")
    args = parser.parse_args(argv)
    X, Y, params = small_data()
    leaves = [mg.Tensor(p, requires_grad=True) for p in params]
    bare = [mg.Tensor(p, requires_grad=True) for p in params]
    steps = {"microgradnn": lambda: small_engine(X, Y, leaves),
             "bare engine": lambda: small_bare(X, Y, bare),
             "numpy": lambda: small_numpy(X, Y, params)}
    check_agreement(steps)
    counts = {name: count(step) for name, step in steps.items()}
    totals = {name: sum(per_function.values()) for name, per_function in counts.items()}
    print("bytecodes per small step: " + ", ".join(f"{name} {n:.0f}"
                                                  for name, n in totals.items()))
    busiest = sorted(counts["microgradnn"].items(), key=lambda kv: -kv[1])[:args.top]
    for (file, function, line), n in busiest:
        print(f"{n:8.0f}  {file}:{function} (line {line})")
    if args.repeat:
        with threadpool_limits(1):
            times = rounds({name: clock(step, 200) for name, step in steps.items()}, args.repeat)
        best = {name: min(seconds) * 1e6 for name, seconds in times.items()}
        for name in ("microgradnn", "bare engine"):
            ratio = np.median(np.divide(times[name], times["numpy"]))
            per = (best[name] - best["numpy"]) * 1e3 / (totals[name] - totals["numpy"])
            print(f"{name}: {best[name]:.1f} µs against NumPy's {best['numpy']:.1f} µs "
                  f"(× {ratio:.2f}); {per:.1f} ns per bytecode added")
    return 0


if __name__ == "__main__":
    sys.exit(main())
