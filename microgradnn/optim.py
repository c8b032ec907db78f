"""Optimisers that update nodes in place from their ``grad`` (PyTorch's update rules).

``opt = SGD(model.parameters(), lr=0.1, momentum=0.9)``; each step: ``opt.zero_grad()``,
``loss.backward()``, ``opt.step()``. A parameter whose ``grad`` is ``None`` is skipped.
A step changes the parameters in place (``p -= update`` with grad mode off), which bumps their
version: a graph built before the step can no longer be backpropagated through an op that
saved them.
"""

from __future__ import annotations

import abc
import math
import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from .autodiff import no_grad
from .tensor import Tensor

__all__ = ["SGD", "Adam", "Optimizer"]


class Optimizer(abc.ABC):
    """Holds the parameters (nodes with float array data) and the learning rate."""

    def __init__(self, params: Iterable[Tensor], lr: float) -> None:
        self.params = list(params)
        name = type(self).__name__
        if not self.params:
            raise ValueError(f"{name}: got an empty parameter list; expected at least one node")
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{name}: parameter {i} is {type(p).__name__}; expected a "
                                "Tensor holding a float array")
        self.lr = _number(lr, name, "lr", "a positive number", lambda v: v > 0)
        self.state: dict[int, dict[str, Any]] = {i: {} for i in range(len(self.params))}

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Set every parameter's grad back to None (PyTorch's default), or, with
        ``set_to_none=False``, fill the gradient arrays with zeros in place."""
        for p in self.params:
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad.fill(0)

    def step(self) -> None:
        """Update every parameter that has a grad (in place: each one's version goes up)."""
        with no_grad():
            for i, p in enumerate(self.params):
                if p.grad is None:
                    continue
                g = np.asarray(p.grad, dtype=p.data.dtype)
                if g.shape != p.data.shape:
                    raise ValueError(f"{type(self).__name__}.step: parameter {i} ({p.label()}) "
                                     f"has shape {p.data.shape} but its grad has shape {g.shape}")
                p -= self._update(g, self.state[i])  # Tensor's in-place op: bumps _version

    @abc.abstractmethod
    def _update(self, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        """The step for one parameter from its gradient; every optimiser defines it."""


def _number(value: Any, owner: str, name: str, expected: str,
            ok: Callable[[float], bool]) -> float:
    """A hyperparameter as a float, or a ValueError naming it (strings such as "0.1", bools,
    NaN and inf are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
            not math.isfinite(value) or not ok(float(value)):
        raise ValueError(f"{owner}: {name} must be {expected}, got {value!r}")
    return float(value)


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum μ (PyTorch's form):
    v ← μ v + g (v = g at the first step), θ ← θ − lr·v."""

    def __init__(self, params: Iterable[Tensor], lr: float = 0.01, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = _number(momentum, "SGD", "momentum", "a number in [0, 1)",
                                lambda v: 0.0 <= v < 1.0)

    def _update(self, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        if self.momentum:
            v = state.get("v")
            state["v"] = v = g.copy() if v is None else self.momentum * v + g
            return self.lr * v
        return self.lr * g


class Adam(Optimizer):
    """Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂/(√v̂ + ε) with the
    bias corrections m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)."""

    def __init__(self, params: Iterable[Tensor], lr: float = 0.001,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        if isinstance(betas, str) or not isinstance(betas, Sequence) or len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (β₁, β₂) of numbers in [0, 1), "
                             f"got {betas!r}")
        self.betas = (_number(betas[0], "Adam", "betas[0] (β₁)", "a number in [0, 1)",
                              lambda v: 0.0 <= v < 1.0),
                      _number(betas[1], "Adam", "betas[1] (β₂)", "a number in [0, 1)",
                              lambda v: 0.0 <= v < 1.0))
        self.eps = _number(eps, "Adam", "eps", "a positive number", lambda v: v > 0)

    def _update(self, g: np.ndarray, state: dict[str, Any]) -> np.ndarray:
        b1, b2 = self.betas
        t = state["t"] = state.get("t", 0) + 1
        m = state["m"] = b1 * state.get("m", 0.0) + (1.0 - b1) * g
        v = state["v"] = b2 * state.get("v", 0.0) + (1.0 - b2) * g * g
        m_hat = m / (1.0 - b1**t)
        v_hat = v / (1.0 - b2**t)
        return self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
