"""What a Tensor holds: float64 by default, float32 when asked, nothing else.

Ints and bools become float64; complex, object and text arrays are refused with an error
that names the dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["F64", "FLOATS", "as_array"]

F64 = np.dtype(np.float64)
# float64 first: ``dtype in FLOATS`` (on every op with an array constant) then ends at the
# first, identity, comparison in the common case instead of a dtype == dtype call
FLOATS = (F64, np.dtype(np.float32))
_ndarray = np.ndarray
_asarray = np.asarray


def as_array(x: Any, dtype: Any, what: str) -> np.ndarray:
    """x as a float32/float64 array (ints and bools become float64), or a TypeError."""
    want = None
    if dtype is not None:
        want = np.dtype(dtype)
        if want not in FLOATS:
            raise TypeError(f"{what}: dtype {want} is not supported; expected float32 or "
                            "float64")
    if x.__class__ is not _ndarray:
        try:
            x = _asarray(x)
        except ValueError as error:
            raise ValueError(f"{what}: could not make an array of {type(x).__name__} "
                             f"{x!r:.80}: {error}") from None
    kind = x.dtype.kind
    if kind == "f":
        if want is not None:
            return x if x.dtype == want else x.astype(want)
        return x if x.dtype in FLOATS else x.astype(F64)
    if kind in "iub":
        return x.astype(want or F64)
    raise TypeError(f"{what}: cannot hold an array of dtype {x.dtype}; expected real "
                    "numbers (float, int or bool)")
