"""The course's network on real data: scikit-learn's bundled 8×8 digits (1797 images).

One function runs the whole experiment — stratified 70/30 split, the course's 64-h-10
network trained with SciPy's optimiser, and scikit-learn's ``MLPClassifier`` with the same
hidden layer on the same split — for the CLI (``microgradnn train digits``), the example and
the tests alike.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..nn import Network

__all__ = ["DigitsResult", "save_hidden_units", "train_digits"]


@dataclass
class DigitsResult:
    net: Network
    train_accuracy: float
    test_accuracy: float
    sklearn_train_accuracy: float
    sklearn_test_accuracy: float
    history: list[float] = field(default_factory=list)

    def summary(self) -> str:
        h = self.net.sizes[1]
        return "\n".join([
            f"{'model':<36}{'train':>8}{'test':>8}",
            f"{f'microgradnn Network 64-{h}-10':<36}"
            f"{self.train_accuracy:>8.1%}{self.test_accuracy:>8.1%}",
            f"{f'scikit-learn MLPClassifier ({h},)':<36}"
            f"{self.sklearn_train_accuracy:>8.1%}{self.sklearn_test_accuracy:>8.1%}",
        ])


def train_digits(hidden: int = 25, lam: float = 1.0, method: str = "L-BFGS-B",
                 maxiter: int = 100, *, seed: int = 0, progress: bool = True) -> DigitsResult:
    """Train the 64-``hidden``-10 network and the scikit-learn peer on one stratified split."""
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    digits = load_digits()
    X = digits.data / 16.0  # pixel intensities 0..16 scaled to 0..1
    X_train, X_test, y_train, y_test = train_test_split(
        X, digits.target, test_size=0.3, stratify=digits.target, random_state=seed)

    net = Network([64, hidden, 10], seed=seed)
    history = net.fit(X_train, y_train, lam=lam, method=method, maxiter=maxiter,
                      progress=progress)

    # sklearn's alpha is the L2 factor on (1/2)‖W‖² summed over the batch, divided by m:
    # the same λ/(2m) Σ Θ² as the course's J.
    peer = MLPClassifier(hidden_layer_sizes=(hidden,), activation="logistic", alpha=lam,
                         solver="lbfgs", max_iter=maxiter, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        peer.fit(X_train, y_train)
    return DigitsResult(
        net=net,
        train_accuracy=float(np.mean(net.predict(X_train) == y_train)),
        test_accuracy=float(np.mean(net.predict(X_test) == y_test)),
        sklearn_train_accuracy=float(peer.score(X_train, y_train)),
        sklearn_test_accuracy=float(peer.score(X_test, y_test)),
        history=list(history.cost),
    )


def save_hidden_units(net: Network, path: Path) -> None:
    """Each hidden unit's 64 input weights Θ^(1)_j,1..64 as an 8×8 image, in one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    weights = net.theta[1][:, 1:]
    n = weights.shape[0]
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.2, rows * 1.2))
    for k, ax in enumerate(np.atleast_1d(axes).ravel()):
        ax.axis("off")
        if k < n:
            limit = np.abs(weights[k]).max() or 1.0
            ax.imshow(weights[k].reshape(8, 8), cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set_title(f"unit {k + 1}", fontsize=7)
    fig.suptitle("Hidden units: weights Θ^(1) from the 8×8 pixels", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
