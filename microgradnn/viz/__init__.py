"""Drawing: computation graphs and the course's network picture, with every node's δ.

``draw_graph(root)``        the graph behind a Scalar or Tensor node, each node's value and δ;
``draw_network(net, x, y)`` the lecture's layer diagram: a^(l), δ^(l) per unit, Θ^(l) per edge;
``backward_steps(root)``    the backward sweep frame by frame, as SVGs, one HTML page or Beamer
                            slides (``.to_beamer(path)``);
``network_beamer(net, x, y, path)`` the network's δ one slide at a time, right to left;
``drawing.to_tikz()``       any drawing as LaTeX/TikZ with the same layout (``render("x.tex")``).

Every function returns a ``graphviz.Digraph`` subclass (:class:`Drawing`); rendering needs
Graphviz's ``dot`` executable (each run with a timeout), building the DOT source does not.
Names in the course's notation come from :mod:`microgradnn.nn.notation` and are drawn with
Unicode scripts, the same in every viewer.

Modules, each importing only those above it: ``style`` (fonts, numbers, colours), ``render``
(the Drawing, ``dot``), ``labels``, ``collapse``, ``graph``, ``example``, ``caption``,
``network``, ``html``, ``steps``.
"""

from __future__ import annotations

from .beamer import network_beamer
from .grade import draw_grade
from .graph import draw_graph
from .network import draw_network
from .render import Drawing, GraphvizNotFound
from .steps import BackwardSteps, backward_steps

__all__ = [
    "BackwardSteps",
    "Drawing",
    "GraphvizNotFound",
    "backward_steps",
    "draw_grade",
    "draw_graph",
    "draw_network",
    "network_beamer",
]
