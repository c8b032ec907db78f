"""The course's network on real data (scikit-learn's 8×8 digits) beside MLPClassifier."""

from __future__ import annotations


def test_digits_64_25_10_reaches_95_percent_beside_sklearn():
    from microgradnn.app.digits import train_digits

    result = train_digits(hidden=25, lam=1.0, method="L-BFGS-B", maxiter=100, seed=0,
                          progress=False)
    assert result.net.sizes == (64, 25, 10)
    assert result.test_accuracy >= 0.95, result.summary()
    assert result.sklearn_test_accuracy >= 0.90, result.summary()
    assert len(result.history) == 100
