"""A neuron as a graph of Scalar nodes: forward, backward, every δ, checked and drawn.

    python examples/scalar_graph.py [--out DIR]

The neuron is o = tanh(n), n = s + b, s = x1·w1 + x2·w2. The script prints every node of
its graph with its value and δ = ∂o/∂node, checks the inputs' δ's against central
differences, and writes into DIR (default: $MICROGRADNN_OUT, else a new temporary directory):

    neuron.svg      the graph with every node's value and δ
    backward.html   the backward sweep, one frame per node, with a slider

Exit status 0 when backward and central differences agree, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import microgradnn as mg

# central differences with ε = 1e-4 are accurate to about ε² = 1e-8
TOLERANCE = 1e-6
INPUTS = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


def neuron(values: dict[str, float]) -> tuple[mg.Scalar, dict[str, mg.Scalar]]:
    """Build o = tanh(x1·w1 + x2·w2 + b) from named leaves; return o and the leaves."""
    leaf = {name: mg.Scalar(value, name=name) for name, value in values.items()}
    x1w1 = leaf["x1"] * leaf["w1"]
    x1w1.name = "x1·w1"
    x2w2 = leaf["x2"] * leaf["w2"]
    x2w2.name = "x2·w2"
    s = x1w1 + x2w2
    s.name = "s"
    n = s + leaf["b"]
    n.name = "n"
    o = n.tanh()
    o.name = "o"
    return o, leaf


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=os.environ.get("MICROGRADNN_OUT"),
                        help="directory for the pictures (default: a new temporary one)")
    out = parser.parse_args(argv).out or Path(tempfile.mkdtemp(prefix="microgradnn-"))
    out.mkdir(parents=True, exist_ok=True)

    o, leaf = neuron(INPUTS)
    o.backward()
    print("o = tanh(x1·w1 + x2·w2 + b); every node, inputs first:\n")
    print(f"  {'node':8} {'op':6} {'value':>10} {'δ = ∂o/∂node':>14}")
    for node in mg.topological_order(o):
        print(f"  {node.label():8} {node.op or 'leaf':6} {node.data:10.6f} {node.grad:14.6f}")

    # δ of each input, checked against central differences of o as a function of the inputs
    names = list(INPUTS)

    def o_of(values: list[float]) -> float:
        return neuron(dict(zip(names, values)))[0].data

    numerical = mg.numerical_gradient(o_of, [INPUTS[n] for n in names])
    backward = [leaf[n].grad for n in names]
    difference = mg.relative_difference(backward, numerical)
    agree = difference < TOLERANCE
    print("\ninput   backward    central differences")
    for name, b, c in zip(names, backward, numerical):
        print(f"  {name:4} {b:+.6f}    {c:+.6f}")
    verdict = "agree" if agree else "DISAGREE"
    print(f"relative difference {difference:.2e}: backward and central differences {verdict}")

    mg.draw_graph(o).render(outfile=out / "neuron.svg")
    mg.viz.backward_steps(o).save_html(out / "backward.html")
    print(f"\nwrote {out / 'neuron.svg'} and {out / 'backward.html'}")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
