"""Training the course's network.

* "L-BFGS-B" and "CG" — SciPy's optimisers on the unrolled parameters (the role of the
  course's fmincg), with J and its gradient from the hand-coded backprop;
* "sgd" and "adam" — minibatch steps through :mod:`microgradnn.optim` (the Θ^(l) are held
  as Tensor parameters; their ``grad`` is D^(l) of the minibatch from backprop).

Every method returns a :class:`History` of J after each iteration (for the minibatch
methods, one iteration is one epoch and J is measured on all of X).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from tqdm import tqdm

from . import backprop as bp
from ._validate import integer
from .params import roll, shapes

if TYPE_CHECKING:  # pragma: no cover
    from .network import Network

__all__ = ["METHODS", "OPTIONS", "History", "fit"]

METHODS = ("L-BFGS-B", "CG", "sgd", "adam")

# the options each method takes besides maxiter (for SciPy: ``tol`` and the options of
# ``scipy.optimize.minimize`` that apply with an exact gradient)
OPTIONS: dict[str, tuple[str, ...]] = {
    "L-BFGS-B": ("tol", "ftol", "gtol", "maxcor", "maxfun", "maxls"),
    "CG": ("tol", "gtol", "norm", "disp"),
    "sgd": ("batch_size", "lr", "momentum", "seed"),
    "adam": ("batch_size", "lr", "betas", "seed"),
}


@dataclass
class History:
    """J(Θ) after each iteration; ``len(history)`` iterations, ``history[-1]`` the last J."""

    cost: list[float] = field(default_factory=list)
    method: str = ""
    message: str = ""

    def __len__(self) -> int:
        return len(self.cost)

    def __getitem__(self, i: int) -> float:
        return self.cost[i]

    def __iter__(self) -> Any:
        return iter(self.cost)


def fit(net: Network, X: np.ndarray, Y: np.ndarray, lam: float, *, method: str = "L-BFGS-B",
        maxiter: int = 100, progress: bool = True, **options: Any) -> History:
    """Train ``net.theta`` in place on checked data (X: m × s_1, Y: 0/1 matrix m × K).

    SciPy methods take ``tol`` and the ``scipy.optimize.minimize`` options listed in
    :data:`OPTIONS`; minibatch methods take ``lr`` (default 0.1 for "sgd", 0.01 for
    "adam"), ``batch_size`` (a positive integer, 32), ``momentum`` (0.9, "sgd"), ``betas``
    ("adam") and ``seed`` (for shuffling). Any other option is a ValueError.
    """
    maxiter = integer(maxiter, "maxiter", "Network.fit")
    if method not in METHODS:
        raise ValueError(f"Network.fit: method must be one of {METHODS}, got {method!r}")
    unknown = sorted(set(options) - set(OPTIONS[method]))
    if unknown:
        raise ValueError(f"Network.fit: unknown options for {method!r}: {unknown}; "
                         f"{method!r} takes {list(OPTIONS[method])}")
    bar = tqdm(total=maxiter, desc=f"fit ({method})", disable=not progress, leave=False)
    with _blas_threads(X.shape[0], net.sizes), bar:
        if method in ("L-BFGS-B", "CG"):
            return _scipy(net, X, Y, lam, method, maxiter, bar, dict(options))
        return _minibatch(net, X, Y, lam, method, maxiter, bar, dict(options))


# Below this many multiply-adds per forward pass, BLAS threads cost more than they save:
# on a busy machine OpenBLAS's threads wait for each other on every small product (digits:
# 1257 examples × 1885 weights ≈ 2.4M; one L-BFGS-B step took 10 ms with two threads,
# 2.5 ms with one). The course-sized workload (5000 × 10285 ≈ 51M) keeps its threads.
SMALL_WORK = 20_000_000


def _blas_threads(m: int, sizes: tuple[int, ...]) -> contextlib.AbstractContextManager[Any]:
    """One BLAS thread while training a small problem, if threadpoolctl is installed."""
    work = m * sum(rows * cols for rows, cols in shapes(sizes).values())
    if work > SMALL_WORK:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _scipy(net: Network, X: np.ndarray, Y: np.ndarray, lam: float, method: str,
           maxiter: int, bar: Any, options: dict[str, Any]) -> History:
    from scipy.optimize import minimize

    history = History(method=method)
    like = shapes(net.sizes)

    def J_and_grad(params: np.ndarray) -> tuple[float, np.ndarray]:
        # Θ^(l) as views of the optimiser's vector; net.theta is set once, at the end
        result = bp.backprop_vectorised(roll(params, like), X, Y, lam, net.activation)
        return result.cost, result.unrolled_grad()

    def callback(intermediate_result: Any) -> None:
        history.cost.append(float(intermediate_result.fun))
        bar.update(1)
        bar.set_postfix(J=f"{intermediate_result.fun:.5f}")

    tol = options.pop("tol", None)
    result = minimize(J_and_grad, net.unroll(), jac=True, method=method, tol=tol,
                      callback=callback, options={"maxiter": maxiter, **options})
    net.set_unrolled(result.x)
    history.message = str(result.message)
    return history


def _minibatch(net: Network, X: np.ndarray, Y: np.ndarray, lam: float, method: str,
               epochs: int, bar: Any, options: dict[str, Any]) -> History:
    from .. import optim
    from ..tensor import Tensor

    batch_size = integer(options.pop("batch_size", 32), "batch_size", "Network.fit")
    rng = np.random.default_rng(options.pop("seed", None))
    # copies: the steps change them in place, and net.theta may hold the caller's arrays
    params = {l: Tensor(T.copy(), requires_grad=True, name=f"Θ^({l})")
              for l, T in net.theta.items()}
    if method == "sgd":
        opt: optim.Optimizer = optim.SGD(params.values(), lr=options.pop("lr", 0.1),
                                         momentum=options.pop("momentum", 0.9))
    else:
        opt = optim.Adam(params.values(), lr=options.pop("lr", 0.01),
                         betas=options.pop("betas", (0.9, 0.999)))
    history = History(method=method)
    m = X.shape[0]
    Theta = {l: p.data for l, p in params.items()}
    for _ in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            opt.zero_grad()
            # λ scaled by b/m: the minibatch's D = Δ_b/b + (λ/m)Θ, an unbiased estimate of
            # the full D^(l) (with λ itself the penalty would weigh m/b times too much)
            lam_b = lam * len(rows) / m
            D = bp._gradient(Theta, X[rows], Y[rows], lam_b, net.activation)  # no J needed
            for l, p in params.items():
                p.grad = D[l]  # D^(l) of the minibatch
            opt.step()
        J = bp.cost(Theta, X, Y, lam, net.activation)
        history.cost.append(J)
        bar.update(1)
        bar.set_postfix(J=f"{J:.5f}")
    net.theta = {l: np.array(p.data) for l, p in params.items()}
    history.message = f"{epochs} epochs of minibatch {method} (batch size {batch_size})"
    return history
