"""How much memory a network of given sizes needs, and how much the machine has: so the
command line can refuse a check or a training run that could never fit, with the number,
instead of dying with a MemoryError after minutes.

The estimate counts float64 arrays: about a dozen the size of all weights together (Θ, the
unrolled vector, the gradients of each method, central differences' copy, the comparison's
differences) and about ten per unit and example (a, z, δ, g'(z) of each method). It is
meant to be right within a factor of two, which is enough to tell 80 GB from 8 MB.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from .params import shapes

__all__ = ["available_bytes", "estimate_bytes", "human_bytes", "weight_count"]

ARRAYS_PER_WEIGHT = 12
ARRAYS_PER_UNIT_AND_EXAMPLE = 10
_FLOAT = 8  # bytes of a float64


def weight_count(sizes: Sequence[int]) -> int:
    """Σ_l s_{l+1} (s_l + 1): every entry of every Θ^(l), bias weights included."""
    return sum(rows * cols for rows, cols in shapes(tuple(sizes)).values())


def estimate_bytes(sizes: Sequence[int], m: int) -> int:
    """Roughly the peak memory of checking or training a network of ``sizes`` on m examples."""
    units = sum(sizes) + len(sizes)  # bias units too
    return _FLOAT * (ARRAYS_PER_WEIGHT * weight_count(sizes)
                     + ARRAYS_PER_UNIT_AND_EXAMPLE * m * units)


def available_bytes() -> int | None:
    """Memory available to a new allocation now (Linux's MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def human_bytes(n: float) -> str:
    """1536 → '1.5 KB', 8e10 → '80 GB' (powers of 1000, as memory sizes are quoted)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.3g} {unit}"
        n /= 1000
    raise AssertionError("unreachable")  # pragma: no cover
