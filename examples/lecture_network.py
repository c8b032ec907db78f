"""The lecture's 2-2-2-1 network: forward pass, every δ four ways, and the pictures.

    python examples/lecture_network.py [--out DIR]

The network of "Backpropagation Intuition" (two inputs, two hidden layers of two units, one
output) with fixed weights and one example. The script prints z and a for every unit, every
δ_j^(l) by the hand-coded recurrence, the Tensor engine and the Scalar engine, each hidden δ
split into the lecture's weighted sum and the factor g'(z), and the comparison table. It
writes into DIR (default: $MICROGRADNN_OUT, else a new temporary directory):

    network.svg     the network with a and δ on every unit
    delta_2_2.svg   the lecture's picture of δ_2^(2) from δ_1^(3) and δ_2^(3)
    graph.svg       the Scalar computation graph with δ on every node

Exit status 0 when every method agrees, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

import microgradnn as mg


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=os.environ.get("MICROGRADNN_OUT"),
                        help="directory for the pictures (default: a new temporary one)")
    out = parser.parse_args(argv).out or Path(tempfile.mkdtemp(prefix="microgradnn-"))
    out.mkdir(parents=True, exist_ok=True)

    net = mg.nn.lecture_network()
    x, y = net.example
    print(net)
    print(f"example: x = {x}, y = {y}\n")

    fwd = net.forward(x)
    print("forward pass: z^(l) = Θ^(l−1) a^(l−1), a^(l) = g(z^(l))")
    for l in range(2, net.L + 1):
        a = fwd.a[l][0, 1:] if l < net.L else fwd.a[l][0]
        for j, (z_j, a_j) in enumerate(zip(fwd.z[l][0], a), start=1):
            print(f"  unit {j} of layer {l}:  z = {z_j:+.6f}   a = {a_j:.6f}")
    print(f"  h(x) = a^(4) = {fwd.a[net.L][0, 0]:.6f}, cost(t) = {net.cost(x, y):.6f}\n")

    hand = net.backprop(x, y, method="loop")
    tensor = net.autodiff(x, y, engine="tensor")
    scalar = net.autodiff(x, y, engine="scalar")
    print("δ_j^(l) = ∂cost(t)/∂z_j^(l)   hand-coded      tensor engine   scalar engine")
    for l in range(net.L, 1, -1):
        for j in range(1, net.sizes[l - 1] + 1):
            values = [r.delta[l][0, j - 1] for r in (hand, tensor, scalar)]
            print(f"  δ_{j}^({l})" + "".join(f"{v:+16.9f}" for v in values))
    print(f"  δ^(4) = a^(4) − y = {fwd.a[4][0, 0]:.6f} − {y[0]:.0f}\n")

    print("hidden δ's as the lecture draws them: (Σ_i Θ_ij^(l) δ_i^(l+1)) · g'(z_j^(l))")
    for l in range(net.L - 1, 1, -1):
        for j in range(1, net.sizes[l - 1] + 1):
            weights = net.theta[l][:, j]  # Θ_ij^(l) for every unit i of layer l+1
            weighted = float(weights @ hand.delta[l + 1][0])
            slope = float(mg.nn.sigmoid_gradient(fwd.z[l][0, j - 1]))
            terms = " + ".join(f"({w:+.2f})({d:+.5f})"
                               for w, d in zip(weights, hand.delta[l + 1][0]))
            print(f"  δ_{j}^({l}) = [{terms}] · {slope:.5f} = {weighted:+.6f} · {slope:.5f}"
                  f" = {weighted * slope:+.6f}")
            assert np.isclose(weighted * slope, hand.delta[l][0, j - 1])

    comparison = net.compare(x, y)
    print(f"\n{comparison}\n")

    mg.draw_network(net, x, y).render(outfile=out / "network.svg")
    mg.draw_network(net, x, y, highlight=(2, 2)).render(outfile=out / "delta_2_2.svg")
    graph = net.scalar_graph(x, y)
    graph.cost.backward()
    mg.draw_graph(graph.cost).render(outfile=out / "graph.svg")
    print(f"wrote network.svg, delta_2_2.svg and graph.svg to {out}")
    return 0 if comparison.ok else 1


if __name__ == "__main__":
    sys.exit(main())
