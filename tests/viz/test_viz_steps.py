"""backward_steps: the sweep frame by frame, as SVGs and as one self-contained HTML page
tested in headless Chromium (Debian's `chromium` package; CI installs it)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from svg_layout import run_chromium
from viz_support import fmt, group_texts, groups, neuron, parse_svg

import microgradnn as mg
from microgradnn.viz import style
from microgradnn.viz.graph import describe


def _deltas(frame_svg: str) -> dict[str, str]:
    """node id -> the δ text it shows."""
    out = {}
    for key, g in groups(frame_svg, "node").items():
        shown = group_texts(g)
        if re.fullmatch(r"n\d+", key) and "δ" in shown:
            out[key] = shown[shown.index("δ") + 1]
    return out


def test_each_frame_fills_in_one_more_delta_in_reverse_topological_order():
    o = neuron()
    steps = mg.viz.backward_steps(o)
    order = mg.topological_order(o)
    assert len(steps) == len(order) + 1
    assert all(n.grad is None for n in order)  # building the frames touches no .grad
    reference = neuron()
    reference.backward()
    final = [n.grad for n in mg.topological_order(reference)]
    for k, svg in enumerate(steps.svgs()):
        deltas = _deltas(svg)
        filled = {key for key, text in deltas.items() if text != style.MISSING}
        expected = {f"n{i}" for i in range(len(order) - k, len(order))}
        assert filled == expected, k
        for key in filled:  # each δ is already its final value
            assert deltas[key] == fmt(final[int(key[1:])])
        if k:
            current = len(order) - k
            line = next(b for b in steps[k].body if b.startswith(f"\tn{current} ["))
            assert 'penwidth="3"' in line
            # named in words or symbols ("the + node (#7)"), never "<+>"
            assert describe(order[current], current) in steps.captions[k]
            assert "<" not in steps.captions[k]
            assert fmt(final[current]) in steps.captions[k]
    assert "forward pass" in steps.captions[0] and "seed" in steps.captions[1]


def test_a_node_used_twice_shows_the_sum_of_both_paths():
    a = mg.Scalar(1.5, name="a")
    out = a * a + a
    out.name = "out"
    steps = mg.viz.backward_steps(out)
    last = _deltas(steps[len(steps) - 1].svg())
    assert last["n0"] == fmt(2 * 1.5 + 1)
    # the caption adds the three edges' terms: δ(out)·∂out/∂a for a + and two for a·a
    assert "its 3 uses" in steps.captions[-1]
    assert steps.captions[-1].endswith(f"= {fmt(2 * 1.5 + 1)}")


def test_tensor_roots_take_a_gradient_and_errors_are_clear():
    W = mg.Tensor(np.array([[1.0, -2.0], [0.5, 3.0]]), requires_grad=True, name="W")
    y = (W * W).tanh()
    seed = np.array([[1.0, 0.0], [0.0, 2.0]])
    steps = mg.viz.backward_steps(y, seed)
    expected = mg.grad(y, W, seed)[0]
    assert W.grad is None
    text = " ".join(group_texts(groups(steps[len(steps) - 1].svg(), "node")["n0"]))
    for v in expected.ravel():
        assert fmt(v) in text
    x = mg.Scalar(0.1)
    for _ in range(20):
        x = x * 1.1
    with pytest.raises(ValueError, match=r"21 nodes.*max_nodes=10"):
        mg.viz.backward_steps(x, max_nodes=10)
    with pytest.raises(IndexError, match="out of range"):
        mg.viz.backward_steps(neuron())[99]


def test_save_svgs_writes_numbered_valid_files(tmp_path):
    steps = mg.viz.backward_steps(neuron())
    paths = steps.save_svgs(tmp_path / "frames")
    assert [p.name for p in paths] == [f"step_{k:03d}.svg" for k in range(len(steps))]
    for p in paths:
        assert parse_svg(p.read_text(encoding="utf-8")).tag.endswith("svg")


def test_html_page_is_one_svg_and_self_contained(tmp_path):
    steps = mg.viz.backward_steps(neuron())
    page = steps.save_html(tmp_path / "sweep.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 1  # one drawing; the steps are data switched by a script
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:|//)', page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert 'type="range"' in page and 'id="play"' in page and 'id="zoomin"' in page
    assert "&lt;log&gt;" not in page and "<log>" not in page
    assert steps._repr_html_().startswith("<iframe sandbox")


# Steps through every frame with the page's own slider and reads back what each shows.
_STEP_ALL = """
<script>
(function () {
  var slider = document.getElementById('step'), out = [];
  for (var k = 0; k <= parseInt(slider.max, 10); k++) {
    slider.value = String(k);
    slider.dispatchEvent(new Event('input'));
    var nodes = {};
    document.querySelectorAll('#view g.node').forEach(function (g) {
      var shown = [];
      g.querySelectorAll('text').forEach(function (t) {
        if (getComputedStyle(t).visibility !== 'hidden') { shown.push(t.textContent); }
      });
      nodes[g.id] = shown;
    });
    out.push({step: document.body.getAttribute('data-step'),
              caption: document.getElementById('caption').textContent, nodes: nodes});
  }
  var pre = document.createElement('pre');
  pre.id = 'frames';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def _lecture_steps():
    net = mg.nn.lecture_network()
    sg = net.scalar_graph(*net.example)
    return sg.cost, mg.viz.backward_steps(sg.cost)


def test_backward_page_of_the_lecture_network_is_small(tmp_path):
    _, steps = _lecture_steps()
    page = steps.save_html(tmp_path / "backward.html")
    assert page.stat().st_size < 300_000
    assert len(steps) > 30


def test_slider_steps_through_every_frame_with_the_engines_numbers(tmp_path):
    import html as html_lib
    import json

    cost, steps = _lecture_steps()
    order = mg.topological_order(cost)
    grads = mg.grad(cost, order, allow_unused=True)
    page = steps.save_html(tmp_path / "backward.html")
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", _STEP_ALL + "</body>"),
                     encoding="utf-8")
    dom = run_chromium("--virtual-time-budget=3000", "--dump-dom", probe.resolve().as_uri())
    frames = json.loads(html_lib.unescape(re.search(r'<pre id="frames">(.*?)</pre>', dom,
                                                    re.S).group(1)))
    n = len(order)
    assert [f["step"] for f in frames] == [str(k) for k in range(n + 1)]
    for k, frame in enumerate(frames):
        assert frame["caption"] == steps.captions[k]
        for i in range(n):
            shown = frame["nodes"].get(f"v{i}")
            if shown is None:  # inside a collapsed cost node: not drawn
                continue
            done = i >= n - k
            assert shown[-1] == (fmt(grads[i]) if done else style.MISSING), (k, i, shown)
        if k >= 2:  # the caption's chain-rule sum, with the engine's numbers
            i = n - k
            caption = frame["caption"]
            assert caption.endswith(f"= {fmt(grads[i])}"), caption
            index = {node: j for j, node in enumerate(order)}
            for user in order:
                if order[i] in user.parents and index[user] < n:
                    assert fmt(grads[index[user]]).lstrip("−") in caption, (caption, user)


def test_html_page_works_in_headless_chromium(tmp_path):
    steps = mg.viz.backward_steps(neuron())
    page = steps.save_html(tmp_path / "sweep.html")
    url = page.resolve().as_uri()
    # the slider position from the URL
    dom = run_chromium("--dump-dom", f"{url}#step=4")
    assert re.search(r'<body[^>]*data-step="4"', dom) and 'data-ready="1"' in dom
    assert f'id="counter">4 / {len(steps) - 1}<' in dom
    # play: with virtual time the page advances on its own
    dom = run_chromium("--virtual-time-budget=4000", "--dump-dom", f"{url}#play")
    step = int(re.search(r'<body[^>]*data-step="(\d+)"', dom).group(1))
    assert 2 <= step <= len(steps) - 1
    # zoom from the URL
    dom = run_chromium("--dump-dom", f"{url}#step=2&zoom=2")
    assert 'data-zoom="2.00"' in dom


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_screenshots_of_first_middle_last_frame_are_real_pictures(tmp_path, where):
    import matplotlib.image as mpimg

    _, steps = _lecture_steps()
    page = steps.save_html(tmp_path / "backward.html")
    k = {"first": 0, "middle": len(steps) // 2, "last": len(steps) - 1}[where]
    shot = tmp_path / f"{where}.png"
    run_chromium(f"--screenshot={shot}", "--window-size=1280,800",
                 f"{page.resolve().as_uri()}#step={k}")
    pixels = mpimg.imread(str(shot))
    assert pixels.shape[:2] == (800, 1280)
    assert pixels[..., :3].std() > 0.05  # not a blank page
