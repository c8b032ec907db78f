"""Op entries and how each runs backward: the rule a Tensor node keeps.

An entry of the op table (:mod:`microgradnn.tensor.ops`) is its forward on arrays, one VJP
per argument, and what each VJP reads. Called by the sweep as a node's rule, it calls a VJP
only for an argument that needs a gradient (so the course's data matrix X never gets one
computed), :func:`unbroadcast` s it to that argument's shape, and, on the careful path,
checks that nothing the VJPs read changed in place since the forward pass
(:mod:`~microgradnn.tensor.versions`) and casts each contribution to its parent's dtype (a
float32 leaf used with float64 operands gets a float32 gradient, as in PyTorch).

The careful path is per node: a node takes it when a parent that needs a gradient is float32
(decided once, in the forward: its VJPs may mix in float64) or when some in-place change is
newer than the node. A graph of float64 Tensors never takes it in an ordinary training loop.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np

from . import kernels
from .fastpaths import switch
from .versions import check_unchanged, newest

__all__ = ["BOTH", "ONLY_A", "ONLY_B", "Binary", "Nary", "Op", "Operands", "Unary", "careful_vjp",
           "casting", "same", "unbroadcast"]

_ndarray = np.ndarray
_dot = np.ndarray.dot  # np.dot's C routine without its Python dispatcher


class Operands(Enum):
    """Which operands of a binary op are nodes: both, only a (b is a constant) or only b (a
    is a constant). The hot paths compare them with ``is``: an Enum member stays the same
    object through pickle and deepcopy (a saved graph's nodes keep theirs)."""

    BOTH = "both"
    ONLY_A = "only a"
    ONLY_B = "only b"


BOTH, ONLY_A, ONLY_B = Operands.BOTH, Operands.ONLY_A, Operands.ONLY_B


# --------------------------------------------------------------------------- op entries
def same(g: Any, *_: Any) -> Any:
    """The VJP of an argument the output equals up to a constant (a + b, a − b's a): g itself.
    Binary ops pass g on without calling it (a call per edge on every add)."""
    return g


@dataclass(frozen=True, eq=False, slots=True)
class Op(ABC):
    """One op: ``name`` (shown in graphs and errors), ``forward(*values, *params)`` on
    arrays, ``vjps``: one ``vjp(g, ans, *values, *params)`` per argument giving ∂root/∂arg
    from g = ∂root/∂out and the output ans, and ``reads``: per VJP, which of ``x``, ``y``
    (the first and second argument) and ``ans`` it reads (``"x ans"``), for the version
    check."""

    name: str
    forward: Callable[..., Any]
    vjps: tuple[Callable[..., Any], ...]
    reads: tuple[str, ...]
    explain: Callable[..., None] | None = None  # raises a clear error when forward fails
    casts: bool = False  # the variant for nodes with a float32 parent (see casting())
    # for correctly rounded arithmetic (+ − × ÷), the same op as a Python operator: on 0-d
    # operands binary() runs it on NumPy scalars, with the result the ufunc gives on 0-d
    # arrays at a tenth of the cost (NumPy's scalar maths instead of its ufunc machinery)
    scalar: Callable[[Any, Any], Any] | None = None
    # the entry's __call__ as a bound method, made once: what a node keeps as its rule (a
    # call of a bound method is a fast call; calling the instance goes through type slots)
    run: Callable[..., Sequence[Any]] = field(init=False, repr=False, compare=False)
    # ``reads`` split once, per VJP: the names it reads, in order (read() and create_graph's
    # test for constant contributions, tensor/higher.py)
    uses: tuple[tuple[str, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "run", self.__call__)
        object.__setattr__(self, "uses", tuple(tuple(names.split()) for names in self.reads))
        key = (type(self).__name__, self.name, self.casts)
        _TABLE.setdefault(key, self)  # the first entry of a name

    def __reduce__(self) -> tuple:
        # pickled by name (its VJPs may be lambdas): a pickled graph finds the same entry
        return (_entry, (type(self).__name__, self.name, self.casts))

    @abstractmethod
    def __call__(self, node: Any, g: Any, parents: tuple, saved: Any, checked: bool = False
                 ) -> Sequence[Any]:
        """The backward of ``node``, which the core's sweep calls with what the forward saved:
        one contribution per parent, ``None`` for a parent that needs no gradient. Each kind
        first sends a node to :func:`careful_vjp` if it has a dtype to cast or an in-place
        change is newer than it (``checked``: that was done)."""

    @abstractmethod
    def read(self, node: Any, parents: tuple, saved: Any) -> list[Any]:
        """The Tensors whose data the VJPs that run read (for the version check)."""


_TABLE: dict[tuple[str, str, bool], Op] = {}


def _entry(kind: str, name: str, casts: bool) -> Op:
    return _TABLE[kind, name, casts]


def casting(op: Op) -> Op:
    """The variant of ``op`` whose nodes take the careful path: each contribution cast to its
    parent's dtype (a node with a float32 parent that requires grad; decided in the forward,
    so a float64 graph never pays for it)."""
    found = _CASTING.get(op)
    if found is None:
        found = _CASTING[op] = dataclasses.replace(op, casts=True)
    return found


_CASTING: dict[Op, Op] = {}


class Unary(Op):
    """One Tensor argument and fixed parameters; ctx = (x, params)."""

    __slots__ = ()

    def __call__(self, node: Any, g: Any, parents: tuple, saved: Any, checked: bool = False
                 ) -> Sequence[Any]:
        if not checked and (self.casts or newest.stamp > node._order):
            return careful_vjp(node, g, parents, self, saved)
        x, params = saved
        if params:
            return (self.vjps[0](g, node.data, x, *params),)
        return (self.vjps[0](g, node.data, x),)  # (a call with *() costs every node)

    def read(self, node: Any, parents: tuple, saved: Any) -> list[Any]:
        names = self.uses[0]
        return ([parents[0]] if "x" in names else []) + ([node] if "ans" in names else [])


class Binary(Op):
    """Two arguments, each a Tensor or a constant, broadcast against each other;
    ctx = (x, y, shape of a or None, shape of b or None, which operands are nodes, params).
    A shape is None when that operand needs no gradient: its VJP is never called."""

    __slots__ = ()

    def __call__(self, node: Any, g: Any, parents: tuple, saved: Any, checked: bool = False
                 ) -> Sequence[Any]:
        if not checked and (self.casts or newest.stamp > node._order):
            return careful_vjp(node, g, parents, self, saved)
        x, y, sa, sb, nodes, params = saved
        vjp_a, vjp_b = self.vjps
        ga = None
        if sa is not None:
            ga = (g if vjp_a is same else vjp_a(g, node.data, x, y, *params) if params
                  else vjp_a(g, node.data, x, y))
            if ga.shape != sa or not switch.fast:  # (a call saved when nothing was broadcast)
                ga = unbroadcast(ga, sa)
            if sb is None:  # b is a constant, or needs no gradient
                return (ga,) if nodes is ONLY_A else (ga, None)
        gb = (g if vjp_b is same else vjp_b(g, node.data, x, y, *params) if params
              else vjp_b(g, node.data, x, y))
        if gb.shape != sb or not switch.fast:
            gb = unbroadcast(gb, sb)
        return (ga, gb) if nodes is BOTH else (gb,)

    def read(self, node: Any, parents: tuple, saved: Any) -> list[Any]:
        _, _, sa, sb, nodes, _ = saved
        operands = (parents[0], parents[1]) if nodes is BOTH else (
            (parents[0], None) if nodes is ONLY_A else (None, parents[0]))
        named = {"x": operands[0], "y": operands[1], "ans": node}
        out = []
        for shape, names in zip((sa, sb), self.uses):
            if shape is not None:
                out += [named[n] for n in names if named[n] is not None]
        return out


class Nary(Op):
    """Any number of arguments (concatenate, stack); ``vjps[0](g, ans, i, *params)`` gives
    ∂root/∂argument i; ctx = (positions of the nodes among the arguments, params)."""

    __slots__ = ()

    def __call__(self, node: Any, g: Any, parents: tuple, saved: Any, checked: bool = False
                 ) -> Sequence[Any]:
        if not checked and (self.casts or newest.stamp > node._order):
            return careful_vjp(node, g, parents, self, saved)
        at, params = saved
        vjp = self.vjps[0]
        return tuple(vjp(g, node.data, i, *params) if p.requires_grad else None
                     for i, p in zip(at, parents))

    def read(self, node: Any, parents: tuple, saved: Any) -> list[Any]:
        return []


def unbroadcast(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` back to ``shape``: the backward of NumPy broadcasting.

    Broadcasting copies an operand along new leading axes and along its size-1 axes, so
    ∂/∂operand adds up the copies: sum over the leading axes, then (keeping them) over the
    axes where the operand had size 1.
    """
    gshape = grad.shape
    if gshape == shape:
        return grad
    extra = len(gshape) - len(shape)
    if (extra == 1 and len(gshape) == 2 and gshape[1] == shape[0]
            and grad.__class__ is _ndarray):
        return _dot(kernels.ones(gshape[0], grad.dtype), grad)  # a bias: Σ over the batch
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


def careful_vjp(node: Any, g: Any, parents: tuple, op: Op, saved: Any) -> Sequence[Any]:
    """node's rule, after checking that nothing its VJPs read changed since the forward
    pass, with each contribution cast to its parent's dtype where they differ."""
    check_unchanged(node, op.read(node, parents, saved))
    contributions = op(node, g, parents, saved, True)
    cast = None
    for i, (p, c) in enumerate(zip(parents, contributions)):
        if c is not None and getattr(c, "dtype", p.data.dtype) != p.data.dtype:
            if cast is None:
                cast = list(contributions)
            cast[i] = c.astype(p.data.dtype)
    return contributions if cast is None else tuple(cast)
