"""The course's neural network and the modules built around it.

``Network`` (the course's Θ^(l), forward propagation, J, backprop, autodiff, compare, fit),
``debug_weights``, ``lecture_network()``, ``check_gradients()``; and for library users
``Linear``, ``Sequential``, ``MLP``, activations and ``functional`` losses.
"""

from __future__ import annotations

from .backprop import Backprop, Forward, sigmoid_gradient
from .compare import Comparison
from .course import check_gradients, lecture_network
from .graph import ScalarGraph
from .init import debug_weights, random_weights
from .network import Network
from .train import History

__all__ = [
    "Backprop",
    "Comparison",
    "Forward",
    "History",
    "Network",
    "ScalarGraph",
    "check_gradients",
    "debug_weights",
    "lecture_network",
    "random_weights",
    "sigmoid_gradient",
]


def __getattr__(name: str) -> object:
    """The Tensor-based parts load on first use (they import the Tensor engine)."""
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name == "functional":
        return importlib.import_module(".functional", __name__)
    if name in ("grade", "GradeReport"):  # from the grader package, on first use
        value = getattr(importlib.import_module(".grader", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'microgradnn.nn' has no attribute {name!r}")


_LAZY = {name: "modules" for name in ("Linear", "MLP", "Module", "ReLU", "Sequential",
                                      "Sigmoid", "Tanh")}
__all__ += [*_LAZY, "GradeReport", "functional", "grade"]
