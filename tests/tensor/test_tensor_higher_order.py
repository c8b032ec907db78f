"""Second derivatives (create_graph=True) of every Tensor op — each case of the op table's
tests, tests/tensor/test_tensor_ops.py — against PyTorch float64 (torch.autograd.grad with
create_graph twice) and against central differences of the engine's own first derivative."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from backends import MG, TH, leaves, upstream
from test_tensor_ops import CASES, NO_GRAD_INPUT, Case

import microgradnn as mg


def _tensor_second(F: Any, case: Case, arrays: list[np.ndarray], kwargs: dict) -> list:
    """Σ v·∂(Σ u·out)/∂x over the inputs, differentiated again: one Hessian-vector product
    per input (u, v fixed and non-constant)."""
    xs = leaves(F, arrays)
    out = case.fn(F, *xs, **kwargs)
    seed = F.from_numpy(upstream(tuple(out.shape)))
    grads = (mg.grad(out, xs, seed, create_graph=True, allow_unused=True) if F is MG else
             torch.autograd.grad(out, xs, seed, create_graph=True, allow_unused=True))
    total = 0.0
    for g, x in zip(grads, arrays):
        if g is not None and (g.requires_grad or F is MG):
            total = total + (g * F.from_numpy(np.sin(np.arange(x.size) + 1.0)
                                              .reshape(x.shape))).sum()
    if isinstance(total, float) or not total.requires_grad:
        return [np.zeros(a.shape) for a in arrays]
    second = (mg.grad(total, xs, allow_unused=True) if F is MG
              else torch.autograd.grad(total, xs, allow_unused=True))
    return [np.zeros(a.shape) if h is None else
            (h.detach().numpy(force=True) if F is TH else np.asarray(h))
            for h, a in zip(second, arrays)]


def _first_dot(case: Case, arrays: list[np.ndarray], kwargs: dict) -> float:
    """Σ_x v·∂(Σ u·out)/∂x by the first-order engine."""
    xs = leaves(MG, arrays)
    out = case.fn(MG, *xs, **kwargs)
    grads = mg.grad(out, xs, upstream(tuple(out.shape)), allow_unused=True)
    return sum(float((np.asarray(g) * np.sin(np.arange(a.size) + 1.0).reshape(a.shape)).sum())
               for g, a in zip(grads, arrays) if g is not None)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("seed", [0, 1])
def test_tensor_second_derivatives_match_pytorch_and_differences(case: Case, seed: int) -> None:
    arrays, kwargs = case.inputs.fixed(seed)
    mine = _tensor_second(MG, case, arrays, kwargs)
    theirs = _tensor_second(TH, case, arrays, kwargs)
    eps = 1e-6
    for i, (got, want) in enumerate(zip(mine, theirs)):
        if NO_GRAD_INPUT.get(case.name) == i:
            continue
        assert got.shape == arrays[i].shape
        np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-10)
        flat = got.reshape(-1)
        for k in range(arrays[i].size):  # central differences of the first derivative
            up = [a.copy() for a in arrays]
            down = [a.copy() for a in arrays]
            up[i].reshape(-1)[k] += eps
            down[i].reshape(-1)[k] -= eps
            numeric = (_first_dot(case, up, kwargs) - _first_dot(case, down, kwargs)) / (2 * eps)
            assert flat[k] == pytest.approx(numeric, rel=1e-4, abs=1e-5), (i, k)
