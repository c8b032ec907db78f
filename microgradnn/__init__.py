"""microgradnn: see and check backpropagation.

Scalar and Tensor nodes record their ops in the forward pass; ``root.backward()`` sweeps
the graph in reverse topological order and leaves ∂root/∂node in every node's ``grad``.

``import microgradnn`` loads only the graph core and ``Scalar``; NumPy-backed parts
(``Tensor``, checking, ``nn``, drawing) load on first use, so the scalar engine starts fast.
The package's layers, each importing only from those before it (checked by import-linter):
``core`` ← ``scalar``, ``tensor`` ← ``check``, ``optim`` ← ``nn`` ← ``viz`` ← ``app``.
"""

# ruff: noqa: F401  (the names imported here are re-exported through __all__, which is
# computed from _EAGER and _LAZY below, so ruff cannot see that they are used)
from __future__ import annotations

import importlib as _importlib
import sys as _sys
import types as _types
import typing as _typing

from .core import (
    AnomalyError,
    Node,
    detect_anomaly,
    enable_grad,
    grad,
    inference_mode,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
    topological_order,
)
from .scalar import Scalar

# public names loaded with the package
_EAGER = ("AnomalyError", "Node", "Scalar", "detect_anomaly", "enable_grad", "grad",
          "inference_mode", "is_anomaly_enabled", "is_grad_enabled", "no_grad",
          "set_grad_enabled", "topological_order")

__version__ = "0.1.0"

# public name -> module that defines it, imported on first access (PEP 562)
_LAZY = {
    "GradcheckError": "check",
    "gradcheck": "check",
    "gradgradcheck": "check",
    "Function": "function",
    "FunctionCtx": "function",
    "jacobian": "transforms",
    "hessian": "transforms",
    "hvp": "transforms",
    "vjp": "transforms",
    "jvp": "transforms",
    "numerical_gradient": "check",
    "relative_difference": "check",
    "Tensor": "tensor",
    "concatenate": "tensor",
    "stack": "tensor",
    "where": "tensor",
    "maximum": "tensor",
    "arange": "tensor",
    "manual_seed": "tensor",
    "ones": "tensor",
    "rand": "tensor",
    "randn": "tensor",
    "zeros": "tensor",
    "draw_graph": "viz",
    "draw_network": "viz",
}
_SUBMODULES = {"check", "nn", "optim", "viz"}

if _typing.TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .check import (
        GradcheckError,
        gradcheck,
        gradgradcheck,
        numerical_gradient,
        relative_difference,
    )
    from .function import Function, FunctionCtx
    from .tensor import Tensor, concatenate, maximum, stack, where
    from .tensor.factories import arange, manual_seed, ones, rand, randn, tensor, zeros
    from .transforms import hessian, hvp, jacobian, jvp, vjp
    from .viz import draw_graph, draw_network


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        value = getattr(_importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return _importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'microgradnn' has no attribute {name!r}")


class _Package(_types.ModuleType):
    """The package's module type: ``mg.tensor`` is the factory (``torch.tensor``'s
    namesake), though the submodule ``microgradnn.tensor`` shares the name. The import
    system records that submodule on the package as ``tensor`` once it loads; the setter
    lets it (the module stays in ``sys.modules``) and the name keeps meaning the factory."""

    @property
    def tensor(self) -> _typing.Any:
        from .tensor.factories import tensor

        return tensor

    @tensor.setter
    def tensor(self, value: _typing.Any) -> None:
        pass


_sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    """The public names and subpackages (not the helpers this module imports)."""
    return sorted({*__all__, *_SUBMODULES})


# everything above, loaded or lazy, and nothing else: one list, built from the tables
__all__ = sorted([*_EAGER, *_LAZY, "tensor", "__version__"])
