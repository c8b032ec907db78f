"""backward_steps: the sweep frame by frame, as SVGs and as one self-contained HTML page
tested in headless Chromium (Debian's `chromium` package; CI installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest
from test_viz_support import fmt, group_texts, groups, neuron, parse_svg

import microgradnn as mg
from microgradnn.viz import style


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
            assert order[current].label() in steps.captions[k]
            assert fmt(final[current]) in steps.captions[k]
    assert "forward pass" in steps.captions[0] and "seed" in steps.captions[1]


def test_a_node_used_twice_shows_the_sum_of_both_paths():
    a = mg.Scalar(1.5, name="a")
    out = a * a + a
    out.name = "out"
    steps = mg.viz.backward_steps(out)
    last = _deltas(steps[len(steps) - 1].svg())
    assert last["n0"] == fmt(2 * 1.5 + 1)
    assert "its 3 uses" in steps.captions[-1]


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


def test_html_page_is_self_contained(tmp_path):
    steps = mg.viz.backward_steps(neuron())
    page = steps.save_html(tmp_path / "sweep.html").read_text(encoding="utf-8")
    assert page.count("<svg") == len(steps)
    assert "<script src" not in page and "<link" not in page and "@import" not in page
    assert not re.search(r'(src|href)\s*=\s*"(https?:|//)', page)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # frames' SVG ids made unique
    assert 'type="range"' in page and 'id="play"' in page
    assert steps._repr_html_().startswith("<iframe sandbox")


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, ("headless Chromium is needed to test the HTML page: "
                 "apt-get install chromium (Debian's package)")
    return exe


def _run_chromium(tmp_path, *args: str) -> str:
    profile = tmp_path / f"profile{len(list(tmp_path.iterdir()))}"
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_html_page_works_in_headless_chromium(tmp_path):
    steps = mg.viz.backward_steps(neuron())
    page = steps.save_html(tmp_path / "sweep.html")
    url = page.resolve().as_uri()
    # the slider position from the URL: frame 4 shown, the others hidden
    dom = _run_chromium(tmp_path, "--dump-dom", f"{url}#step=4")
    assert re.search(r'<body[^>]*data-step="4"', dom) and 'data-ready="1"' in dom
    shown = re.findall(r'<figure class="frame" id="frame-(\d+)"(?![^>]*hidden)', dom)
    assert shown == ["4"]
    assert f'id="counter">4 / {len(steps) - 1}<' in dom
    # play: with virtual time the page advances on its own
    dom = _run_chromium(tmp_path, "--virtual-time-budget=4000", "--dump-dom", f"{url}#play")
    step = int(re.search(r'<body[^>]*data-step="(\d+)"', dom).group(1))
    assert 2 <= step <= len(steps) - 1
    # and a screenshot that is a real, non-blank picture
    shot = tmp_path / "shot.png"
    _run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1400,700",
                  f"{url}#step={len(steps) - 1}")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    import matplotlib.image as mpimg

    pixels = mpimg.imread(str(shot))
    assert pixels.shape[:2] == (700, 1400)
    assert pixels[..., :3].std() > 0.05  # not a blank page
