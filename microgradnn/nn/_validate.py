"""Input checks for the course's network: each error names the argument, what was found
and what was expected, in the user's terms (never a NumPy broadcasting traceback)."""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .backprop import ACTIVATIONS


def sizes(value: Any, caller: str = "Network") -> tuple[int, ...]:
    """s_1..s_L: at least two layers (input and output), each with at least one unit."""
    try:
        out = tuple(value)
    except TypeError:
        raise ValueError(f"{caller}: sizes must be a list of layer widths like [3, 5, 3], "
                         f"got {value!r}") from None
    if len(out) < 2:
        raise ValueError(f"{caller}: sizes must list at least two layers (input and output), "
                         f"got {list(out)!r}")
    for l, s in enumerate(out, start=1):
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1:
            raise ValueError(f"{caller}: sizes[{l - 1}] (s_{l}, units in layer {l}) must be a "
                             f"positive integer, got {s!r}")
    return tuple(int(s) for s in out)


def activation(name: Any, caller: str = "Network") -> str:
    if name not in ACTIVATIONS:
        raise ValueError(f"{caller}: activation must be one of {sorted(ACTIVATIONS)}, "
                         f"got {name!r}")
    return str(name)


def thetas(value: Any, layer_sizes: tuple[int, ...], caller: str = "Network"
           ) -> dict[int, np.ndarray]:
    """Θ^(1)..Θ^(L−1) as a dict keyed 1..L−1 (a list is read as Θ^(1), Θ^(2), ...)."""
    L = len(layer_sizes)
    if isinstance(value, Mapping):
        given = dict(value)
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        given = {l: T for l, T in enumerate(value, start=1)}
    else:
        raise ValueError(f"{caller}: thetas must be a dict {{1: Θ1, 2: Θ2, ...}} or a list, "
                         f"got {type(value).__name__}")
    expected_keys = set(range(1, L))
    if set(given) != expected_keys:
        raise ValueError(f"{caller}: thetas has layers {sorted(given)} but sizes "
                         f"{list(layer_sizes)} need Θ^(l) for l = {sorted(expected_keys)}")
    out = {}
    for l in range(1, L):
        out[l] = theta_matrix(given[l], l, layer_sizes, caller)
    return out


def theta_matrix(value: Any, l: int, layer_sizes: tuple[int, ...], caller: str) -> np.ndarray:
    want = (layer_sizes[l], layer_sizes[l - 1] + 1)
    try:
        T = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{caller}: Θ^({l}) must be a numeric matrix, got "
                         f"{type(value).__name__}") from None
    if T.shape != want:
        raise ValueError(f"{caller}: Θ^({l}) has shape {T.shape} but sizes "
                         f"{list(layer_sizes)} need {want} = s_{l + 1} × (s_{l} + 1)")
    if not np.all(np.isfinite(T)):
        raise ValueError(f"{caller}: Θ^({l}) contains NaN or inf; expected finite weights")
    return T


def features(X: Any, s1: int, caller: str) -> np.ndarray:
    """X as an m × s_1 float matrix (one example may be given as a vector of length s_1)."""
    try:
        A = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{caller}: X must be a numeric matrix, got "
                         f"{type(X).__name__}") from None
    if A.ndim == 1 and A.shape[0] == s1:
        A = A.reshape(1, s1)
    if A.ndim != 2 or A.shape[1] != s1:
        raise ValueError(f"{caller}: X has shape {A.shape} but the input layer has {s1} "
                         f"units; expected (m, {s1})")
    if A.shape[0] == 0:
        raise ValueError(f"{caller}: X has no rows; expected at least one example")
    with np.errstate(over="ignore", invalid="ignore"):
        total = A.sum()
    if not np.isfinite(total):  # cheap first test: any NaN or inf makes the sum non-finite
        bad = ~np.isfinite(A)
        if not bad.any():
            return A  # only the sum overflowed; every entry is finite
        t, j = np.argwhere(bad)[0]
        raise ValueError(f"{caller}: X contains NaN or inf (first {A[t, j]} at row {t}, "
                         f"column {j}); expected finite numbers")
    return A


def labels(y: Any, m: int, K: int, caller: str) -> np.ndarray:
    """The 0/1 matrix Y (m × K) from class indices 0..K−1 of shape (m,), or from a 0/1
    matrix (m, K). For K = 1, indices are the 0/1 labels themselves."""
    try:
        a = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{caller}: y must be numeric labels, got {type(y).__name__}") from None
    if a.ndim == 0 or a.ndim > 2:
        raise ValueError(f"{caller}: y has shape {a.shape}; expected class indices of shape "
                         f"({m},) or a 0/1 matrix of shape ({m}, {K})")
    if a.shape[0] != m:
        raise ValueError(f"{caller}: y has {a.shape[0]} rows but X has {m}")
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{caller}: y contains NaN or inf; expected labels")
    if a.ndim == 2:
        if a.shape[1] != K:
            raise ValueError(f"{caller}: y is a 0/1 matrix of width {a.shape[1]} but the "
                             f"output layer has K = {K} units; expected shape ({m}, {K})")
        if not np.all((a == 0.0) | (a == 1.0)):
            raise ValueError(f"{caller}: y as a matrix must hold only 0 and 1, found "
                             f"{a[(a != 0.0) & (a != 1.0)][0]:g}")
        return a
    top = 1 if K == 1 else K - 1
    bad = (a != np.round(a)) | (a < 0) | (a > top)
    if bad.any():
        t = int(np.argmax(bad))
        raise ValueError(f"{caller}: y[{t}] = {a[t]:g} is not a class index in 0..{top} "
                         f"(K = {K} outputs; labels are 0-based)")
    if K == 1:
        return a.reshape(m, 1)
    Y = np.zeros((m, K))
    Y[np.arange(m), a.astype(np.int64)] = 1.0  # y = k becomes the unit vector e_k
    return Y


def lam(value: Any, caller: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
            not np.isfinite(float(value)) or value < 0:
        raise ValueError(f"{caller}: lam (λ) must be a finite number >= 0, got {value!r}")
    return float(value)
