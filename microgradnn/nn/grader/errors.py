"""What stops grading: the user's arguments (exit 2) or the learner's code not running (3)."""

from __future__ import annotations

__all__ = ["GradeUsageError", "RunFailure"]


class GradeUsageError(ValueError):
    """The target cannot be graded as given (exit status 2): one line says why."""


class RunFailure(Exception):
    """The learner's code could not be run at all (exit status 3), with a finding code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
