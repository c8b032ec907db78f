"""Hooks: ``node.register_hook(fn)`` calls ``fn(grad)`` once the node's gradient is complete
in a backward pass; a hook that returns a value replaces the gradient that flows on."""

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


def run_hooks(node: Any, g: Any) -> Any:
    """Call the node's hooks in order on ``g``; each may replace it. ``None`` passes through
    (the pass did not reach this node: nothing to show its hooks)."""
    if g is None:
        return None
    for hook in list(node._hooks or ()):
        replaced = hook(g)
        if replaced is not None:
            g = node._hook_result(replaced, g)
    return g
