"""Where text really lands: an SVG measured in headless Chromium (the DOM's boxes) and in
Graphviz's own cairo/pango layout (xdot, what `dot -Tpng` draws), with the checks every
picture must pass: no two texts overlap, every label inside its node, WCAG AA contrast.

Chromium is Debian's `chromium` package (CI installs it); a missing browser is an error.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from microgradnn.viz import style

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-quic")

_MEASURE = """
<script>
(function () {
  function box(el) {
    var r = el.getBoundingClientRect();
    return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height];
  }
  var svgs = Array.prototype.slice.call(document.querySelectorAll('svg'));
  function owner(el) {
    var g = el.closest('g.node, g.edge, g.cluster, g.graph');
    var k = String(svgs.indexOf(el.closest('svg')));
    return g ? [g.getAttribute('class'), k + ':' + (g.getAttribute('id') || ''),
                (g.querySelector('title') || {textContent: ''}).textContent, k]
             : ['', k + ':', '', k];
  }
  var out = {texts: [], shapes: []}, order = 0;
  document.querySelectorAll('svg *').forEach(function (el) {
    order += 1;
    var tag = el.tagName.toLowerCase();
    if (tag === 'text') {
      if (!el.textContent.trim()) { return; }
      out.texts.push({text: el.textContent, box: box(el), order: order, owner: owner(el),
                      fill: el.getAttribute('fill') || '#000000',
                      hidden: getComputedStyle(el).visibility === 'hidden'});
    } else if (tag === 'path' || tag === 'polygon' || tag === 'ellipse') {
      out.shapes.push({box: box(el), order: order, owner: owner(el),
                       fill: el.getAttribute('fill') || 'none'});
    }
  });
  var pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""

_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>", re.S)


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, ("headless Chromium is needed to measure the pictures: "
                 "apt-get install chromium (Debian's package)")
    return exe


def run_chromium(*args: str, timeout: float = 120) -> str:
    """Run headless Chromium with a fresh profile; its stdout."""
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                               *args], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@dataclass
class Text:
    text: str
    box: tuple[float, float, float, float]  # x, y, width, height
    owner: tuple[str, ...]  # (class, "svg:id", title, svg) of the node/edge/graph group
    fill: str
    order: int = 0


@dataclass
class Shape:
    box: tuple[float, float, float, float]
    owner: tuple[str, ...]
    fill: str
    order: int


def measure_page(page: Path, fragment: str = "") -> tuple[list[Text], list[Shape]]:
    """The text and shape boxes of every SVG in an HTML page (after its scripts ran)."""
    html = page.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>")
    probe = page.with_name(page.stem + ".measure.html")
    probe.write_text(html, encoding="utf-8")
    dom = run_chromium("--virtual-time-budget=2000", "--window-size=1400,1000",
                       "--dump-dom", probe.resolve().as_uri() + fragment)
    m = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert m, "the measuring script did not run"
    raw = json.loads(m.group(1).replace("&lt;", "<").replace("&gt;", ">")
                     .replace("&quot;", '"').replace("&amp;", "&"))
    texts = [Text(t["text"], tuple(t["box"]), tuple(t["owner"]), t["fill"], t["order"])
             for t in raw["texts"] if not t["hidden"]]
    shapes = [Shape(tuple(s["box"]), tuple(s["owner"]), s["fill"], s["order"])
              for s in raw["shapes"]]
    return texts, shapes


def measure_svgs(svgs: list[Path]) -> dict[str, tuple[list[Text], list[Shape]]]:
    """SVG files as a browser shows them (inline in a page, as MkDocs and GitHub do),
    measured in one Chromium run: file name -> (texts, shapes)."""
    bodies = "".join(f"<div>{_PROLOGUE.sub('', p.read_text(encoding='utf-8'))}</div>"
                     for p in svgs)
    page = svgs[0].with_name("measure-all.html")
    page.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
                    f'<body style="margin:0">{bodies}</body></html>', encoding="utf-8")
    texts, shapes = measure_page(page)
    return {p.name: ([t for t in texts if t.owner[3] == str(k)],
                     [s for s in shapes if s.owner[3] == str(k)])
            for k, p in enumerate(svgs)}


def xdot_texts(dot_source: str) -> list[Text]:
    """Text boxes as Graphviz itself lays them out with cairo/pango (its -Tpng path)."""
    done = subprocess.run(["dot", "-Tjson"], input=dot_source.encode("utf-8"),
                          capture_output=True, timeout=120, check=True)
    data = json.loads(done.stdout)
    out: list[Text] = []
    items = [("graph", data)] + [("node", o) for o in data.get("objects", [])] + \
        [("edge", e) for e in data.get("edges", [])]
    for kind, obj in items:
        size = 14.0
        for key in ("_ldraw_", "_hldraw_", "_tldraw_", "_draw_"):
            for op in obj.get(key, []):
                if op["op"] == "F":
                    size = float(op["size"])
                elif op["op"] == "T":
                    x, y, w = float(op["pt"][0]), float(op["pt"][1]), float(op["width"])
                    left = x - w / 2 if op["align"] == "c" else x - w if op["align"] == "r" \
                        else x
                    # baseline y, y up: a line of text spans about 0.8 em above, 0.2 below
                    out.append(Text(op["text"], (left, -(y + 0.8 * size), w, size),
                                    (kind, str(obj.get("name", "")), ""), "#000000"))
    return out


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float]:
    dx = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    dy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return dx, dy


def overlaps(texts: list[Text], slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than ``slack`` pixels both ways (line
    boxes include the font's full ascent and descent, so neighbouring lines may touch)."""
    found = []
    boxes = sorted(texts, key=lambda t: t.box[0])
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            if b.box[0] > a.box[0] + a.box[2]:
                break
            dx, dy = _overlap(a.box, b.box)
            if dx > slack and dy > slack:
                found.append((a.text, b.text))
    return found


def outside_their_node(texts: list[Text], shapes: list[Shape],
                       slack: float = 1.0) -> list[tuple[str, str]]:
    """Texts of a node that stick out of the node's outline (its first shape)."""
    first: dict[str, Shape] = {}
    members: dict[str, list[Shape]] = {}
    for s in shapes:
        if s.owner[0] == "node":
            first.setdefault(s.owner[1], s)
            members.setdefault(s.owner[1], []).append(s)
    # a node's outline is its first shape when that encloses all the others (a plain
    # node, such as a legend, has cells but no outline)
    outline = {key: o for key, o in first.items()
               if all(_inside(m.box, o.box, slack) for m in members[key])}
    bad = []
    for t in texts:
        o = outline.get(t.owner[1]) if t.owner[0] == "node" else None
        if o is None:
            continue
        if not _inside(t.box, o.box, slack):
            bad.append((t.owner[2], t.text))
    return bad


def _inside(a: tuple[float, ...], b: tuple[float, ...], slack: float) -> bool:
    return (a[0] >= b[0] - slack and a[1] >= b[1] - slack
            and a[0] + a[2] <= b[0] + b[2] + slack and a[1] + a[3] <= b[1] + b[3] + slack)


def _hex(colour: str) -> str | None:
    named = {"white": "#ffffff", "black": "#000000"}
    colour = named.get(colour, colour)
    return colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) else None


def poor_contrast(texts: list[Text], shapes: list[Shape],
                  minimum: float = 4.5) -> list[tuple[str, str, str, float]]:
    """Texts whose colour on the fill beneath them (the last filled shape drawn before
    them that holds the text's centre) has a WCAG contrast below ``minimum``."""
    bad = []
    for t in texts:
        ink = _hex(t.fill)
        if ink is None:
            continue
        cx, cy = t.box[0] + t.box[2] / 2, t.box[1] + t.box[3] / 2
        fill = "#ffffff"
        for s in shapes:
            if s.order > t.order:
                break
            x, y, w, h = s.box
            colour = _hex(s.fill)
            if colour is not None and x <= cx <= x + w and y <= cy <= y + h:
                fill = colour
        ratio = style.contrast(ink, fill)
        if ratio < minimum:
            bad.append((t.text, ink, fill, round(ratio, 2)))
    return bad
