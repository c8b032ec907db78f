"""What grading needed from the Network: explicit unrolling order and 1-based labels, and
`microgradnn check` with one verdict."""

from __future__ import annotations

import numpy as np
import pytest

from microgradnn.app.cli import main
from microgradnn.nn import Network, check_gradients, debug_weights


def test_unroll_order_F_is_octaves_theta_colon() -> None:
    net = Network([3, 5, 3], init="debug")
    octave = np.concatenate([net.theta[1].ravel(order="F"), net.theta[2].ravel(order="F")])
    np.testing.assert_array_equal(net.unroll("F"), octave)
    np.testing.assert_array_equal(net.unroll(), net.unroll("C"))
    assert not np.array_equal(net.unroll("F"), net.unroll("C"))
    other = Network([3, 5, 3])
    other.set_unrolled(octave, order="F")
    for l in (1, 2):
        np.testing.assert_array_equal(other.theta[l], net.theta[l])


def test_unrolled_grad_in_the_courses_order_matches_an_octave_gradient() -> None:
    net = Network([3, 5, 3], init="debug")
    X, y = debug_weights(5, 2), np.arange(1, 6) % 3
    bp = net.backprop(X, y, lam=3.0)
    octave_grad = np.concatenate([bp.grad[1].ravel(order="F"), bp.grad[2].ravel(order="F")])
    np.testing.assert_array_equal(bp.unrolled_grad("F"), octave_grad)
    assert np.linalg.norm(bp.unrolled_grad("C") - octave_grad) > 0.1  # the trap, named


def test_bad_order_is_named() -> None:
    with pytest.raises(ValueError, match=r"Network.set_unrolled: order must be 'F' "
                                         r"\(column-major"):
        Network([2, 2, 1]).set_unrolled(np.zeros(9), order="K")


def test_one_based_labels_as_in_the_course() -> None:
    X = debug_weights(5, 2)
    course = Network([3, 5, 3], init="debug", labels="1-based")
    numpy = Network([3, 5, 3], init="debug")
    y1 = 1 + np.arange(1, 6) % 3
    assert course.cost(X, y1, 3.0) == numpy.cost(X, y1 - 1, 3.0)
    assert set(course.predict(X)) <= {1, 2, 3}
    with pytest.raises(ValueError, match=r"y\[2\] = 0 is not a class label in 1\.\.3 .*"
                                         r"labels='1-based'"):
        course.cost(X, y1 - 1)
    with pytest.raises(ValueError, match="labels must be '0-based'"):
        Network([2, 2], labels="one")


@pytest.mark.parametrize("sizes", [(5, 5, 5, 5, 5, 5, 5), (3, 5, 3)])
def test_check_has_one_verdict(capsys: pytest.CaptureFixture[str], sizes: tuple[int, ...]
                               ) -> None:
    """Tiny gradients in deep layers give large per-layer relative differences from
    central differences' truncation alone; the course's unrolled measure decides and the
    table agrees with it."""
    cmp = check_gradients(sizes=sizes, m=2)
    assert cmp.relative("numerical", "D unrolled") < 1e-9
    assert cmp.ok
    assert main(["check", "--sizes", *map(str, sizes), "-m", "2"]) == 0
    out = capsys.readouterr().out
    assert "DISAGREEMENT" not in out and " NO" not in out and "PASS" in out
