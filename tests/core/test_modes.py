"""Grad-mode decorators as PyTorch users write them (issue 13, item 12), and
``inference_mode``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import microgradnn as mg


@pytest.mark.parametrize("context", [mg.no_grad, mg.inference_mode])
def test_bare_decorator_without_parentheses(context: Callable[..., object]) -> None:
    @context
    def inside() -> bool:
        return mg.is_grad_enabled()

    assert inside() is False
    assert mg.is_grad_enabled() is True
    assert inside.__name__ == "inside"


def test_bare_enable_grad_and_detect_anomaly() -> None:
    @mg.enable_grad
    def on() -> bool:
        return mg.is_grad_enabled()

    @mg.detect_anomaly
    def checking() -> bool:
        return mg.is_anomaly_enabled()

    with mg.no_grad():
        assert on() is True
    assert checking() is True and mg.is_anomaly_enabled() is False


@pytest.mark.parametrize("decorate", [mg.no_grad(), mg.no_grad, mg.inference_mode()])
def test_generator_body_runs_in_the_decorators_mode(decorate: Callable[..., object]) -> None:
    @decorate  # type: ignore[misc]
    def steps() -> Iterator[bool]:
        for _ in range(3):
            received = yield mg.is_grad_enabled()
            assert received in (None, "sent")

    gen = steps()
    assert next(gen) is False
    assert mg.is_grad_enabled() is True  # the caller's mode between steps
    assert gen.send("sent") is False
    assert list(gen) == [False]
    assert mg.is_grad_enabled() is True


def test_generator_sees_thrown_exceptions_in_mode_and_returns_its_value() -> None:
    @mg.no_grad()
    def worker() -> Iterator[int]:
        try:
            yield 1
        except KeyError:
            yield 100 if not mg.is_grad_enabled() else -1
        return None

    gen = worker()
    assert next(gen) == 1
    assert gen.throw(KeyError("k")) == 100
    with pytest.raises(StopIteration):
        next(gen)


def test_nodes_made_in_a_decorated_generator_record_nothing() -> None:
    x = mg.Scalar(2.0)

    @mg.no_grad()
    def doubled() -> Iterator[mg.Scalar]:
        yield x * 2

    (y,) = list(doubled())
    assert y.parents == ()


def test_inference_mode_false_changes_nothing() -> None:
    with mg.inference_mode(False):
        assert mg.is_grad_enabled() is True
    with mg.inference_mode():
        assert (mg.Scalar(1.0) * 2).parents == ()


def test_decorator_of_a_non_function_is_refused() -> None:
    with pytest.raises(TypeError, match="expects a function, got int"):
        mg.no_grad()(3)  # type: ignore[arg-type]
