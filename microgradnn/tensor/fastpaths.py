"""The switch of the Tensor engine's fast paths, for the tests that pin them.

A fast path computes what the general path computes with less Python work per op: an
ndarray on the left of ``@`` or ``*`` goes straight to the op table instead of through
Tensor's reflected operator, Tensor-and-Tensor and Tensor-and-float-array operands skip the
general operand coercion, an arithmetic op on two 0-d operands runs on NumPy scalars (NumPy's
ufunc machinery costs about 1 µs on 0-d arrays; +, −, ×, ÷ are correctly rounded either way),
a backward step skips ``unbroadcast`` when the shapes already agree. Each is taken only where
it provably cannot change the result; ``tests/tensor/test_fast_paths.py`` runs random
programs both ways and asserts bit-identical values and gradients.

:func:`general_path` turns every fast path off for the block (not thread-safe, not a public
API: the tests use it; docs/developers.md describes it). The hot paths read one attribute,
``switch.fast``, per op.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["general_path", "switch"]


class Switch:
    """``fast``: whether ops may take their fast paths (True except inside general_path)."""

    __slots__ = ("fast",)

    def __init__(self) -> None:
        self.fast = True


switch = Switch()


@contextmanager
def general_path() -> Iterator[None]:
    """Run the block with every fast path off: each op through the general wrapper."""
    was = switch.fast
    switch.fast = False
    try:
        yield
    finally:
        switch.fast = was
