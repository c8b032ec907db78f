"""Two shorthands the Tensor contract tests share: a leaf that requires grad, and the text
of a raised error."""

from __future__ import annotations

import pytest

import microgradnn as mg


def T(values: object, name: str | None = None, dtype: object = None) -> mg.Tensor:
    return mg.Tensor(values, requires_grad=True, name=name, dtype=dtype)


def message(excinfo: pytest.ExceptionInfo) -> str:
    return str(excinfo.value)
