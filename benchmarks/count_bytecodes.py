"""How many bytecodes the interpreter runs for one small step, per function: a count that
does not move with the machine's load.

Timings on a shared machine move by several percent from run to run, more than most changes
to the per-op overhead are worth; this count does not move at all. It traces bench_tensor.py's
step (b) (32×64 → 25 → 10, sigmoid, the course's cross-entropy) with ``sys.settrace`` and
``f_trace_opcodes`` and counts each executed bytecode against its function. On this step a
bytecode costs about 12 ns on average with what it sets off (attribute lookups, calls, small
allocations): the engine's time minus hand-written NumPy's, divided by the difference in
bytecodes, came to 11–12 ns for microgradnn and for a bare engine of closures on the same
core (2026-11-30). NumPy's own work is not counted; the ops' arithmetic is the same in the
engine and by hand.

    python benchmarks/count_bytecodes.py           # the total and the 25 busiest functions
    python benchmarks/count_bytecodes.py --top 0   # the total only
"""

from __future__ import annotations

import argparse
import collections
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from bench_tensor import small_peers

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
    parser.add_argument("--top", type=int, default=25, help="functions to list (default 25)")
    args = parser.parse_args(argv)
    peers = small_peers()
    totals = {}
    for name in ("microgradnn", "numpy"):
        per_function = count(peers[name])
        totals[name] = sum(per_function.values())
        if name == "microgradnn":
            busiest = sorted(per_function.items(), key=lambda kv: -kv[1])[:args.top]
    print(f"bytecodes per small step: microgradnn {totals['microgradnn']:.0f}, "
          f"hand-written NumPy {totals['numpy']:.0f}")
    for (file, function, line), n in busiest:
        print(f"{n:8.0f}  {file}:{function} (line {line})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
