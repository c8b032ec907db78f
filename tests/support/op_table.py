"""One table of scalar ops drives the Scalar tests, the Tensor tests, the PyTorch
comparisons and gradcheck (minitorch's habit): a new op is one new row.

Each row: (name, function, domain). ``function`` is written with operators and method
names that mg.Scalar, mg.Tensor and torch.Tensor share, so the same lambda runs on all
three. ``domain`` is (low, high) for every input, kept away from kinks and domain edges
where central differences lie (relu and abs at 0, log and sqrt near 0).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Op(NamedTuple):
    name: str
    fn: Callable[..., Any]
    arity: int
    domain: tuple[float, float]


SAFE = (-2.0, 2.0)
POSITIVE = (0.2, 3.0)
AWAY_FROM_ZERO = (0.1, 2.0)  # |x| off the kink at 0; the *_neg rows and the tests set the sign

UNARY = [
    Op("neg", lambda a: -a, 1, SAFE),
    Op("add_const", lambda a: a + 1.5, 1, SAFE),
    Op("radd_const", lambda a: 1.5 + a, 1, SAFE),
    Op("sub_const", lambda a: a - 0.7, 1, SAFE),
    Op("rsub_const", lambda a: 0.7 - a, 1, SAFE),
    Op("mul_const", lambda a: a * -2.5, 1, SAFE),
    Op("rmul_const", lambda a: -2.5 * a, 1, SAFE),
    Op("div_const", lambda a: a / 4.0, 1, SAFE),
    Op("rdiv_const", lambda a: 3.0 / a, 1, POSITIVE),
    Op("square", lambda a: a**2, 1, SAFE),
    Op("cube", lambda a: a**3, 1, SAFE),
    Op("pow_frac", lambda a: a**1.5, 1, POSITIVE),
    Op("pow_neg", lambda a: a**-2, 1, POSITIVE),
    Op("rpow_const", lambda a: 2.0**a, 1, SAFE),
    Op("exp", lambda a: a.exp(), 1, SAFE),
    Op("log", lambda a: a.log(), 1, POSITIVE),
    Op("sqrt", lambda a: a.sqrt(), 1, POSITIVE),
    Op("tanh", lambda a: a.tanh(), 1, SAFE),
    Op("sigmoid", lambda a: a.sigmoid(), 1, SAFE),
    Op("relu_pos", lambda a: a.relu(), 1, AWAY_FROM_ZERO),
    Op("relu_neg", lambda a: (-a).relu(), 1, AWAY_FROM_ZERO),
    Op("abs_pos", lambda a: a.abs(), 1, AWAY_FROM_ZERO),
    Op("abs_neg", lambda a: (-a).abs(), 1, AWAY_FROM_ZERO),
]

BINARY = [
    Op("add", lambda a, b: a + b, 2, SAFE),
    Op("sub", lambda a, b: a - b, 2, SAFE),
    Op("mul", lambda a, b: a * b, 2, SAFE),
    Op("div", lambda a, b: a / b, 2, POSITIVE),
    Op("pow", lambda a, b: a**b, 2, POSITIVE),
    Op("self_mul", lambda a, b: a * a + b * a, 2, SAFE),
    Op("composite", lambda a, b: (a * b + a.tanh()).sigmoid() * (b - a).exp(), 2, SAFE),
]

ALL = UNARY + BINARY
