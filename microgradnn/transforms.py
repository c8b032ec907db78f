"""Functional transforms in the spirit of ``torch.autograd.functional`` and JAX: jacobian,
hessian, hvp, vjp and jvp of a function of Scalars or Tensors, built on ``grad`` (with
``create_graph=True`` for the second-order ones).

Inputs are values: a Tensor, a NumPy array or a number (each becomes a fresh Tensor leaf
that requires grad), a Scalar (a fresh Scalar leaf), or a tuple of those (then ``f`` takes
them as separate arguments and results come as tuples, as PyTorch's do). ``f`` returns one
node. Results are NumPy arrays shaped as PyTorch returns them: a Jacobian has the output's
shape then the input's, a Hessian the input's shape twice. ``jvp`` is reverse mode twice
(the double-VJP trick): ``J v = ∂(uᵀJ v)/∂u``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .core import Node, grad
from .scalar import Scalar
from .tensor import Tensor

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vjp"]

Fn = Callable[..., Node]


def _leaf(x: Any) -> Node:
    if isinstance(x, Scalar):
        return Scalar(x.data, name=x.name)
    if isinstance(x, Tensor):
        return Tensor(x.data, requires_grad=True, name=x.name)
    return Tensor(np.asarray(x, dtype=np.float64), requires_grad=True)


def _prepare(f: Fn, inputs: Any, what: str) -> tuple[bool, tuple[Node, ...], Node]:
    """(whether inputs were a tuple, fresh leaves, f's output on them)."""
    many = isinstance(inputs, tuple | list)
    leaves = tuple(_leaf(x) for x in inputs) if many else (_leaf(inputs),)
    out = f(*leaves)
    if not isinstance(out, Node):
        raise TypeError(f"{what}: f returned {type(out).__name__}, expected a Scalar or Tensor")
    return many, leaves, out


def _array(g: Any, like: Node) -> np.ndarray:
    """A gradient (a value or a node; None for an unused input) as an array shaped like."""
    if g is None:
        return np.zeros(np.shape(like.data))
    return np.array(g.data if isinstance(g, Node) else g, dtype=np.float64)


def _basis(shape: tuple[int, ...]) -> Any:
    """One-hot seeds e_k of ``shape``, k in C order (a 1.0 for a 0-d shape)."""
    for k in range(int(np.prod(shape))):
        e = np.zeros(shape)
        e.reshape(-1)[k] = 1.0
        yield e if shape else 1.0


def _rows(out: Node, leaves: tuple[Node, ...]) -> list[np.ndarray]:
    """Per leaf, ∂out/∂leaf with out's shape then the leaf's (one reverse sweep per entry
    of out)."""
    shape = np.shape(out.data)
    rows: list[list[np.ndarray]] = [[] for _ in leaves]
    for e in _basis(shape):
        for i, g in enumerate(grad(out, leaves, e, allow_unused=True)):
            rows[i].append(_array(g, leaves[i]))
    return [np.stack(r).reshape(shape + np.shape(x.data)) for r, x in zip(rows, leaves)]


def jacobian(f: Fn, inputs: Any) -> Any:
    """∂f/∂inputs: shape ``out.shape + input.shape``, a tuple for tuple inputs."""
    many, leaves, out = _prepare(f, inputs, "jacobian")
    rows = _rows(out, leaves)
    return tuple(rows) if many else rows[0]


def vjp(f: Fn, inputs: Any, v: Any = None) -> tuple[np.ndarray, Any]:
    """(f(inputs), vᵀ ∂f/∂inputs); ``v`` may be omitted for a one-element output."""
    many, leaves, out = _prepare(f, inputs, "vjp")
    grads = grad(out, leaves, v, allow_unused=True)
    result = tuple(_array(g, x) for g, x in zip(grads, leaves))
    return np.array(out.data), result if many else result[0]


def _depends(g: Any) -> bool:
    """Whether a gradient from create_graph is a node with a graph (not a constant: the
    gradient of a function linear in its inputs)."""
    return isinstance(g, Node) and not g.is_leaf and getattr(g, "requires_grad", True)


def _dot(gs: tuple[Any, ...], vs: tuple[Any, ...]) -> Node:
    """Σ_i Σ g_i · v_i as one node, over the gradients that are nodes with a graph."""
    total: Any = None
    for g, v in zip(gs, vs):
        if _depends(g):
            gv: Any = g  # a Scalar or a Tensor
            term = gv * v if isinstance(g, Scalar) else (gv * np.asarray(v, dtype=np.float64)).sum()
            total = term if total is None else total + term
    return total


def _vectors(v: Any, many: bool, leaves: tuple[Node, ...], what: str) -> tuple[Any, ...]:
    vs = tuple(v) if many else (v,)
    if len(vs) != len(leaves):
        raise ValueError(f"{what}: {len(vs)} vectors for {len(leaves)} inputs; expected one "
                         "per input")
    for i, (u, x) in enumerate(zip(vs, leaves)):
        u = u.data if isinstance(u, Node) else u
        if np.shape(u) != np.shape(x.data):
            raise ValueError(f"{what}: v for input {i} has shape {np.shape(u)}, expected the "
                             f"input's shape {np.shape(x.data)}")
    return tuple(u.data if isinstance(u, Node) else u for u in vs)


def jvp(f: Fn, inputs: Any, v: Any) -> tuple[np.ndarray, Any]:
    """(f(inputs), ∂f/∂inputs · v), by reverse mode twice: J v = ∂(uᵀJ v)/∂u at any u."""
    many, leaves, out = _prepare(f, inputs, "jvp")
    vs = _vectors(v, many, leaves, "jvp")
    u = Scalar(0.0) if isinstance(out, Scalar) else Tensor(
        np.zeros(np.shape(out.data)), requires_grad=True)
    total = _dot(grad(out, leaves, u, create_graph=True, allow_unused=True), vs)
    value = np.array(out.data)
    if total is None:  # f does not depend on its inputs
        return value, np.zeros(value.shape)
    (jv,) = grad(total, [u], allow_unused=True)
    return value, _array(jv, u)


def hvp(f: Fn, inputs: Any, v: Any) -> tuple[np.ndarray, Any]:
    """(f(inputs), H v) for a function with one output element; H v = ∂(∇f · v)/∂inputs."""
    many, leaves, out = _prepare(f, inputs, "hvp")
    vs = _vectors(v, many, leaves, "hvp")
    total = _dot(grad(out, leaves, create_graph=True, allow_unused=True), vs)
    second = (None,) * len(leaves) if total is None else grad(total, leaves,
                                                              allow_unused=True)
    result = tuple(_array(h, x) for h, x in zip(second, leaves))
    return np.array(out.data), result if many else result[0]


def hessian(f: Fn, inputs: Any) -> Any:
    """∂²f/∂inputs² for a function with one output element: shape ``input.shape * 2``; for
    tuple inputs a tuple of tuples, ``H[i][j]`` of shape ``inputs[i].shape +
    inputs[j].shape`` (as PyTorch)."""
    many, leaves, out = _prepare(f, inputs, "hessian")
    if np.size(out.data) != 1:
        raise ValueError(f"hessian: f's output has shape {np.shape(out.data)}; expected one "
                         "element (use jacobian of the gradient for more)")
    grads = grad(out, leaves, create_graph=True, allow_unused=True)
    blocks = []
    for g, x in zip(grads, leaves):
        if _depends(g):
            rows = _rows(g, leaves)
        else:  # a gradient that is constant: its derivative is zero
            rows = [np.zeros(np.shape(x.data) + np.shape(y.data)) for y in leaves]
        blocks.append(tuple(rows))
    return tuple(blocks) if many else blocks[0][0]
