"""The course's network on real data: scikit-learn's 8×8 digits, beside MLPClassifier.

    python examples/digits.py                 # 64-25-10, λ = 1, L-BFGS-B, 100 iterations
    python examples/digits.py --method adam --maxiter 200

A stratified 70/30 split of the 1797 images; the course's 64-25-10 network (sigmoid units,
cross-entropy, λ = 1) trained by SciPy's L-BFGS-B on the unrolled Θ with the hand-coded
backprop as the gradient, and scikit-learn's MLPClassifier(hidden_layer_sizes=(25,),
activation="logistic") with the same L2 strength on the same split.
"""

from __future__ import annotations

import argparse

from microgradnn.app.digits import train_digits


def main() -> None:
    parser = argparse.ArgumentParser(description="the course's network on the digits")
    parser.add_argument("--hidden", type=int, default=25)
    parser.add_argument("--lam", type=float, default=1.0)
    parser.add_argument("--method", default="L-BFGS-B",
                        choices=["L-BFGS-B", "CG", "sgd", "adam"])
    parser.add_argument("--maxiter", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    result = train_digits(hidden=args.hidden, lam=args.lam, method=args.method,
                          maxiter=args.maxiter, seed=args.seed)
    print(f"J: {result.history[0]:.4f} after the first iteration, "
          f"{result.history[-1]:.4f} after {len(result.history)}")
    print(result.summary())


if __name__ == "__main__":
    main()
