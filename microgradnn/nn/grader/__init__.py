"""Grading a learner's own backprop: ``grade(target)`` runs their ``nnCostFunction`` (a
Python function, ``"file.py:function"`` or an ``.m`` file in GNU Octave) on the course's
check cases and compares J and every D^(l) with autodiff; when it is wrong it names the
first wrong Θ entry, the step of the δ recurrence to look at, and the likely mistake.

Modules: :mod:`.cases` (the cases and their references), :mod:`.conventions` (unrolling
order and label base), :mod:`.runner` and :mod:`.octave` (running the learner's code),
:mod:`.evaluate` (judging one call), :mod:`.mistakes` and :mod:`.diagnose` (the catalogue),
:mod:`.localise` (δ read back), :mod:`.report` (``GradeReport``), :mod:`.grading`.
"""

from __future__ import annotations

from .conventions import Convention
from .diagnose import Finding
from .evaluate import CaseResult
from .grading import grade
from .report import GradeReport
from .runner import GradeUsageError

__all__ = ["CaseResult", "Convention", "Finding", "GradeReport", "GradeUsageError", "grade"]
