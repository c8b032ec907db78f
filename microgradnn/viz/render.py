"""The object every drawing function returns: a ``graphviz.Digraph`` that renders to the
format its file name asks for, shows itself inline in Jupyter, and explains how to install
Graphviz when the ``dot`` executable is missing instead of failing with a traceback.

Every ``dot`` run goes through :func:`run_dot`: it has a timeout (``DOT_TIMEOUT`` seconds
unless the drawing's ``timeout`` says otherwise) that ends in :class:`LayoutTimeout`, a
clear message instead of an open-ended hang, and bitmap formats get ``dpi`` (192 by
default: sharp on a slide or a high-density screen). Drawings also bound Graphviz's own
searches (``nslimit``, ``mclimit``, ``searchsize`` in ``style.GRAPH_ATTR``).
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

import graphviz

from . import style
from .dot import (
    DEFAULT_DPI,
    DOT_TIMEOUT,
    INSTALL_HELP,
    GraphvizNotFound,
    LayoutTimeout,
    check_dpi,
    run_dot,
)

__all__ = ["DEFAULT_DPI", "DOT_TIMEOUT", "FORMATS", "Drawing", "GraphvizNotFound",
           "LayoutTimeout", "new_drawing", "run_dot"]

DEFAULT_FORMAT = "svg"
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

def new_drawing(rankdir: str, name: str = "computation_graph") -> Drawing:
    """An empty drawing with the house style and bounded layout searches."""
    return Drawing(name=name, graph_attr={**style.GRAPH_ATTR, "rankdir": rankdir},
                   node_attr=style.NODE_ATTR, edge_attr=style.EDGE_ATTR)


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` with friendlier output.

    ``render(outfile="graph.svg")`` takes the format from the suffix (svg, png, pdf, dot/gv,
    jpg, tex) and leaves no stray source file behind; ``.dot``/``.gv`` write the DOT source and
    need no Graphviz; ``.tex`` writes :meth:`to_tikz`'s standalone document. Without
    ``outfile``, ``render("graph")`` is graphviz's own form, with svg as the default format.
    ``svg()`` returns the SVG text. In Jupyter it displays inline, or, when ``dot`` is
    missing, shows how to install it followed by the source. ``timeout`` (seconds, default
    :data:`DOT_TIMEOUT`; ``None`` waits) bounds every ``dot`` run; ``dpi`` (default
    :data:`DEFAULT_DPI`) sets the resolution of PNG/JPG output.
    """

    _format = DEFAULT_FORMAT  # graphviz's default is pdf; a drawing is made for the screen
    timeout: float | None = DOT_TIMEOUT  # seconds per `dot` run; None waits forever
    dpi: float = DEFAULT_DPI  # pixels per inch of PNG/JPG output
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
        dpi: float | None = None,
        **kwargs: Any,
    ) -> str:
        """Render the drawing and return the path of the file written.

        ``render(outfile="graph.png")`` writes that one file, its format from the suffix
        unless ``format`` is given, and no DOT source beside it (``cleanup`` defaults to
        True). ``dpi`` sets the resolution of PNG/JPG output (default :data:`DEFAULT_DPI`).

        Without ``outfile`` this is ``graphviz.Digraph.render``, positional arguments and
        all: ``render("graph")`` saves the DOT source as ``graph`` and renders
        ``graph.svg`` (the format from ``format=``, else the drawing's ``format``, svg
        unless set); ``directory``, ``view``, ``cleanup`` (default False) and the rest mean
        what they mean there.
        """
        resolution = self.dpi if dpi is None else check_dpi(dpi)
        if outfile is None:
            if view or kwargs:  # graphviz's own machinery (it opens a viewer)
                return self._call(super().render, filename, directory=directory, view=view,
                                  cleanup=bool(cleanup), format=format, **kwargs)
            fmt = format or self.format
            source_path = Path(self.save(filename, directory=directory))
            target = source_path.with_name(f"{source_path.name}.{fmt}")
            target.write_bytes(run_dot(self.source, fmt, timeout=self.timeout,
                                       dpi=resolution))
            if cleanup:
                source_path.unlink()
            return str(target)
        path = Path(outfile)
        fmt = format or _format_of(path)
        if fmt == "tex" and filename is None and directory is None:
            from .tikz import write

            return write(self, path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "dot":
            path.write_text(self.source, encoding="utf-8")
        else:
            path.write_bytes(run_dot(self.source, fmt, timeout=self.timeout, dpi=resolution))
        if filename is not None or directory is not None:  # graphviz's form: keep the source
            self.save(filename, directory=directory)
            if cleanup:
                Path(self.filepath).unlink()
        return str(path)

    def to_tikz(self, standalone: bool = False) -> str:
        """The drawing as LaTeX/TikZ with the SVG's layout, math labels and colours: a
        ``tikzpicture`` that needs only ``\\usepackage{tikz}``, or with
        ``standalone=True`` a whole document for pdflatex."""
        from .tikz import to_tikz

        return to_tikz(self, standalone)

    def pipe(self, format: str | None = None, *args: Any, **kwargs: Any) -> Any:
        """Like ``graphviz.Digraph.pipe`` (bytes, or text with ``encoding=``), through
        :func:`run_dot`: a timeout, and :class:`GraphvizNotFound` without ``dot``."""
        if args or set(kwargs) - {"encoding", "quiet"}:
            return self._call(super().pipe, format, *args, **kwargs)
        data = run_dot(self.source, format or self.format, timeout=self.timeout, dpi=self.dpi)
        encoding = kwargs.get("encoding")
        return data.decode(encoding) if encoding else data

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
