"""Running an ``nnCostFunction.m`` in GNU Octave: every call in ONE ``octave-cli`` process.

The calls' inputs go to Octave in an ``.mat`` file (scipy.io), a small driver script calls the
learner's function on each inside ``try``/``catch`` and saves J, grad and any error message
(with the learner's line number) to another ``.mat`` file. The learner's folder is on
Octave's path, so their own ``sigmoid.m``, ``sigmoidGradient.m`` and other helpers are used;
a standard helper is supplied (last on the path) only where theirs is missing. The driver
also calls their ``sigmoidGradient`` on the course's check values, as evidence.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .runner import Call, GradeUsageError, Outcome, RunFailure

__all__ = ["FLAGS", "INSTALL_HINT", "OctaveRunner", "octave_executable"]

FLAGS = ("--no-gui", "--quiet", "--no-history", "--no-init-file", "--no-site-file")
INSTALL_HINT = ("GNU Octave is needed to run .m files and octave-cli is not on PATH; install "
                "it: `sudo apt-get install --no-install-recommends octave` (Debian/Ubuntu), "
                "`brew install octave` (macOS), `conda install -c conda-forge octave`, or the "
                "Windows installer from https://octave.org/download")
SIGMOID_CHECK = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])  # the course's sigmoidGradient check

STANDARD_HELPERS = {
    "sigmoid": "function g = sigmoid(z)\n  g = 1.0 ./ (1.0 + exp(-z));\nend\n",
    "sigmoidGradient": "function g = sigmoidGradient(z)\n"
                       "  g = sigmoid(z) .* (1 - sigmoid(z));\nend\n",
}

DRIVER = r"""
load('in.mat');
n = numel(P); J = cell(1, n); G = cell(1, n); ERR = cell(1, n); LINE = zeros(1, n);
for k = 1:n
  ERR{k} = '';
  try
    [Jk, Gk] = feval(FNAME, P{k}, S(k, 1), S(k, 2), S(k, 3), X{k}, Y{k}, LAM(k));
    J{k} = Jk; G{k} = Gk;
  catch e
    ERR{k} = e.message;
    for s = 1:numel(e.stack)
      if strcmp(e.stack(s).name, FNAME), LINE(k) = e.stack(s).line; break; end
    end
  end
end
SG = []; SGERR = '';
try, SG = sigmoidGradient(SGX); catch e, SGERR = e.message; end
save('-v6', 'out.mat', 'J', 'G', 'ERR', 'LINE', 'SG', 'SGERR');
"""


def octave_executable() -> str | None:
    return shutil.which("octave-cli")


class OctaveRunner:
    """The .m file at ``path``: its function (named after the file) run by octave-cli."""

    language = "octave"

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path.resolve()
        self.label = path.name
        self.timeout = timeout
        self.function = path.stem
        text = _read(path)
        if not re.search(rf"^\s*function\b[^\n]*\b{re.escape(self.function)}\s*\(", text,
                         re.MULTILINE):
            raise GradeUsageError(f"grade: {path} does not define function {self.function}(...)"
                                  f"; expected `function [J grad] = {self.function}(nn_params, "
                                  "input_layer_size, hidden_layer_size, num_labels, X, y, "
                                  "lambda)`")
        folder = self.path.parent
        calls = set(re.findall(r"\b(sigmoid|sigmoidGradient)\s*\(", text))
        if "sigmoidGradient" in calls:
            calls.add("sigmoid")  # the standard sigmoidGradient calls sigmoid
        self.helpers_supplied = tuple(sorted(h for h in calls
                                             if not (folder / f"{h}.m").is_file()))
        self.sigmoid_gradient: np.ndarray | None = None
        self.sigmoid_gradient_error = ""
        self.seconds = 0.0

    def run(self, calls: Sequence[Call]) -> list[Outcome]:
        import scipy.io

        exe = octave_executable()
        if exe is None:
            raise RunFailure("octave-missing", INSTALL_HINT)
        with tempfile.TemporaryDirectory(prefix="microgradnn-grade-") as scratch:
            work = Path(scratch)
            std = work / "standard"
            std.mkdir()
            for name in ("sigmoid", "sigmoidGradient"):  # last on the path: theirs come first
                (std / f"{name}.m").write_text(STANDARD_HELPERS[name])
            scipy.io.savemat(work / "in.mat", _inputs(calls, self.function))
            script = (f"addpath('{_quote(std)}', '-end'); addpath('{_quote(self.path.parent)}');"
                      + DRIVER)
            (work / "driver.m").write_text(script)
            start = time.perf_counter()
            try:
                done = subprocess.run([exe, *FLAGS, "driver.m"], cwd=work, capture_output=True,
                                      text=True, timeout=self.timeout, stdin=subprocess.DEVNULL)
            except subprocess.TimeoutExpired:
                raise RunFailure("timeout", f"{self.label} did not finish within "
                                 f"{self.timeout:g} s in Octave (an endless loop?)") from None
            self.seconds = time.perf_counter() - start
            out = work / "out.mat"
            if not out.is_file():
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                raise RunFailure("octave-error", f"Octave stopped before any result (exit "
                                 f"{done.returncode}): {' '.join(tail) or 'no message'}")
            result = scipy.io.loadmat(out, squeeze_me=False)
        return self._outcomes(result, len(calls))

    def _outcomes(self, r: dict[str, Any], n: int) -> list[Outcome]:
        sg = np.asarray(r["SG"], dtype=np.complex128).ravel()
        self.sigmoid_gradient = sg.real if sg.size and not np.any(sg.imag) else None
        self.sigmoid_gradient_error = _text(r["SGERR"])
        outcomes = []
        for k in range(n):
            error = " ".join(_text(r["ERR"][0, k]).split())  # a parse error spans lines
            if error:
                line = int(r["LINE"][0, k]) or _parse_line(error)
                outcomes.append(Outcome(error=error, line=line))
            else:
                outcomes.append(Outcome(values=(_value(r["J"][0, k]), _value(r["G"][0, k]))))
        return outcomes


def _inputs(calls: Sequence[Call], function: str) -> dict[str, Any]:
    def cell(items: list[np.ndarray]) -> np.ndarray:
        c = np.empty((1, len(items)), dtype=object)
        for k, item in enumerate(items):
            c[0, k] = item
        return c

    return {
        "FNAME": function,
        "P": cell([conv.params(case).reshape(-1, 1) for case, conv in calls]),
        "X": cell([case.X for case, _ in calls]),
        "Y": cell([conv.y_for(case).astype(np.float64) for case, conv in calls]),
        "S": np.array([case.sizes for case, _ in calls], dtype=np.float64),
        "LAM": np.array([case.lam for case, _ in calls], dtype=np.float64),
        "SGX": SIGMOID_CHECK.reshape(1, -1),
    }


def _value(v: Any) -> Any:
    """J or grad as returned: a 1×1 becomes a scalar, a matrix stays a matrix."""
    a = np.asarray(v)
    if a.dtype.kind in "US" or a.dtype == object:
        return a
    return a.item() if a.size == 1 and a.ndim <= 2 and a.shape in ((1, 1), ()) else a


def _text(v: Any) -> str:
    a = np.asarray(v)
    if a.size == 0:
        return ""
    return str(a.ravel()[0]) if a.dtype.kind in "US" else str(a)


def _parse_line(message: str) -> int | None:
    found = re.search(r"near line (\d+)", message)
    return int(found.group(1)) if found else None


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise GradeUsageError(f"grade: cannot read {path}: {error.strerror}") from None
