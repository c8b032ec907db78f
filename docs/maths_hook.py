"""MkDocs hook: the site ships its own MathJax, so its formulas render with no network.

pymdownx.arithmatex marks each formula of a page (``$...$`` inline, ``$$...$$`` displayed)
with the class ``arithmatex``; MathJax typesets those elements when the page loads, as SVG
(no web fonts to fetch). MathJax comes from the registry at build time: the PyPI package
``django-static-mathjax`` (a ``docs`` extra; its import name is ``mathjax``; Django itself
is not needed) holds the MathJax 3 distribution, and this hook copies the one
self-contained file the pages load, ``es5/tex-svg-full.js``, into the site as
``js/mathjax/tex-svg-full.js``. Nothing is committed to docs/ and nothing is loaded from a
CDN: a learner who opens ``site/index.html`` on a train sees the maths.

Registered in mkdocs.yml as ``hooks: [docs/maths_hook.py]``, beside ``js/mathjax-config.js``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

# where the pages load it from (mkdocs.yml's extra_javascript names the same path)
SITE_PATH = "js/mathjax/tex-svg-full.js"
# the MathJax component: TeX input with every extension preloaded, SVG output
COMPONENT = ("static", "mathjax", "es5", "tex-svg-full.js")


class MathJaxMissing(RuntimeError):
    """The MathJax package is not installed, so the site could not render its maths."""


def mathjax_component() -> bytes:
    """The bytes of MathJax's tex-svg-full.js from the installed ``mathjax`` package."""
    try:
        where = resources.files("mathjax").joinpath(*COMPONENT)
        return where.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise MathJaxMissing(
            "docs: MathJax not found (es5/tex-svg-full.js of the `mathjax` package); "
            "expected the docs extra: pip install -e '.[docs]' (it brings "
            "django-static-mathjax)") from exc


def on_files(files: Any, config: Any) -> Any:
    """Add MathJax to the site as a generated file."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, SITE_PATH, content=mathjax_component()))
    return files
