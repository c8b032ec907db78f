"""MkDocs hook: the site ships every script it runs, so it works with no network.

A learner who opens ``site/index.html`` from the file system, on a train, gets the typeset
maths and the search; the page loads nothing from a CDN. Two third-party scripts are
copied into the site at build time, each from its registry package (nothing of theirs is
committed to docs/):

- MathJax 3, which typesets the formulas. pymdownx.arithmatex marks each formula of a page
  (``$...$`` inline, ``$$...$$`` displayed) with the class ``arithmatex``; MathJax
  typesets those elements when the page loads, as SVG, so no web font is fetched. It comes
  from the PyPI package ``django-static-mathjax`` (a ``docs`` extra; import name
  ``mathjax``; Django itself is not needed): its one self-contained component
  ``es5/tex-svg-full.js`` becomes ``js/mathjax/tex-svg-full.js``.
- iframe-worker's shim, which Material's offline plugin needs for search from the file
  system (browsers refuse web workers there). The plugin would load it from a CDN;
  mkdocs.yml names this local copy instead (``extra.polyfills``), and this hook fetches
  the npm package once with ``npm pack`` (the only registry that has it) into a cache
  directory, then copies ``shim/index.js`` to ``js/iframe-worker/shim.js``.

Registered in mkdocs.yml as ``hooks: [docs/offline_assets.py]``, beside
``js/mathjax-config.js``; the paths here and there must agree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

MATHJAX_SITE_PATH = "js/mathjax/tex-svg-full.js"
MATHJAX_COMPONENT = ("static", "mathjax", "es5", "tex-svg-full.js")
SHIM_SITE_PATH = "js/iframe-worker/shim.js"
SHIM_PACKAGE = "iframe-worker@1.0.4"
SHIM_MEMBER = "package/shim/index.js"


class AssetMissing(RuntimeError):
    """A script the site ships could not be had; the message says how to get it."""


def mathjax_component() -> bytes:
    """MathJax's tex-svg-full.js, from the installed ``mathjax`` package."""
    try:
        return resources.files("mathjax").joinpath(*MATHJAX_COMPONENT).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise AssetMissing(
            "docs: MathJax not found (es5/tex-svg-full.js of the `mathjax` package); "
            "expected the docs extra: pip install -e '.[docs]' (it brings "
            "django-static-mathjax)") from exc


def cache_dir() -> Path:
    """Where fetched npm packages are kept between builds."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "microgradnn-docs"


def iframe_worker_shim(cache: Path | None = None) -> bytes:
    """iframe-worker's shim, from the npm package (fetched once, then cached)."""
    cache = cache or cache_dir()
    cached = cache / SHIM_PACKAGE.replace("@", "-") / "shim.js"
    if not cached.is_file():
        npm = shutil.which("npm")
        if npm is None:
            raise AssetMissing(f"docs: npm not found, needed once to fetch {SHIM_PACKAGE} "
                               "for offline search; expected npm on PATH: apt-get install npm")
        with tempfile.TemporaryDirectory(prefix="mgnn-npm-") as work:
            done = subprocess.run([npm, "pack", SHIM_PACKAGE, "--silent"], cwd=work,
                                  capture_output=True, text=True, timeout=300)
            tarballs = list(Path(work).glob("*.tgz"))
            if done.returncode != 0 or len(tarballs) != 1:
                raise AssetMissing(f"docs: `npm pack {SHIM_PACKAGE}` failed "
                                   f"(exit {done.returncode}): {done.stderr.strip()[-500:]}")
            with tarfile.open(tarballs[0]) as archive:
                member = archive.extractfile(SHIM_MEMBER)
                if member is None:
                    raise AssetMissing(f"docs: {SHIM_MEMBER} missing from {tarballs[0].name}")
                content = member.read()
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".part")
        partial.write_bytes(content)
        partial.replace(cached)
    return cached.read_bytes()


def on_files(files: Any, config: Any) -> Any:
    """Add MathJax and the iframe-worker shim to the site as generated files."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, MATHJAX_SITE_PATH, content=mathjax_component()))
    files.append(File.generated(config, SHIM_SITE_PATH, content=iframe_worker_shim()))
    return files
