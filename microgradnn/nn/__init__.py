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
