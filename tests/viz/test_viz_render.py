"""Output: render's format from the suffix, valid files, Jupyter, and life without `dot`."""

from __future__ import annotations

from pathlib import Path

import graphviz
import pytest
from viz_support import fmt, neuron, parse_svg, texts

import microgradnn as mg
from microgradnn.viz import Drawing, GraphvizNotFound


@pytest.fixture
def drawing() -> Drawing:
    o = neuron()
    o.backward()
    return mg.draw_graph(o)


def test_draw_graph_returns_a_digraph(drawing):
    assert isinstance(drawing, graphviz.Digraph)


@pytest.mark.parametrize("suffix, magic", [
    (".png", b"\x89PNG\r\n\x1a\n"), (".pdf", b"%PDF"), (".svg", b"<?xml"),
    (".PNG", b"\x89PNG\r\n\x1a\n"),
])
def test_render_takes_the_format_from_the_suffix(drawing, tmp_path, suffix, magic):
    out = tmp_path / "sub" / f"graph{suffix}"
    written = drawing.render(outfile=out)
    assert written.endswith(f"graph{suffix}")
    data = out.read_bytes()
    assert data.startswith(magic) and len(data) > 1000
    # no stray DOT source file is left next to it
    assert sorted(p.name for p in out.parent.iterdir()) == [f"graph{suffix}"]


def test_rendered_svg_parses_and_shows_the_numbers(drawing, tmp_path):
    out = tmp_path / "graph.svg"
    drawing.render(outfile=str(out))
    text = out.read_text(encoding="utf-8")
    root = parse_svg(text)
    assert root.tag.endswith("svg")
    assert fmt(0.7071) in texts(text)


def test_dot_suffix_writes_the_source_without_graphviz(drawing, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    for name in ("graph.dot", "graph.gv"):
        out = tmp_path / name
        drawing.render(outfile=out)
        assert out.read_text(encoding="utf-8") == drawing.source


def test_unknown_suffix_is_a_clear_error(drawing, tmp_path):
    with pytest.raises(ValueError, match=r"'\.txt'.*\.svg"):
        drawing.render(outfile=tmp_path / "graph.txt")
    out = drawing.render(outfile=tmp_path / "graph.txt", format="svg")
    assert parse_svg(Path(out).read_text(encoding="utf-8")).tag.endswith("svg")


def test_plain_graphviz_render_still_works(drawing, tmp_path):
    path = drawing.render(filename="g", directory=tmp_path, format="svg", cleanup=True)
    assert path.endswith("g.svg") and (tmp_path / "g.svg").exists()


def _graphviz_render(drawing, *args, **kwargs):
    """What plain graphviz writes for the same source and arguments (the reference)."""
    return graphviz.Source(drawing.source, format=drawing.format).render(*args, **kwargs)


@pytest.mark.parametrize("kwargs, suffix, magic", [
    ({}, ".svg", b"<?xml"),  # the drawing's default format is svg
    ({"format": "png"}, ".png", b"\x89PNG\r\n\x1a\n"),
    ({"format": "pdf", "cleanup": True}, ".pdf", b"%PDF"),
])
def test_positional_filename_renders_like_graphviz(drawing, tmp_path, kwargs, suffix, magic):
    ours, ref = tmp_path / "ours", tmp_path / "ref"
    written = drawing.render(str(ours / "graph"), **kwargs)  # no suffix: not an error
    expected = _graphviz_render(drawing, str(ref / "graph"), **kwargs)
    assert Path(written).relative_to(ours) == Path(expected).relative_to(ref)
    assert written == str(ours / f"graph{suffix}")
    assert (ours / f"graph{suffix}").read_bytes().startswith(magic)
    assert sorted(p.name for p in ours.iterdir()) == sorted(p.name for p in ref.iterdir())
    if not kwargs.get("cleanup"):  # graphviz keeps the DOT source under the plain name
        assert (ours / "graph").read_text(encoding="utf-8") == drawing.source


def test_positional_directory_and_default_filename(drawing, tmp_path):
    written = drawing.render(None, tmp_path)
    assert written == str(tmp_path / f"{drawing.name}.gv.svg")
    assert parse_svg(Path(written).read_text(encoding="utf-8")).tag.endswith("svg")


def test_default_format_is_svg_and_can_be_changed(tmp_path):
    o = neuron()
    assert mg.draw_graph(o).format == "svg"
    assert Drawing(format="png").format == "png"
    g = mg.draw_graph(o)
    g.format = "png"
    assert g.render(str(tmp_path / "g")).endswith("g.png")
    # outfile= still takes the format from its suffix, whatever the drawing's format
    assert g.render(outfile=tmp_path / "h.svg").endswith("h.svg")
    assert (tmp_path / "h.svg").read_bytes().startswith(b"<?xml")


def test_jupyter_shows_the_svg_inline(drawing):
    bundle = drawing._repr_mimebundle_()
    assert "image/svg+xml" in bundle
    assert parse_svg(bundle["image/svg+xml"]).tag.endswith("svg")
    assert drawing._repr_svg_().lstrip().startswith("<?xml")


def test_without_dot_source_works_and_rendering_says_how_to_install(drawing, tmp_path,
                                                                  monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert "digraph" in drawing.source
    with pytest.raises(GraphvizNotFound) as info:
        drawing.render(outfile=tmp_path / "graph.png")
    assert isinstance(info.value, graphviz.ExecutableNotFound)
    message = str(info.value)
    for hint in ("apt-get install graphviz", "brew install graphviz",
                 "conda install -c conda-forge graphviz", ".source"):
        assert hint in message
    assert not (tmp_path / "graph.png").exists()
    with pytest.raises(GraphvizNotFound):
        drawing.svg()
    with pytest.raises(GraphvizNotFound):
        drawing.pipe(format="svg")
    # Jupyter: the message and the source instead of a traceback
    bundle = drawing._repr_mimebundle_()
    assert "image/svg+xml" not in bundle
    assert "brew install graphviz" in bundle["text/plain"]
    assert drawing.source in bundle["text/plain"]
    assert "apt-get install graphviz" in bundle["text/html"]
    assert drawing._repr_svg_() is None
