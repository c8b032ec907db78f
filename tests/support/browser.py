"""Headless Chromium, driven through the DevTools protocol, with the network shut off.

The tests open the built docs site the way a learner on a train would: from the file
system, with no network. Chromium (Debian's `chromium` package; CI installs it) runs with
every host name resolving to nothing and a proxy that points at a closed port on the
loopback address, so a page that tried to fetch anything from outside would fail to; and
every request the page makes is recorded through the protocol, so a test can assert that
none was even attempted.

The protocol runs over a pipe (``--remote-debugging-pipe``: Chromium reads commands on
fd 3 and writes answers on fd 4, each a JSON message ended by a NUL byte), so no port is
opened and no websocket library is needed.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Nothing resolves, and anything that bypassed the resolver would meet a closed port.
OFFLINE_FLAGS = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--disable-quic",
)


def chromium_executable() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, ("headless Chromium is needed to test the docs site: "
                 "apt-get install chromium (Debian's package)")
    return exe


class ProtocolError(RuntimeError):
    """Chromium answered a command with an error, or did not answer in time."""


@dataclass
class PageVisit:
    """One page opened in the browser: what it requested, and what its script returned."""

    url: str
    requests: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)


class Browser:
    """One headless Chromium for many pages; use as a context manager."""

    def __init__(self, profile: Path, width: int = 1400, height: int = 1000) -> None:
        self.width, self.height = width, height
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # fds 3 and 4 of the child are the protocol's: bash puts the pipe ends there
        script = f'exec "$0" "$@" 3<&{to_child_r} 4>&{from_child_w}'
        cmd = ["bash", "-c", script, chromium_executable(), "--headless", "--no-sandbox",
               "--disable-gpu", "--hide-scrollbars", "--remote-debugging-pipe",
               f"--user-data-dir={profile}", *OFFLINE_FLAGS, "about:blank"]
        self._process = subprocess.Popen(cmd, pass_fds=(to_child_r, from_child_w),
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(ProtocolError, OSError):
            self._send("Browser.close", timeout=10)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)

    # ---------------------------------------------------------------- the protocol

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_child], [], [], left)
            if ready:
                chunk = os.read(self._from_child, 1 << 20)
                if not chunk:
                    raise ProtocolError("Chromium closed the DevTools pipe (did it start?)")
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        decoded: dict[str, Any] = json.loads(message)
        return decoded

    def _send(self, method: str, params: dict[str, Any] | None = None,
              session: str | None = None, timeout: float = 60) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method,
                                   "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise ProtocolError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self._events.append(answer)

    def _wait_for(self, method: str, session: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self._events[seen:]:
                if event.get("method") == method and event.get("sessionId") == session:
                    return
            seen = len(self._events)
            self._events.append(self._read_message(deadline))

    # ---------------------------------------------------------------- pages

    def visit(self, url: str, script: str, dark: bool = False,
              screenshot: Path | None = None) -> tuple[PageVisit, Any]:
        """Open ``url`` in a new tab, run ``script`` (an expression that may be a
        promise) once the page has loaded, and return the visit and the script's value.
        With ``screenshot``, the whole page is saved there as PNG afterwards."""
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget",
                             {"targetId": target, "flatten": True})["sessionId"]
        first_event = len(self._events)
        try:
            for method in ("Network.enable", "Page.enable", "Runtime.enable"):
                self._send(method, session=session)
            self._send("Emulation.setDeviceMetricsOverride",
                       {"width": self.width, "height": self.height,
                        "deviceScaleFactor": 1, "mobile": False}, session=session)
            self._send("Emulation.setEmulatedMedia", {"features": [
                {"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]},
                session=session)
            # every visit is a first visit: no palette or other choice remembered
            self._send("Page.addScriptToEvaluateOnNewDocument",
                       {"source": "localStorage.clear(); sessionStorage.clear();"},
                       session=session)
            self._send("Page.navigate", {"url": url}, session=session)
            self._wait_for("Page.loadEventFired", session)
            value = self._send("Runtime.evaluate", {
                "expression": script, "awaitPromise": True, "returnByValue": True},
                session=session)
            if "exceptionDetails" in value:
                raise ProtocolError(f"the page script failed on {url}: "
                                    f"{value['exceptionDetails']}")
            if screenshot is not None:
                shot = self._send("Page.captureScreenshot",
                                  {"format": "png", "captureBeyondViewport": True},
                                  session=session)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
        finally:
            self._send("Target.closeTarget", {"targetId": target})
        visit = PageVisit(url)
        for event in self._events[first_event:]:
            if event.get("sessionId") != session:
                continue
            if event.get("method") == "Network.requestWillBeSent":
                visit.requests.append(event["params"]["request"]["url"])
            elif event.get("method") == "Runtime.exceptionThrown":
                visit.exceptions.append(json.dumps(event["params"]["exceptionDetails"])[:500])
        del self._events[first_event:]
        return visit, value["result"].get("value")
