"""Compile LaTeX with the real pdflatex and read the PDF back with poppler's tools."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

PDFLATEX = ["pdflatex", "-halt-on-error", "-no-shell-escape", "-interaction=nonstopmode"]


def compile_tex(tex: Path) -> Path:
    """Run pdflatex on ``tex`` in its folder; fail with the log's error lines."""
    done = subprocess.run([*PDFLATEX, tex.name], cwd=tex.parent, capture_output=True,
                          text=True, timeout=120, check=False)
    if done.returncode != 0:
        errors = [line for line in done.stdout.splitlines() if line.startswith("!")]
        raise AssertionError(f"pdflatex failed on {tex.name}: {errors or done.stdout[-2000:]}")
    return tex.with_suffix(".pdf")


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text, one line per text line, with U+2212 minus signs as '-'."""
    pages = ["-f", str(page), "-l", str(page)] if page is not None else []
    text = subprocess.run(["pdftotext", "-layout", *pages, str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.replace("\u2212", "-")


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.M)
    assert match, info
    return int(match.group(1))


def to_png(pdf: Path, page: int = 1) -> Path:
    """The page as a PNG beside the PDF (what a reader sees)."""
    stem = pdf.with_name(f"{pdf.stem}-page{page}")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(stem)], check=True)
    return stem.with_suffix(".png")
