"""The docs run: every code block of every page executes, and the site builds strictly.

The site is built once, in this process, by MkDocs (the session fixture ``site`` of
conftest.py, which test_docs_site.py also opens in a browser); its hook, ``docs/hooks.py``,
runs every page's blocks to put their output and figures into the site, and the page tests
check those very runs — so what the tests check is what the reader sees, and each page runs
once. Pages check themselves with ``assert`` statements in their blocks.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(p.name for p in DOCS.glob("*.md"))
# pages of prose and tables only; every other page must run code
NO_CODE = {"api.md"}


def _load_hooks():
    spec = importlib.util.spec_from_file_location("microgradnn_docs_hooks", DOCS / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # as MkDocs does; dataclasses look their module up
    spec.loader.exec_module(module)
    return module


hooks = _load_hooks()


def _nav_pages() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    return re.findall(r"^\s+- [^:\n]+: (\S+\.md)\s*$", text, flags=re.MULTILINE)


def test_every_page_is_in_the_nav():
    assert sorted(_nav_pages()) == PAGES


def test_the_block_finder_misses_no_block():
    for page in PAGES:
        markdown = (DOCS / page).read_text(encoding="utf-8")
        fences = len(re.findall(r"^```(?:python|bash)\b", markdown, flags=re.MULTILINE))
        assert len(hooks.code_blocks(markdown)) == fences, page


def test_a_failing_block_names_its_page_and_block(tmp_path):
    markdown = "# t\n\n```python\nx = 1\n```\n\n```python\nassert x == 2, 'x is 1'\n```\n"
    with pytest.raises(hooks.DocsBlockError, match=r"t\.md: python block 2 failed"):
        hooks.run_page(markdown, "t.md", tmp_path)


def test_outputs_go_right_under_their_block(tmp_path):
    markdown = "```python\nprint(6 * 7)\n```\n\ntext\n\n```bash\necho hi\n```\n"
    run = hooks.run_page(markdown, "t.md", tmp_path)
    assert run.outputs == ["42\n", "hi\n"]
    shown = hooks.with_outputs(markdown, run.outputs)
    assert shown.index("```output\n42\n```") < shown.index("text\n\n```bash")
    assert shown.rstrip().endswith("```output\nhi\n```")


@pytest.mark.parametrize("page", PAGES)
def test_page_code_runs(page, site, tmp_path):
    markdown = (DOCS / page).read_text(encoding="utf-8")
    blocks = hooks.code_blocks(markdown)
    if page not in NO_CODE:
        assert blocks, f"{page} has no code block"
    run = site.runs.get(page)
    if run is None:  # the build stopped before this page or on it: run it alone, for its error
        assert site.error, f"the build did not run {page}"
        run = hooks.run_page(markdown, page, tmp_path)
    assert len(run.outputs) == len(blocks)
    # every figure the page shows is drawn by the page's own code
    shown = set(re.findall(r"\]\((figures/[^)\s]+)\)", markdown))
    missing = shown - set(run.figures)
    assert not missing, f"{page} shows figures its code does not write: {sorted(missing)}"
    for name in shown:
        content = run.figures[name]
        if name.endswith(".svg"):
            assert b"<svg" in content[:2000], name
        elif name.endswith(".html"):
            assert b"<html" in content[:2000].lower(), name


def test_no_figure_is_committed_to_docs():
    # figures are drawn during the build; a stale copy in docs/ would hide a broken drawing
    if (ROOT / ".git").exists():  # what is committed, not what a local build left behind
        files = subprocess.run(["git", "ls-files", "--", "docs"], cwd=ROOT, text=True,
                               capture_output=True, check=True).stdout.split()
    else:  # an exported source tree: everything in it ships
        files = [p.relative_to(ROOT).as_posix() for p in DOCS.rglob("*") if p.is_file()]
    assert "docs/index.md" in files
    assert not [p for p in files if p.endswith((".svg", ".png", ".pdf"))]


def test_mkdocs_build_strict(site):
    assert site.error is None, site.error[-4000:]
    for page in PAGES:
        # page.html, not page/index.html: the site opens from the file system
        html = site.dir / page.replace(".md", ".html")
        assert html.is_file(), html
    # the figures were drawn into the site, the block outputs shown, the API documented
    assert list((site.dir / "figures").glob("*.svg"))
    intuition = (site.dir / "backprop-intuition.html").read_text(encoding="utf-8")
    assert "language-output" in intuition
    api = (site.dir / "api.html").read_text(encoding="utf-8")
    assert "numerical_gradient" in api and "Network" in api
    assert ":class:" not in api and ":func:" not in api  # roles reduced to code


def test_roles_become_code():
    html = "see :class:<code>~microgradnn.nn.Network</code> and :func:<code>mg.grad</code>"
    assert hooks.on_page_content(html, None, None, None) == (
        "see <code>Network</code> and <code>mg.grad</code>")
