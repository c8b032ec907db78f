"""Timing on a shared, noisy machine: the candidates run in interleaved rounds.

A round measures every candidate once, one after another, so a spell of load falls on all of
them alike; over the rounds each candidate keeps its best (or a ratio takes the median of
the ratios within a round). Every bench_*.py uses this module; run as scripts, they find it
beside them on sys.path.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TypeVar

K = TypeVar("K")
R = TypeVar("R")


def rounds(measures: Mapping[K, Callable[[], R]], repeat: int) -> dict[K, list[R]]:
    """What each measure returns in each of ``repeat`` rounds, in round order; a round calls
    every measure once, in the mapping's order."""
    results: dict[K, list[R]] = {name: [] for name in measures}
    for _ in range(repeat):
        for name, measure in measures.items():
            results[name].append(measure())
    return results


def clock(fn: Callable[[], object], number: int = 1) -> Callable[[], float]:
    """A measure of ``fn``: its seconds per call over ``number`` calls. Each result is kept
    until the next call returns, as a training loop keeps its last loss; the last one is
    dropped once the clock has stopped."""

    def measure() -> float:
        last = None
        start = time.perf_counter()
        for _ in range(number):
            last = fn()
        seconds = (time.perf_counter() - start) / number
        del last
        return seconds

    return measure


def best(fns: Mapping[K, Callable[[], object]], repeat: int, *, warmup: bool = False
         ) -> dict[K, float]:
    """Each function's best time of one call over ``repeat`` interleaved rounds (after one
    untimed call of each, when ``warmup``)."""
    if warmup:
        for fn in fns.values():
            fn()
    times = rounds({name: clock(fn) for name, fn in fns.items()}, repeat)
    return {name: min(seconds) for name, seconds in times.items()}


def best_time(fn: Callable[[], object], repeat: int, *, warmup: bool = False) -> float:
    """:func:`best` of one function alone."""
    return best({"fn": fn}, repeat, warmup=warmup)["fn"]
