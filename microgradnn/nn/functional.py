"""Losses and activations on Tensors, for library users (PyTorch's names where they exist).

Every loss is written from the logits where it has any, so no ε is needed and a saturated
output still gives a finite loss with the exact gradient (e.g. σ(z) − y for BCE).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, where
from ._validate import as_numbers, one_hot

__all__ = [
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "mse_loss",
    "relu",
    "sigmoid",
    "softmax_cross_entropy",
    "tanh",
]

_REDUCTIONS = ("mean", "sum", "none")


def sigmoid(x: Tensor) -> Tensor:
    """σ(x) elementwise."""
    return _tensor(x).sigmoid()


def tanh(x: Tensor) -> Tensor:
    """tanh(x) elementwise."""
    return _tensor(x).tanh()


def relu(x: Tensor) -> Tensor:
    """max(0, x) elementwise."""
    return _tensor(x).relu()


def _tensor(x: Any) -> Tensor:
    if isinstance(x, Tensor):
        return x
    return Tensor(np.asarray(x, dtype=np.float64))


def _reduce(loss: Tensor, reduction: str, fn: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{fn}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _target(target: Any, shape: tuple[int, ...], fn: str) -> np.ndarray:
    t = as_numbers(target.data if isinstance(target, Tensor) else target, "target", fn,
                 f"numbers of shape {shape}")
    if t.shape != shape:
        raise ValueError(f"{fn}: target has shape {t.shape} but input has shape {shape}; "
                         "expected the same")
    return t


def binary_cross_entropy_with_logits(input: Tensor, target: Any, reduction: str = "mean"
                                     ) -> Tensor:
    """−[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y·z, elementwise, then reduced
    (mean over all elements by default); ∂/∂z = σ(z) − y per element before reduction."""
    z = _tensor(input)
    y = _target(target, z.shape, "binary_cross_entropy_with_logits")
    return _reduce(z.softplus() - y * z, reduction, "binary_cross_entropy_with_logits")


def cross_entropy(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy −log softmax(z)_y for logits z of shape (m, K) and targets as
    class indices 0..K−1 of shape (m,) or as probabilities of shape (m, K); mean over the m
    examples by default. ∂/∂z = softmax(z) − onehot(y) per example."""
    fn = "cross_entropy"
    z = _tensor(input)
    if z.ndim != 2:
        raise ValueError(f"{fn}: input has shape {z.shape}; expected logits of shape (m, K)")
    m, K = z.shape
    t = target.data if isinstance(target, Tensor) else target
    # class indices (y = k becomes the unit vector e_k) or probabilities
    Y = one_hot(t, K, fn, "target") if np.shape(t) == (m,) else _target(t, (m, K), fn)
    # only the classes with weight enter: a logit of −inf where y = 0 must add 0, not −inf·0
    picked = where(Y != 0.0, z.log_softmax(axis=1), 0.0)
    per_example = -(picked * Y).sum(axis=1)
    return _reduce(per_example, reduction, fn)


softmax_cross_entropy = cross_entropy


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """(x − y)² elementwise, then reduced (mean over all elements by default);
    ∂/∂x = 2(x − y) per element before reduction."""
    x = _tensor(input)
    y = _target(target, x.shape, "mse_loss")
    return _reduce((x - y) ** 2, reduction, "mse_loss")
