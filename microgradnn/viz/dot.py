"""Running Graphviz's ``dot``: every layout goes through :func:`run_dot`, with a timeout.

:func:`run_dot` has a timeout (``DOT_TIMEOUT`` seconds unless the caller says otherwise)
that ends in :class:`LayoutTimeout`, a clear message instead of an open-ended hang; bitmap
formats get ``dpi`` (192 by default: sharp on a slide or a high-density screen); without
the ``dot`` executable it raises :class:`GraphvizNotFound`, which says how to install it.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import graphviz

__all__ = ["DEFAULT_DPI", "DOT_TIMEOUT", "INSTALL_HELP", "GraphvizNotFound", "LayoutTimeout",
           "check_dpi", "run_dot"]

DEFAULT_DPI = 192.0  # PNG/JPG pixels per inch: twice Graphviz's 96, sharp on a slide
DOT_TIMEOUT = 60.0  # seconds one `dot` run may take before LayoutTimeout
BITMAPS = frozenset({"png", "jpg"})

INSTALL_HELP = (
    "Graphviz's `dot` executable was not found on PATH, so this drawing cannot be rendered "
    "(its DOT text is still available as `.source`). Install Graphviz with one of:\n"
    "    sudo apt-get install graphviz            # Debian, Ubuntu\n"
    "    brew install graphviz                    # macOS\n"
    "    conda install -c conda-forge graphviz    # conda\n"
    "then check that `dot -V` works in the same environment (the Python package `graphviz` "
    "alone is not enough)."
)


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's ``dot`` executable and it is not on PATH."""

    def __init__(self, args: Any = None) -> None:
        RuntimeError.__init__(self, INSTALL_HELP)


class LayoutTimeout(RuntimeError):
    """Graphviz's ``dot`` did not finish within the drawing's timeout."""


def check_dpi(dpi: object) -> float:
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not 10 <= dpi <= 1200:
        raise ValueError(f"render: dpi must be a number in 10..1200 (pixels per inch), "
                         f"got {dpi!r}")
    return float(dpi)


def run_dot(source: str, fmt: str, *, timeout: float | None = DOT_TIMEOUT,
            dpi: float = DEFAULT_DPI) -> bytes:
    """``dot -T<fmt>`` on ``source``; the output as bytes. Bitmaps get ``-Gdpi=<dpi>``.

    Raises :class:`GraphvizNotFound` without ``dot`` and :class:`LayoutTimeout` when the
    layout takes longer than ``timeout`` seconds (``None``: wait as long as it takes)."""
    exe = shutil.which("dot")
    if exe is None:
        raise GraphvizNotFound()
    args = [exe, f"-T{fmt}"]
    if fmt in BITMAPS:
        args.append(f"-Gdpi={check_dpi(dpi):g}")
    try:
        done = subprocess.run(args, input=source.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        nodes = source.count(" [label=")
        raise LayoutTimeout(
            f"Graphviz's dot did not lay out this drawing (about {nodes:,} nodes) within "
            f"{timeout:g} s, so it was stopped. Draw less: a network's Scalar graph with "
            "collapse='layer' (one node per layer), a network built with the Tensor engine "
            "(one node per matrix), or a smaller expression; or set the drawing's timeout "
            "(drawing.timeout = None waits as long as it takes).") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"dot -T{fmt} failed (exit {done.returncode}): "
                           f"{message[-1] if message else 'no message'}")
    return done.stdout
