"""The course's neural network and the modules built around it.

``Network`` (the course's Θ^(l), forward propagation, J, backprop, autodiff, compare, fit),
``debug_weights``, ``lecture_network()``, ``check_gradients()``; and for library users
``Linear``, ``Sequential``, ``MLP``, activations and ``functional`` losses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # at run time every name loads on first use (see __getattr__)
    from .backprop import Backprop, Forward, sigmoid_gradient
    from .compare import Comparison
    from .course import check_gradients, lecture_network
    from .grader import GradeReport, grade
    from .graph import ScalarGraph
    from .init import debug_weights, random_weights
    from .network import Network
    from .train import History

__all__ = [
    "Backprop",
    "Comparison",
    "Forward",
    "GradeReport",
    "History",
    "Network",
    "ScalarGraph",
    "check_gradients",
    "debug_weights",
    "grade",
    "lecture_network",
    "random_weights",
    "sigmoid_gradient",
]


def __getattr__(name: str) -> object:
    """Every name loads on first use: ``import microgradnn.nn.notation`` (which the
    drawings need) must not pay for NumPy's and SciPy's engines behind the rest."""
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name == "functional":
        return importlib.import_module(".functional", __name__)
    raise AttributeError(f"module 'microgradnn.nn' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, the lazily loaded ones included."""
    return sorted(__all__)


_LAZY = {name: "modules" for name in ("Linear", "MLP", "Module", "ReLU", "Sequential",
                                      "Sigmoid", "Tanh")}
_LAZY.update({"Backprop": "backprop", "Forward": "backprop", "sigmoid_gradient": "backprop",
              "Comparison": "compare", "check_gradients": "course",
              "lecture_network": "course", "ScalarGraph": "graph", "debug_weights": "init",
              "random_weights": "init", "Network": "network", "History": "train",
              "grade": "grader", "GradeReport": "grader"})
__all__ += [name for name in _LAZY if name not in __all__] + ["functional"]
