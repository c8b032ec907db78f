"""The built docs site, opened in headless Chromium with the network shut off.

A learner opens ``site/index.html`` from the file system with no network: every formula
must be typeset by the MathJax that ships in the site, no raw TeX (``$``, ``\\delta``) or
caret notation (``^(``) may be left in the prose, every figure must load and zoom on a
click, code blocks get copy buttons, the navigation lists the page's sections, and no
request may leave the machine. The site is the one ``tests/test_docs.py`` builds (the
``site`` fixture of conftest.py); the browser is driven through the DevTools protocol
(``tests/browser.py``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser import Browser

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p.name for p in DOCS.glob("*.md"))
# generated from the code's docstrings, which are plain text, and the page about mutation
# testing, which is about the tests: no maths to typeset there
NO_MATHS = {"api.md", "mutation-testing.md"}

# Run in the page once it has loaded: wait for MathJax's first typesetting, then report
# what a reader would see. Text inside code, and the typeset maths itself, is not prose.
PAGE_REPORT = r"""
(async () => {
  const report = {};
  report.mathjax = Boolean(window.MathJax && MathJax.startup && MathJax.startup.promise);
  if (report.mathjax) { await MathJax.startup.promise; }
  const content = document.querySelector(".md-content");
  const maths = [...content.querySelectorAll(".arithmatex")];
  report.formulas = maths.length;
  report.untypeset = maths.filter(m => !m.querySelector("mjx-container"))
                          .map(m => m.textContent.slice(0, 80));
  report.merrors = [...content.querySelectorAll("mjx-merror")].map(e => e.textContent);
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.parentElement.closest("code, pre, mjx-container, script, style")
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT });
  report.raw = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (/\$|\\[a-zA-Z]+|\^\(/.test(n.nodeValue)) report.raw.push(n.nodeValue.slice(0, 120));
  }
  const images = [...content.querySelectorAll("img")];
  await Promise.all(images.map(i => i.decode().catch(() => null)));
  report.images = images.map(i => ({src: i.getAttribute("src"), alt: i.alt,
    width: i.naturalWidth, shown: i.getBoundingClientRect().width,
    zoom: Boolean(i.closest("a.glightbox"))}));
  report.code = content.querySelectorAll("pre > code").length;
  report.copy = content.querySelectorAll("button[data-md-type='copy']").length;
  report.sections = [...content.querySelectorAll("h2[id]")].map(h => h.id);
  report.navSections = [...document.querySelectorAll(
    ".md-sidebar--primary .md-nav__link[href^='#']")].map(a => a.getAttribute("href").slice(1));
  report.scheme = document.body.getAttribute("data-md-color-scheme");
  if (images.length) {  // a click on a figure opens it in the lightbox
    images[0].closest("a").click();
    for (let i = 0; i < 50 && !document.querySelector(".gslide-image img"); i++) {
      await new Promise(r => setTimeout(r, 100));
    }
    const zoomed = document.querySelector(".gslide-image img");
    report.zoomed = zoomed ? zoomed.getAttribute("src") : null;
  }
  return report;
})()
"""


def _html(site_dir: Path, page: str) -> Path:
    return site_dir / page.replace(".md", ".html")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    with Browser(tmp_path_factory.mktemp("chromium-profile")) as opened:
        yield opened


@pytest.fixture(scope="module")
def reports(site, browser) -> dict[str, tuple[Any, dict[str, Any]]]:
    assert site.error is None, site.error[-4000:]
    return {page: browser.visit(_html(site.dir, page).as_uri(), PAGE_REPORT)
            for page in PAGES}


@pytest.mark.parametrize("page", PAGES)
def test_no_request_leaves_the_machine(page, reports):
    visit, report = reports[page]
    assert report["mathjax"], f"{page}: MathJax did not load from the site"
    outside = [u for u in visit.requests if not u.startswith(("file:", "data:", "blob:"))]
    assert not outside, f"{page} requested {outside}"
    assert any(u.endswith("js/mathjax/tex-svg-full.js") for u in visit.requests)
    assert not visit.exceptions, f"{page}: {visit.exceptions}"


@pytest.mark.parametrize("page", sorted(set(PAGES) - NO_MATHS))
def test_every_formula_is_typeset(page, reports):
    _, report = reports[page]
    assert report["formulas"] > 0, f"{page} has no typeset formula"
    assert not report["untypeset"], f"{page}: not typeset: {report['untypeset']}"
    assert not report["merrors"], f"{page}: MathJax errors: {report['merrors']}"
    assert not report["raw"], f"{page}: raw TeX or ^( in the prose: {report['raw']}"


@pytest.mark.parametrize("page", PAGES)
def test_figures_load_zoom_and_say_what_they_show(page, reports):
    _, report = reports[page]
    markdown = (DOCS / page).read_text(encoding="utf-8")
    assert len(report["images"]) == len(re.findall(r"!\[[^\]]*\]\(figures/", markdown))
    for image in report["images"]:
        assert image["width"] > 0, f"{page}: {image['src']} did not load"
        assert image["zoom"], f"{page}: {image['src']} cannot be clicked to zoom"
        assert len(image["alt"].split()) >= 8, f"{page}: alt text too thin: {image['alt']!r}"
        assert "^(" not in image["alt"], image["alt"]
    if report["images"]:
        assert report["zoomed"].endswith(report["images"][0]["src"])


@pytest.mark.parametrize("page", PAGES)
def test_copy_buttons_and_section_navigation(page, reports):
    _, report = reports[page]
    assert report["copy"] == report["code"]
    assert set(report["sections"]) <= set(report["navSections"])


def test_light_and_dark(site, browser, tmp_path):
    page = _html(site.dir, "backprop-intuition.md").as_uri()
    _, light = browser.visit(page, PAGE_REPORT)
    _, dark = browser.visit(page, PAGE_REPORT, dark=True)
    assert (light["scheme"], dark["scheme"]) == ("default", "slate")


def test_the_figures_are_drawn_readably_wide(reports):
    # the lecture network is drawn at (nearly) its own size, not shrunk into the text
    _, report = reports["backprop-intuition.md"]
    network = next(i for i in report["images"] if i["src"].endswith("lecture-network.svg"))
    assert network["shown"] >= 0.75 * min(network["width"], 1100)


SEARCH = r"""
(async () => {
  const input = document.querySelector("input.md-search__input");
  input.focus();
  input.value = "sigmoid";
  input.dispatchEvent(new Event("input", {bubbles: true}));
  for (let i = 0; i < 100 && !document.querySelector(".md-search-result__item"); i++) {
    await new Promise(r => setTimeout(r, 100));
  }
  return [...document.querySelectorAll(".md-search-result__item a")]
    .map(a => a.getAttribute("href"));
})()
"""


def test_search_works_from_the_file_system(site, browser):
    # the offline plugin inlines the index; the shim runs its worker without a server
    visit, found = browser.visit(_html(site.dir, "index.md").as_uri(), SEARCH)
    pages = {href.split("?")[0].split("#")[0].rsplit("/", 1)[-1] for href in found}
    assert {"api.html", "notation.html", "backprop-intuition.html"} <= pages, found
    assert all(u.startswith(("file:", "data:", "blob:")) for u in visit.requests)
