"""Running the learner's function: what a run returns, and the Python runner.

A runner takes a list of calls (a :class:`~.cases.Case` in a
:class:`~.conventions.Convention`) and returns one :class:`Outcome` per call. What stops the
whole run (a timeout, Octave missing, a file that cannot be loaded) is a :class:`RunFailure`
with a finding code; bad arguments from the user are a :class:`GradeUsageError`.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .cases import Case
from .conventions import Convention
from .errors import GradeUsageError, RunFailure

__all__ = ["Call", "GradeUsageError", "Outcome", "PythonRunner", "RunFailure", "load_python"]

Call = tuple[Case, Convention]


@dataclass
class Outcome:
    """What one call returned: ``values`` (the outputs, as given) or ``error`` (the message,
    with ``line`` in the learner's file when known); ``mutated`` when the function changed
    the ``nn_params`` it was given."""

    values: tuple[Any, ...] | None = None
    error: str | None = None
    line: int | None = None
    mutated: bool = False


SIGNATURE = ("nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda")


class PythonRunner:
    """Calls a Python function with the course's seven arguments, each call on fresh copies."""

    language = "python"
    helpers_supplied: tuple[str, ...] = ()

    def __init__(self, function: Callable[..., Any], label: str, timeout: float) -> None:
        self.function = function
        self.label = label
        self.timeout = timeout

    def run(self, calls: Sequence[Call]) -> list[Outcome]:
        results: list[Outcome] = []

        def work() -> None:
            for case, convention in calls:
                results.append(self._one(case, convention))

        thread = threading.Thread(target=work, daemon=True, name="grade")
        thread.start()
        thread.join(self.timeout)
        if thread.is_alive():
            raise RunFailure("timeout", f"{self.label} did not return within {self.timeout:g} s "
                             "(an endless loop?)")
        return results

    def _one(self, case: Case, convention: Convention) -> Outcome:
        params = convention.params(case)
        given = params.copy()
        s1, s2, K = case.sizes
        try:
            out = self.function(given, s1, s2, K, case.X.copy(), convention.y_for(case),
                                case.lam)
        except Exception as error:  # the learner's bug, reported as a finding
            return Outcome(error=f"{type(error).__name__}: {error}",
                           line=_line(error, _source(self.function)))
        values = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        return Outcome(values=values, mutated=not np.array_equal(given, params))


def _source(function: Callable[..., Any]) -> str | None:
    code = getattr(function, "__code__", None)
    return code.co_filename if code is not None else None


def _line(error: BaseException, source: str | None) -> int | None:
    """The line where ``error`` was raised: the innermost frame in the learner's own file
    (``source``), else the innermost frame outside this package."""
    tb = error.__traceback__
    mine = other = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name == source:
            mine = tb.tb_lineno
        elif "microgradnn" not in name:
            other = tb.tb_lineno
        tb = tb.tb_next
    return mine if mine is not None else other


def load_python(target: Any) -> tuple[Callable[..., Any], str]:
    """A callable, or "file.py:function" loaded from that file; checked for 7 arguments."""
    if isinstance(target, str):
        path_text, sep, name = target.rpartition(":")
        if not sep or not path_text.endswith(".py") or not name.isidentifier():
            raise GradeUsageError(f"grade: {target!r} is not 'file.py:function' or an .m file")
        path = Path(path_text)
        if not path.is_file():
            what = "is a directory" if path.is_dir() else "does not exist"
            raise GradeUsageError(f"grade: {path_text} {what}; expected a Python file")
        module = _import(path)
        if not hasattr(module, name):
            raise GradeUsageError(f"grade: {path_text} defines no {name!r}")
        function, label = getattr(module, name), f"{path.name}:{name}"
    else:
        function, label = target, getattr(target, "__name__", type(target).__name__)
    if not callable(function):
        raise GradeUsageError(f"grade: {label} is a {type(function).__name__}, not a function "
                              f"({SIGNATURE}) -> (J, grad)")
    try:
        inspect.signature(function).bind(*range(7))
    except TypeError:
        raise GradeUsageError(f"grade: {label} does not take the course's 7 arguments "
                              f"({SIGNATURE})") from None
    except ValueError:  # pragma: no cover - a builtin without a signature: try it
        pass
    return function, label


def _import(path: Path) -> Any:
    name = f"_microgradnn_learner_{abs(hash(path.resolve()))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py path always has one
        raise GradeUsageError(f"grade: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(path.parent.resolve()))  # the learner's own helper modules
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise RunFailure("python-error", f"{path.name} fails on import: "
                         f"{type(error).__name__}: {error}") from None
    finally:
        sys.path.pop(0)
    return module
