"""Run every benchmark in this folder, one after another, and summarise.

Each bench_*.py measures ratios against its peers in the same run and exits non-zero when
a target is missed. Machines are shared and noisy: read the ratios, not the seconds.

    python benchmarks/run_all.py [--only scalar tensor ...]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None,
                        help="run only these (e.g. scalar tensor nn viz)")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in args.only]
    results = []
    for script in scripts:
        print(f"\n=== {script.name} " + "=" * (60 - len(script.name)), flush=True)
        start = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)])
        results.append((script.name, code, time.perf_counter() - start))
    print("\n=== summary " + "=" * 52)
    for name, code, seconds in results:
        print(f"{name:<24}{'targets met' if code == 0 else 'TARGET MISSED':<16}{seconds:>7.1f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
