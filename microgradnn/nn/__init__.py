"""The course's neural network and the modules built around it.

``Network`` (the course's Θ^(l), forward propagation, J, backprop, autodiff, compare, fit),
``debug_weights``, ``lecture_network()``, ``check_gradients()``; and for library users
``Linear``, ``Sequential``, ``MLP``, activations and ``functional`` losses.
"""

# ruff: noqa: F401  (the type-checking imports are re-exported through __all__, computed
# from _LAZY below, so ruff cannot see that they are used)
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # at run time every name loads on first use (see __getattr__)
    from .backprop import Backprop, Forward, sigmoid_gradient
    from .compare import Comparison
    from .course import check_gradients, lecture_network
    from .grader import GradeReport, grade
    from .init import debug_weights, random_weights
    from .network import Network
    from .scalar_engine import ScalarGraph
    from .train import History



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
              "lecture_network": "course", "ScalarGraph": "scalar_engine", "debug_weights": "init",
              "random_weights": "init", "Network": "network", "History": "train",
              "grade": "grader", "GradeReport": "grader"})
# the public names: everything in the table (one list, not written twice)
__all__ = sorted([*_LAZY, "functional"])
