"""Hooks: ``node.register_hook(fn)`` calls ``fn(grad)`` once the node's gradient is complete
in a backward pass; a hook that returns a value replaces the gradient that flows on.

In a ``create_graph`` pass the gradient a hook gets is a node, and a node it returns stays
one (after the same checks as in the first-order sweep), so the hook's own ops are
differentiated again; a plain value it returns becomes a constant node."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["RemovableHandle", "run_hooks"]


class RemovableHandle:
    """Returned by :meth:`Node.register_hook`; ``handle.remove()`` unregisters the hook."""

    __slots__ = ("_hook", "_node")

    def __init__(self, node: Any, hook: Callable[[Any], Any]) -> None:
        self._node = node
        self._hook = hook

    def remove(self) -> None:
        hooks = self._node._hooks
        if hooks and self._hook in hooks:
            hooks.remove(self._hook)


def run_hooks(node: Any, g: Any, graph: bool = False) -> Any:
    """Call the node's hooks in order on ``g``; each may replace it. ``None`` passes through
    (the pass did not reach this node: nothing to show its hooks). ``graph``: a
    ``create_graph`` pass, where gradients are nodes and stay nodes."""
    if g is None:
        return None
    for hook in list(node._hooks or ()):
        replaced = hook(g)
        if replaced is not None:
            checked = node._hook_result(replaced, g)  # type, shape: as in first order
            if not graph:
                g = checked
            elif isinstance(replaced, type(node)):
                g = replaced  # its graph is kept: the hook's ops are differentiated too
            else:
                g = node._as_node(checked)
    return g
