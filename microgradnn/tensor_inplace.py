"""In-place changes of a Tensor: ``t[i] = v``, ``+=``, ``-=``, ``*=``, ``/=``, ``**=``.

Allowed only on leaves that need no gradient, or with grad mode off (an optimiser's step);
each change bumps the Tensor's version, so a backward pass that needs the old values raises
instead of using the new ones (see :mod:`microgradnn.tensor_version`). Writing a node that
requires grad into a Tensor in place is refused while grad mode is on: the write would drop
that node's gradient path without a word.

Mixed into :class:`microgradnn.tensor.Tensor`; import Tensor from there.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

import numpy as np

from .modes import is_grad_enabled
from .tensor_ops import _index
from .tensor_version import versions

if TYPE_CHECKING:  # pragma: no cover
    from .tensor import ArrayLike, Tensor


def _t() -> Any:
    # by its module path: the package's attribute ``tensor`` is the factory mg.tensor
    return importlib.import_module(f"{__package__}.tensor")


class InPlace:
    """In-place operators of Tensor (mixed into :class:`~microgradnn.Tensor`)."""

    __slots__ = ()

    if TYPE_CHECKING:  # pragma: no cover - supplied by Tensor and Node
        data: np.ndarray
        requires_grad: bool
        is_leaf: bool
        op: str

        def label(self) -> str: ...
        @property
        def shape(self) -> tuple[int, ...]: ...

    def _inplace(self, op: str, fn: Any, other: Any) -> Tensor:
        t = _t()
        if not self.is_leaf:
            raise RuntimeError(
                f"{op}: {self.label()} is an intermediate node (output of {self.op!r}); "
                "changing it in place would corrupt the backward pass — use x = x + y")
        if self.requires_grad and is_grad_enabled():
            raise RuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation "
                f"({op} on {self.label()}); update it inside mg.no_grad() or use x = x + y")
        if isinstance(other, t.Tensor) and other.requires_grad and is_grad_enabled():
            raise RuntimeError(
                f"{op}: {other.label()} requires grad, but writing it into {self.label()} in "
                "place would drop its gradient path; build a new node instead (x = x + w, "
                "mg.where, mg.concatenate), or write inside mg.no_grad() to copy values only")
        try:
            fn(self.data, t._val(t._operand(other, op)))
        except ValueError as error:
            raise ValueError(f"{op}: {np.shape(t._val(other))} does not fit into {self.label()} of "
                             f"shape {self.shape}: {error}") from None
        versions(self).bump()
        return self  # type: ignore[return-value]  # a Tensor: InPlace is its mixin

    def __setitem__(self, index: Any, value: ArrayLike) -> None:
        def put(x: np.ndarray, v: Any) -> None:
            x[_index(index)] = v
        self._inplace("__setitem__", put, value)

    def __iadd__(self, other: ArrayLike) -> Tensor:
        return self._inplace("+=", lambda x, v: np.add(x, v, out=x), other)

    def __isub__(self, other: ArrayLike) -> Tensor:
        return self._inplace("-=", lambda x, v: np.subtract(x, v, out=x), other)

    def __imul__(self, other: ArrayLike) -> Tensor:
        return self._inplace("*=", lambda x, v: np.multiply(x, v, out=x), other)

    def __itruediv__(self, other: ArrayLike) -> Tensor:
        return self._inplace("/=", lambda x, v: np.true_divide(x, v, out=x), other)

    def __ipow__(self, other: ArrayLike) -> Tensor:
        return self._inplace("**=", lambda x, v: np.power(x, v, out=x), other)
