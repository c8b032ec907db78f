"""Per-module mutation scores from the last `mutmut run` (what `make mutation` prints).

    python scripts/mutation_scores.py            # the table, then every mutant not killed
    python scripts/mutation_scores.py --markdown # the table as Markdown, for the docs

Reads mutmut 3's result files (mutants/<module>.py.meta) and the verdicts of
scripts/mutation_fresh.py (mutants/fresh-process.json), which re-tests mutants of code run
at import time in a fresh interpreter, and mutants/retested.json: mutants re-tested by name
against tests added after mutmut reached them (MUTANT_UNDER_TEST set, the new test file run
in mutants/; 1 = a test failed). The score is killed / checked:
every checked mutant not killed (survived, no tests, timeout) counts against it, the
equivalent ones too (docs/mutation-testing.md lists those and why they are equivalent).
Mutants a stopped run never reached are counted apart, as "not checked". The last column
sets the equivalent mutants named in scripts/mutation_equivalent.txt aside as not applicable:
killed / (checked - equivalent).
"""

from __future__ import annotations

import fnmatch
import json
import sys
from pathlib import Path

MODULES = {
    "graph core": ["microgradnn/core/node.py", "microgradnn/core/order.py",
                   "microgradnn/core/sweep.py", "microgradnn/core/grad.py",
                   "microgradnn/core/hooks.py", "microgradnn/core/modes.py",
                   "microgradnn/core/copying.py"],
    "Scalar ops": ["microgradnn/scalar.py", "microgradnn/scalar_derivatives.py"],
    "Tensor rules": ["microgradnn/tensor/node.py", "microgradnn/tensor/ops.py",
                     "microgradnn/tensor/apply.py", "microgradnn/tensor/kernels.py",
                     "microgradnn/tensor/versions.py", "microgradnn/tensor/dtypes.py",
                     "microgradnn/tensor/arguments.py", "microgradnn/tensor/functions.py"],
    "hand-coded backprop": ["microgradnn/nn/backprop.py"],
}
EQUIVALENT = Path(__file__).with_name("mutation_equivalent.txt")
KILLED = {1, 3, 37}  # a failing test, pytest's internal error, the type checker
STATUS = {0: "survived", 5: "no tests", 33: "no tests", 34: "skipped", 36: "timeout",
          -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout", None: "not checked"}


def load(module: str) -> dict[str, int | None]:
    """mutmut's exit code per mutant of one module, a fresh-process verdict taking the place
    of mutmut's where there is one (scripts/mutation_fresh.py: code run at import time)."""
    meta = Path("mutants") / f"{module}.meta"
    if not meta.exists():
        sys.exit(f"mutation_scores: {meta} not found; run `make mutation` (mutmut run) first")
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    for extra in ("fresh-process.json", "retested.json"):  # see the module docstring
        path = Path("mutants") / extra
        if path.exists():
            codes.update({k: v for k, v in json.loads(path.read_text()).items() if k in codes})
    return codes


def equivalent_patterns() -> list[str]:
    """The names or globs of mutants judged equivalent (see docs/mutation-testing.md)."""
    lines = EQUIVALENT.read_text(encoding="utf-8").splitlines() if EQUIVALENT.exists() else []
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _score(killed: int, out_of: int) -> str:
    return f"{killed / out_of:.1%}" if out_of else "—"


def main(argv: list[str]) -> None:
    markdown = "--markdown" in argv
    patterns = equivalent_patterns()
    rows = []
    open_mutants = []
    for group, modules in MODULES.items():
        for module in modules:
            codes = load(module)
            killed = sum(1 for c in codes.values() if c in KILLED)
            unchecked = sum(1 for c in codes.values() if c is None)
            alive = [(name, c) for name, c in codes.items() if c not in KILLED and c is not None]
            same = {name for name, _ in alive
                    if any(fnmatch.fnmatchcase(name, p) for p in patterns)}
            checked = len(codes) - unchecked
            rows.append((group, module, killed, checked, unchecked, len(same)))
            open_mutants += [(name, "equivalent" if name in same else STATUS.get(c, "suspicious"))
                             for name, c in alive]
    if markdown:
        print("| part | module | killed | checked | score | not checked | equivalent "
              "| score without equivalent |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for group, module, killed, checked, unchecked, n_same in rows:
            print(f"| {group} | `{module}` | {killed} | {checked} | {_score(killed, checked)} "
                  f"| {unchecked} | {n_same} | {_score(killed, checked - n_same)} |")
    else:
        for group, module, killed, checked, unchecked, n_same in rows:
            print(f"{group:20} {module:34} {killed:5}/{checked:<5} {_score(killed, checked):>7}"
                  f"   ({unchecked} not checked; {n_same} equivalent: "
                  f"{_score(killed, checked - n_same)} without them)")
        for name, status in sorted(open_mutants):
            print(f"    {status:10} {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
