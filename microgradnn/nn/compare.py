"""Hand-coded backprop beside every other way of getting the same numbers.

For each layer, δ^(l) (per example) and D^(l) = ∂J/∂Θ^(l) from the hand-coded vectorised
recurrence are the reference; the per-example loop, the tensor engine, the scalar engine,
central differences (D only: the course's gradient check, on the unrolled cost) and PyTorch
autograd (when importable) are each compared with it by the largest absolute difference
and the course's relative difference norm(a − b)/norm(a + b).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..check import numerical_gradient, relative_difference
from ..table import text_table
from . import backprop as bp
from .backprop import Backprop, Layers
from .params import roll, unroll

__all__ = ["DEFAULT_TOLERANCE", "Comparison", "Row", "compare", "torch_autodiff"]

DEFAULT_TOLERANCE = 1e-9  # exact methods agree to rounding (~1e-15); 1e-9 leaves room
NUMERICAL_TOLERANCE = 1e-7  # central differences carry an O(ε²) truncation error
COMPARED = ("loop", "tensor", "scalar", "numerical", "torch")


@dataclass(frozen=True)
class Row:
    """One comparison: ``quantity`` ("J", "δ^(2)", "D^(1)", ...) by ``method`` against the
    hand-coded vectorised value."""

    quantity: str
    method: str
    max_abs: float
    relative: float
    tolerance: float
    share: float | None = None  # numerical rows: norm(num_l − D_l)/norm(num + D), unrolled

    @property
    def ok(self) -> bool:
        """Within tolerance. A layer's central-difference row may instead pass by its
        ``share`` of the course's unrolled measure: a layer with tiny gradients has a large
        relative difference from ε² truncation alone, yet adds almost nothing to the
        norm the course's check is judged by (so the table never contradicts it)."""
        if self.share is not None and self.share < self.tolerance:
            return True
        return bool(self.relative < self.tolerance)


_HEADER = ("quantity", "method", "max abs diff", "relative diff", "ok")


@dataclass
class Comparison:
    """The result of :func:`compare`: ``rows``, ``ok`` (every row within tolerance),
    ``results`` (method -> :class:`Backprop`), ``reference`` (the hand-coded one)."""

    rows: list[Row]
    reference: Backprop
    results: dict[str, Backprop]
    numerical: Layers

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    @property
    def max_relative(self) -> float:
        """The worst relative difference of any row."""
        return max((row.relative for row in self.rows), default=0.0)

    def relative(self, method: str, quantity: str = "D") -> float:
        """The worst relative difference of ``method`` over the rows whose quantity starts
        with ``quantity`` (e.g. "D" for all layers' D^(l))."""
        values = [r.relative for r in self.rows
                  if r.method == method and r.quantity.startswith(quantity)]
        if not values:
            raise KeyError(f"Comparison: no rows for method {method!r} and quantity "
                           f"{quantity!r}; methods here: {sorted(self.results)}")
        return max(values)

    def _cells(self) -> list[tuple[str, ...]]:
        return [(r.quantity, r.method, f"{r.max_abs:.3e}", f"{r.relative:.3e}",
                 "yes" if r.ok else "NO") for r in self.rows]

    def __str__(self) -> str:
        title = "each method against the hand-coded vectorised backprop"
        bad = [r for r in self.rows if not r.ok]
        if bad:
            verdict = (f"DISAGREEMENT: {len(bad)} row(s) outside tolerance, first "
                       f"{bad[0].quantity} {bad[0].method} at {bad[0].relative:.3e}")
        else:
            verdict = "all agree: every row within its tolerance"
            if any(r.share is not None for r in self.rows):
                verdict += (" (a central-difference layer row by its share of the "
                            "unrolled norm)")
        return "\n".join([title, text_table(_HEADER, self._cells()), verdict])

    def to_markdown(self) -> str:
        lines = ["| " + " | ".join(_HEADER) + " |",
                 "|" + "|".join(["---", "---", "---:", "---:", ":-:"]) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in self._cells()]
        return "\n".join(lines)

    __repr__ = __str__


def numerical_D(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float,
                activation: str = "sigmoid", eps: float = 1e-4, *,
                progress: bool = False) -> Layers:
    """D^(l) by central differences of J on the unrolled parameters (the course's
    computeNumericalGradient), through :func:`microgradnn.numerical_gradient`."""
    like = {l: T.shape for l, T in Theta.items()}

    def J(p: np.ndarray) -> float:
        return bp.cost(roll(p, like), X, Y, lam, activation)

    return roll(numerical_gradient(J, unroll(Theta), eps, progress=progress), like)


def torch_autodiff(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float,
                   activation: str = "sigmoid") -> Backprop:
    """The same numbers from PyTorch autograd in float64 (δ from the z grads, times m)."""
    import torch

    g = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[activation]
    m, L = X.shape[0], len(Theta) + 1
    T = {l: torch.tensor(Theta[l], dtype=torch.float64, requires_grad=True) for l in Theta}
    a = torch.tensor(X, dtype=torch.float64)
    ones = torch.ones((m, 1), dtype=torch.float64)
    z, h = {}, {}
    for l in range(1, L):
        z[l + 1] = torch.cat([ones, a], dim=1) @ T[l].T
        z[l + 1].retain_grad()
        if l + 1 < L:  # the output a^(L) is not needed: J is written from the logits z^(L)
            a = h[l + 1] = g(z[l + 1])
            a.retain_grad()
    target = torch.tensor(Y, dtype=torch.float64)
    J = torch.nn.functional.binary_cross_entropy_with_logits(
        z[L], target, reduction="sum") / m
    J = J + lam / (2 * m) * sum((T[l][:, 1:] ** 2).sum() for l in T)
    J.backward()
    def grad(t: torch.Tensor) -> np.ndarray:
        if t.grad is None:  # pragma: no cover - every tensor here is on the path to J
            raise RuntimeError("torch_autodiff: backward did not reach a retained tensor")
        return t.grad.numpy()

    dJ_dz = {l: grad(z[l]) for l in range(2, L + 1)}  # δ^(l)/m
    dJ_dh = {l: grad(h[l]) for l in range(2, L)}
    D = {l: grad(T[l]) for l in T}
    return Backprop.from_autodiff(Theta, lam, J.item(), dJ_dz, dJ_dh, D, m, "torch")


def _available(method: str) -> bool:
    if method == "torch":
        return importlib.util.find_spec("torch") is not None
    return True


def _rows(quantity: str, ref: Layers, other: Layers, method: str, tol: float) -> list[Row]:
    return [Row(f"{quantity}^({l})", method, float(np.max(np.abs(other[l] - ref[l]))),
                relative_difference(other[l], ref[l]), tol) for l in sorted(ref)]


def compare(Theta: Layers, X: np.ndarray, Y: np.ndarray, lam: float = 0.0,
            activation: str = "sigmoid", *, engines: Sequence[str] | None = None,
            eps: float = 1e-4, tolerance: float = DEFAULT_TOLERANCE,
            numerical_tolerance: float = NUMERICAL_TOLERANCE,
            progress: bool = False) -> Comparison:
    """Compare hand-coded δ and D with the methods in ``engines`` (default: all of
    "loop", "tensor", "scalar", "numerical" and "torch" when PyTorch is importable).

    A row is ok when its relative difference is below ``tolerance`` (``numerical_tolerance``
    for central differences with step ``eps``). ``progress=True`` shows a progress bar
    while central differences run (two costs J per weight: minutes on a large network)."""
    from .engines import autodiff

    methods = [m for m in COMPARED if _available(m)] if engines is None else list(engines)
    for method in methods:
        if method not in COMPARED:
            raise ValueError(f"compare: unknown method {method!r}; expected some of {COMPARED}")
    reference = bp.backprop_vectorised(Theta, X, Y, lam, activation)
    runners: dict[str, Callable[[], Backprop]] = {
        "loop": lambda: bp.backprop_loop(Theta, X, Y, lam, activation),
        "tensor": lambda: autodiff(Theta, X, Y, lam, activation, "tensor"),
        "scalar": lambda: autodiff(Theta, X, Y, lam, activation, "scalar"),
        "torch": lambda: torch_autodiff(Theta, X, Y, lam, activation),
    }
    rows: list[Row] = []
    results: dict[str, Backprop] = {}
    numerical: Layers = {}
    for method in methods:
        if method == "numerical":
            numerical = numerical_D(Theta, X, Y, lam, activation, eps, progress=progress)
            # the course's single number: norm(numgrad − grad)/norm(numgrad + grad), unrolled
            num, ref = unroll(numerical), reference.unrolled_grad()
            whole = float(np.linalg.norm(num + ref)) or 1.0
            rows += [Row(r.quantity, r.method, r.max_abs, r.relative, r.tolerance,
                         float(np.linalg.norm(numerical[l] - reference.grad[l])) / whole)
                     for l, r in zip(sorted(reference.grad),
                                     _rows("D", reference.grad, numerical, method,
                                           numerical_tolerance))]
            rows.append(Row("D unrolled", method, float(np.max(np.abs(num - ref))),
                            relative_difference(num, ref), numerical_tolerance))
            continue
        result = results[method] = runners[method]()
        rows.append(Row("J", method, abs(result.cost - reference.cost),
                        relative_difference(result.cost, reference.cost), tolerance))
        rows += _rows("δ", reference.delta, result.delta, method, tolerance)
        rows += _rows("D", reference.grad, result.grad, method, tolerance)
    return Comparison(rows, reference, results, numerical)
