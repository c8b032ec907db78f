"""The object every drawing function returns: a ``graphviz.Digraph`` that renders to the
format its file name asks for, shows itself inline in Jupyter, and explains how to install
Graphviz when the ``dot`` executable is missing instead of failing with a traceback.
"""

from __future__ import annotations

import html
import os
import warnings
from pathlib import Path
from typing import Any

import graphviz

__all__ = ["FORMATS", "Drawing", "GraphvizNotFound"]

DEFAULT_FORMAT = "svg"

# file suffix -> Graphviz output format
FORMATS = {
    ".svg": "svg",
    ".png": "png",
    ".pdf": "pdf",
    ".dot": "dot",
    ".gv": "dot",
    ".jpg": "jpg",
    ".jpeg": "jpg",
    ".tex": "tex",  # a standalone LaTeX/TikZ document, see to_tikz
}

INSTALL_HELP = (
    "Graphviz's `dot` executable was not found on PATH, so this drawing cannot be rendered "
    "(its DOT text is still available as `.source`). Install Graphviz with one of:\n"
    "    sudo apt-get install graphviz            # Debian, Ubuntu\n"
    "    brew install graphviz                    # macOS\n"
    "    conda install -c conda-forge graphviz    # conda\n"
    "then check that `dot -V` works in the same environment (the Python package `graphviz` "
    "alone is not enough)."
)


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """Rendering needs Graphviz's ``dot`` executable and it is not on PATH."""

    def __init__(self, args: Any = None) -> None:
        RuntimeError.__init__(self, INSTALL_HELP)


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` with friendlier output.

    ``render(outfile="graph.svg")`` takes the format from the suffix (svg, png, pdf, dot/gv,
    jpg, tex) and leaves no stray source file behind; ``.dot``/``.gv`` write the DOT source and
    need no Graphviz; ``.tex`` writes :meth:`to_tikz`'s standalone document. Without
    ``outfile``, ``render("graph")`` is graphviz's own form, with svg as the default format.
    ``svg()`` returns the SVG text. In Jupyter it displays inline, or, when ``dot`` is
    missing, shows how to install it followed by the source.
    """

    _format = DEFAULT_FORMAT  # graphviz's default is pdf; a drawing is made for the screen
    # what each node shows, for to_tikz (a tikz_labels object, set by the drawing function)
    labels: Any = None

    def render(
        self,
        filename: str | os.PathLike[str] | None = None,
        directory: str | os.PathLike[str] | None = None,
        view: bool = False,
        cleanup: bool | None = None,
        format: str | None = None,
        *,
        outfile: str | os.PathLike[str] | None = None,
        **kwargs: Any,
    ) -> str:
        """Render the drawing and return the path of the file written.

        ``render(outfile="graph.png")`` writes that one file, its format from the suffix
        unless ``format`` is given, and no DOT source beside it (``cleanup`` defaults to
        True).

        Without ``outfile`` this is ``graphviz.Digraph.render``, positional arguments and
        all: ``render("graph")`` saves the DOT source as ``graph`` and renders
        ``graph.svg`` (the format from ``format=``, else the drawing's ``format``, svg
        unless set); ``directory``, ``view``, ``cleanup`` (default False) and the rest mean
        what they mean there.
        """
        if outfile is None:
            return self._call(super().render, filename, directory=directory, view=view,
                              cleanup=bool(cleanup), format=format, **kwargs)
        path = Path(outfile)
        fmt = format or _format_of(path)
        if fmt == "tex" and filename is None and directory is None:
            from .tikz import write

            return write(self, path)
        if fmt == "dot" and filename is None and directory is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.source, encoding="utf-8")
            return str(path)
        with warnings.catch_warnings():  # an explicit format= overrides the suffix on purpose
            warnings.simplefilter("ignore", graphviz.UnknownSuffixWarning)
            return self._call(super().render, filename, directory=directory, view=view,
                              cleanup=True if cleanup is None else cleanup, format=fmt,
                              outfile=path, **kwargs)

    def to_tikz(self, standalone: bool = False) -> str:
        """The drawing as LaTeX/TikZ with the SVG's layout, math labels and colours: a
        ``tikzpicture`` that needs only ``\\usepackage{tikz}``, or with
        ``standalone=True`` a whole document for pdflatex."""
        from .tikz import to_tikz

        return to_tikz(self, standalone)

    def pipe(self, format: str | None = None, *args: Any, **kwargs: Any) -> Any:
        """Like ``graphviz.Digraph.pipe``, raising :class:`GraphvizNotFound` without ``dot``."""
        return self._call(super().pipe, format, *args, **kwargs)

    def svg(self) -> str:
        """The rendered SVG as text."""
        return self.pipe(format="svg", encoding="utf-8")

    @staticmethod
    def _call(method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except graphviz.ExecutableNotFound as error:
            if isinstance(error, GraphvizNotFound):
                raise
            raise GraphvizNotFound() from None

    # -- Jupyter ----------------------------------------------------------------------
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **kwargs: Any) -> dict[str, Any]:
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            text = f"{INSTALL_HELP}\n\n{self.source}"
            return {
                "text/plain": text,
                "text/html": (
                    '<div style="font-family:sans-serif"><p><b>Cannot render:</b> '
                    f"{html.escape(INSTALL_HELP).replace(chr(10), '<br>')}</p>"
                    f"<pre>{html.escape(self.source)}</pre></div>"
                ),
            }

    def _repr_svg_(self) -> str | None:
        try:
            return self.svg()
        except graphviz.ExecutableNotFound:
            return None


def _format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise ValueError(f"render: cannot tell the format of {str(path)!r} from its suffix "
                         f"{path.suffix!r}; expected one of {known}, or pass format=...")
    return fmt
