"""The two backends the Tensor tests run side by side: MG (microgradnn) and TH (PyTorch,
float64, the oracle).

A test's function takes the namespace ``F`` first. The few ops the two libraries spell
differently are spelled once here; everything else is the same method call on both. So is
what differs around the ops: making a leaf, reading a value or a gradient as NumPy, and
seeding the backward pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import torch

import microgradnn as mg


def _dims(a: torch.Tensor, axis: Any) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(a.ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def _th_reduce(name: str) -> Callable[..., torch.Tensor]:
    def reduce(a: torch.Tensor, axis: Any = None, keepdims: bool = False) -> torch.Tensor:
        dims = _dims(a, axis)
        if not dims:  # a 0-d tensor: nothing to reduce
            return getattr(torch, name)(a.unsqueeze(0), dim=0)
        return getattr(torch, name)(a, dim=dims, keepdim=keepdims)
    return reduce


def _th_grad(t: Any) -> np.ndarray | None:
    grad = getattr(t, "grad", None)
    return None if grad is None else grad.numpy()


MG = SimpleNamespace(
    softplus=lambda a: a.softplus(),
    maximum=mg.maximum,
    where=mg.where,
    concatenate=mg.concatenate,
    stack=mg.stack,
    sum=lambda a, axis=None, keepdims=False: a.sum(axis, keepdims),
    mean=lambda a, axis=None, keepdims=False: a.mean(axis, keepdims),
    max=lambda a, axis=None, keepdims=False: a.max(axis, keepdims),
    min=lambda a, axis=None, keepdims=False: a.min(axis, keepdims),
    logsumexp=lambda a, axis=None, keepdims=False: a.logsumexp(axis, keepdims),
    permute=lambda a, perm: a.transpose(perm),
    index=lambda a, index: a[index],
    tensor=lambda x: mg.Tensor(x),
    # around the ops
    leaf=lambda x, requires_grad=True, name=None: mg.Tensor(
        x, requires_grad=requires_grad, name=name),
    constant=lambda x: x,  # a NumPy array is a constant operand
    value=lambda t: t.data,
    grad=lambda t: getattr(t, "grad", None),  # None for a number, an array, a constant
    from_numpy=lambda v: v,
    retain_grad=lambda t: None,  # every node keeps its δ
)
TH = SimpleNamespace(
    softplus=torch.nn.functional.softplus,
    maximum=torch.maximum,
    where=lambda c, a, b: torch.where(torch.as_tensor(c), a, b),
    concatenate=lambda ts, axis=0: torch.cat(list(ts), dim=axis),
    stack=lambda ts, axis=0: torch.stack(list(ts), dim=axis),
    sum=_th_reduce("sum"),
    mean=_th_reduce("mean"),
    max=_th_reduce("amax"),
    min=_th_reduce("amin"),
    logsumexp=_th_reduce("logsumexp"),
    permute=lambda a, perm: a.permute(tuple(perm)),
    index=lambda a, index: a[tuple(torch.as_tensor(i) if isinstance(i, np.ndarray) else i
                                   for i in (index if isinstance(index, tuple) else (index,)))],
    tensor=lambda x: torch.as_tensor(x, dtype=torch.float64),
    # around the ops
    leaf=lambda x, requires_grad=True, name=None: torch.tensor(
        x, dtype=torch.float64, requires_grad=requires_grad),
    constant=torch.as_tensor,  # a tensor that does not require grad
    value=lambda t: t.detach().numpy(),
    grad=_th_grad,
    from_numpy=torch.from_numpy,
    retain_grad=lambda t: t.retain_grad(),  # a non-leaf keeps its .grad only when asked
)


def leaves(F: SimpleNamespace, arrays: Sequence[np.ndarray]) -> list:
    """Each array as a leaf of F that requires grad, named x0, x1, … in microgradnn."""
    return [F.leaf(x, True, f"x{i}") for i, x in enumerate(arrays)]


def upstream(shape: tuple[int, ...]) -> np.ndarray:
    """A fixed, non-constant ∂root/∂out so that every Jacobian entry is exercised."""
    return np.cos(np.arange(1, int(np.prod(shape)) + 1)).reshape(shape)


def backprop(F: SimpleNamespace, fn: Callable[..., Any], inputs: Sequence[Any]
             ) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """out = fn(*inputs), backpropagated from :func:`upstream`: out's value and each
    input's gradient as NumPy (None for an input that gets none)."""
    out = fn(*inputs)
    out.backward(F.from_numpy(upstream(tuple(out.shape))))
    return F.value(out), [F.grad(x) for x in inputs]
