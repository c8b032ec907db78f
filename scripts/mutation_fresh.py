"""Re-test named mutants each in a fresh interpreter, for code that runs at import time.

    python scripts/mutation_fresh.py NAME_OR_GLOB...  # e.g. "microgradnn.core.node.x_node_maker__*"
    python scripts/mutation_fresh.py --import-time    # IMPORT_TIME below, those mutmut did not kill

mutmut 3 imports the package once and forks a worker per mutant, switching the mutant on
in the worker. Code that runs while the package is imported — ``node_maker(Scalar)``,
``bind(Tensor)``, the module-level ``_Departures()`` and ``Newest()`` — has already run in
the parent with the original code, so mutmut reports its mutants as surviving whatever the
tests do. Here each named mutant is switched on (``MUTANT_UNDER_TEST``) before Python
starts, in ``mutants/``: first a quick subset (the core, Scalar and Tensor contract tests,
which catch most of these at once), and if it passes, the whole test selection of
``[tool.mutmut]``, each with ``-x``.
The verdicts go to ``mutants/fresh-process.json``; ``scripts/mutation_scores.py`` reads
them in place of mutmut's for those mutants.
"""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
import time
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

MUTANTS = Path("mutants")
RESULTS = MUTANTS / "fresh-process.json"
TIMEOUT_S = 900
# the functions of the modules in scope that run while the package is imported
IMPORT_TIME = [
    "microgradnn.core.node.x_node_maker__mutmut_*",         # Scalar's and Tensor's constructors
    "microgradnn.tensor.apply.x_bind__mutmut_*",             # bind(Tensor)
    "microgradnn.tensor.apply.xǁOpǁ__post_init____mutmut_*",  # the op table's entries
    "microgradnn.core.modes.xǁ_Departuresǁ__init____mutmut_*",
    "microgradnn.tensor.versions.xǁNewestǁ__init____mutmut_*",
    "microgradnn.core.copying.xǁ_Planǁ__init____mutmut_*",   # thread-local: the main thread's
]
QUICK = ["tests/core/test_core_sweep_semantics.py", "tests/test_scalar_op_contract.py",
         "tests/tensor/test_tensor_rule_contract.py"]


def all_mutants() -> list[str]:
    names: list[str] = []
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        names += json.loads(meta.read_text())["exit_code_by_key"]
    return names


def mutmut_codes() -> dict[str, int | None]:
    codes: dict[str, int | None] = {}
    for meta in sorted(MUTANTS.rglob("*.py.meta")):
        codes.update(json.loads(meta.read_text())["exit_code_by_key"])
    return codes


def selection() -> list[str]:
    config = tomllib.loads(Path("pyproject.toml").read_text())["tool"]["mutmut"]
    return list(config["pytest_add_cli_args_test_selection"])


def run(name: str, tests: list[str]) -> int:
    """pytest's exit code with the mutant on from the first import (1: a test failed)."""
    env = dict(os.environ, MUTANT_UNDER_TEST=name, OMP_NUM_THREADS="1")
    cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p",
           "no:randomly"]
    for stage in (QUICK, tests):
        try:
            done = subprocess.run([*cmd, *stage], cwd=MUTANTS, env=env, capture_output=True,
                                  timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return 36  # mutmut's code for a timeout
        if done.returncode != 0:
            return done.returncode
    return 0


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(__doc__)
    known = all_mutants()
    if not known:
        sys.exit("mutation_fresh: no mutants/ results; run `make mutation` first")
    if argv == ["--import-time"]:
        killed = {n for n, c in mutmut_codes().items() if c in (1, 3, 37)}
        done = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        argv = [n for n in known if n not in killed and n not in done
                and any(fnmatch.fnmatchcase(n, pat) for pat in IMPORT_TIME)]
        if not argv:
            print("mutation_fresh: every import-time mutant is killed or already re-tested")
            return
    names = [n for n in known if any(fnmatch.fnmatchcase(n, pat) for pat in argv)]
    missing = [p for p in argv if not any(fnmatch.fnmatchcase(n, p) for n in known)]
    if missing:
        sys.exit(f"mutation_fresh: no mutant matches {', '.join(missing)}; "
                 "expected names as `mutmut results` prints them, or globs of them")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    tests = selection()
    for name in names:
        start = time.monotonic()
        code = run(name, tests)
        # a failing test (1) or a package that no longer imports or collects (2, 4): killed
        verdict = "killed" if code in (1, 2, 3, 4) else "survived" if code == 0 else "timeout"
        results[name] = 1 if verdict == "killed" else 0 if verdict == "survived" else 36
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True))
        print(f"{verdict:9} {name}  ({time.monotonic() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
