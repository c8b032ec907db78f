"""Version counters, and each backward contribution in its parent's dtype.

Every Tensor has ``_version``: how many in-place changes (``+=``, ``t[i] = v``, an optimiser's
step) its array has had. Views of it (``t[:, 1:]``, ``t.T``, ``t.reshape(...)``,
``t.detach()``) see the same memory and share the counter, as in PyTorch. A rule that reads a
parent's data at backward time (``a * b`` reads both) or its own output (``exp``) would
silently use the new values after such a change; instead the backward of that op raises
PyTorch's RuntimeError, naming the op, the changed tensor and both versions.

Cheap by design — ops record nothing. Each change is stamped with the creation counter, so a
node made before it has a smaller ``_order``; a backward step looks closer only when some
change anywhere is newer than its node (``_watch[0] > node._order``), which an ordinary
training loop (forward, backward, step) never meets. Once a float32 Tensor that requires
grad exists, every step looks closer, to hand each parent its contribution in its own dtype
(as PyTorch: a float32 leaf used with float64 operands still gets a float32 gradient).
Only such a leaf needs it: NumPy makes float64 of float32 with float64 arrays, so a float32
node requires grad only downstream of a float32 leaf that does; without one, every gradient
is float64 already. A float32 Tensor that needs no gradient (a data matrix) leaves the fast
path on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .autodiff import _creation_counter

# The newest change stamp, or inf once a float32 Tensor requires grad: a node older than
# this takes the careful path (:func:`careful_vjp`).
_watch: list[float] = [-1.0]
_KEEP = 32  # change stamps kept per array: enough to name the version a node saw


class Versions:
    """The in-place changes of one array, shared by a Tensor and its views."""

    __slots__ = ("count", "stamps")

    def __init__(self) -> None:
        self.count = 0
        self.stamps: list[int] = []

    def bump(self) -> None:
        self.count += 1
        stamp = next(_creation_counter)
        self.stamps.append(stamp)
        if len(self.stamps) > _KEEP:
            del self.stamps[0]
        if stamp > _watch[0]:
            _watch[0] = stamp

    def __reduce__(self) -> tuple:
        # the stamps are numbers of this process (see microgradnn.copying): keep the count
        return (_restored_versions, (self.count,))

    def changed_after(self, order: int) -> int:
        """How many of the kept changes came after the node numbered ``order``."""
        return sum(1 for s in self.stamps if s > order)


def _restored_versions(count: int) -> Versions:
    vc = Versions()
    vc.count = count
    return vc


def versions(t: Any) -> Versions:
    """t's counter, made on first use (most Tensors never need one)."""
    vc = t._vc
    if vc is None:
        vc = t._vc = Versions()
    return vc


def share(view: Any, base: Any) -> None:
    """Let ``view`` (whose data is a view of ``base``'s) count the changes of ``base``."""
    view._vc = versions(base)


def view_of(base: Any, out: Any) -> Any:
    """out, sharing base's counter if its array is a view of base's (reshape, transpose and
    basic indexing make views; a copy keeps its own counter)."""
    if np.may_share_memory(out.data, base.data):
        share(out, base)
    return out


def watch_float32() -> None:
    """A float32 Tensor requires grad: check contribution dtypes from now on (see above)."""
    _watch[0] = float("inf")


# --------------------------------------------------------------------------- what rules save
Reader = Callable[[Any], Sequence[Any]]
SAVED: dict[Any, Reader] = {}  # rule -> the Tensors whose data it reads at backward time


def nothing(node: Any) -> Sequence[Any]:
    return ()


def inputs(node: Any) -> Sequence[Any]:
    return node.parents


def output(node: Any) -> Sequence[Any]:
    return (node,)


def inputs_and_output(node: Any) -> Sequence[Any]:
    return (*node.parents, node)


def partners(node: Any) -> Sequence[Any]:
    """a * b and a @ b: a's data is read only for b's gradient, and b's for a's."""
    _, _, sa, sb, kind = node._ctx
    if kind != 0:  # one operand is a constant: the node's data is read for nobody
        return ()
    a, b = node.parents
    return tuple(t for t, other_needs in ((a, sb), (b, sa)) if other_needs is not None)


def divisor(node: Any) -> Sequence[Any]:
    """a / b: ∂/∂a = g/b reads b; ∂/∂b = -g·out/b reads b and the output (a itself never)."""
    _, _, _, sb, kind = node._ctx
    if kind == 1:  # b is a constant
        return ()
    return (node.parents[-1], node) if sb is not None else (node.parents[-1],)


def saves(reader: Reader) -> Callable[[Any], Any]:
    """Decorator: register what a rule reads (a rule not registered is assumed to read its
    inputs and its output)."""
    def register(rule: Any) -> Any:
        SAVED[rule] = reader
        return rule
    return register


# --------------------------------------------------------------------------- the careful path
def careful_vjp(node: Any, grad: Any) -> Any:
    """node's rule, after checking that nothing it reads changed since the forward pass, with
    each contribution cast to its parent's dtype where they differ."""
    order = node._order
    for t in SAVED.get(node._rule, inputs_and_output)(node):
        vc = t._vc
        if vc is not None and vc.stamps and vc.stamps[-1] > order:
            _raise_modified(node, t, vc)
    contributions = node._rule(node, grad)
    cast = None
    for i, (p, c) in enumerate(zip(node.parents, contributions)):
        if c is not None and getattr(c, "dtype", p.data.dtype) != p.data.dtype:
            if cast is None:
                cast = list(contributions)
            cast[i] = c.astype(p.data.dtype)
    return contributions if cast is None else tuple(cast)


def _raise_modified(node: Any, t: Any, vc: Versions) -> None:
    later = vc.changed_after(node._order)
    expected = f"{vc.count - later}" + (" or lower" if later == len(vc.stamps) and
                                         vc.count > later else "")
    what = (f"{t.label()}, the output of {node.op!r} itself" if t is node else
            f"{t.label()}" + (f", output of {t.op!r}" if t.op else ", a leaf"))
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [{t.data.dtype} of shape {t.data.shape}] {what}, is at version "
        f"{vc.count}; expected version {expected} instead (saved by {node.op!r}, node "
        f"{node.label()}). Hint: change it out of place (x = x + y), or run the forward "
        "pass again after the change.")
