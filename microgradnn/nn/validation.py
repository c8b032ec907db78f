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
    return tuple(integer(s, f"sizes[{l - 1}] (s_{l}, units in layer {l})", caller)
                 for l, s in enumerate(out, start=1))


def integer(value: Any, name: str, caller: str, minimum: int = 1) -> int:
    """``value`` as an int, or a ValueError naming ``name``: a positive integer by default
    (bools and floats such as 3.0 are refused: a count is written as an integer)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        want = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{caller}: {name} must be {want}, got {value!r}")
    return int(value)


def activation(name: Any, caller: str = "Network") -> str:
    if not isinstance(name, str) or name not in ACTIVATIONS:  # a list is not hashable
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
    T = np.array(real_array(value, f"Θ^({l})", caller, "a numeric matrix"))  # a copy
    if T.shape != want:
        raise ValueError(f"{caller}: Θ^({l}) has shape {T.shape} but sizes "
                         f"{list(layer_sizes)} need {want} = s_{l + 1} × (s_{l} + 1)")
    if not np.all(np.isfinite(T)):
        raise ValueError(f"{caller}: Θ^({l}) contains NaN or inf; expected finite weights")
    return T


def real_array(value: Any, arg: str, caller: str, expected: str) -> np.ndarray:
    """``value`` as a float64 array (no copy when it is one), refusing complex numbers
    (NumPy would drop their imaginary parts with only a warning), strings and objects."""
    bad = f"{caller}: {arg} must be {expected} of real numbers, got {type(value).__name__}"
    try:
        a = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(bad) from None
    if a.dtype.kind == "c":
        raise ValueError(f"{caller}: {arg} holds complex numbers; expected {expected} of real "
                         "numbers")
    try:
        return a.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        raise ValueError(bad) from None


def features(X: Any, s1: int, caller: str) -> np.ndarray:
    """X as an m × s_1 float matrix (one example may be given as a vector of length s_1)."""
    A = real_array(X, "X", caller, "a numeric matrix")
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


def labels(y: Any, m: int, K: int, caller: str, base: int = 0) -> np.ndarray:
    """The 0/1 matrix Y (m × K) from class indices of shape (m,) — 0..K−1, or 1..K when
    ``base`` is 1 (the course's numbering) — or from a 0/1 matrix (m, K). For K = 1,
    indices are the 0/1 labels themselves."""
    a = as_numbers(y, "y", caller, f"class indices of shape ({m},) or a 0/1 matrix of shape "
                 f"({m}, {K})")
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
    if K == 1:  # one output unit: the labels are 0/1 themselves
        return class_indices(a, 2, caller, note="K = 1 output takes 0/1 labels"
                             ).astype(np.float64).reshape(m, 1)
    if base == 1:
        a = a - 1.0
        note = f"{K} classes; labels are 1-based, Network(labels='1-based')"
        return one_hot_noted(a, K, caller, note, shown=1)
    return one_hot(a, K, caller)


def one_hot_noted(a: np.ndarray, K: int, caller: str, note: str, shown: int) -> np.ndarray:
    """:func:`one_hot` of labels already shifted down by ``shown``; errors show them as given."""
    bad = ~np.isfinite(a) | (a != np.round(a)) | (a < 0) | (a > K - 1) if a.ndim == 1 else None
    if bad is not None and bad.any():
        t = int(np.argmax(bad))
        raise ValueError(f"{caller}: y[{t}] = {a[t] + shown:g} is not a class label in "
                         f"{shown}..{K - 1 + shown} ({note})")
    return one_hot(a, K, caller)


def one_example_y(y: Any, K: int) -> np.ndarray:
    """One example's label as :func:`labels` reads it for m = 1: a class index (or a 0/1
    label when K = 1), 0-d, becomes shape (1,); a 0/1 row y^(t) of length K > 1 becomes
    (1, K). Anything else is returned as an array, unchanged, for :func:`labels` to judge."""
    a = np.asarray(y)
    if a.ndim == 0:
        return a.reshape(1)  # one class index (or one 0/1 label when K = 1)
    if a.ndim == 1 and a.shape[0] == K > 1:
        return a.reshape(1, K)  # one 0/1 row y^(t)
    return a


def as_numbers(y: Any, arg: str, caller: str, expected: str) -> np.ndarray:
    """``y`` as a float array, refusing strings (even "1"), None and other non-numbers."""
    a = np.asarray(y)
    if a.dtype.kind in "biuf":
        return a.astype(np.float64, copy=False)
    if a.dtype.kind == "O":  # a list mixing types: every entry must be a real number
        bad = [v for v in a.flat if not isinstance(v, numbers.Real)][:1]
        if not bad:
            return a.astype(np.float64)
        found = bad[0]
    else:  # strings, bytes, complex numbers, dates, ...
        found = a.flat[0] if a.size else a.dtype
        if isinstance(found, np.generic):
            found = found.item()  # 'a', not np.str_('a')
    raise ValueError(f"{caller}: {arg} holds {type(found).__name__} values such as "
                     f"{found!r}; expected {expected}")


def class_indices(y: Any, n_classes: int, caller: str, arg: str = "y", *,
                  note: str | None = None) -> np.ndarray:
    """``y`` (one dimension) as int64 class indices, each a whole number in 0..n_classes−1.

    The error names ``arg``, what was found (the first bad entry, or the type of a
    non-number such as a string) and the range expected."""
    top = n_classes - 1
    note = note or f"{n_classes} classes; labels are 0-based"
    a = as_numbers(y, arg, caller, f"class indices 0..{top} ({note})")
    if a.ndim != 1:
        raise ValueError(f"{caller}: {arg} has shape {a.shape}; expected one class index per "
                         "example, shape (m,)")
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(a) | (a != np.round(a)) | (a < 0) | (a > top)
    if bad.any():
        t = int(np.argmax(bad))
        raise ValueError(f"{caller}: {arg}[{t}] = {a[t]:g} is not a class index in 0..{top} "
                         f"({note})")
    return a.astype(np.int64)


def one_hot(y: Any, K: int, caller: str, arg: str = "y") -> np.ndarray:
    """The 0/1 matrix Y (m × K) whose row t is the unit vector e_k for y^(t) = k, from
    class indices checked by :func:`class_indices`."""
    idx = class_indices(y, K, caller, arg)
    Y = np.zeros((idx.shape[0], K))
    Y[np.arange(idx.shape[0]), idx] = 1.0  # y = k becomes the unit vector e_k
    return Y


def lam(value: Any, caller: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
            not np.isfinite(float(value)) or value < 0:
        raise ValueError(f"{caller}: lam (λ) must be a finite number >= 0, got {value!r}")
    return float(value)
