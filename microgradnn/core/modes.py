"""Grad mode and anomaly mode: thread-local switches every op consults.

``no_grad``, ``enable_grad``, ``set_grad_enabled`` and ``detect_anomaly`` are context
managers and decorators; ``is_grad_enabled()`` and ``is_anomaly_enabled()`` read them. Outside
the core, modes are read only through these functions. The core's node constructor reads
one counter on its hot path (how many threads are not in the default modes) and looks at
the thread-local modes only when it is non-zero.
"""

from __future__ import annotations

import abc
import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = [
    "AnomalyError",
    "detect_anomaly",
    "enable_grad",
    "inference_mode",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "recording_backward",
    "set_grad_enabled",
]

F = TypeVar("F", bound=Callable[..., Any])


class _ThreadModes(threading.local):
    grad_enabled: bool = True
    anomaly: bool = False


class _Departures:
    """How many threads are not in the default modes (grad on, anomaly off).

    :func:`~microgradnn.core.node.node_maker`'s nodes read ``threads`` on every op and consults the
    thread-local modes only when it is non-zero (one attribute read, no call).
    """

    __slots__ = ("threads",)

    def __init__(self) -> None:
        self.threads = 0


# The two states themselves: read by name only inside the core (core/node.py's constructor)
thread_modes = _ThreadModes()
departures = _Departures()
_mode_lock = threading.Lock()


def _set_modes(grad_enabled: bool, anomaly: bool) -> None:
    was_default = thread_modes.grad_enabled and not thread_modes.anomaly
    thread_modes.grad_enabled = grad_enabled
    thread_modes.anomaly = anomaly
    is_default = grad_enabled and not anomaly
    if was_default != is_default:
        with _mode_lock:
            departures.threads += 1 if was_default else -1


def is_grad_enabled() -> bool:
    """True when new ops record their parents (the default)."""
    return thread_modes.grad_enabled


def is_anomaly_enabled() -> bool:
    """True inside :func:`detect_anomaly`."""
    return thread_modes.anomaly


class _ModeContext(abc.ABC):
    """A context manager that is also a decorator; each use saves and restores the modes."""

    @abc.abstractmethod
    def _target(self) -> tuple[bool, bool]:
        """The (grad_enabled, anomaly) modes this context switches to."""

    def __enter__(self) -> None:
        self._saved = (thread_modes.grad_enabled, thread_modes.anomaly)
        _set_modes(*self._target())

    def __exit__(self, *exc: object) -> None:
        _set_modes(*self._saved)

    def __call__(self, fn: F) -> F:
        if not callable(fn):
            raise TypeError(f"{type(self).__name__}() as a decorator expects a function, got "
                            f"{type(fn).__name__}")
        if inspect.isgeneratorfunction(fn):
            return self._wrap_generator(fn)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            # per call: safe under recursion
            saved = (thread_modes.grad_enabled, thread_modes.anomaly)
            _set_modes(*self._target())
            try:
                return fn(*args, **kwargs)
            finally:
                _set_modes(*saved)

        return wrapper  # type: ignore[return-value]

    def _wrap_generator(self, fn: F) -> F:
        """A generator runs its body a step at a time, each ``next()`` or ``send()``
        from the caller's modes: switch to this context's modes for every step (PyTorch)."""
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            gen = fn(*args, **kwargs)
            step: Any = gen.send
            arg: Any = None
            while True:
                saved = (thread_modes.grad_enabled, thread_modes.anomaly)
                _set_modes(*self._target())
                try:
                    item = step(arg)
                except StopIteration as stop:
                    return stop.value
                finally:
                    _set_modes(*saved)
                try:
                    arg = yield item
                    step = gen.send
                except GeneratorExit:
                    gen.close()
                    raise
                except BaseException as error:  # thrown in: the body handles it, in mode
                    step, arg = gen.throw, error

        return wrapper  # type: ignore[return-value]


class _BareDecorator(_ModeContext):
    """A context usable with or without parentheses as a decorator: ``@mg.no_grad`` and
    ``@mg.no_grad()`` both work, as in PyTorch."""

    def __new__(cls, fn: Any = None) -> Any:
        context = super().__new__(cls)
        if fn is None:
            return context
        return context(fn)  # not an instance of cls, so __init__ is not called

    def __init__(self, fn: Any = None) -> None:
        pass


class no_grad(_BareDecorator):
    """Context manager and decorator: ops inside record no parents (nothing to backprop)."""

    def _target(self) -> tuple[bool, bool]:
        return False, thread_modes.anomaly


class inference_mode(_ModeContext):
    """PyTorch's ``inference_mode``: here the same as :class:`no_grad` (``mode=False``
    changes nothing). Context manager and decorator, with or without parentheses."""

    def __new__(cls, mode: Any = True) -> Any:
        context = super().__new__(cls)
        if callable(mode):  # bare @mg.inference_mode
            context.mode = True
            return context(mode)
        return context

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)

    def _target(self) -> tuple[bool, bool]:
        return thread_modes.grad_enabled and not self.mode, thread_modes.anomaly


class enable_grad(_BareDecorator):
    """Context manager and decorator: turn recording back on inside a ``no_grad`` block."""

    def _target(self) -> tuple[bool, bool]:
        return True, thread_modes.anomaly


class set_grad_enabled(_ModeContext):
    """Set grad mode: at once when called, restored at exit when used as a context.

    ``mg.set_grad_enabled(False)`` switches recording off for this thread until switched
    back; ``with mg.set_grad_enabled(flag):`` switches it for the block only.
    """

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self._saved = (thread_modes.grad_enabled, thread_modes.anomaly)
        _set_modes(self.mode, thread_modes.anomaly)

    def __enter__(self) -> None:
        pass  # the mode was set when called; __exit__ restores the one saved then

    def __call__(self, fn: F) -> F:
        _set_modes(*self._saved)  # as a decorator it applies per call, not from now on
        return super().__call__(fn)

    def _target(self) -> tuple[bool, bool]:
        return self.mode, thread_modes.anomaly


class detect_anomaly(_BareDecorator):
    """Context manager and decorator: a NaN or inf raises :class:`AnomalyError`.

    Forward values are checked as each op produces them, gradients as the backward sweep
    computes them; the error names the op and the node where the first one appeared.
    """

    def _target(self) -> tuple[bool, bool]:
        return thread_modes.grad_enabled, True


class recording_backward(_BareDecorator):
    """The modes in which the ``create_graph`` sweep evaluates a node's backward rule: grad
    on (each step records nodes) and anomaly checks off for the rule's own intermediate
    values (a rule may pass through inf on its way to a finite gradient); in anomaly mode
    the sweep checks each contribution instead, as the first-order sweep does."""

    def _target(self) -> tuple[bool, bool]:
        return True, False


class AnomalyError(FloatingPointError):
    """A NaN or inf appeared inside :func:`detect_anomaly`."""
