"""The graph core: what a node is, how one is made, the order of a graph, the backward sweep,
grad and anomaly modes, and hooks.

It knows nothing about floats or arrays. A node type (``Scalar``, ``Tensor``) subclasses
:class:`Node`, makes each op's output with the constructor :func:`node_maker` gives it
and supplies its local rules; the one sweep here serves every node type.

| module     | what it holds                                                           |
|------------|-------------------------------------------------------------------------|
| ``node``   | ``Node`` (the protocol), ``node_maker`` (the one constructor)          |
| ``order``  | ``topological_order``: iterative, parents before children               |
| ``sweep``  | the backward sweep that ``backward()`` and ``grad()`` run               |
| ``grad``   | ``grad(output, inputs)``: the functional form                           |
| ``modes``  | ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``detect_anomaly``  |
| ``hooks``  | ``RemovableHandle`` and running a node's hooks                          |
"""

from __future__ import annotations

from .grad import grad
from .hooks import RemovableHandle
from .modes import (
    AnomalyError,
    detect_anomaly,
    enable_grad,
    inference_mode,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from .node import Node, node_maker, rule_of, stamp
from .order import topological_order

__all__ = [
    "AnomalyError",
    "Node",
    "RemovableHandle",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "inference_mode",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "node_maker",
    "rule_of",
    "set_grad_enabled",
    "stamp",
    "topological_order",
]
