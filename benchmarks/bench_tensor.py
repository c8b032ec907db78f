"""Tensor engine vs hand-written NumPy, PyTorch CPU (float64) and HIPS autograd, as ratios
from one run.

(a) course: the course's full batch — X 5000×400, Θ1 25×401, Θ2 10×26, one-hot y over 10
    classes, λ = 1 — cost plus ∂J/∂Θ1 and ∂J/∂Θ2. Every peer computes the same math:
    z2 = X Θ1[:,1:]ᵀ + Θ1[:,0] (X is never copied), the cross-entropy from logits
    Σ softplus(z3) − y·z3, and the regularisation without the bias column.
(b) small: one training step (forward and backward) of a 32×64 → 25 → 10 sigmoid network,
    z = a W + b per layer, with the same cross-entropy: per-op overhead is what counts.

Targets: (a) within 1.15× of the tuned hand-written NumPy; (b) at least 2.5× faster than
PyTorch; both faster than HIPS autograd. The peers are timed interleaved in ``--repeat``
short rounds, after checking that all of them compute the same cost and gradients. The
table shows each peer's best round; a ratio is the median over rounds of the ratio within a
round (peers of one round share the machine's load of that moment). Each result is kept
until the next call returns, as a training loop keeps its last loss.
BLAS and PyTorch run on ``--threads`` threads (default 1: on a small shared machine several
threads measure the scheduler more than the code; ``--threads 0`` keeps the libraries'
defaults).

    python benchmarks/bench_tensor.py            # prints a table; exit 1 if a target is missed
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

import autograd
import autograd.numpy as anp
import numpy as np
import torch
from autograd.scipy.special import expit as anp_expit
from scipy.special import expit
from threadpoolctl import threadpool_limits
from timing import clock, rounds

import microgradnn as mg

COURSE_TARGET = 1.15  # engine time / hand-written NumPy time, at most
SMALL_TARGET = 2.5  # PyTorch time / engine time, at least

# (the cost — a graph's root for the engines, kept alive like a training loop's loss —,
#  the gradients)
Result = tuple[Any, list[Any]]
F = torch.nn.functional


def sigmoid_np(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1/(1 + e^-z) in place on one temporary where e^-z cannot overflow, else expit."""
    # kernels.IN_PLACE_SIGMOID_MIN's value, written out: the peer must not change with the
    # tree under test, so that before-and-after runs time the same NumPy (below it, expit's
    # one call is faster)
    if z.size >= 8192 and z.min() > -700.0:
        s = np.negative(z)
        np.exp(s, out=s)
        s += 1.0
        return np.reciprocal(s, out=s)
    return expit(z)


def softplus_np(z: np.ndarray) -> np.ndarray:
    """Stable ln(1 + e^z) = max(z, 0) + ln(1 + e^-|z|), in place on one temporary."""
    t = np.abs(z)
    np.negative(t, out=t)
    np.exp(t, out=t)
    np.log1p(t, out=t)
    t += np.maximum(z, 0.0)
    return t


# --------------------------------------------------------------------------- (a) course
def course_engine(X: np.ndarray, Y: np.ndarray, T1: mg.Tensor, T2: mg.Tensor,
                  lam: float) -> Result:
    m = X.shape[0]
    W1, W2 = T1[:, 1:], T2[:, 1:]
    z2 = X @ W1.T + T1[:, 0]
    a2 = z2.sigmoid()
    z3 = a2 @ W2.T + T2[:, 0]
    J = (z3.softplus().sum() - (Y * z3).sum()) / m
    J = J + lam / (2 * m) * ((W1**2).sum() + (W2**2).sum())
    T1.zero_grad()
    T2.zero_grad()
    J.backward()
    return J, [T1.grad, T2.grad]


def course_numpy(X: np.ndarray, Y: np.ndarray, T1: np.ndarray, T2: np.ndarray,
                 lam: float) -> Result:
    """The same math by hand, tuned: the course's orientation (examples are columns,
    z = Θ a, which puts BLAS's short side first), updates in place, X never copied."""
    m = X.shape[0]
    W1, W2, Yt = T1[:, 1:], T2[:, 1:], Y.T
    z2 = W1 @ X.T
    z2 += T1[:, :1]
    a2 = sigmoid_np(z2)
    z3 = W2 @ a2
    z3 += T2[:, :1]
    J = (softplus_np(z3).sum() - np.vdot(Yt, z3)) / m
    J += lam / (2 * m) * (np.vdot(W1, W1) + np.vdot(W2, W2))
    d3 = sigmoid_np(z3)  # δ3 = a3 − y, per example; /m for the mean
    d3 -= Yt
    d3 /= m
    d2 = W2.T @ d3  # δ2 = Θ2ᵀ δ3 .* g'(z2), bias row dropped
    d2 *= a2 * (1.0 - a2)
    G1, G2 = np.empty_like(T1), np.empty_like(T2)
    G2[:, 0] = d3.sum(axis=1)
    np.matmul(d3, a2.T, out=G2[:, 1:])
    G1[:, 0] = d2.sum(axis=1)
    np.matmul(d2, X, out=G1[:, 1:])
    G1[:, 1:] += lam / m * W1
    G2[:, 1:] += lam / m * W2
    return float(J), [G1, G2]


def course_torch(X: torch.Tensor, Y: torch.Tensor, T1: torch.Tensor, T2: torch.Tensor,
                 lam: float) -> Result:
    m = X.shape[0]
    W1, W2 = T1[:, 1:], T2[:, 1:]
    z2 = X @ W1.T + T1[:, 0]
    a2 = z2.sigmoid()
    z3 = a2 @ W2.T + T2[:, 0]
    J = (F.softplus(z3).sum() - (Y * z3).sum()) / m
    J = J + lam / (2 * m) * ((W1**2).sum() + (W2**2).sum())
    T1.grad = T2.grad = None
    J.backward()
    return J, [T1.grad, T2.grad]


def _course_hips_cost(T1: Any, T2: Any, X: np.ndarray, Y: np.ndarray, lam: float) -> Any:
    m = X.shape[0]
    W1, W2 = T1[:, 1:], T2[:, 1:]
    z2 = anp.dot(X, W1.T) + T1[:, 0]
    a2 = anp_expit(z2)
    z3 = anp.dot(a2, W2.T) + T2[:, 0]
    J = (anp.sum(anp.logaddexp(0.0, z3)) - anp.sum(Y * z3)) / m
    return J + lam / (2 * m) * (anp.sum(W1**2) + anp.sum(W2**2))


_course_hips = autograd.value_and_grad(_course_hips_cost, argnum=(0, 1))


def course_peers(lam: float = 1.0) -> dict[str, Callable[[], Result]]:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((5000, 400))
    Y = np.eye(10)[rng.integers(0, 10, 5000)]
    T1 = rng.uniform(-0.12, 0.12, (25, 401))
    T2 = rng.uniform(-0.12, 0.12, (10, 26))
    mt = [mg.Tensor(T, requires_grad=True) for T in (T1, T2)]
    tt = [torch.tensor(T, requires_grad=True) for T in (T1, T2)]
    tX, tY = torch.from_numpy(X), torch.from_numpy(Y)

    def hips() -> Result:
        J, grads = _course_hips(T1, T2, X, Y, lam)
        return float(J), list(grads)

    return {
        "microgradnn": lambda: course_engine(X, Y, *mt, lam),
        "numpy": lambda: course_numpy(X, Y, T1, T2, lam),
        "pytorch": lambda: course_torch(tX, tY, *tt, lam),
        "autograd": hips,
    }


# --------------------------------------------------------------------------- (b) small
def small_forward(X: np.ndarray, Y: np.ndarray, params: list[mg.Tensor]) -> mg.Tensor:
    """The small step's cost J, on Tensors (compare_trees.py times it alone)."""
    W1, b1, W2, b2 = params
    z2 = X @ W1 + b1
    z3 = z2.sigmoid() @ W2 + b2
    return (z3.softplus().sum() - (Y * z3).sum()) / X.shape[0]


def small_engine(X: np.ndarray, Y: np.ndarray, params: list[mg.Tensor]) -> Result:
    J = small_forward(X, Y, params)
    for p in params:
        p.zero_grad()
    J.backward()
    return J, [p.grad for p in params]


def small_numpy(X: np.ndarray, Y: np.ndarray, params: list[np.ndarray]) -> Result:
    W1, b1, W2, b2 = params
    m = X.shape[0]
    z2 = X @ W1
    z2 += b1
    a2 = sigmoid_np(z2)
    z3 = a2 @ W2
    z3 += b2
    J = (softplus_np(z3).sum() - np.vdot(Y, z3)) / m
    d3 = sigmoid_np(z3)
    d3 -= Y
    d3 /= m
    d2 = d3 @ W2.T
    d2 *= a2 * (1.0 - a2)
    return float(J), [X.T @ d2, d2.sum(axis=0), a2.T @ d3, d3.sum(axis=0)]


def small_torch(X: torch.Tensor, Y: torch.Tensor, params: list[torch.Tensor]) -> Result:
    W1, b1, W2, b2 = params
    z2 = X @ W1 + b1
    z3 = z2.sigmoid() @ W2 + b2
    J = (F.softplus(z3).sum() - (Y * z3).sum()) / X.shape[0]
    for p in params:
        p.grad = None
    J.backward()
    return J, [p.grad for p in params]


def _small_hips_cost(params: list[Any], X: np.ndarray, Y: np.ndarray) -> Any:
    W1, b1, W2, b2 = params
    z3 = anp.dot(anp_expit(anp.dot(X, W1) + b1), W2) + b2
    return (anp.sum(anp.logaddexp(0.0, z3)) - anp.sum(Y * z3)) / X.shape[0]


_small_hips = autograd.value_and_grad(_small_hips_cost)


def small_data(m: int = 32) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """X (m×64), one-hot Y (m×10) and the parameters W1, b1, W2, b2 of the small step."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((m, 64))
    Y = np.eye(10)[rng.integers(0, 10, m)]
    return X, Y, [rng.uniform(-0.3, 0.3, s) for s in ((64, 25), (25,), (25, 10), (10,))]


def small_peers(m: int = 32) -> dict[str, Callable[[], Result]]:
    """The small step's four peers on a batch of ``m`` examples (bench_scaling varies it)."""
    X, Y, params = small_data(m)
    mp = [mg.Tensor(p, requires_grad=True) for p in params]
    tp = [torch.tensor(p, requires_grad=True) for p in params]
    tX, tY = torch.from_numpy(X), torch.from_numpy(Y)

    def hips() -> Result:
        J, grads = _small_hips(params, X, Y)
        return float(J), list(grads)

    return {
        "microgradnn": lambda: small_engine(X, Y, mp),
        "numpy": lambda: small_numpy(X, Y, params),
        "pytorch": lambda: small_torch(tX, tY, tp),
        "autograd": hips,
    }


# --------------------------------------------------------------------------- timing
def check_agreement(runs: dict[str, Callable[[], Result]]) -> None:
    J0, grads0 = runs["numpy"]()
    for name, run in runs.items():
        J, grads = run()
        J = J.item() if hasattr(J, "item") else J
        same = np.isclose(J, J0, rtol=1e-10) and all(
            np.allclose(np.asarray(g), g0, rtol=1e-8, atol=1e-14) for g, g0 in zip(grads, grads0))
        if not same:
            raise SystemExit(f"{name} disagrees with the hand-written NumPy version")


def ratio(times: dict[str, list[float]], slow: str, fast: str) -> float:
    """The median over rounds of time(slow) / time(fast): robust to load that drifts."""
    return float(np.median(np.divide(times[slow], times[fast])))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40, help="rounds; the best counts")
    parser.add_argument("--threads", type=int, default=1, help="BLAS/PyTorch threads, 0: "
                        "library defaults")
    parser.add_argument("--quick", action="store_true", help="fewer calls (a smoke run)")
    args = parser.parse_args(argv)
    if not args.threads:
        return run(args)
    torch.set_num_threads(args.threads)
    with threadpool_limits(limits=args.threads, user_api="blas"):
        return run(args)


def run(args: argparse.Namespace) -> int:
    scale = 0.1 if args.quick else 1.0
    if args.quick:
        args.repeat = min(args.repeat, 5)
    workloads = [
        ("(a) course 5000x400-25-10", course_peers(), 1),
        ("(b) small 32x64-25-10 step", small_peers(), max(1, int(200 * scale))),
    ]
    blas = args.threads or os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} "
          f"threads), BLAS threads {blas}, best of {args.repeat}")
    header = (f"{'workload':28} {'microgradnn':>12} {'numpy':>10} {'pytorch':>10} "
              f"{'autograd':>10}   {'mg/numpy':>8} {'torch/mg':>8} {'hips/mg':>8}")
    print(header)
    print("-" * len(header))
    verdicts = []
    for label, runs, number in workloads:
        check_agreement(runs)
        # seconds per call of every peer in each round; a round times each peer once
        # (``number`` calls), one after another, so a round's peers share the moment's load
        times = rounds({name: clock(fn, number) for name, fn in runs.items()}, args.repeat)
        t = {name: min(seconds) for name, seconds in times.items()}
        vs_numpy = ratio(times, "microgradnn", "numpy")
        vs_torch = ratio(times, "pytorch", "microgradnn")
        vs_hips = ratio(times, "autograd", "microgradnn")
        print(f"{label:28} {t['microgradnn'] * 1e6:10.1f}µs {t['numpy'] * 1e6:8.1f}µs "
              f"{t['pytorch'] * 1e6:8.1f}µs {t['autograd'] * 1e6:8.1f}µs   "
              f"{vs_numpy:8.2f} {vs_torch:8.2f} {vs_hips:8.2f}")
        best = t["microgradnn"]
        print(f"{'':28} {'ratios of the best rounds instead:':>46}   "
              f"{best / t['numpy']:8.2f} {t['pytorch'] / best:8.2f} {t['autograd'] / best:8.2f}")
        tag = label[:3]
        if tag == "(a)":
            verdicts.append((f"(a) microgradnn / numpy <= {COURSE_TARGET}", vs_numpy,
                             vs_numpy <= COURSE_TARGET))
        else:
            verdicts.append((f"(b) pytorch / microgradnn >= {SMALL_TARGET}", vs_torch,
                             vs_torch >= SMALL_TARGET))
        verdicts.append((f"{tag} faster than HIPS autograd (hips / mg > 1)", vs_hips,
                         vs_hips > 1.0))
    print("times: best round; ratios (and verdicts): median over rounds of the ratio within "
          "a round")
    print()
    for name, value, ok in verdicts:
        print(f"{'met   ' if ok else 'MISSED'} {name:44} {value:.2f}")
    return 0 if all(ok for _, _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
