"""``mg.Function``: a custom op with its own backward, for Scalars and Tensors (PyTorch's
``torch.autograd.Function``).

``forward(ctx, *inputs)`` gets raw values (floats for Scalars, arrays for Tensors) and
returns one; ``backward(ctx, *grads)`` gets ∂root/∂out as a node and returns one gradient per
input (``None`` for one that needs none). ``ctx.save_for_backward(...)`` keeps values, and
``ctx.saved_tensors`` gives them back in ``backward`` as nodes: an input or the output itself
as that node, anything else as a constant node. So a backward written with node ops
(operators, methods, NumPy functions on Tensors) serves both passes: the first-order sweep
runs it under ``no_grad`` and takes the values; ``create_graph=True`` runs it recording a
graph, which is differentiated again.

``Fn.apply(*inputs)`` makes one node whose ``op`` is the class's name, swept like any op.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .core import Node, enable_grad, is_grad_enabled, no_grad, node_maker
from .scalar import Scalar
from .tensor import Tensor

__all__ = ["Function", "FunctionCtx"]

_MAKERS = {Scalar: node_maker(Scalar), Tensor: node_maker(Tensor, requires_grad=True)}


class FunctionCtx:
    """What ``forward`` leaves for ``backward``: ``save_for_backward(*values)`` and
    ``saved_tensors``, ``needs_input_grad`` (per input), and any attribute you set."""

    def __init__(self, needs_input_grad: tuple[bool, ...]) -> None:
        self.needs_input_grad = needs_input_grad
        self._saved: tuple[Any, ...] = ()
        self._as_nodes: Any = None  # set for each backward: raw value -> node

    def save_for_backward(self, *values: Any) -> None:
        self._saved = values

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The saved values as nodes (inputs and the output as themselves in a
        create_graph pass); raw values while ``forward`` runs."""
        if self._as_nodes is None:
            return self._saved
        return tuple(self._as_nodes(v) for v in self._saved)


class Function:
    """Subclass with static ``forward(ctx, *inputs)`` and ``backward(ctx, *grads)``; call
    ``Fn.apply(*inputs)``. ``apply`` says which of the two a subclass lacks."""

    @classmethod
    def _method(cls, name: str, signature: str) -> Callable[..., Any]:
        method = getattr(cls, name, None)
        if not callable(method):
            raise TypeError(f"{cls.__name__}.apply: {cls.__name__} must define a static "
                            f"method {name}{signature}")
        return method

    @classmethod
    def apply(cls, *inputs: Any) -> Any:
        forward = cls._method("forward", "(ctx, *inputs)")
        backward = cls._method("backward", "(ctx, *grads)")  # missing: said now, not mid-sweep
        kinds = {type(x) for x in inputs if isinstance(x, Node)}
        if len(kinds) != 1 or not kinds <= set(_MAKERS):
            raise TypeError(f"{cls.__name__}.apply: expected Scalars or Tensors among the "
                            "inputs (one kind, not both), got "
                            f"{', '.join(type(x).__name__ for x in inputs)}")
        (kind,) = kinds
        needs = tuple(isinstance(x, Node) and getattr(x, "requires_grad", True)
                      for x in inputs)
        ctx = FunctionCtx(needs)
        raw = [x.data if isinstance(x, Node) else x for x in inputs]
        with no_grad():
            data = forward(ctx, *raw)
        data = float(data) if kind is Scalar else Tensor(data).data
        parents = tuple(x for x, need in zip(inputs, needs) if need)
        make = _MAKERS[kind]
        if not parents or not is_grad_enabled():
            return make(data, cls.__name__, None)
        at = tuple(i for i, need in enumerate(needs) if need)
        rule = _Rule(cls, backward, ctx, at, raw)
        return make(data, cls.__name__, parents, None, rule.run, ctx)


class _Rule:
    """The backward of one ``Fn.apply`` node, for the core's sweep (``run``) and for
    ``create_graph`` (``graph_vjp``)."""

    def __init__(self, fn: type[Function], backward: Callable[..., Any], ctx: FunctionCtx,
                 at: tuple[int, ...], raw: Sequence[Any]) -> None:
        self.fn, self.backward, self.ctx, self.at, self.raw = fn, backward, ctx, at, raw

    def _grads(self, node: Any, g: Any, as_node: Any) -> list[Any]:
        """backward's results for the inputs that are parents, as nodes or None."""
        self.ctx._as_nodes = as_node
        try:
            grads = self.backward(self.ctx, g)
        finally:
            self.ctx._as_nodes = None
        if not isinstance(grads, tuple):
            grads = (grads,)
        if len(grads) != len(self.raw):
            raise ValueError(f"{self.fn.__name__}.backward returned {len(grads)} gradients "
                             f"for {len(self.raw)} inputs; expected one per input (None for "
                             "an input that needs none)")
        return [grads[i] for i in self.at]

    def run(self, node: Any, g: Any, parents: tuple, saved: Any) -> list[Any]:
        """First order: backward on constant nodes under no_grad; its values."""
        with no_grad():
            grads = self._grads(node, node._as_node(g), node._as_node)
        return [None if c is None else _value(c, p) for c, p in zip(grads, parents)]

    def graph_vjp(self, node: Any, g: Any) -> list[Any]:
        """create_graph: backward on the inputs and output themselves, recording a graph."""
        known = {id(v): p for v, p in zip((self.raw[i] for i in self.at), node.parents)}
        known[id(node.data)] = node

        def as_node(v: Any) -> Any:
            found = known.get(id(v))
            return node._as_node(v) if found is None else found

        with enable_grad():
            grads = self._grads(node, g, as_node)
        return [None if c is None else c if isinstance(c, Node) else node._as_node(c)
                for c in grads]


def _value(c: Any, parent: Any) -> Any:
    v = c.data if isinstance(c, Node) else c
    return float(v) if isinstance(parent, Scalar) else Tensor(v).data
