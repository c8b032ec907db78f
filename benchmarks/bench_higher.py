"""Second order: what a Hessian-vector product costs against one gradient, and mg.hessian
against PyTorch's, as ratios from one run.

(a) HVP / gradient on the course batch (X 5000×400 → 25 → 10, the cost of bench_tensor.py
    (a)) and on the small step (32×64 → 25 → 10, bench_tensor.py (b)): the gradient is one
    forward and backward; the HVP one forward, one backward with ``create_graph=True`` and
    one backward through the gradient's graph (Pearlmutter's double backward). The same two
    computations in PyTorch give PyTorch's ratio, measured in the same rounds.
    Targets: microgradnn's ratio ≤ 5 and no worse than PyTorch's.
(b) mg.hessian of a 50-parameter Scalar function (a chain of tanh couplings plus a dense
    quadratic term) against torch.autograd.functional.hessian of the same function on 50
    0-d tensors. Target: within 3× of PyTorch.

    python benchmarks/bench_higher.py            # prints a table; exit 1 if a target is missed
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from threadpoolctl import threadpool_limits
from timing import clock, rounds

import microgradnn as mg

HVP_TARGET = 5.0
HESSIAN_TARGET = 3.0


def course_cost(X: Any, Y: Any, T1: Any, T2: Any, lam: float = 1.0) -> Any:
    """bench_tensor.py's course cost, written once for mg.Tensor and torch.Tensor."""
    m = X.shape[0]
    W1, W2 = T1[:, 1:], T2[:, 1:]
    z3 = (X @ W1.T + T1[:, 0]).sigmoid() @ W2.T + T2[:, 0]
    softplus = z3.softplus() if isinstance(z3, mg.Tensor) else torch.nn.functional.softplus(z3)
    J = (softplus.sum() - (Y * z3).sum()) / m
    return J + lam / (2 * m) * ((W1**2).sum() + (W2**2).sum())


def small_cost(X: Any, Y: Any, W1: Any, W2: Any) -> Any:
    z3 = (X @ W1).sigmoid() @ W2
    softplus = z3.softplus() if isinstance(z3, mg.Tensor) else torch.nn.functional.softplus(z3)
    return (softplus.sum() - (Y * z3).sum()) / X.shape[0]


def workloads(rng: np.random.Generator) -> dict[str, tuple[Callable[..., Any], list[Any],
                                                          list[np.ndarray]]]:
    """name -> (cost, constants, parameters)."""
    Xc = rng.standard_normal((5000, 400)) * 0.1
    Yc = np.eye(10)[rng.integers(0, 10, 5000)]
    Xs = rng.standard_normal((32, 64))
    Ys = np.eye(10)[rng.integers(0, 10, 32)]
    return {
        "course 5000x400-25-10": (course_cost, [Xc, Yc], [rng.standard_normal((25, 401)) * 0.1,
                                                          rng.standard_normal((10, 26)) * 0.1]),
        "small 32x64-25-10": (small_cost, [Xs, Ys], [rng.standard_normal((64, 25)) * 0.1,
                                                     rng.standard_normal((25, 10)) * 0.1]),
    }


def mg_pair(cost: Any, consts: list[Any], params: list[np.ndarray]) -> tuple[Any, Any]:
    leaves = [mg.Tensor(p, requires_grad=True) for p in params]
    vs = [np.cos(np.arange(p.size)).reshape(p.shape) for p in params]

    def gradient() -> Any:
        return mg.grad(cost(*consts, *leaves), leaves)

    def hvp() -> Any:
        gs = mg.grad(cost(*consts, *leaves), leaves, create_graph=True)
        total = sum(((g * v).sum() for g, v in zip(gs, vs)), start=0.0)
        return mg.grad(total, leaves)

    return gradient, hvp


def torch_pair(cost: Any, consts: list[Any], params: list[np.ndarray]) -> tuple[Any, Any]:
    cs = [torch.from_numpy(c) for c in consts]
    leaves = [torch.tensor(p, requires_grad=True) for p in params]
    vs = [torch.from_numpy(np.cos(np.arange(p.size)).reshape(p.shape)) for p in params]

    def gradient() -> Any:
        return torch.autograd.grad(cost(*cs, *leaves), leaves)

    def hvp() -> Any:
        gs = torch.autograd.grad(cost(*cs, *leaves), leaves, create_graph=True)
        return torch.autograd.grad(sum((g * v).sum() for g, v in zip(gs, vs)), leaves)

    return gradient, hvp


def check_hvp(mine: Any, theirs: Any) -> None:
    for a, b in zip(mine(), theirs()):
        np.testing.assert_allclose(np.asarray(a), b.numpy(), rtol=1e-8, atol=1e-12)


def fifty(xs: Any) -> Any:
    """A 50-parameter function with a full Hessian: tanh couplings and a dense quadratic."""
    n = len(xs)
    total = (xs[0] * xs[1]).tanh()
    for i in range(1, n - 1):
        total = total + (xs[i] * xs[i + 1]).tanh()
    s = xs[0]
    for x in xs[1:]:
        s = s + x
    return total + s * s * 0.01


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="rounds; the best counts")
    args = parser.parse_args()
    torch.set_num_threads(1)  # one thread each, as bench_tensor.py's default
    with threadpool_limits(limits=1, user_api="blas"):
        return run(args)


def run(args: argparse.Namespace) -> int:
    rng = np.random.default_rng(0)
    missed = []
    print(f"{'workload':24} {'mg grad':>10} {'mg hvp':>10} {'ratio':>6} {'torch grad':>11} "
          f"{'torch hvp':>10} {'ratio':>6}")
    for name, (cost, consts, params) in workloads(rng).items():
        mg_grad, mg_hvp = mg_pair(cost, consts, params)
        th_grad, th_hvp = torch_pair(cost, consts, params)
        check_hvp(mg_hvp, th_hvp)
        times = rounds({"mg grad": clock(mg_grad), "mg hvp": clock(mg_hvp),
                        "torch grad": clock(th_grad), "torch hvp": clock(th_hvp)}, args.repeat)
        ours = statistics.median(h / g for h, g in zip(times["mg hvp"], times["mg grad"]))
        theirs = statistics.median(h / g for h, g in zip(times["torch hvp"],
                                                           times["torch grad"]))
        best = {k: min(v) * 1e3 for k, v in times.items()}
        print(f"{name:24} {best['mg grad']:8.2f}ms {best['mg hvp']:8.2f}ms {ours:6.2f} "
              f"{best['torch grad']:9.2f}ms {best['torch hvp']:8.2f}ms {theirs:6.2f}")
        if ours > HVP_TARGET or ours > theirs:
            missed.append(f"(a) {name}: HVP/gradient {ours:.2f} (target ≤ {HVP_TARGET} and ≤ "
                          f"PyTorch's {theirs:.2f})")
    values = rng.uniform(-1, 1, 50)
    scalars = tuple(mg.Scalar(v) for v in values)
    tensors = tuple(torch.tensor(v) for v in values)
    h_mg = np.array(mg.hessian(lambda *xs: fifty(xs), scalars), dtype=float)
    h_th = torch.autograd.functional.hessian(lambda *xs: fifty(xs), tensors)
    np.testing.assert_allclose(h_mg, np.array([[float(v) for v in row] for row in h_th]),
                               rtol=1e-10, atol=1e-12)
    times = rounds({"mg": clock(lambda: mg.hessian(lambda *xs: fifty(xs), scalars)),
                    "torch": clock(lambda: torch.autograd.functional.hessian(
                        lambda *xs: fifty(xs), tensors))}, max(3, args.repeat // 3))
    ratio = statistics.median(a / b for a, b in zip(times["mg"], times["torch"]))
    print(f"\n(b) hessian of a 50-parameter Scalar function: mg {min(times['mg']) * 1e3:.1f} ms, "
          f"torch {min(times['torch']) * 1e3:.1f} ms, mg/torch {ratio:.2f} "
          f"(target ≤ {HESSIAN_TARGET})")
    if ratio > HESSIAN_TARGET:
        missed.append(f"(b) hessian mg/torch {ratio:.2f} (target ≤ {HESSIAN_TARGET})")
    print("\n" + ("\n".join(f"MISSED {m}" for m in missed) if missed else "all targets met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
