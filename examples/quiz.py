"""The lecture's quiz, answered by running it.

    python examples/quiz.py [--out DIR] [--networks N] [--seed S]

"Backpropagation Intuition" asks: in the 2-2-2-1 network, suppose the two weights
Θ_11^(2) and Θ_21^(2) are 0. After backpropagation, what can be said about δ_1^(3)?

  (a) δ_1^(3) > 0
  (b) δ_1^(3) = 0 only if δ_1^(2) = δ_2^(2) = 0, but not necessarily otherwise
  (c) δ_1^(3) ≤ 0 regardless of δ_1^(2) and δ_2^(2)
  (d) there is insufficient information to tell

The script sets the two weights to 0 in the lecture network and in N random networks,
backpropagates, and tests each claim against what comes out: a claim that a single network
contradicts is false. It prints the verdicts with the numbers that decide them, and writes
quiz.svg (the network with δ_1^(2) highlighted) into DIR (default: $MICROGRADNN_OUT, else a
new temporary directory). Exit status 0 when the runs settle on exactly one answer.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

import microgradnn as mg
from microgradnn.nn import Network


def zero_red_weights(net: Network) -> Network:
    """Set the quiz's two weights, Θ_11^(2) and Θ_21^(2), to 0 (column j = 1 of Θ^(2))."""
    net.theta[2][0, 1] = 0.0
    net.theta[2][1, 1] = 0.0
    return net


def random_case(rng: np.random.Generator) -> tuple[Network, np.ndarray, np.ndarray]:
    """A random 2-2-2-1 network with the two weights at 0, a random input and label."""
    seed = int(rng.integers(2**31))
    net = zero_red_weights(Network([2, 2, 2, 1], init="random", epsilon=2.0, seed=seed))
    return net, rng.normal(size=2), np.array([float(rng.integers(0, 2))])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=os.environ.get("MICROGRADNN_OUT"),
                        help="directory for quiz.svg (default: a new temporary one)")
    parser.add_argument("--networks", type=int, default=300, help="random networks to try")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random networks")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="microgradnn-"))
    out.mkdir(parents=True, exist_ok=True)

    question, options = __doc__.split("\n\n")[2:4]
    print(f"{question}\n\n{options}\n")
    print("Θ^(2)_i1 is the weight from unit 1 of layer 2 to unit i of layer 3: both zeroed")
    print("weights leave a_1^(2). Backpropagation reads weights right to left.\n")

    net = zero_red_weights(mg.nn.lecture_network())
    x, _ = net.example
    print("The lecture network with Θ_11^(2) = Θ_21^(2) = 0:")
    for label in (1.0, 0.0):
        d = net.backprop(x, np.array([label])).delta
        print(f"  y = {label:.0f}:  δ_1^(3) = {d[3][0, 0]:+.6f}   δ_1^(2) = {d[2][0, 0]:+.6f}"
              f"   δ_2^(2) = {d[2][0, 1]:+.6f}")

    # Every case: (δ_1^(3), δ_1^(2), δ_2^(2), and what δ_1^(3) is made of)
    rng = np.random.default_rng(args.seed)
    cases = []
    for _ in range(args.networks):
        case_net, case_x, case_y = random_case(rng)
        bp = case_net.backprop(case_x, case_y)
        a4 = case_net.forward(case_x).a[4][0, 0]
        cases.append((bp.delta[3][0, 0], bp.delta[2][0, 0], bp.delta[2][0, 1],
                      case_net.theta[3][0, 1] * (a4 - case_y[0])))
    # One more network: Θ_11^(3) = 0 as well, so that nothing reaches δ_1^(3) from the right
    extra = zero_red_weights(mg.nn.lecture_network())
    extra.theta[3][0, 1] = 0.0
    bp = extra.backprop(x, net.example[1])
    cases.append((bp.delta[3][0, 0], bp.delta[2][0, 0], bp.delta[2][0, 1], 0.0))
    d31, d21, d22, sign_source = (np.array(c) for c in zip(*cases))

    print(f"\n{len(cases)} networks with Θ_11^(2) = Θ_21^(2) = 0 ({args.networks} random, "
          "one with Θ_11^(3) = 0 too):")
    print(f"  δ_1^(3) > 0 in {np.sum(d31 > 0)}, < 0 in {np.sum(d31 < 0)}, "
          f"= 0 in {np.sum(d31 == 0)}")
    print(f"  largest |δ_1^(2)| = {np.max(np.abs(d21)):.1e} (the zeroed weights force it)")
    same_sign = np.all(np.sign(d31) == np.sign(sign_source))
    print(f"  sign of δ_1^(3) = sign of Θ_11^(3)·(a^(4) − y) in every network: {same_sign}")

    zero_but_not_layer2 = (d31 == 0) & ((d21 != 0) | (d22 != 0))
    claims = {
        "(a) δ_1^(3) > 0": bool(np.all(d31 > 0)),
        "(b) δ_1^(3) = 0 only if δ_1^(2) = δ_2^(2) = 0": not bool(np.any(zero_but_not_layer2)),
        "(c) δ_1^(3) ≤ 0 regardless": bool(np.all(d31 <= 0)),
    }
    evidence = {
        "(a) δ_1^(3) > 0": f"δ_1^(3) = {d31.min():+.6f} in one network",
        "(b) δ_1^(3) = 0 only if δ_1^(2) = δ_2^(2) = 0":
            f"δ_1^(3) = 0 with δ_2^(2) = {d22[zero_but_not_layer2][0]:+.6f}"
            if np.any(zero_but_not_layer2) else "no network contradicts it",
        "(c) δ_1^(3) ≤ 0 regardless": f"δ_1^(3) = {d31.max():+.6f} in one network",
    }
    print("\nThe claims:")
    for claim, holds in claims.items():
        print(f"  {claim:48} {'holds' if holds else 'FALSE'}: {evidence[claim]}")
    answer = "(d) there is insufficient information to tell"
    settled = not any(claims.values()) and same_sign
    if settled:
        print(f"\nAnswer: {answer}.")
        print("The zeroed weights decide δ_1^(2) (= 0), not δ_1^(3);")
        print("δ_1^(3) = Θ_11^(3) δ_1^(4) g'(z_1^(3)) takes the sign of Θ_11^(3)·(a^(4) − y),")
        print("which the question does not fix.")
    else:
        print("\nThe runs did not settle the question; try more --networks.")

    mg.draw_network(net, x, net.example[1], highlight=(2, 1)).render(outfile=out / "quiz.svg")
    print(f"\nwrote {out / 'quiz.svg'}")
    return 0 if settled else 1


if __name__ == "__main__":
    sys.exit(main())
