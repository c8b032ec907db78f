"""A bare engine for the small step, to see what microgradnn's Tensor layer costs.

The same core as microgradnn (its node constructor, topological order, sweep and leaves'
gradients) and the same NumPy calls as its op table, but each op of bench_tensor.py's step (b)
is a function written for that op alone, whose rule is a closure over what its VJPs need: no
op table, no generic wrapper, no operand coercion, no shape, dtype or version checks, and
``X @ W1`` called as a function (no NumPy ``__array_ufunc__`` override). Only for measuring
(count_bytecodes.py): it is right for this step's shapes and nothing else.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.special import expit

import microgradnn as mg
from microgradnn.core import node_maker
from microgradnn.tensor import kernels

make = node_maker(mg.Tensor, requires_grad=True)


def matmul_constant(x: np.ndarray, w: Any) -> Any:
    return make(x.dot(w.data), "matmul", (w,), None, lambda n, g, p, s: (x.T.dot(g),), None)


def matmul(a: Any, b: Any) -> Any:
    x, y = a.data, b.data
    return make(x.dot(y), "matmul", (a, b), None,
                lambda n, g, p, s: (g.dot(y.T), x.T.dot(g)), None)


def add_bias(a: Any, b: Any) -> Any:
    ones = kernels.ones(a.data.shape[0], a.data.dtype)  # (cached, as the engine's)
    return make(a.data + b.data, "+", (a, b), None, lambda n, g, p, s: (g, ones.dot(g)), None)


def sigmoid(a: Any) -> Any:
    out = expit(a.data)
    return make(out, "sigmoid", (a,), None,
                lambda n, g, p, s: (kernels.sigmoid_vjp(g, out),), None)


def softplus(a: Any) -> Any:
    x = a.data
    return make(kernels.softplus(x), "softplus", (a,), None,
                lambda n, g, p, s: (kernels.softplus_vjp(g, None, x),), None)


def total(a: Any) -> Any:
    x = a.data
    return make(np.asarray(x.sum()), "sum", (a,), None,
                lambda n, g, p, s: (kernels.spread(g, x.shape, x.size),), None)


def times_constant(c: np.ndarray, a: Any) -> Any:
    return make(c * a.data, "*", (a,), None, lambda n, g, p, s: (c * g,), None)


def minus(a: Any, b: Any) -> Any:
    return make(np.asarray(a.data[()] - b.data[()]), "-", (a, b), None,
                lambda n, g, p, s: (g, -g), None)


def over(a: Any, c: float) -> Any:
    return make(np.asarray(a.data[()] / c), "/", (a,), None, lambda n, g, p, s: (g / c,), None)


def small_bare(X: np.ndarray, Y: np.ndarray, params: list[Any]) -> tuple[Any, list[Any]]:
    """bench_tensor.py's small step with these ops (params: Tensors that require grad)."""
    W1, b1, W2, b2 = params
    z2 = add_bias(matmul_constant(X, W1), b1)
    z3 = add_bias(matmul(sigmoid(z2), W2), b2)
    J = over(minus(total(softplus(z3)), total(times_constant(Y, z3))), X.shape[0])
    for p in params:
        p.zero_grad()
    J.backward()
    return J, [p.grad for p in params]
