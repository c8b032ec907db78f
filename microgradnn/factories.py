"""Tensors made from a shape or a range, as in PyTorch: ``mg.zeros``, ``mg.ones``,
``mg.rand``, ``mg.randn``, ``mg.arange``, ``mg.tensor``, and ``mg.manual_seed``.

Random factories draw from one module-level NumPy ``Generator``; ``mg.manual_seed(s)``
replaces it with a freshly seeded one, so a script that seeds once gets the same numbers on
every run. Each also takes ``generator=`` (a ``numpy.random.Generator``) for a stream of its
own. Every factory returns a leaf, float64 unless ``dtype=np.float32``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .tensor import Tensor

__all__ = ["arange", "manual_seed", "ones", "rand", "randn", "tensor", "zeros"]

_default = [np.random.default_rng()]


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the generator every random factory draws from (PyTorch's ``manual_seed``);
    returns it."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"manual_seed: seed must be an integer >= 0, got {seed!r}")
    _default[0] = np.random.default_rng(int(seed))
    return _default[0]


def _shape(size: tuple[Any, ...], fn: str) -> tuple[int, ...]:
    """zeros(2, 3) and zeros((2, 3)) alike; each size a non-negative integer."""
    if len(size) == 1 and isinstance(size[0], tuple | list):
        size = tuple(size[0])
    for n in size:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
            raise ValueError(f"{fn}: sizes must be integers >= 0, got {size!r}")
    return tuple(int(n) for n in size)


def _generator(generator: Any, fn: str) -> np.random.Generator:
    if generator is None:
        return _default[0]
    if not isinstance(generator, np.random.Generator):
        raise TypeError(f"{fn}: generator must be a numpy.random.Generator "
                        f"(np.random.default_rng(seed)), got {type(generator).__name__}")
    return generator


def _leaf(data: np.ndarray, dtype: Any, requires_grad: bool, name: str | None) -> Tensor:
    return Tensor(data, requires_grad=requires_grad, name=name, dtype=dtype)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False,
          name: str | None = None) -> Tensor:
    """A Tensor of zeros: ``mg.zeros(2, 3)`` or ``mg.zeros((2, 3))``."""
    return _leaf(np.zeros(_shape(size, "zeros")), dtype, requires_grad, name)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False,
         name: str | None = None) -> Tensor:
    """A Tensor of ones."""
    return _leaf(np.ones(_shape(size, "ones")), dtype, requires_grad, name)


def rand(*size: Any, generator: np.random.Generator | None = None, dtype: Any = None,
         requires_grad: bool = False, name: str | None = None) -> Tensor:
    """Uniform on [0, 1)."""
    rng = _generator(generator, "rand")
    return _leaf(rng.random(_shape(size, "rand")), dtype, requires_grad, name)


def randn(*size: Any, generator: np.random.Generator | None = None, dtype: Any = None,
          requires_grad: bool = False, name: str | None = None) -> Tensor:
    """Standard normal."""
    rng = _generator(generator, "randn")
    return _leaf(rng.standard_normal(_shape(size, "randn")), dtype, requires_grad, name)


def arange(start: float, end: float | None = None, step: float = 1, *, dtype: Any = None,
           requires_grad: bool = False, name: str | None = None) -> Tensor:
    """start, start + step, ... up to but excluding end (``arange(n)`` is 0..n−1), as floats."""
    for what, value in (("start", start), ("end", end), ("step", step)):
        if value is not None and (isinstance(value, bool) or
                                  not isinstance(value, numbers.Real)):
            raise TypeError(f"arange: {what} must be a number, got {value!r}")
    if step == 0:
        raise ValueError("arange: step must be non-zero")
    values = np.arange(0, start, step) if end is None else np.arange(start, end, step)
    return _leaf(values.astype(np.float64), dtype, requires_grad, name)


def tensor(data: Any, *, dtype: Any = None, requires_grad: bool = False,
           name: str | None = None) -> Tensor:
    """A new leaf holding a copy of ``data`` (PyTorch's ``torch.tensor``; ``mg.Tensor(array)``
    shares a float array instead). A Tensor given is copied without its graph."""
    if isinstance(data, Tensor):
        data = data.data
    return _leaf(np.array(data), dtype, requires_grad, name)
