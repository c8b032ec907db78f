"""The course's gradient check, and the lecture's network compared across every engine.

    python examples/check_gradients.py              # terminal tables
    python examples/check_gradients.py --markdown   # the same tables as Markdown

1. ``mg.nn.check_gradients(λ)``: the course's checkNNGradients (3-5-3 network, m = 5, debug
   weights and data) — hand-coded backprop against central differences, both engines and
   the per-example loop. The course asks for a relative difference below 1e-9.
2. The lecture's 2-2-2-1 network on its example: δ^(l) per layer by hand, by the Tensor and
   Scalar engines and by PyTorch, and the lecture's remark that δ_2^(2) comes from the
   weights to its right: Θ_12^(2) δ_1^(3) + Θ_22^(2) δ_2^(3), times g'(z_2^(2)).
"""

from __future__ import annotations

import argparse

import microgradnn as mg


def main() -> None:
    parser = argparse.ArgumentParser(description="the course's gradient check")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args()
    show = (lambda c: c.to_markdown()) if args.markdown else str

    for lam in (0.0, 3.0):
        cmp = mg.nn.check_gradients(lam)
        rel = cmp.relative("numerical", "D unrolled")
        print(f"\nThe course's gradient check, λ = {lam}: relative difference {rel:.3e} "
              f"({'below' if rel < 1e-9 else 'ABOVE'} 1e-9)\n")
        print(show(cmp))

    net = mg.nn.lecture_network()
    x, y = net.example
    print(f"\nThe lecture's network {net}\nexample x = {x}, y = {y}\n")
    print(show(net.compare(x, y)))

    r = net.backprop(x, y)
    T2 = net.theta[2]
    d3 = r.delta[3][0]
    print("\nδ_2^(2) from the weights to its right:")
    print(f"  Θ_12^(2) δ_1^(3) + Θ_22^(2) δ_2^(3) = {T2[0, 2]:+.2f}·{d3[0]:+.6f} "
          f"{T2[1, 2]:+.2f}·{d3[1]:+.6f} = {r.weighted[2][0, 1]:+.6f}")
    print(f"  times g'(z_2^(2)) gives δ_2^(2) = {r.delta[2][0, 1]:+.6f}")

    sg = net.scalar_graph(x, y)
    sg.cost.backward()
    print(f"  the scalar graph's {sg.z[2][1].name}.grad = {sg.z[2][1].grad:+.6f}")


if __name__ == "__main__":
    main()
