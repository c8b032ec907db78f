"""Shared fixtures and the hypothesis settings.

The PyTorch oracle is a hard requirement of the test suite (the `test` extra installs it):
a missing torch is an error, never a skip.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

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
