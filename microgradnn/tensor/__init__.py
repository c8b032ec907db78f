"""Tensor: a graph node holding a NumPy array, and its ops.

| module        | what it holds                                                          |
|---------------|------------------------------------------------------------------------|
| ``node``      | the ``Tensor`` class: the node protocol, array facts, one method per op |
| ``spellings`` | PyTorch's names (view, clone, astype, …) and the in-place operators     |
| ``comparisons`` | ``==``, ``<``, … as plain boolean arrays (no gradient)               |
| ``factories`` | ``mg.tensor``, ``zeros``, ``ones``, ``rand``, ``randn``, ``arange``      |
| ``ops``       | the op table: each op's forward, one VJP per argument, what it reads   |
| ``apply``     | the one wrapper running every op forward: operands, 0-d and dtype cases |
| ``entries``   | an op entry as a node's rule: VJPs, unbroadcast, version/dtype checks  |
| ``fastpaths`` | the switch of the fast paths (``general_path()``, for the tests)       |
| ``functions`` | ``concatenate``, ``stack``, ``where``, ``maximum``, in-place changes    |
| ``arguments`` | axes and indices, checked with errors that name the node               |
| ``versions``  | version counters: a backward that reads changed data raises            |
| ``dtypes``    | float64 by default, float32 when asked                                 |
| ``kernels``   | stable sigmoid/softplus and the fast array paths, thresholds named     |
"""

from __future__ import annotations

from .apply import unbroadcast
from .factories import arange, manual_seed, ones, rand, randn, zeros
from .functions import concatenate, maximum, stack, where
from .node import ArrayLike, Tensor

__all__ = ["ArrayLike", "Tensor", "arange", "concatenate", "manual_seed", "maximum", "ones",
           "rand", "randn", "stack", "unbroadcast", "where", "zeros"]
