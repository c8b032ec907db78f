"""mg.Function examples the tests share: DESIGN.md's Cube, written once."""

from __future__ import annotations

from typing import Any

import microgradnn as mg


class Cube(mg.Function):
    """x³ with its own backward 3x²·g, written with node ops (so it differentiates twice)."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        (x,) = ctx.saved_tensors
        return 3 * x * x * g
