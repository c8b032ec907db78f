"""microgradnn: see and check backpropagation.

Scalar and Tensor nodes record their ops in the forward pass; ``root.backward()`` sweeps
the graph in reverse topological order and leaves ∂root/∂node in every node's ``grad``.

``import microgradnn`` loads only the graph core and ``Scalar``; NumPy-backed parts
(``Tensor``, checking, ``nn``, drawing) load on first use, so the scalar engine starts fast.
"""

from __future__ import annotations

import importlib as _importlib
import sys as _sys
import types as _types
import typing as _typing

from .autodiff import (
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

__version__ = "0.1.0"

# public name -> module that defines it, imported on first access (PEP 562)
_LAZY = {
    "GradcheckError": "check",
    "gradcheck": "check",
    "numerical_gradient": "check",
    "relative_difference": "check",
    "Tensor": "tensor",
    "concatenate": "tensor",
    "stack": "tensor",
    "where": "tensor",
    "maximum": "tensor",
    "arange": "factories",
    "manual_seed": "factories",
    "ones": "factories",
    "rand": "factories",
    "randn": "factories",
    "zeros": "factories",
    "draw_graph": "viz",
    "draw_network": "viz",
}
_SUBMODULES = {"check", "nn", "optim", "viz"}

if _typing.TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .check import GradcheckError, gradcheck, numerical_gradient, relative_difference
    from .factories import arange, manual_seed, ones, rand, randn, tensor, zeros
    from .tensor import Tensor, concatenate, maximum, stack, where
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
        from .factories import tensor

        return tensor

    @tensor.setter
    def tensor(self, value: _typing.Any) -> None:
        pass


_sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    """The public names and subpackages (not the helpers this module imports)."""
    return sorted({*__all__, *_SUBMODULES})


__all__ = [
    "AnomalyError",
    "GradcheckError",
    "Node",
    "Scalar",
    "Tensor",
    "__version__",
    "arange",
    "concatenate",
    "detect_anomaly",
    "draw_graph",
    "draw_network",
    "enable_grad",
    "grad",
    "gradcheck",
    "inference_mode",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "manual_seed",
    "maximum",
    "no_grad",
    "numerical_gradient",
    "ones",
    "rand",
    "randn",
    "relative_difference",
    "set_grad_enabled",
    "stack",
    "tensor",
    "topological_order",
    "where",
    "zeros",
]
