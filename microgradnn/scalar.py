"""Scalar: a graph node holding one Python float.

Each op computes its value and its local derivatives ∂out/∂input at once; the backward
sweep multiplies them by ∂root/∂out (the chain rule). Each op's docstring states its
derivative. Plain numbers on either side of an operator are constants, not nodes: they
shape the local derivatives but get no gradient.

Nothing here returns a silent NaN: values outside an op's domain raise an error naming
the op, the operand and the node.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from operator import mul
from typing import Any, TypeAlias

from .autodiff import Node, _creation_counter
from .modes import AnomalyError, _modes, _non_default

__all__ = ["Scalar"]

Number: TypeAlias = "int | float"
ScalarLike: TypeAlias = "Scalar | int | float"

_new = object.__new__
_next_order = _creation_counter.__next__
_isfinite = math.isfinite


def _result(data: float, op: str, a: Any, da: Any, b: Scalar | None = None,
            db: float = 0.0) -> Scalar:
    """Make the output node of an op (the one place Scalar ops create nodes).

    ``a``, ``da``: the first input and ∂out/∂a; ``b``, ``db``: the second input of a binary
    op and ∂out/∂b. An n-ary op passes a tuple of inputs as ``a`` and of derivatives as ``da``.
    """
    out = _new(Scalar)
    out.data = data
    out.grad = None
    out.name = None
    out._hooks = None
    out._order = _next_order()
    out.op = op
    if _non_default[0]:
        if _modes.anomaly and not _isfinite(data):
            inputs = a if a.__class__ is tuple else (a, b)
            names = ", ".join(p.label() for p in inputs if p is not None)
            raise AnomalyError(f"forward of {op!r} produced {data} from inputs ({names})")
        if not _modes.grad_enabled:
            a = b = da = None
    out._a = a
    out._da = da
    out._b = b
    out._db = db
    return out


def _value(x: Any, op: str) -> float:
    """The float behind a Scalar or a number operand, or a TypeError naming it."""
    if x.__class__ is float:
        return x
    if isinstance(x, Scalar):
        return x.data
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    if isinstance(x, Node):  # a Tensor: the two engines build separate graphs
        raise TypeError(f"{op}: cannot combine a Scalar with a {type(x).__name__} "
                        f"({x.label()}); Scalar and Tensor graphs are separate — use "
                        "Tensors throughout (mg.Tensor(s.data) for a Scalar's value) or "
                        "Scalars throughout")
    raise TypeError(f"{op}: unsupported operand {x!r} of type {type(x).__name__}; "
                    "expected a Scalar or a real number")


class Scalar(Node):
    """A node holding one float: ``Scalar(2.0, name="x")``.

    ``data`` is the value, ``grad`` is ∂root/∂self after ``root.backward()`` (``None``
    before), ``parents`` the op's inputs in order, ``op`` the op's name.
    """

    __slots__ = ()
    __array_ufunc__ = None  # NumPy defers to Scalar's operators (which reject arrays)

    def __init__(self, data: Any, name: str | None = None) -> None:
        if isinstance(data, Scalar):
            data = data.data
        elif isinstance(data, bool) or not isinstance(data, numbers.Real):
            raise TypeError(
                f"Scalar expects a real number, got {data!r} of type {type(data).__name__}"
            )
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Scalar name must be a str, got {type(name).__name__}")
        self.data = float(data)
        self.grad = None
        self.name = name
        self.op = ""
        self._a = self._b = self._da = self._db = None
        self._hooks = None
        self._order = _next_order()

    # -- the node protocol (the chain rule itself is the local derivatives, _da/_db) ----
    @staticmethod
    def _is_finite(value: Any) -> bool:
        return _isfinite(value)

    def _seed(self) -> float:
        return 1.0

    def _check_gradient(self, gradient: Any) -> float:
        return _value(gradient, "backward(gradient=...)")

    def _hook_result(self, replaced: Any, g: Any) -> float:
        return _value(replaced, f"hook on {self.label()}")

    # -- arithmetic ---------------------------------------------------------------------
    def __add__(self, other: ScalarLike) -> Scalar:
        """a + b; ∂/∂a = 1, ∂/∂b = 1."""
        if isinstance(other, Scalar):
            return _result(self.data + other.data, "+", self, 1.0, other, 1.0)
        return _result(self.data + _value(other, "+"), "+", self, 1.0)

    __radd__ = __add__

    def __sub__(self, other: ScalarLike) -> Scalar:
        """a - b; ∂/∂a = 1, ∂/∂b = -1."""
        if isinstance(other, Scalar):
            return _result(self.data - other.data, "-", self, 1.0, other, -1.0)
        return _result(self.data - _value(other, "-"), "-", self, 1.0)

    def __rsub__(self, other: Number) -> Scalar:
        """c - a; ∂/∂a = -1."""
        return _result(_value(other, "-") - self.data, "-", self, -1.0)

    def __mul__(self, other: ScalarLike) -> Scalar:
        """a * b; ∂/∂a = b, ∂/∂b = a."""
        if isinstance(other, Scalar):
            return _result(self.data * other.data, "*", self, other.data, other, self.data)
        c = _value(other, "*")
        return _result(self.data * c, "*", self, c)

    __rmul__ = __mul__

    def __truediv__(self, other: ScalarLike) -> Scalar:
        """a / b; ∂/∂a = 1/b, ∂/∂b = -a/b²."""
        b = _value(other, "/")
        if b == 0.0:
            raise ZeroDivisionError(
                f"division by zero: {self.label()} / {_label(other)}, and the divisor is 0"
            )
        out = self.data / b
        if isinstance(other, Scalar):  # -a/b² as -(a/b)/b: b*b underflows for tiny b
            return _result(out, "/", self, 1.0 / b, other, -out / b)
        return _result(out, "/", self, 1.0 / b)

    def __rtruediv__(self, other: Number) -> Scalar:
        """c / a; ∂/∂a = -c/a²."""
        c = _value(other, "/")
        if self.data == 0.0:
            raise ZeroDivisionError(
                f"division by zero: {c} / {self.label()}, and {self.label()} is 0"
            )
        out = c / self.data
        return _result(out, "/", self, -out / self.data)  # -c/a² without a*a underflowing

    def __neg__(self) -> Scalar:
        """-a; ∂/∂a = -1."""
        return _result(-self.data, "neg", self, -1.0)

    def __pos__(self) -> Scalar:
        return self

    def __pow__(self, other: ScalarLike) -> Scalar:
        """a ** n; ∂/∂a = n·a^(n-1), and for a Scalar exponent ∂/∂n = a^n·ln a (a > 0)."""
        if isinstance(other, Scalar):
            return _pow(self, other)
        n = _value(other, "**")
        a = self.data
        out = _power(a, n, self, other)
        return _result(out, "**", self, _power_slope(a, n, out))

    def __rpow__(self, other: Number) -> Scalar:
        """c ** a; ∂/∂a = c^a·ln c (c > 0)."""
        return _pow(other, self)

    # -- comparisons compare values; == stays identity, as nodes live in sets and dicts -
    def __lt__(self, other: ScalarLike) -> bool:
        return self.data < _value(other, "<")

    def __le__(self, other: ScalarLike) -> bool:
        return self.data <= _value(other, "<=")

    def __gt__(self, other: ScalarLike) -> bool:
        return self.data > _value(other, ">")

    def __ge__(self, other: ScalarLike) -> bool:
        return self.data >= _value(other, ">=")

    __hash__ = Node.__hash__

    def __float__(self) -> float:
        return self.data

    def __bool__(self) -> bool:
        return self.data != 0.0

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name else ""
        op = f", op={self.op!r}" if self.op else ""
        return f"Scalar(data={self.data!r}, grad={self.grad!r}{name}{op})"

    # -- elementary functions --------------------------------------------------------------
    def exp(self) -> Scalar:
        """exp(a); ∂/∂a = exp(a)."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(
                f"exp: exp({self.data}) overflows a float (node {self.label()})"
            ) from None
        return _result(e, "exp", self, e)

    def log(self) -> Scalar:
        """ln(a) for a > 0; ∂/∂a = 1/a."""
        if self.data <= 0.0:
            raise ValueError(f"log: operand {self.data} of node {self.label()} is outside "
                             "the domain a > 0")
        return _result(math.log(self.data), "log", self, 1.0 / self.data)

    def sqrt(self) -> Scalar:
        """√a for a ≥ 0; ∂/∂a = 1/(2√a) (inf at 0, as PyTorch)."""
        if self.data < 0.0:
            raise ValueError(f"sqrt: operand {self.data} of node {self.label()} is outside "
                             "the domain a >= 0")
        r = math.sqrt(self.data)
        return _result(r, "sqrt", self, 0.5 / r if r else math.inf)

    def tanh(self) -> Scalar:
        """tanh(a); ∂/∂a = 1 - tanh(a)²."""
        t = math.tanh(self.data)
        return _result(t, "tanh", self, 1.0 - t * t)

    def sigmoid(self) -> Scalar:
        """σ(a) = 1/(1 + e^-a), computed without overflow; ∂/∂a = σ(a)(1 - σ(a))."""
        a = self.data
        if a >= 0.0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return _result(s, "sigmoid", self, s * (1.0 - s))

    def relu(self) -> Scalar:
        """max(0, a); ∂/∂a = 1 if a > 0 else 0."""
        a = self.data
        if a > 0.0:
            return _result(a, "relu", self, 1.0)
        return _result(0.0, "relu", self, 0.0)

    def abs(self) -> Scalar:
        """|a|; ∂/∂a = sign(a) (0 at 0, as PyTorch)."""
        a = self.data
        return _result(abs(a), "abs", self, 1.0 if a > 0 else -1.0 if a < 0 else 0.0)

    __abs__ = abs

    # -- n-ary nodes: one node, many parents ---------------------------------------------
    @staticmethod
    def sum(values: Iterable[ScalarLike]) -> Scalar:
        """Σ v_i as one node; ∂/∂v_i = 1 for every Scalar v_i (numbers are constants)."""
        if not isinstance(values, (list, tuple)):
            values = list(values)
        if values and _all_scalars(values):
            parents = tuple(values)
            return _result(_fsum([v.data for v in parents]), "sum", parents,
                           (1.0,) * len(parents))
        parents = tuple(v for v in values if isinstance(v, Scalar))
        total = _fsum([_value(v, "Scalar.sum") for v in values])
        return _result(total, "sum", parents or None, (1.0,) * len(parents))

    @staticmethod
    def dot(ws: Sequence[ScalarLike], xs: Sequence[ScalarLike],
            bias: ScalarLike | None = None) -> Scalar:
        """w·x + b as one node; ∂/∂w_i = x_i, ∂/∂x_i = w_i, ∂/∂b = 1.

        A neuron's weighted sum in one node: fewer nodes, a faster sweep, a cleaner picture.
        """
        if not isinstance(ws, (list, tuple)):
            ws = list(ws)
        if not isinstance(xs, (list, tuple)):
            xs = list(xs)
        n = len(ws)
        if n != len(xs):
            raise ValueError(f"Scalar.dot: {n} weights but {len(xs)} inputs; "
                             "expected the same number")
        inputs = (*ws, *xs) if bias is None else (*ws, *xs, bias)
        if n and _all_scalars(inputs):  # the neuron's case: every operand a node
            wv = [w.data for w in ws]  # type: ignore[union-attr]  # all Scalars (checked)
            xv = [x.data for x in xs]  # type: ignore[union-attr]
            total = sum(map(mul, wv, xv))
            if bias is None:
                return _result(total, "dot", inputs, (*xv, *wv))
            return _result(total + bias.data, "dot", inputs,  # type: ignore[union-attr]
                           (*xv, *wv, 1.0))
        # some operands are numbers: constants, which get no edge
        wv = [_value(w, "Scalar.dot") for w in ws]
        xv = [_value(x, "Scalar.dot") for x in xs]
        parents = tuple(w for w in ws if isinstance(w, Scalar))
        parents += tuple(x for x in xs if isinstance(x, Scalar))
        local = tuple(x for w, x in zip(ws, xv) if isinstance(w, Scalar))
        local += tuple(w for w, x in zip(wv, xs) if isinstance(x, Scalar))
        total = sum(map(mul, wv, xv), 0.0)
        if bias is not None:
            total += _value(bias, "Scalar.dot")
            if isinstance(bias, Scalar):
                parents += (bias,)
                local += (1.0,)
        return _result(total, "dot", parents or None, local)


def _all_scalars(values: Iterable[Any]) -> bool:
    """Whether every value is a Scalar node (not a number): the n-ary ops' fast path."""
    for v in values:  # noqa: SIM110  (a plain loop: faster than all() over a generator)
        if v.__class__ is not Scalar:
            return False
    return True


def _fsum(values: list[float]) -> float:
    """The exactly rounded sum; inf or nan where ``+`` gives them (math.fsum raises on an
    intermediate overflow and on inf + -inf)."""
    try:
        return math.fsum(values)
    except (OverflowError, ValueError):
        return sum(values, 0.0)


def _label(x: Any) -> str:
    return x.label() if isinstance(x, Scalar) else repr(x)


def _power(a: float, n: float, base: Any, exponent: Any) -> float:
    """a ** n as a float, or an error naming the operands (never a complex or a NaN)."""
    if a == 0.0 and n < 0.0:
        raise ValueError(f"**: 0 ** {n} (base {_label(base)}, exponent {_label(exponent)}) is "
                         "undefined; expected a non-negative exponent for a zero base")
    if a < 0.0 and not float(n).is_integer():
        raise ValueError(f"**: negative base {a} ({_label(base)}) with non-integer exponent "
                         f"{n} ({_label(exponent)}) has no real value")
    try:
        return float(a**n)
    except OverflowError:
        raise OverflowError(f"**: {a} ** {n} overflows a float "
                            f"(base {_label(base)}, exponent {_label(exponent)})") from None


def _power_slope(a: float, n: float, out: float) -> float:
    """∂(a^n)/∂a = n·a^(n-1) given out = a^n; 0 for n = 0, and unbounded (inf) at a = 0
    when 0 < n < 1. Where a^(n-1) overflows a float though a^n did not (a tiny base), the
    slope is n·a^n/a, which gives ±inf as float division does, not an OverflowError."""
    if n == 0.0:
        return 0.0
    if a == 0.0 and n < 1.0:
        return math.inf
    try:
        return n * a ** (n - 1.0)
    except OverflowError:
        return n * out / a


def _pow(base: ScalarLike, exponent: Scalar) -> Scalar:
    """a ** b with a Scalar exponent; ∂/∂a = b·a^(b-1), ∂/∂b = a^b·ln a."""
    a = _value(base, "**")
    b = exponent.data
    if a < 0.0:
        raise ValueError(f"**: base {a} ({_label(base)}) is negative; a Scalar exponent "
                         f"({exponent.label()}) needs a base >= 0, since ∂(a^b)/∂b = a^b·ln a")
    out = _power(a, b, base, exponent)
    d_exponent = out * math.log(a) if a > 0.0 else 0.0
    if isinstance(base, Scalar):
        d_base = _power_slope(a, b, out)
        return _result(out, "**", base, d_base, exponent, d_exponent)
    return _result(out, "**", exponent, d_exponent)
