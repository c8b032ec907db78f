"""Nodes: the protocol every node type follows, and the one constructor of op outputs.

A node type (``Scalar``, ``Tensor``) subclasses :class:`Node` and makes each op's output with
the constructor :func:`node_maker` builds for it. The op's edges are plain data in four
slots that only the core reads or writes:

| op             | inputs                     | ∂out/∂input                              |
|----------------|----------------------------|------------------------------------------|
| none (a leaf)  | ``_a = None``              |                                          |
| unary          | ``_a`` (and ``_b = None``) | ``_da``                                  |
| binary         | ``_a``, ``_b``             | ``_da``, ``_db``                         |
| n-ary          | ``_a`` = a tuple of inputs | ``_da`` = a tuple, one per input         |
| a rule         | ``_a`` = a tuple of inputs | ``_da = None``; ``_b`` = the rule,       |
|                |                            | ``_db`` = what it saved from the forward |

The sweep passes ``d * grad`` to each input for its local derivative ``d`` (every Scalar
op), or, for a rule, what ``rule(node, grad, parents, saved)`` returns: one contribution
per input, ``None`` for an input that needs no gradient (every Tensor op). The public view
of the edges is the ordered ``parents`` tuple; :func:`rule_of` gives a node type its rule
and what it saved, outside a sweep.

Why slots and not a tuple per node: on a graph of 10⁵ scalars the cyclic garbage collector's
full passes trace every container alive, and a parents tuple per node doubles what they
trace; with the inputs in slots a node is a single object for it (benchmarks/bench_scalar.py:
66 ms a step instead of 115 ms).

A node type also supplies ``_is_finite(value)`` and ``_check_forward(...)`` for anomaly mode,
and ``_seed()``, the implicit ∂root/∂root of ``backward()`` with no argument.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from . import copying
from .hooks import RemovableHandle
from .modes import departures, thread_modes
from .order import stamp
from .sweep import backward_sweep, local_contributions

__all__ = ["Node", "node_maker", "rule_of", "stamp"]

N = TypeVar("N", bound="Node")

class Node:
    """A value in a computation graph.

    ``data``     the forward value;
    ``grad``     ∂root/∂node from the last backward pass (``None`` before one reaches it);
    ``parents``  the inputs of the op that made it, an ordered tuple (``a*a`` has two);
    ``op``       the op's name (``""`` for a leaf);
    ``name``     an optional label, shown in errors and drawings.

    The op's edges live in ``_a``, ``_b``, ``_da``, ``_db`` (see the module docstring).
    """

    __slots__ = ("_a", "_b", "_da", "_db", "_hooks", "_order", "data", "grad", "name",
                 "op")

    data: Any
    grad: Any
    _a: Any  # None (a leaf), the first input, or a tuple of every input
    _b: Any  # the second input of a binary op, else None
    _da: Any  # ∂out/∂_a (a tuple when _a is), or None: the node's _vjp rule
    _db: Any  # ∂out/∂_b
    _hooks: list[Callable[[Any], Any]] | None
    _order: int
    op: str
    name: str | None

    def _init_leaf(self, data: Any, name: str | None) -> None:
        """Make this node a leaf holding ``data`` (node types' ``__init__`` call this)."""
        self.data = data
        self.grad = None
        self.name = name
        self.op = ""
        self._a = self._b = self._da = self._db = None
        self._hooks = None
        self._order = stamp()

    # -- what a node type supplies ------------------------------------------------
    # (Node stays a plain class, not an ABC: isinstance checks sit on every op's hot path.)
    # Whether its graphs are small enough (tens of nodes, each an array op) for the one-loop
    # sweep, core/sweep.py's heap_sweep; graphs of 10⁵ scalars are not.
    _small_graphs = False

    @staticmethod
    def _is_finite(value: Any) -> bool:
        """Whether a value or gradient holds only finite numbers (for anomaly mode)."""
        raise TypeError("a node type must say how to test its values for NaN and inf")

    @classmethod
    def _check_forward(cls, data: Any, op: str, inputs: tuple[Any, ...]) -> None:
        """In anomaly mode: raise AnomalyError if an op's output ``data`` is not finite."""
        raise TypeError("a node type must say how to check an op's output for NaN and inf")

    def _seed(self) -> Any:
        """∂root/∂root, the gradient backward() starts from when none is given."""
        raise TypeError(f"{type(self).__name__} has no implicit starting gradient; "
                        "pass backward(gradient=...)")

    def _graph_vjp(self, g: Any) -> Any:
        """This node's contributions to its parents as nodes, for ``create_graph=True``:
        one per parent (``None`` for one that needs no gradient), made with node ops."""
        raise TypeError(f"{type(self).__name__} cannot differentiate {self.op!r} twice")

    def _as_node(self, g: Any) -> Any:
        """A gradient value as a constant node of this type (the seed of create_graph)."""
        raise TypeError(f"{type(self).__name__} has no node form for gradients")

    def _seed_node(self, seed: Any) -> Any:
        """The seed of a create_graph pass as a node, named so that a drawing of the
        gradient's graph says what the constant is."""
        node = self._as_node(seed)
        node.name = "seed ∂root/∂root"
        return node

    def _own_grad(self, g: Any) -> Any:
        """A leaf's gradient as an object the leaf may keep and change (default: as is)."""
        return g

    def _check_gradient(self, gradient: Any) -> Any:
        return gradient

    def _hook_result(self, replaced: Any, g: Any) -> Any:
        """What a hook returned, checked against the gradient it was given (default: as is)."""
        return replaced

    def _check_hookable(self) -> None:
        """Raise if a hook on this node could never fire (default: every node can)."""

    def _restored(self) -> None:
        """Called when a copy or an unpickled node has its slots (default: nothing more)."""

    # -- pickle and copy (see :mod:`microgradnn.core.copying`) ----------------------------
    def __reduce_ex__(self, protocol: Any) -> Any:
        return copying.reduce_node(self)

    def __setstate__(self, state: dict[str, Any]) -> None:
        copying.restore_node(self, state)

    def __copy__(self) -> Any:
        return copying.shallow_copy(self)

    # -- shared behaviour -----------------------------------------------------------
    @property
    def parents(self) -> tuple[Node, ...]:
        """The inputs of the op that made this node, in order (``()`` for a leaf)."""
        a = self._a
        if a is None:
            return ()
        if a.__class__ is tuple:
            return a
        b = self._b
        return (a,) if b is None else (a, b)

    @property
    def is_leaf(self) -> bool:
        """A node no op made (or made with grad mode off): it has no parents."""
        return self._a is None

    def contributions(self, grad: Any) -> list[Any]:
        """The chain rule's terms this op sends its inputs when ∂root/∂self is ``grad``:
        δ(self)·∂self/∂parent for each parent, in ``parents`` order (``None`` for an input
        that needs no gradient), exactly what the backward sweep adds into them."""
        if self._a is None:
            return []
        if self._da is None:  # a rule: (the rule, what it saved) travel in _b, _db
            return list(self._b(self, grad, self.parents, self._db))
        return local_contributions(self, grad)

    def label(self) -> str:
        """The name if it has one, else the op, for messages."""
        return self.name or (f"<{self.op}>" if self.op else "<leaf>")

    def backward(self, gradient: Any = None, retain_graph: bool | None = None,
                 create_graph: bool = False) -> None:
        """Sweep the graph behind this node, filling in every node's ``grad``.

        Intermediate nodes get this pass's ∂self/∂node; leaves accumulate into what they
        already hold (``zero_grad()`` sets them back to ``None``). If the pass raises (an
        anomaly, a hook), leaves keep the gradients they held before it.
        ``retain_graph`` is accepted for PyTorch users and changes nothing: a graph here is
        always kept, so backward may run through it again. With ``create_graph=True`` every
        ``grad`` it leaves is a node with its own graph, to differentiate again.
        """
        seed = self._seed() if gradient is None else self._check_gradient(gradient)
        if create_graph:
            node = gradient if isinstance(gradient, Node) else self._seed_node(seed)  # as grad()
            for leaf, before in backward_sweep(self, node, True):
                now = leaf.grad
                leaf.grad = before if now is None else now if before is None else before + now
            return
        for leaf, before in backward_sweep(self, seed):
            now = leaf.grad
            if now is None:
                leaf.grad = before
            else:
                leaf.grad = leaf._own_grad(now if before is None else before + now)

    def zero_grad(self) -> None:
        """Forget this node's gradient (``grad`` becomes ``None``)."""
        self.grad = None

    def register_hook(self, hook: Callable[[Any], Any]) -> RemovableHandle:
        """Call ``hook(grad)`` when this node's gradient is complete in a backward pass.

        A hook that returns a value replaces the gradient that flows on to the parents
        (and, for a leaf, the one accumulated into ``grad``).
        """
        if not callable(hook):
            raise TypeError(f"register_hook expects a callable, got {type(hook).__name__}")
        self._check_hookable()
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self, hook)


def rule_of(node: Node) -> tuple[Any, Any]:
    """(rule, saved) of a node made with a rule (``da = None``); (None, None) otherwise."""
    if node._da is not None or node._a.__class__ is not tuple:
        return None, None
    return node._b, node._db


def node_maker(cls: type[N], requires_grad: bool = False) -> Callable[..., N]:
    """The one constructor of op outputs, made once per node type.

    ``make(data, op, a, da=None, b=None, db=None)`` returns a new ``cls`` node holding
    ``data``, made by ``op`` from the inputs ``a`` (and ``b``) with local derivatives ``da``
    (and ``db``); or, for a node type whose ``_vjp`` states the rule, ``make(data, op,
    inputs, None, rule, saved)`` (see the module docstring); ``a = None`` makes a node with
    no edges. With grad mode off the
    node records no edges; in anomaly mode a non-finite output raises through
    ``cls._check_forward`` before anything is recorded. With ``requires_grad=True`` (a node
    type with that flag, PyTorch's name: Tensor) each node's ``requires_grad`` is set to
    whether its edges were recorded, by a plain attribute store (``setattr`` with a name
    given at run time cost a builtin call per op: 0.3 µs of a 100 µs small Tensor step).

    One closure per node type, so that an op pays a single call for its node (the Scalar
    engine makes ~65,000 nodes a step in benchmarks/bench_scalar.py; a ``record`` argument
    and a branch for Tensor's flag here cost it 10%).
    """
    new = object.__new__
    check_forward = cls._check_forward
    flagged = bool(requires_grad)  # (a bool: the branch tests it without a call)

    def make(data: Any, op: str, a: Any, da: Any = None, b: Any = None, db: Any = None) -> N:
        out = new(cls)
        out.data = data
        out.grad = None
        out.name = None
        out._hooks = None
        out._order = stamp()
        out.op = op
        if departures.threads:
            if thread_modes.anomaly:
                check_forward(data, op, a if a.__class__ is tuple else
                              tuple(p for p in (a, b) if p is not None))
            if not thread_modes.grad_enabled:
                a = da = b = db = None
        out._a = a
        out._da = da
        out._b = b
        out._db = db
        if flagged:
            out.requires_grad = a is not None  # type: ignore[attr-defined]  # (Tensor's)
        return out

    return make
