"""Version counters: a backward step that would read data changed in place raises instead.

Every Tensor has ``_version``: how many in-place changes (``+=``, ``t[i] = v``, an optimiser's
step) its array has had. Views of it (``t[:, 1:]``, ``t.T``, ``t.reshape(...)``,
``t.detach()``) see the same memory and share the counter, as in PyTorch. A rule that reads a
parent's data at backward time (``a * b`` reads both) or its own output (``exp``) would
silently use the new values after such a change; instead the backward of that op raises
PyTorch's RuntimeError, naming the op, the changed tensor and both versions.

Cheap by design — ops record nothing. Each change is stamped from the core's creation
counter, so a node made before it has a smaller ``_order``; a backward step looks closer only
when some change anywhere is newer than its node (``newest.stamp``), which an ordinary
training loop (forward, backward, step) never meets. What each op's VJPs read is stated in
the op table (:mod:`microgradnn.tensor.ops`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import stamp

__all__ = ["Versions", "check_unchanged", "newest", "share", "versions", "view_of"]

_KEEP = 32  # change stamps kept per array: enough to name the version a node saw


class Newest:
    """The stamp of the newest in-place change anywhere: a node with a smaller ``_order``
    was made before it. Read as ``newest.stamp > node._order`` (an attribute, not a call:
    Tensor._vjp asks it for every node of every backward pass)."""

    __slots__ = ("stamp",)

    def __init__(self) -> None:
        self.stamp = -1


newest = Newest()


class Versions:
    """The in-place changes of one array, shared by a Tensor and its views."""

    __slots__ = ("count", "stamps")

    def __init__(self) -> None:
        self.count = 0
        self.stamps: list[int] = []

    def bump(self) -> None:
        self.count += 1
        now = stamp()
        self.stamps.append(now)
        if len(self.stamps) > _KEEP:
            del self.stamps[0]
        newest.stamp = now

    def __reduce__(self) -> tuple:
        # the stamps are numbers of this process (see microgradnn.core.copying): keep the count
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
    vc = getattr(t, "_vc", None)  # op outputs leave the slot unset until a view needs it
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


def check_unchanged(node: Any, read: Any) -> None:
    """Raise PyTorch's RuntimeError if a Tensor in ``read`` changed since ``node`` was made."""
    order = node._order
    for t in read:
        vc = getattr(t, "_vc", None)
        if vc is not None and vc.stamps and vc.stamps[-1] > order:
            _raise_modified(node, t, vc)


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
