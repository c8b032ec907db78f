"""The self-contained HTML page of ``backward_steps``: ONE inline SVG (the graph as the
sweep leaves it) and a small script that shows any step of the sweep on it, with a slider,
a play button, the step's caption, zoom (buttons, Ctrl + wheel) and pan (drag or scroll).

Step k of n shows δ on the nodes the sweep has finished — the last k of the topological
order — and "—" on a plain fill elsewhere, the k-th node outlined. So the page carries per
node only how many of its text elements show δ, and per step only the caption: a few
kilobytes on top of the SVG, where one SVG per step made megabytes. No external scripts,
styles, fonts or images; a Content-Security-Policy forbids any network access.

The page reads its starting state from the URL fragment: ``#step=5`` opens step 5,
``#play`` starts playing, ``#zoom=2`` zooms; this makes it scriptable from a headless
browser. ``<body data-step="k">`` names the step on screen.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence

__all__ = ["iframe", "page"]

_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.S)

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 1.2em; color: #222; }
h1 { font-size: 1.25em; font-weight: 600; margin: 0 0 .6em; }
.controls { display: flex; align-items: center; gap: .6em; margin-bottom: .5em;
            flex-wrap: wrap; }
.controls input[type=range] { flex: 1; min-width: 12em; max-width: 40em; }
button { font-size: 1em; padding: .25em .8em; border: 1px solid #888; border-radius: 6px;
         background: #f4f4f4; color: #222; cursor: pointer; }
#play { min-width: 6em; }
#counter, #zoomlevel { font-variant-numeric: tabular-nums; color: #555; min-width: 4.5em; }
#caption { margin: .2em 0 .8em; min-height: 2.8em; font-size: 1.1em; line-height: 1.4; }
#view { overflow: auto; border: 1px solid #ddd; border-radius: 6px; height: 75vh;
        cursor: grab; background: white; }
#view.dragging { cursor: grabbing; }
#view svg { display: block; }
"""

SCRIPT = r"""
(function () {
  var data = JSON.parse(document.getElementById('sweep-data').textContent);
  var svg = document.querySelector('#view svg');
  var view = document.getElementById('view');
  var slider = document.getElementById('step');
  var counter = document.getElementById('counter');
  var caption = document.getElementById('caption');
  var play = document.getElementById('play');
  var n = data.counts.length, last = data.captions.length - 1, current = 0, timer = null;
  // every drawn box of node i (a leaf used many times has copies v<i>c1, v<i>c2, ...)
  var boxes = [];
  for (var i = 0; i < n; i++) { boxes.push([]); }
  svg.querySelectorAll('g.node').forEach(function (g) {
    var m = /^v(\d+)(c\d+)?$/.exec(g.id);
    if (!m) { return; }
    var shape = g.querySelector('path, polygon, ellipse');
    var texts = Array.prototype.slice.call(g.querySelectorAll('text'));
    var k = data.counts[+m[1]];
    boxes[+m[1]].push({
      shape: shape, fill: shape.getAttribute('fill'), stroke: shape.getAttribute('stroke'),
      width: shape.getAttribute('stroke-width') || '1',
      texts: texts.map(function (t) {
        return { el: t, fill: t.getAttribute('fill') || '#000000', text: t.textContent };
      }),
      delta: k ? texts.slice(texts.length - k) : []
    });
  });
  function setNode(i, done, isCurrent) {
    boxes[i].forEach(function (b) {
      b.shape.setAttribute('fill', done ? b.fill : data.noGradFill);
      b.shape.setAttribute('stroke', isCurrent ? '#1a1a1a' : b.stroke);
      b.shape.setAttribute('stroke-width', isCurrent ? '3' : b.width);
      b.texts.forEach(function (t) {
        t.el.setAttribute('fill', done ? t.fill : data.ink);
        t.el.textContent = t.text;
        t.el.style.visibility = '';
      });
      if (!done) {
        b.delta.forEach(function (t, k) {
          if (k === 0) { t.textContent = data.missing; } else { t.style.visibility = 'hidden'; }
        });
      }
    });
  }
  function reveal(el) {  // scroll the view (not the page) so the current node is on screen
    var r = el.getBoundingClientRect(), v = view.getBoundingClientRect(), pad = 40;
    if (r.left < v.left || r.right > v.right) {
      view.scrollLeft += r.left - v.left - Math.max(pad, (v.width - r.width) / 2);
    }
    if (r.top < v.top || r.bottom > v.bottom) {
      view.scrollTop += r.top - v.top - Math.max(pad, (v.height - r.height) / 2);
    }
  }
  function show(k) {
    k = Math.max(0, Math.min(last, k | 0));
    for (var i = 0; i < n; i++) { setNode(i, i >= n - k, k > 0 && i === n - k); }
    current = k;
    if (k > 0 && boxes[n - k].length) { reveal(boxes[n - k][0].shape); }
    slider.value = String(k);
    counter.textContent = k + ' / ' + last;
    caption.textContent = data.captions[k];
    document.body.setAttribute('data-step', String(k));
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = '\u25B6 Play';
  }
  function start() {
    if (current >= last) { show(0); }
    play.textContent = '\u275A\u275A Pause';
    timer = setInterval(function () {
      if (current >= last) { stop(); } else { show(current + 1); }
    }, 900);
  }
  // zoom: the SVG's natural size times z; pan: scroll or drag the view
  var box = svg.viewBox.baseVal, zoom = 1;
  function setZoom(z) {
    zoom = Math.max(0.2, Math.min(6, z));
    svg.setAttribute('width', String(box.width * 4 / 3 * zoom));
    svg.setAttribute('height', String(box.height * 4 / 3 * zoom));
    document.getElementById('zoomlevel').textContent = Math.round(zoom * 100) + '%';
    document.body.setAttribute('data-zoom', zoom.toFixed(2));
  }
  function on(id, f) { document.getElementById(id).addEventListener('click', f); }
  on('zoomin', function () { setZoom(zoom * 1.25); });
  on('zoomout', function () { setZoom(zoom / 1.25); });
  document.getElementById('fit').addEventListener('click', function () {
    setZoom(Math.min((view.clientWidth - 4) / (box.width * 4 / 3),
                     (view.clientHeight - 4) / (box.height * 4 / 3)));
  });
  view.addEventListener('wheel', function (e) {
    if (!e.ctrlKey) { return; }
    e.preventDefault();
    setZoom(zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
  }, { passive: false });
  var drag = null;
  view.addEventListener('mousedown', function (e) {
    drag = { x: e.clientX, y: e.clientY, left: view.scrollLeft, top: view.scrollTop };
    view.classList.add('dragging');
  });
  window.addEventListener('mousemove', function (e) {
    if (!drag) { return; }
    view.scrollLeft = drag.left - (e.clientX - drag.x);
    view.scrollTop = drag.top - (e.clientY - drag.y);
  });
  window.addEventListener('mouseup', function () {
    drag = null;
    view.classList.remove('dragging');
  });
  play.addEventListener('click', function () { if (timer === null) { start(); } else { stop(); } });
  slider.addEventListener('input', function () { stop(); show(parseInt(slider.value, 10)); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight') { stop(); show(current + 1); }
    if (e.key === 'ArrowLeft') { stop(); show(current - 1); }
    if (e.key === '+' || e.key === '=') { setZoom(zoom * 1.25); }
    if (e.key === '-') { setZoom(zoom / 1.25); }
    if (e.key === ' ') { e.preventDefault(); play.click(); }
  });
  var hash = window.location.hash;
  var z = /zoom=([0-9.]+)/.exec(hash);
  setZoom(z ? parseFloat(z[1]) : 1);
  var m = /step=(\d+)/.exec(hash);
  show(m ? parseInt(m[1], 10) : 0);
  if (/play/.test(hash)) { start(); }
  document.body.setAttribute('data-ready', '1');
})();
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")


def page(svg: str, counts: Sequence[int], captions: Sequence[str], title: str, *,
         no_grad_fill: str, ink: str, missing: str) -> str:
    """The HTML page: ``svg`` (the final frame, node i's box with id ``v<i>``), ``counts[i]``
    (how many of node i's last texts show δ) and one caption per step (len(counts) + 1)."""
    if len(captions) != len(counts) + 1:
        raise ValueError(f"page: {len(counts)} nodes but {len(captions)} captions; expected "
                         "one caption per step, nodes + 1")
    last = len(captions) - 1
    data = json.dumps({"counts": list(counts), "captions": list(captions),
                       "noGradFill": no_grad_fill, "ink": ink, "missing": missing},
                      ensure_ascii=False).replace("</", "<\\/")
    body = _PROLOGUE.sub("", svg).strip()
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{STYLE}</style>
</head>
<body data-step="0" data-ready="0">
<h1>{html.escape(title)}</h1>
<div class="controls">
<button id="play" type="button">\u25B6 Play</button>
<input id="step" type="range" min="0" max="{last}" value="0" step="1" aria-label="step">
<span id="counter">0 / {last}</span>
<button id="zoomout" type="button" aria-label="zoom out">−</button>
<span id="zoomlevel">100%</span>
<button id="zoomin" type="button" aria-label="zoom in">+</button>
<button id="fit" type="button">fit</button>
</div>
<p id="caption">{html.escape(captions[0])}</p>
<div id="view">
{body}
</div>
<script id="sweep-data" type="application/json">{data}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""


def iframe(document: str) -> str:
    """The page inside a sandboxed iframe, for Jupyter's HTML output."""
    return (f'<iframe sandbox="allow-scripts" style="width:100%;height:640px;border:0" '
            f'srcdoc="{html.escape(document, quote=True)}"></iframe>')
