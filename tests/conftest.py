"""Shared fixtures and the hypothesis settings.

The PyTorch oracle is a hard requirement of the test suite (the `test` extra installs it):
a missing torch is an error, never a skip.

The tests live in folders that mirror the package (core/, tensor/, nn/, viz/, app/; the
top-level modules' and the project's own tests here); the helpers they share are in
support/, which this file puts on the import path.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))

settings.register_profile(
    "default",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("default")


def _blobs(m: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three Gaussian blobs in the plane: m examples, labels 0, 1, 2 in turn."""
    rng = np.random.default_rng(seed)
    y = np.arange(m) % 3
    centres = np.array([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
    return centres[y] + rng.normal(scale=0.6, size=(m, 2)), y


@pytest.fixture
def blobs() -> Callable[..., tuple[np.ndarray, np.ndarray]]:
    """The toy classification data of the nn tests: ``X, y = blobs(m)``."""
    return _blobs


ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Site:
    """One strict MkDocs build: where it wrote the site, and what its hook ran."""

    dir: Path
    runs: dict[str, Any] = field(default_factory=dict)  # page -> the hook's PageRun
    error: str | None = None  # why the build failed, with the warnings it logged


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """`mkdocs build --strict`, run as its command line runs it, but in this process so
    that the page tests can read the hook's runs; built once for test_docs.py and
    test_docs_site.py."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    built = Site(tmp_path_factory.mktemp("docs") / "site")
    warnings = _Warnings()
    logging.getLogger("mkdocs").addHandler(warnings)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        # the hook sets MPLBACKEND when it is unset; put it back afterwards
        mp.setenv("MPLBACKEND", os.environ.get("MPLBACKEND", "Agg"))
        try:
            cfg = load_config(str(ROOT / "mkdocs.yml"), strict=True, site_dir=str(built.dir))
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build(cfg)
            finally:
                cfg.plugins.on_shutdown()
                built.runs = dict(cfg["hooks"]["docs/hooks.py"]._RUNS)
        except Exception as exc:  # reported by test_mkdocs_build_strict
            built.error = "\n".join([f"{type(exc).__name__}: {exc}", *warnings.messages])
        finally:
            logging.getLogger("mkdocs").removeHandler(warnings)
    return built
