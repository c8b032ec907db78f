"""The course's neural network: Θ^(1)..Θ^(L−1), forward propagation, J(Θ), backpropagation.

``Network([3, 5, 3])`` has L = 3 layers with s_1 = 3 inputs, s_2 = 5 hidden units and
K = s_3 = 3 outputs. ``net.theta[l]`` is Θ^(l) (s_{l+1} × (s_l + 1), bias weights in
column 0); every layer-indexed result is keyed by the course's layer number l.

Labels ``y`` are class indices 0..K−1 of shape (m,) by default, or 1..K as in the course with
``Network(..., labels="1-based")``, or a 0/1 matrix of shape (m, K); a network with K = 1
output takes 0/1 labels. Unrolled parameters (``unroll``/``set_unrolled``) take
``order="C"`` (row-major, the default) or ``order="F"`` (the course's column-major
``[Theta1(:); Theta2(:)]``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np

from . import backprop as bp
from . import validation as check
from .init import debug_weights, random_weights
from .params import check_order, roll, shapes, unroll

if TYPE_CHECKING:  # pragma: no cover
    from .compare import Comparison
    from .scalar_engine import ScalarGraph
    from .train import History

__all__ = ["Network"]

_INITS = ("random", "debug")
_LABELS = ("0-based", "1-based")


class Network:
    """A fully connected network in the course's notation.

    ``sizes``       [s_1, ..., s_L], at least two layers;
    ``thetas``      Θ^(l) given as ``{1: Θ1, 2: Θ2, ...}`` or a list (overrides ``init``);
    ``init``        "random" (uniform on [−ε, ε], the course's randInitializeWeights) or
                    "debug" (the course's debugInitializeWeights);
    ``epsilon``     ε_init for "random": a number (0.12) or "glorot" (√6/√(L_in + L_out));
    ``seed``        seed for "random", for reproducible weights;
    ``activation``  g of the hidden layers: "sigmoid" (the course), "tanh" or "relu";
                    the output layer is always the sigmoid with the cross-entropy cost;
    ``labels``      "0-based" (y in 0..K−1, the default) or "1-based" (1..K, the course's);
                    ``predict`` answers in the same numbering.
    """

    def __init__(self, sizes: Any, *, thetas: Any = None, init: str = "random",
                 epsilon: float | str = 0.12, seed: int | None = None,
                 activation: str = "sigmoid", labels: str = "0-based") -> None:
        self.sizes = check.sizes(sizes)
        if labels not in _LABELS:
            raise ValueError(f"Network: labels must be '0-based' (classes 0..K−1) or "
                             f"'1-based' (classes 1..K, the course's), got {labels!r}")
        self.labels = labels
        self.activation = check.activation(activation)
        self.example: tuple[np.ndarray, np.ndarray] | None = None
        if thetas is not None:
            self.theta = check.thetas(thetas, self.sizes)
        elif init == "debug":
            self.theta = {l: debug_weights(self.sizes[l], self.sizes[l - 1])
                          for l in range(1, self.L)}
        elif init == "random":
            rng = np.random.default_rng(seed)
            self.theta = {l: random_weights(self.sizes[l], self.sizes[l - 1], epsilon, rng)
                          for l in range(1, self.L)}
        else:
            raise ValueError(f"Network: init must be one of {_INITS}, got {init!r}")

    # -- shape -----------------------------------------------------------------------------
    @property
    def L(self) -> int:
        """Number of layers, input and output included."""
        return len(self.sizes)

    @property
    def K(self) -> int:
        """Number of output units."""
        return self.sizes[-1]

    def __repr__(self) -> str:
        shapes = ", ".join(f"Θ^({l}): {T.shape[0]}×{T.shape[1]}" for l, T in self.theta.items())
        return (f"Network(sizes={list(self.sizes)}, activation={self.activation!r}, "
                f"L={self.L}, K={self.K}; {shapes})")

    # -- checked inputs -----------------------------------------------------------------------
    def _theta(self, caller: str) -> dict[int, np.ndarray]:
        """Θ as stored, re-checked (``net.theta[l]`` may have been assigned by hand)."""
        if set(self.theta) != set(range(1, self.L)):
            raise ValueError(f"{caller}: net.theta has layers {sorted(self.theta)}, expected "
                             f"{list(range(1, self.L))}")
        for l, T in self.theta.items():
            if not isinstance(T, np.ndarray) or T.dtype != np.float64 or \
                    T.shape != (self.sizes[l], self.sizes[l - 1] + 1):
                self.theta[l] = check.theta_matrix(T, l, self.sizes, caller)
        return self.theta

    def _data(self, X: Any, y: Any, lam: float, caller: str
              ) -> tuple[dict[int, np.ndarray], np.ndarray, np.ndarray, float]:
        A = check.features(X, self.sizes[0], caller)
        base = 1 if getattr(self, "labels", "0-based") == "1-based" and self.K > 1 else 0
        Y = check.labels(y, A.shape[0], self.K, caller, base)
        return self._theta(caller), A, Y, check.lam(lam, caller)

    # -- the course's computations ----------------------------------------------------------
    def forward(self, X: Any) -> bp.Forward:
        """Forward propagation: ``fwd.a[l]`` (bias column for l < L), ``fwd.z[l]`` (l ≥ 2)."""
        A = check.features(X, self.sizes[0], "Network.forward")
        return bp.forward(self._theta("Network.forward"), A, self.activation)

    def predict_proba(self, X: Any) -> np.ndarray:
        """h_Θ(x) = a^(L) for every example: m × K, each entry in (0, 1)."""
        return self.forward(X).h

    def predict(self, X: Any) -> np.ndarray:
        """Class indices 0..K−1 (1..K with ``labels="1-based"``) of the most probable
        output, or 0/1 (h ≥ 0.5) when K = 1."""
        h = self.predict_proba(X)
        if self.K == 1:
            return (h[:, 0] >= 0.5).astype(np.int64)
        return np.argmax(h, axis=1) + (1 if self.labels == "1-based" else 0)

    def cost(self, X: Any, y: Any, lam: float = 0.0) -> float:
        """J(Θ), the regularised cross-entropy, computed stably from the logits z^(L)."""
        Theta, A, Y, lam = self._data(X, y, lam, "Network.cost")
        return bp.cost(Theta, A, Y, lam, self.activation)

    def backprop(self, X: Any, y: Any, lam: float = 0.0, method: str = "vectorised"
                 ) -> bp.Backprop:
        """The hand-coded δ recurrence: ``method`` "vectorised" or "loop" (one example at a
        time, as the lecture states it). Fields: cost, delta[l], Delta[l], grad[l] (= D^(l))."""
        Theta, A, Y, lam = self._data(X, y, lam, "Network.backprop")
        if method == "vectorised":
            return bp.backprop_vectorised(Theta, A, Y, lam, self.activation)
        if method == "loop":
            return bp.backprop_loop(Theta, A, Y, lam, self.activation)
        raise ValueError(f"Network.backprop: method must be 'vectorised' or 'loop', "
                         f"got {method!r}")

    def autodiff(self, X: Any, y: Any, lam: float = 0.0, engine: str = "tensor"
                 ) -> bp.Backprop:
        """The same quantities as :meth:`backprop`, by the autodiff engine ("tensor" or
        "scalar"): δ^(l) from the grads of the z^(l) nodes, times m (the averaged J gives
        δ/m per example), D^(l) from Θ^(l)'s grad."""
        from .engines import autodiff

        Theta, A, Y, lam = self._data(X, y, lam, "Network.autodiff")
        return autodiff(Theta, A, Y, lam, self.activation, engine)

    def scalar_graph(self, x: Any, y: Any) -> ScalarGraph:
        """One example as a graph of Scalar nodes named after the course (see
        :class:`microgradnn.nn.scalar_engine.ScalarGraph`); after ``sg.cost.backward()``,
        ``sg.z[l][j-1].grad`` is δ_j^(l)."""
        from . import scalar_engine

        A = check.features(x, self.sizes[0], "Network.scalar_graph")
        if A.shape[0] != 1:  # before y, which is then read as one example's label
            raise ValueError(f"Network.scalar_graph: x has {A.shape[0]} rows; expected one "
                             f"example of {self.sizes[0]} features")
        y = check.one_example_y(y, self.K)  # a class index or a 0/1 row, as one row
        Theta, A, Y, _ = self._data(A, y, 0.0, "Network.scalar_graph")
        return scalar_engine.scalar_graph(Theta, A[0], Y[0], self.activation)

    def compare(self, X: Any, y: Any, lam: float = 0.0, *, engines: Any = None,
                eps: float = 1e-4, progress: bool = False, **tolerances: float
                ) -> Comparison:
        """Hand-coded δ and D beside the tensor engine, the scalar engine, central
        differences and PyTorch (when importable): per layer max |difference| and the
        relative difference. ``.ok``, ``.rows``, ``str()`` and ``.to_markdown()``.
        ``tolerance=`` and ``numerical_tolerance=`` set what counts as agreement;
        ``progress=True`` shows a progress bar while central differences run."""
        from .compare import compare

        Theta, A, Y, lam = self._data(X, y, lam, "Network.compare")
        return compare(Theta, A, Y, lam, self.activation, engines=engines, eps=eps,
                       progress=progress, **tolerances)

    # -- unrolled parameters (the course's nn_params) ----------------------------------------
    def unroll(self, order: str = "C") -> np.ndarray:
        """Θ^(1), Θ^(2), ... flattened and joined into one vector: ``order="C"`` row by row
        (NumPy's ``ravel()``, the default) or ``order="F"`` down the columns, as the
        course's Octave ``nn_params = [Theta1(:); Theta2(:)]``."""
        return unroll(self._theta("Network.unroll"), check_order(order, "Network.unroll"))

    def set_unrolled(self, params: Any, order: str = "C") -> None:
        """The inverse of :meth:`unroll` in the same ``order`` ("C" or "F"): put a
        parameter vector back into ``theta`` (copied: later changes to ``params`` do not
        reach the network). Rolling an "F" vector back as "C" scrambles every Θ^(l)."""
        p = np.array(params, dtype=np.float64)
        self.theta = roll(p, shapes(self.sizes), "Network.set_unrolled",
                          check_order(order, "Network.set_unrolled"))

    # -- training -----------------------------------------------------------------------------
    def fit(self, X: Any, y: Any, lam: float = 1.0, method: str = "L-BFGS-B", *,
            maxiter: int = 100, progress: bool = True, **options: Any) -> History:
        """Train Θ. See :func:`microgradnn.nn.train.fit` for methods and options."""
        from .train import fit

        _, A, Y, lam = self._data(X, y, lam, "Network.fit")
        return fit(self, A, Y, lam, method=method, maxiter=maxiter, progress=progress,
                   **options)

    # -- files ---------------------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write sizes, activation, every Θ^(l) (and the example, if any) to an .npz file."""
        arrays: dict[str, Any] = {f"theta_{l}": T for l, T in self._theta("Network.save").items()}
        arrays["sizes"] = np.array(self.sizes)
        arrays["activation"] = np.array(self.activation)
        if self.example is not None:
            arrays["example_x"], arrays["example_y"] = self.example
        np.savez(path, **arrays)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Network:
        """Read a network written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as f:
            sizes = [int(s) for s in f["sizes"]]
            thetas = {l: f[f"theta_{l}"] for l in range(1, len(sizes))}
            net = cls(sizes, thetas=thetas, activation=str(f["activation"]))
            if "example_x" in f:
                net.example = (f["example_x"], f["example_y"])
        return net
