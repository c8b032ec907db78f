"""The ``microgradnn`` command (also ``python -m microgradnn``).

    microgradnn demo     a neuron, tanh(x1·w1 + x2·w2 + b): forward, backward, every δ
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import Scalar, topological_order


def neuron() -> Scalar:
    """The classic neuron o = tanh(x1·w1 + x2·w2 + b), with every node named."""
    x1, x2 = Scalar(2.0, name="x1"), Scalar(0.0, name="x2")
    w1, w2 = Scalar(-3.0, name="w1"), Scalar(1.0, name="w2")
    b = Scalar(6.8813735870195432, name="b")
    x1w1 = x1 * w1
    x1w1.name = "x1·w1"
    x2w2 = x2 * w2
    x2w2.name = "x2·w2"
    n = x1w1 + x2w2 + b
    n.name = "n"
    o = n.tanh()
    o.name = "o"
    return o


def node_table(root: Scalar) -> str:
    """Every node of root's graph, parents first: name, op, value and δ = ∂root/∂node."""
    rows = [("node", "op", "value", "grad (δ)")]
    for node in topological_order(root):
        grad = "—" if node.grad is None else f"{node.grad:.6f}"
        rows.append((node.label(), node.op or "leaf", f"{node.data:.6f}", grad))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    o = neuron()
    print("o = tanh(x1·w1 + x2·w2 + b)\n")
    print("forward pass:")
    print(node_table(o))
    o.backward()
    print("\nafter o.backward(), each node's grad is ∂o/∂node:")
    print(node_table(o))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="microgradnn",
        description="See and check backpropagation: computation graphs with δ on every node.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    demo = sub.add_parser("demo", help="forward and backward through a neuron, every node's δ",
                          description="Build tanh(x1·w1 + x2·w2 + b), run backward, and print "
                                      "each node's value and gradient.")
    demo.set_defaults(run=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
