"""Shared fixtures and hypothesis profiles.

The PyTorch oracle is a hard requirement of the test suite (the `test` extra installs it):
a missing torch is an error, never a skip.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
