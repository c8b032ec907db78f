"""Grading a learner's nnCostFunction: an .m file through GNU Octave, a NumPy function.

Workload: the bank's correct vectorised ``nnCostFunction.m`` (all nine cases and the
convention probes in ONE ``octave-cli`` process, Octave's start included) and the bank's
correct NumPy port (convention detection and the nine cases), each graded end to end by
``mg.nn.grade``; best of 5 interleaved rounds. Peer, for scale: a bare ``octave-cli`` start that
evaluates ``1`` with the same flags — most of an .m grading is Octave starting. Also the
command a learner runs, ``microgradnn grade nnCostFunction.m``, as a new process (Python's
start and imports included).

    python benchmarks/bench_grade.py         # prints a table; exit 1 if a target is missed
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from timing import best

from microgradnn.nn import grade
from microgradnn.nn.grader.octave import FLAGS, octave_executable

OCTAVE_TARGET = 2.0  # seconds, one .m file, every case, Octave's start included
NUMPY_TARGET = 0.3  # seconds, one NumPy function, every case

BANK = Path(__file__).resolve().parents[1] / "tests" / "grade_bank"


def main() -> int:
    exe = octave_executable()
    if exe is None:
        print("octave-cli is not on PATH: install GNU Octave (apt-get install octave)")
        return 1
    m_file = str(BANK / "octave" / "correct_vectorised" / "nnCostFunction.m")
    numpy_target = str(BANK / "python" / "conventions.py:numpy_style")
    assert grade(m_file).ok and grade(numpy_target).ok  # warm: imports, references

    def bare_octave() -> None:
        subprocess.run([exe, *FLAGS, "--eval", "1"], capture_output=True, check=True)

    command = Path(sys.executable).with_name("microgradnn")

    def cli() -> None:  # what a learner waits for: a new process, imports and all
        subprocess.run([str(command), "grade", m_file], capture_output=True, check=True)

    def imports() -> None:  # the new process's share before any grading
        subprocess.run([sys.executable, "-c", "import microgradnn.nn.grader, scipy.io"],
                       check=True)

    times = best({"octave": lambda: grade(m_file), "start": bare_octave,
                  "numpy": lambda: grade(numpy_target), "cli": cli, "imports": imports},
                 5)  # interleaved rounds
    octave, start, numpy, wall = times["octave"], times["start"], times["numpy"], times["cli"]
    rows = [
        (".m file graded (Octave)", octave, f"< {OCTAVE_TARGET:g} s", octave < OCTAVE_TARGET),
        ("  of which octave-cli start", start, f"{start / octave:.0%} of it", True),
        ("NumPy function graded", numpy, f"< {NUMPY_TARGET:g} s", numpy < NUMPY_TARGET),
        ("`microgradnn grade x.m`, new process", wall, f"< {OCTAVE_TARGET:g} s",
         wall < OCTAVE_TARGET),
        ("  of which Python start and imports", times["imports"],
         f"{times['imports'] / wall:.0%} of it", True),
    ]
    print(f"{'what':38}{'seconds':>10}  target")
    for name, seconds, target, ok in rows:
        print(f"{name:38}{seconds:10.3f}  {target}{'' if ok else '  MISSED'}")
    return 0 if all(ok for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
