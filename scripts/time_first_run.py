"""Time `make demo` as a new user meets it: a fresh clone, a fresh environment.

    python3 scripts/time_first_run.py [--cold-cache] [--rev HEAD]

Clones the repository at REV into a temporary folder and times three runs of `make demo`:
the first (creates .venv, installs, runs the demo), a second (must reinstall nothing), and
one after touching pyproject.toml (must reinstall the package). For each it prints the
seconds until each `==>` step line, and the CPU seconds the run used, which depend less on
how busy a shared machine is than the wall clock. --cold-cache gives pip an empty cache
folder, so every wheel is downloaded, as on a machine that never ran pip.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_make(clone: Path, env: dict[str, str], title: str) -> float:
    """Run `make demo` in clone, printing the time of each step line; return the total."""
    print(f"\n{title}")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(["make", "demo"], cwd=clone, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    first_demo_line = None
    for line in proc.stdout:
        now = time.perf_counter() - start
        if line.startswith("==>"):
            print(f"  {now:6.1f} s  {line.rstrip()}")
        elif first_demo_line is None and line.startswith("The lecture's network"):
            first_demo_line = now
            print(f"  {now:6.1f} s  (the demo's first line)")
    code = proc.wait()
    total = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"  {total:6.1f} s  done, exit {code}; {cpu:.1f} CPU seconds")
    if code != 0:
        sys.exit(f"make demo failed with exit status {code}")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold-cache", action="store_true",
                        help="an empty pip cache: download every wheel")
    parser.add_argument("--rev", default="HEAD", help="the commit to clone (default HEAD)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="microgradnn-first-run-") as tmp:
        clone = Path(tmp) / "microgradnn"
        subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)],
                       check=True)
        subprocess.run(["git", "checkout", "--quiet", args.rev], cwd=clone, check=True)
        env = dict(os.environ)
        if args.cold_cache:
            env["PIP_CACHE_DIR"] = str(Path(tmp) / "pip-cache")
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        timed_make(clone, env, "first run (fresh clone)")
        timed_make(clone, env, "second run")
        (clone / "pyproject.toml").touch()
        timed_make(clone, env, "after touching pyproject.toml")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
