"""Checking gradients: central differences, gradcheck, and the course's relative difference.

``numerical_gradient`` is the one implementation of central differences in the library;
``gradcheck``, ``Network.compare`` and the tests all call it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .autodiff import Node, grad, no_grad

__all__ = ["GradcheckError", "gradcheck", "numerical_gradient", "relative_difference"]


class GradcheckError(AssertionError):
    """Numerical and analytical gradients disagree; the message says for which input."""


def numerical_gradient(f: Callable[[np.ndarray], Any], array: Any, eps: float = 1e-4, *,
                       progress: bool = False) -> np.ndarray:
    """∂f/∂array by central differences: (f(x + ε e_i) − f(x − ε e_i)) / 2ε for every i.

    ``f`` takes an array shaped like ``array`` and returns a number. ``array`` itself is
    not modified; ``f`` receives a float64 copy that is perturbed one entry at a time.
    ``progress=True`` shows a progress bar (two calls of ``f`` per entry add up).
    """
    if not eps > 0:
        raise ValueError(f"numerical_gradient: eps must be positive, got {eps}")
    x = np.array(array, dtype=np.float64)
    flat = x.reshape(-1)  # a view: perturbing flat perturbs x
    out = np.empty(flat.size, dtype=np.float64)
    entries: Any = range(flat.size)
    if progress:
        from tqdm import tqdm

        entries = tqdm(entries, desc="central differences", unit="entry", leave=False)
    for i in entries:
        original = flat[i]
        flat[i] = original + eps
        plus = float(f(x))
        flat[i] = original - eps
        minus = float(f(x))
        flat[i] = original
        out[i] = (plus - minus) / (2.0 * eps)
    return out.reshape(x.shape)


def relative_difference(a: Any, b: Any) -> float:
    """norm(a − b) / norm(a + b), the course's gradient-check measure (0 when both are 0)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"relative_difference: shapes {a.shape} and {b.shape} differ")
    denominator = np.linalg.norm(a + b)
    numerator = np.linalg.norm(a - b)
    if denominator == 0.0:
        return 0.0 if numerator == 0.0 else float("inf")
    return float(numerator / denominator)


def _put(node: Node, value: np.ndarray, like: Any) -> None:
    node.data = value.astype(like.dtype) if isinstance(like, np.ndarray) else float(value)


def gradcheck(
    f: Callable[..., Node],
    inputs: Node | Sequence[Node],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    *,
    seed: int = 0,
) -> bool:
    """Check ``f``'s analytical gradients against central differences; True or raise.

    ``f(*inputs)`` builds a graph from the input nodes. An output with several elements
    is reduced to a number with a fixed random vector v (checking the product vᵀJ). An
    input fails when |numerical − analytical| > atol + rtol·|numerical| anywhere;
    :class:`GradcheckError` then names the input and shows both gradients.
    """
    nodes = (inputs,) if isinstance(inputs, Node) else tuple(inputs)
    for i, node in enumerate(nodes):
        if not isinstance(node, Node):
            raise TypeError(f"gradcheck: input {i} is a {type(node).__name__}, expected a node")
    output = f(*nodes)
    if not isinstance(output, Node):
        raise TypeError(f"gradcheck: f returned {type(output).__name__}, expected a node")
    shape = np.shape(output.data)
    v = np.random.default_rng(seed).standard_normal(shape) if shape else np.float64(1.0)
    seed_grad = v if shape else None
    analytical = grad(output, nodes, seed_grad, allow_unused=True)

    for i, node in enumerate(nodes):
        original = node.data

        def projected(x: np.ndarray, node: Node = node, original: Any = original) -> float:
            _put(node, x, original)
            with no_grad():
                value = f(*nodes).data
            return float(np.sum(v * np.asarray(value, dtype=np.float64)))

        try:
            numerical = numerical_gradient(projected, original, eps)
        finally:
            node.data = original
        got = np.zeros_like(numerical) if analytical[i] is None else np.asarray(
            analytical[i], dtype=np.float64)
        if got.shape != numerical.shape:
            raise GradcheckError(f"gradcheck: input {i} ({node.label()}): analytical gradient "
                                 f"has shape {got.shape}, expected {numerical.shape}")
        if not np.allclose(got, numerical, rtol=rtol, atol=atol):
            worst = float(np.max(np.abs(got - numerical)))
            raise GradcheckError(
                f"gradcheck: input {i} ({node.label()}) — numerical and analytical gradients "
                f"differ (max |difference| {worst:.3g}, atol={atol}, rtol={rtol})\n"
                f"numerical:\n{numerical}\nanalytical:\n{got}"
            )
    return True
