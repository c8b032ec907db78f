"""Training the course's network: SciPy optimisers, minibatch SGD/Adam, and real data."""

from __future__ import annotations

import numpy as np
import pytest

from microgradnn.nn import Network


@pytest.mark.parametrize("method", ["L-BFGS-B", "CG"])
def test_scipy_methods_lower_the_cost_and_record_history(method, blobs):
    X, y = blobs(60)
    net = Network([2, 4, 3], seed=0)
    start = net.cost(X, y, 0.1)
    history = net.fit(X, y, 0.1, method=method, maxiter=30, progress=False)
    assert 1 <= len(history) <= 30 and history.method == method
    assert history[-1] == pytest.approx(net.cost(X, y, 0.1), rel=1e-9)
    assert history[-1] < 0.5 * start
    assert history.cost[0] >= history.cost[-1]
    assert np.mean(net.predict(X) == y) > 0.9


@pytest.mark.parametrize("method", ["sgd", "adam"])
def test_minibatch_methods_lower_the_cost(method, blobs):
    X, y = blobs(60)
    net = Network([2, 4, 3], seed=0)
    start = net.cost(X, y, 0.0)
    history = net.fit(X, y, 0.0, method=method, maxiter=40, progress=False, batch_size=8,
                      seed=1, lr=0.5 if method == "sgd" else 0.05)
    assert len(history) == 40
    assert history[-1] == pytest.approx(net.cost(X, y, 0.0), rel=1e-12)
    assert history[-1] < 0.3 * start
    assert np.mean(net.predict(X) == y) > 0.9


def test_minibatch_rejects_unknown_options(blobs):
    X, y = blobs(60)
    with pytest.raises(ValueError, match=r"unknown options for 'adam': \['momentum'\]"):
        Network([2, 3]).fit(X, y, method="adam", momentum=0.9, progress=False)
    with pytest.raises(ValueError, match=r"maxiter must be a positive integer, got 0"):
        Network([2, 3]).fit(X, y, maxiter=0, progress=False)


def test_progress_bar_can_be_switched_off(capsys, blobs):
    X, y = blobs(30)
    Network([2, 3, 3], seed=0).fit(X, y, maxiter=5, progress=True)
    shown = capsys.readouterr().err
    Network([2, 3, 3], seed=0).fit(X, y, maxiter=5, progress=False)
    hidden = capsys.readouterr().err
    assert "fit (L-BFGS-B)" in shown and hidden == ""


def test_binary_network_trains(blobs):
    X, labels = blobs(60)
    y = (labels == 0).astype(int)
    net = Network([2, 3, 1], seed=2)
    net.fit(X, y, 0.1, maxiter=50, progress=False)
    assert np.mean(net.predict(X) == y) > 0.95


def test_full_batch_sgd_step_is_one_gradient_descent_step(blobs):
    X, y = blobs(12)
    net = Network([2, 3, 3], seed=4)
    before = {l: T.copy() for l, T in net.theta.items()}
    D = net.backprop(X, y, 2.0).grad
    net.fit(X, y, 2.0, method="sgd", maxiter=1, progress=False, batch_size=12, lr=0.3,
            momentum=0.0)
    for l in before:
        np.testing.assert_allclose(net.theta[l], before[l] - 0.3 * D[l], rtol=1e-13)


def test_minibatch_gradients_average_to_the_full_gradient(blobs):
    """With λ scaled by b/m per batch, the batch D^(l) summed with weights b/m is D^(l)."""
    X, y = blobs(12)
    net = Network([2, 3, 3], seed=4)
    full = net.backprop(X, y, 2.0).grad
    halves = [net.backprop(X[rows], y[rows], 2.0 * 6 / 12).grad
              for rows in (slice(0, 6), slice(6, 12))]
    for l in full:
        np.testing.assert_allclose((halves[0][l] + halves[1][l]) / 2, full[l], rtol=1e-12)


def test_small_problems_train_with_one_blas_thread(monkeypatch, blobs):
    from threadpoolctl import threadpool_info

    from microgradnn.nn import backprop as bp

    def blas_threads() -> set[int]:
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}

    seen: list[set[int]] = []
    original = bp.backprop_vectorised

    def spy(*args, **kwargs):
        seen.append(blas_threads())
        return original(*args, **kwargs)

    monkeypatch.setattr(bp, "backprop_vectorised", spy)
    before = blas_threads()
    X, y = blobs(60)
    Network([2, 3, 3], seed=0).fit(X, y, maxiter=3, progress=False)
    assert seen and all(s == {1} for s in seen)
    assert blas_threads() == before
