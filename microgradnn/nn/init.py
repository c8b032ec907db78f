"""Initial weights the way the course makes them.

* :func:`debug_weights` — the course's ``debugInitializeWeights``: a fixed, non-symmetric
  matrix W = sin(1..numel(W))/10 filled column by column (MATLAB order), so that a gradient
  check gives the same numbers on every machine;
* :func:`random_weights` — the course's ``randInitializeWeights``: uniform on
  [−ε_init, ε_init] to break symmetry, with ε_init = 0.12 or the "glorot" choice
  ε_init = √6/√(L_in + L_out).
"""

from __future__ import annotations

import numpy as np

from .validation import integer

__all__ = ["GLOROT", "debug_weights", "init_epsilon", "random_weights"]

GLOROT = "glorot"


def debug_weights(fan_out: int, fan_in: int) -> np.ndarray:
    """The course's debug weights: shape fan_out × (1 + fan_in), W = sin(1..numel)/10.

    The values run down the columns first (MATLAB's column-major ``reshape``), so
    ``debug_weights(3, 2)[:, 0]`` is sin(1), sin(2), sin(3) over 10.
    """
    rows = integer(fan_out, "fan_out", "debug_weights")
    cols = 1 + integer(fan_in, "fan_in", "debug_weights", minimum=0)
    return np.sin(np.arange(1, rows * cols + 1, dtype=np.float64)).reshape(
        (rows, cols), order="F") / 10.0


def init_epsilon(fan_in: int, fan_out: int, epsilon: float | str = 0.12) -> float:
    """ε_init: a number as given, or "glorot" for √6/√(L_in + L_out)."""
    if isinstance(epsilon, str):
        if epsilon != GLOROT:
            raise ValueError(f"epsilon must be a positive number or {GLOROT!r}, got {epsilon!r}")
        return float(np.sqrt(6.0) / np.sqrt(fan_in + fan_out))
    if isinstance(epsilon, bool) or not np.isfinite(epsilon) or epsilon <= 0:
        raise ValueError(f"epsilon must be a positive number or {GLOROT!r}, got {epsilon!r}")
    return float(epsilon)


def random_weights(fan_out: int, fan_in: int, epsilon: float | str = 0.12,
                   rng: np.random.Generator | int | None = None) -> np.ndarray:
    """Θ of shape fan_out × (1 + fan_in), uniform on [−ε_init, ε_init] (bias column too).

    ``rng`` is a NumPy Generator or a seed; the same seed gives the same weights.
    """
    rows = integer(fan_out, "fan_out", "random_weights")
    cols = 1 + integer(fan_in, "fan_in", "random_weights", minimum=0)
    eps = init_epsilon(cols - 1, rows, epsilon)
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    return gen.uniform(-eps, eps, size=(rows, cols))
