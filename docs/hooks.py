"""MkDocs hook: every page's code runs at build time, and its output and figures go in.

The docs never hold a pasted number or a committed picture. The ```python and ```bash
blocks of a page are executed in order, in a fresh temporary directory, the Python blocks
sharing one namespace per page (the bash blocks run with this interpreter's ``bin``
directory first on PATH, so ``microgradnn`` is this checkout's command). What a block prints
is shown right under it, and every figure a block writes under ``figures/`` is added to the
site as a generated file (nothing is written into ``docs/``). A block that fails stops the
build. ``tests/test_docs.py`` runs the same blocks through :func:`run_page`, so the tests
and the site execute exactly the same code.

Registered in mkdocs.yml as ``hooks: [docs/hooks.py]``.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# A fenced block that starts with ```python or ```bash at the start of a line and ends at
# the next ``` line. What a block printed is shown under it as an ```output block (styled
# apart from code by css/extra.css); ```text blocks are shown as written. Neither is run.
_BLOCK = re.compile(r"^```(python|bash)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
FIGURES = "figures"
# what a block may write under figures/ to be published (graphviz also leaves its .gv source)
FIGURE_SUFFIXES = (".svg", ".png", ".html")


@dataclass(frozen=True)
class Block:
    """One runnable block of a page: its language ("python" or "bash") and its source."""

    lang: str
    source: str


def code_blocks(markdown: str) -> list[Block]:
    """Every ```python and ```bash block of a page, in order."""
    return [Block(m.group(1), m.group(2)) for m in _BLOCK.finditer(markdown)]


@dataclass
class PageRun:
    """What running a page's blocks produced: one stdout per block, and the figures."""

    outputs: list[str] = field(default_factory=list)
    figures: dict[str, bytes] = field(default_factory=dict)


class DocsBlockError(RuntimeError):
    """A code block of a page raised; the message names the page and the block."""


def run_page(markdown: str, page: str, workdir: str | os.PathLike[str] | None = None
             ) -> PageRun:
    """Execute a page's blocks in order; collect what each prints, and the figures.

    Blocks run with the working directory set to ``workdir`` (a new temporary directory
    when None), so relative paths in the docs, such as ``figures/network.svg``, land there.
    """
    run = PageRun()
    blocks = code_blocks(markdown)
    if not blocks:
        return run
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    with contextlib.ExitStack() as stack:
        where = Path(workdir) if workdir is not None else Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="mgnn-docs-")))
        (where / FIGURES).mkdir(parents=True, exist_ok=True)
        previous = os.getcwd()
        os.chdir(where)
        stack.callback(os.chdir, previous)
        for number, block in enumerate(blocks, start=1):
            try:
                if block.lang == "python":
                    printed = _run_python(block.source, f"<{page} block {number}>", namespace)
                else:
                    printed = _run_bash(block.source, where)
            except Exception as exc:
                raise DocsBlockError(
                    f"{page}: {block.lang} block {number} failed: {type(exc).__name__}: "
                    f"{exc}\n--- block {number} ---\n{block.source}") from exc
            run.outputs.append(printed)
        for path in sorted((where / FIGURES).rglob("*")):
            if path.is_file() and path.suffix in FIGURE_SUFFIXES:
                run.figures[path.relative_to(where).as_posix()] = path.read_bytes()
    return run


def _run_python(source: str, filename: str, namespace: dict[str, Any]) -> str:
    buffer = io.StringIO()
    code = compile(source, filename, "exec")
    with contextlib.redirect_stdout(buffer):
        exec(code, namespace)
    return buffer.getvalue()


def _run_bash(source: str, cwd: Path) -> str:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", source], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"exit status {done.returncode}; stderr:\n{done.stderr}")
    return done.stdout


def with_outputs(markdown: str, outputs: list[str]) -> str:
    """The page with each block's printed output inserted as a text block right after it."""
    pieces = iter(outputs)

    def add_output(match: re.Match[str]) -> str:
        printed = next(pieces, "").rstrip()
        if not printed:
            return match.group(0)
        return f"{match.group(0)}\n\n```output\n{printed}\n```"

    return _BLOCK.sub(add_output, markdown)


# ------------------------------------------------------------------ the MkDocs events

_RUNS: dict[str, PageRun] = {}


def on_files(files: Any, config: Any) -> Any:
    """Run every page once; add the figures its blocks wrote as generated files."""
    from mkdocs.structure.files import File

    os.environ.setdefault("MPLBACKEND", "Agg")
    _RUNS.clear()
    docs_dir = Path(config["docs_dir"])
    written: dict[str, str] = {}
    for file in list(files.documentation_pages()):
        markdown = (docs_dir / file.src_uri).read_text(encoding="utf-8")
        run = run_page(markdown, file.src_uri)
        _RUNS[file.src_uri] = run
        for uri, content in run.figures.items():
            if uri in written:
                raise DocsBlockError(f"{file.src_uri}: {uri} was already written by "
                                     f"{written[uri]}; give each figure its own name")
            written[uri] = file.src_uri
            files.append(File.generated(config, uri, content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Show each block's output under it (the numbers are the library's, from this build)."""
    run = _RUNS.get(page.file.src_uri)
    return with_outputs(markdown, run.outputs) if run else markdown


# The docstrings cite code with reStructuredText roles (:class:`Node`); Markdown keeps the
# role's name as text. Show just the code; "~a.b.C" shows "C", as Sphinx would.
_ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj):<code>(~?)([^<]*)</code>")


def _shorten(match: re.Match[str]) -> str:
    tilde, name = match.groups()
    return f"<code>{name.rsplit('.', 1)[-1] if tilde else name}</code>"


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Drop reStructuredText role markers from the API reference's rendered docstrings."""
    return _ROLE.sub(_shorten, html)
