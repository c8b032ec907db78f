"""Each Scalar op's local derivatives as expressions of nodes, for ``create_graph=True``.

The forward ops in :mod:`microgradnn.scalar` store their local derivatives ∂out/∂input as
floats (the fast first-order path). Differentiating a gradient again needs the same
derivatives as functions of the inputs: this module states them, one entry per op whose
derivative is not a constant, written with Scalar ops so that they record their own graph.
A derivative that is a constant (``+``, ``-``, ``neg``, ``a * c``, ``a / c``, ``relu``,
``abs``, ``sum``) is the stored float itself. tests/test_higher_scalar.py checks, for every
op of the shared op table, that each expression's value equals the stored float: the two
definitions cannot drift apart.

Where one op name has two forms, the forward leaves a mark in the unary node's free ``_db``
slot: ``c / a`` marks ``"c/a"``, ``a ** n`` the exponent ``n``; ``Scalar.dot`` with numbers
among its operands stores each input's partner (its derivative) there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["local_derivatives"]

# op -> (node, input, stored ∂out/∂input, mark) -> ∂out/∂input as a node (or a float)
_Unary = Callable[[Any, Any, float, Any], Any]


def _pow_unary(out: Any, a: Any, d: float, mark: Any) -> Any:
    if mark is None:  # c ** a: ∂/∂a = c^a · ln c = out · (d / out), ln c a constant
        return out * (d / out.data) if out.data else d
    n = float(mark)  # a ** n: ∂/∂a = n · a^(n-1)
    if n == 0.0 or (a.data == 0.0 and n < 1.0):
        return d  # 0, or the unbounded slope at 0: no expression to differentiate
    if n == 1.0:
        return 1.0
    return n * a ** (n - 1.0)


_UNARY: dict[str, _Unary] = {
    "exp": lambda out, a, d, mark: out,                           # exp(a)
    "log": lambda out, a, d, mark: 1.0 / a,                       # 1/a
    "sqrt": lambda out, a, d, mark: 0.5 / out if out.data else d,  # 1/(2√a)
    "tanh": lambda out, a, d, mark: 1.0 - out * out,              # 1 - tanh²
    "sigmoid": lambda out, a, d, mark: out * (1.0 - out),         # σ(1 - σ)
    "/": lambda out, a, d, mark: -out / a if mark == "c/a" else d,  # c/a: -c/a²; a/c: 1/c
    "**": _pow_unary,
}


def _pow_binary(out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """a ** b: (b · a^(b-1), a^b · ln a); at a = 0 the stored values (no expression)."""
    if a.data == 0.0:
        return out._da, out._db
    return b * a ** (b - 1.0), out * a.log()


_BINARY: dict[str, Callable[[Any, Any, Any], tuple[Any, Any]]] = {
    "*": lambda out, a, b: (b, a),
    "/": lambda out, a, b: (1.0 / b, -out / b),
    "**": _pow_binary,
}


def local_derivatives(node: Any) -> tuple[Any, ...]:
    """∂node/∂parent for each parent of ``node``, in order, as Scalars or constant floats."""
    a, b = node._a, node._b
    if a.__class__ is tuple:
        if node.op != "dot":
            return tuple(node._da)  # sum: every derivative is 1
        if node._db is not None:  # dot with numbers among the operands: partners stored
            return tuple(node._db)
        n = len(a) // 2  # every operand a node: (w..., x...[, bias])
        return (*a[n:2 * n], *a[:n], *((1.0,) if len(a) % 2 else ()))
    if b is None:
        rule = _UNARY.get(node.op)
        return (node._da if rule is None else rule(node, a, node._da, node._db),)
    pair = _BINARY.get(node.op)
    return (node._da, node._db) if pair is None else pair(node, a, b)
