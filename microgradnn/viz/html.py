"""The self-contained HTML page of ``backward_steps``: every frame's SVG inline, a slider,
a play button and the frame's caption. No external scripts, styles, fonts or images; a
Content-Security-Policy forbids any network access.

The page reads its starting state from the URL fragment: ``#step=5`` opens frame 5 and
``#play`` starts playing, which also makes it scriptable from a headless browser. While it
runs, ``<body data-step="k">`` names the frame on screen.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

__all__ = ["iframe", "page"]

_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.S)
_ID = re.compile(r'\bid="')

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.25em; font-weight: 600; margin: 0 0 .6em; }
.controls { display: flex; align-items: center; gap: .8em; margin-bottom: .5em; }
.controls input[type=range] { flex: 1; max-width: 40em; }
button { font-size: 1em; padding: .25em .9em; border: 1px solid #888; border-radius: 6px;
         background: #f4f4f4; cursor: pointer; min-width: 6em; }
#counter { font-variant-numeric: tabular-nums; color: #555; min-width: 6em; }
#caption { margin: .2em 0 .8em; min-height: 1.4em; }
.frame svg { max-width: 100%; height: auto; }
.frame[hidden] { display: none; }
"""

SCRIPT = """
(function () {
  var frames = document.querySelectorAll('.frame');
  var slider = document.getElementById('step');
  var counter = document.getElementById('counter');
  var caption = document.getElementById('caption');
  var play = document.getElementById('play');
  var last = frames.length - 1, current = 0, timer = null;
  function show(k) {
    k = Math.max(0, Math.min(last, k | 0));
    for (var i = 0; i < frames.length; i++) { frames[i].hidden = (i !== k); }
    current = k;
    slider.value = String(k);
    counter.textContent = k + ' / ' + last;
    caption.textContent = frames[k].getAttribute('data-caption');
    document.body.setAttribute('data-step', String(k));
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = '\\u25B6 Play';
  }
  function start() {
    if (current >= last) { show(0); }
    play.textContent = '\\u275A\\u275A Pause';
    timer = setInterval(function () {
      if (current >= last) { stop(); } else { show(current + 1); }
    }, 900);
  }
  play.addEventListener('click', function () { if (timer === null) { start(); } else { stop(); } });
  slider.addEventListener('input', function () { stop(); show(parseInt(slider.value, 10)); });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowRight') { stop(); show(current + 1); }
    if (e.key === 'ArrowLeft') { stop(); show(current - 1); }
    if (e.key === ' ') { e.preventDefault(); play.click(); }
  });
  var hash = window.location.hash;
  var m = /step=(\\d+)/.exec(hash);
  show(m ? parseInt(m[1], 10) : 0);
  if (/play/.test(hash)) { start(); }
  document.body.setAttribute('data-ready', '1');
})();
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")


def _inline(svg: str, k: int) -> str:
    """An SVG document as an element for the page: prologue dropped, ids made unique."""
    body = _PROLOGUE.sub("", svg).strip()
    return _ID.sub(f'id="f{k}-', body)


def page(svgs: Sequence[str], captions: Sequence[str], title: str) -> str:
    """The HTML page for the frames ``svgs`` (SVG documents) with their ``captions``."""
    if len(svgs) != len(captions) or not svgs:
        raise ValueError(f"page: {len(svgs)} frames but {len(captions)} captions; expected "
                         "the same number, at least one")
    last = len(svgs) - 1
    frames = "\n".join(
        f'<figure class="frame" id="frame-{k}" data-caption="{html.escape(c, quote=True)}"'
        f'{" hidden" if k else ""}>\n{_inline(svg, k)}\n</figure>'
        for k, (svg, c) in enumerate(zip(svgs, captions)))
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
</div>
<p id="caption">{html.escape(captions[0])}</p>
<div id="frames">
{frames}
</div>
<script>{SCRIPT}</script>
</body>
</html>
"""


def iframe(document: str) -> str:
    """The page inside a sandboxed iframe, for Jupyter's HTML output."""
    return (f'<iframe sandbox="allow-scripts" style="width:100%;height:640px;border:0" '
            f'srcdoc="{html.escape(document, quote=True)}"></iframe>')
