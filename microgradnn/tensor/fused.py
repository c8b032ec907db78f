"""Fused backward ops: the VJPs of sigmoid and softplus as one op-table entry each, with
their own VJPs (as PyTorch's ``sigmoid_backward`` and ``softplus_backward``).

Only ``create_graph=True`` records them (:mod:`~microgradnn.tensor.higher`): σ's VJP
g·s(1 − s) evaluated op by op on Tensors is three nodes and three full-size temporaries,
each differentiated again; as one entry it is one node, computed by the first-order kernel,
whose own VJPs are one or two array expressions. The first-order sweep never meets these
entries: it calls :func:`~.kernels.sigmoid_vjp` and :func:`~.kernels.softplus_vjp` on arrays
as before.

    sigmoid_backward(g, s) = g·s(1 − s)      (s = σ(a), the sigmoid's output)
        ∂/∂g: h·s(1 − s) = sigmoid_backward(h, s)      ∂/∂s: h·g·(1 − 2s)
    softplus_backward(g, x) = g·σ(x)         (x, the softplus's input)
        ∂/∂g: h·σ(x) = softplus_backward(h, x)         ∂/∂x: h·g·σ(x)(1 − σ(x))
                                                              = sigmoid_backward(h·g, σ(x))

Each ∂/∂g is the op itself, so every further order stays one node per VJP.

The matrix product's VJPs, g @ bᵀ and aᵀ @ g, are one op each too: on Tensors bᵀ and aᵀ
would each be a transpose node of their own.

    matmul_nt(a, b) = a @ bᵀ    ∂/∂a: h @ b                 ∂/∂b: hᵀ @ a = matmul_tn(h, a)
    matmul_tn(a, b) = aᵀ @ b    ∂/∂a: b @ hᵀ = matmul_nt(b, h)    ∂/∂b: a @ h
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import kernels
from .apply import Binary, binary, is_tensor

__all__ = ["MATMUL_NT", "MATMUL_TN", "SIGMOID_BACKWARD", "SOFTPLUS_BACKWARD", "matmul_nt",
           "matmul_tn", "sigmoid_backward", "softplus_backward"]

_ndarray = np.ndarray


def _apply(op: Binary, a: Any, b: Any) -> Any:
    """``op`` on a and b: a Tensor node when either is a Tensor, its forward on arrays
    otherwise (each public function below is this, for its entry)."""
    if is_tensor(a) or is_tensor(b):
        return binary(op, a, b)
    return op.forward(a, b)


def _same_array(g: Any, like: np.ndarray) -> bool:
    """Whether g is an array of ``like``'s shape and dtype: the first-order kernels' in-place
    path (the same floats as the first-order sweep) takes it; anything else broadcasts."""
    return g.__class__ is _ndarray and g.shape == like.shape and g.dtype == like.dtype


def _sigmoid_backward(g: Any, s: Any) -> Any:
    """g·s(1 − s) on arrays."""
    if _same_array(g, s):
        return kernels.sigmoid_vjp(g, s)
    return g * (s * (1.0 - s))


def sigmoid_backward(g: Any, s: Any) -> Any:
    """g·s(1 − s), σ's VJP from its output s = σ(a), as one op: a Tensor node when g or s is
    a Tensor, an array otherwise. ∂/∂g = h·s(1 − s) (this op), ∂/∂s = h·g·(1 − 2s)."""
    return _apply(SIGMOID_BACKWARD, g, s)


def _sigmoid_backward_vjp_g(h: Any, ans: Any, g: Any, s: Any) -> Any:
    """∂/∂g: h·s(1 − s), the op again."""
    return sigmoid_backward(h, s)


def _sigmoid_backward_vjp_s(h: Any, ans: Any, g: Any, s: Any) -> Any:
    """∂/∂s: h·g·(1 − 2s); on arrays of one shape in place on one temporary."""
    if s.__class__ is _ndarray and _same_array(g, s) and _same_array(h, s):
        d = s * -2.0
        d += 1.0
        d *= g
        d *= h
        return d
    return h * g * (1.0 - 2.0 * s)


def _softplus_backward(g: Any, x: Any) -> Any:
    """g·σ(x) on arrays."""
    if _same_array(g, x):
        return kernels.softplus_vjp(g, None, x)
    return g * kernels.sigmoid(x)


def softplus_backward(g: Any, x: Any) -> Any:
    """g·σ(x), softplus's VJP from its input x, as one op: a Tensor node when g or x is a
    Tensor, an array otherwise. ∂/∂g = h·σ(x) (this op), ∂/∂x = h·g·σ(x)(1 − σ(x))."""
    return _apply(SOFTPLUS_BACKWARD, g, x)


def _softplus_backward_vjp_g(h: Any, ans: Any, g: Any, x: Any) -> Any:
    """∂/∂g: h·σ(x), the op again."""
    return softplus_backward(h, x)


def _softplus_backward_vjp_x(h: Any, ans: Any, g: Any, x: Any) -> Any:
    """∂/∂x: h·g·σ'(x) = sigmoid_backward(h·g, σ(x))."""
    return sigmoid_backward(h * g, x.sigmoid() if is_tensor(x) else kernels.sigmoid(x))


# what each VJP reads, for the version check: ∂/∂g reads s (or x), ∂/∂s (∂/∂x) g and s (x)
SIGMOID_BACKWARD = Binary("sigmoid_backward", _sigmoid_backward,
                          (_sigmoid_backward_vjp_g, _sigmoid_backward_vjp_s), ("y", "x y"))
SOFTPLUS_BACKWARD = Binary("softplus_backward", _softplus_backward,
                           (_softplus_backward_vjp_g, _softplus_backward_vjp_x), ("y", "x y"))


def _matmul(a: Any, b: Any) -> Any:
    """a @ b for 2-D operands: a Tensor op when either is a Tensor, the kernel on arrays."""
    if is_tensor(a) or is_tensor(b):
        return a @ b
    return kernels.mm(a, b)


def matmul_nt(a: Any, b: Any) -> Any:
    """a @ bᵀ for 2-D a, b as one op (no transpose node for bᵀ): a Tensor node when a or b
    is a Tensor, an array otherwise. ∂/∂a = h @ b, ∂/∂b = hᵀ @ a = matmul_tn(h, a)."""
    return _apply(MATMUL_NT, a, b)


def matmul_tn(a: Any, b: Any) -> Any:
    """aᵀ @ b for 2-D a, b as one op (no transpose node for aᵀ): a Tensor node when a or b
    is a Tensor, an array otherwise. ∂/∂a = b @ hᵀ = matmul_nt(b, h), ∂/∂b = a @ h."""
    return _apply(MATMUL_TN, a, b)


MATMUL_NT = Binary("matmul_nt", lambda a, b: kernels.mm(a, b.T),
                   (lambda h, ans, a, b: _matmul(h, b), lambda h, ans, a, b: matmul_tn(h, a)),
                   ("y", "x"))
MATMUL_TN = Binary("matmul_tn", lambda a, b: kernels.mm(a.T, b),
                   (lambda h, ans, a, b: matmul_nt(b, h), lambda h, ans, a, b: _matmul(a, h)),
                   ("y", "x"))
