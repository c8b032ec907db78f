"""Draw the picture at the top of README.md: the lecture's network with every δ.

    python scripts/readme_figure.py      # rewrites assets/lecture_network.svg

tests/test_readme.py checks that the committed picture still shows the library's numbers.
"""

from pathlib import Path

import microgradnn as mg

TARGET = Path(__file__).resolve().parent.parent / "assets" / "lecture_network.svg"


def main() -> None:
    net = mg.nn.lecture_network()
    x, y = net.example
    mg.draw_network(net, x, y, highlight=(2, 2)).render(outfile=TARGET)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
