"""``Network.autodiff``'s engines: the same averaged, regularised J differentiated by the
Tensor engine (:mod:`.tensor_engine`) or the Scalar engine (:mod:`.scalar_engine`)."""

from __future__ import annotations

import numpy as np

from .backprop import Backprop, Layers

__all__ = ["ENGINES", "autodiff"]

ENGINES = ("tensor", "scalar")


def autodiff(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float = 0.0,
             activation: str = "sigmoid", engine: str = "tensor") -> Backprop:
    """δ^(l) (per example), D^(l) and J by reverse-mode autodiff of the averaged J."""
    if engine == "scalar":
        from .scalar_engine import scalar_autodiff

        return scalar_autodiff(Theta, X, Y, lam, activation)
    if engine == "tensor":
        from .tensor_engine import tensor_autodiff

        return tensor_autodiff(Theta, X, Y, lam, activation)
    raise ValueError(f"autodiff: engine must be one of {ENGINES}, got {engine!r}")
