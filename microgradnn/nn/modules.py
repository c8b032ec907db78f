"""PyTorch-like modules on Tensors, for library users: Linear, activations, Sequential, MLP.

``model = MLP([2, 16, 16, 1])``; ``loss = F.binary_cross_entropy_with_logits(model(X), y)``;
``loss.backward()``; ``SGD(model.parameters(), lr=0.1).step()``.

In the course's notation a Linear layer from s_l to s_{l+1} units is Θ^(l) split in two:
``weight`` = Θ^(l)[:, 1:] and ``bias`` = Θ^(l)[:, 0].
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any

import numpy as np

from ..tensor import Tensor
from .init import random_weights

__all__ = ["MLP", "Linear", "Module", "ReLU", "Sequential", "Sigmoid", "Tanh"]


class Module(abc.ABC):
    """Base class: subclasses define ``forward``; parameters are the Tensor attributes with
    ``requires_grad`` and those of sub-modules, in the order they were set."""

    def __call__(self, x: Any) -> Tensor:
        return self.forward(x if isinstance(x, Tensor) else Tensor(x))

    @abc.abstractmethod
    def forward(self, x: Tensor) -> Tensor:
        """The module's computation; every module defines it."""

    def named_parameters(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        for name, value in vars(self).items():
            if isinstance(value, Tensor) and value.requires_grad:
                yield prefix + name, value
            elif isinstance(value, Module):
                yield from value.named_parameters(f"{prefix}{name}.")
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, Module):
                        yield from item.named_parameters(f"{prefix}{i}.")

    def parameters(self) -> list[Tensor]:
        """Every trainable Tensor, each once."""
        seen: dict[int, Tensor] = {}
        for _, p in self.named_parameters():
            seen.setdefault(id(p), p)
        return list(seen.values())

    def zero_grad(self) -> None:
        """Set every parameter's grad back to None."""
        for p in self.parameters():
            p.grad = None


class Linear(Module):
    """y = x Wᵀ + b with W of shape (out_features, in_features) and b of shape
    (out_features,); initialised as the course does, uniform on [−ε, ε] with
    ε = √6/√(in + out) by default (``epsilon`` may be a number such as 0.12)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *,
                 epsilon: float | str = "glorot", seed: Any = None) -> None:
        Theta = random_weights(out_features, in_features, epsilon, seed)
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.weight = Tensor(Theta[:, 1:], requires_grad=True, name="weight")
        self.bias = Tensor(Theta[:, 0], requires_grad=True, name="bias") if bias else None

    def forward(self, x: Tensor) -> Tensor:
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(f"Linear: input has shape {x.shape}; expected (..., "
                             f"{self.in_features}) for in_features={self.in_features}")
        out = x @ self.weight.T
        return out if self.bias is None else out + self.bias

    def __repr__(self) -> str:
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None})")


class Sigmoid(Module):
    """σ(x) elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return x.sigmoid()

    def __repr__(self) -> str:
        return "Sigmoid()"


class Tanh(Module):
    """tanh(x) elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()

    def __repr__(self) -> str:
        return "Tanh()"


class ReLU(Module):
    """max(0, x) elementwise."""

    def forward(self, x: Tensor) -> Tensor:
        return x.relu()

    def __repr__(self) -> str:
        return "ReLU()"


_ACTIVATIONS: dict[str, type[Sigmoid | Tanh | ReLU]] = {"sigmoid": Sigmoid, "tanh": Tanh,
                                                      "relu": ReLU}


class Sequential(Module):
    """Modules applied in order; ``seq[i]`` is the i-th, ``len(seq)`` how many."""

    def __init__(self, *modules: Module) -> None:
        for i, mod in enumerate(modules):
            if not isinstance(mod, Module):
                raise TypeError(f"Sequential: item {i} is a {type(mod).__name__}; "
                                "expected a Module")
        self.layers = list(modules)

    def forward(self, x: Tensor) -> Tensor:
        for mod in self.layers:
            x = mod(x)
        return x

    def __getitem__(self, i: int) -> Module:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({i}): {mod!r}" for i, mod in enumerate(self.layers))
        return f"{type(self).__name__}({inner}\n)"


class MLP(Sequential):
    """Linear layers for ``sizes`` = [s_1, ..., s_L] with ``activation`` between them and
    no activation after the last (it returns logits, for the losses in ``functional``)."""

    def __init__(self, sizes: Sequence[int], activation: str = "relu", *,
                 seed: Any = None) -> None:
        from . import validation

        sizes = validation.sizes(sizes, "MLP")
        activation = validation.activation(activation, "MLP")
        rng = np.random.default_rng(seed)
        layers: list[Module] = []
        for i, (fan_in, fan_out) in enumerate(pairwise(sizes)):
            layers.append(Linear(fan_in, fan_out, seed=rng))
            if i < len(sizes) - 2:
                layers.append(_ACTIVATIONS[activation]())
        super().__init__(*layers)
        self.sizes = sizes
