"""A headless Chromium driven over the DevTools protocol (no Selenium or Playwright needed: `websockets` only).

`chromium_executable()` finds Debian's `chromium` and, when it is missing, installs it with apt-get (the test
set-up the issue asks for); it returns None with the reason when that is impossible, and the caller skips.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from websockets.sync.client import ClientConnection, connect


def chromium_executable() -> tuple[str | None, str]:
    """(path, '') when Chromium is available, else (None, why not)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found, ""
    apt = shutil.which("apt-get")
    if apt is None:
        return None, "chromium is not installed and there is no apt-get to install it"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        for command in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", "chromium"]):
            done = subprocess.run(command, capture_output=True, text=True, timeout=900, env=env)
            if done.returncode != 0:
                return None, f"`{' '.join(command)}` failed: {done.stderr.strip()[-300:]}"
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"installing chromium failed: {error}"
    found = shutil.which("chromium")
    return (found, "") if found else (None, "apt-get installed chromium but it is not on PATH")


class Page:
    """One browser tab: navigate, evaluate JavaScript, collect console errors, take screenshots."""

    def __init__(self, socket: ClientConnection) -> None:
        self._socket = socket
        self._next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, **params: object) -> dict:
        self._next_id += 1
        request_id = self._next_id
        self._socket.send(json.dumps({"id": request_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv(timeout=60))
            if message.get("id") == request_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        deadline = time.monotonic() + timeout
        for seen in self.events:
            if seen.get("method") == event:
                return seen
        while time.monotonic() < deadline:
            message = json.loads(self._socket.recv(timeout=deadline - time.monotonic()))
            self.events.append(message)
            if message.get("method") == event:
                return message
        raise TimeoutError(event)

    def evaluate(self, expression: str) -> object:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors (failed loads, CSP violations)."""
        errors = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(" ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                errors.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                errors.append(str(params["entry"].get("text")))
        return errors

    def screenshot(self, path: Path) -> None:
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.send("Emulation.setDeviceMetricsOverride", width=1280, height=height, deviceScaleFactor=1, mobile=False)
        data = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))


@contextmanager
def open_page(executable: str, url: str, width: int = 1280, height: int = 900) -> Iterator[Page]:
    """Start a headless Chromium, open `url` and wait for its load event."""
    profile = tempfile.mkdtemp(prefix="csc-chromium-")
    process = subprocess.Popen(
        [
            executable,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        port = _devtools_port(process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            targets = json.loads(response.read())
        page_url = next(t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page")
        with connect(page_url, max_size=None, open_timeout=30) as socket:
            page = Page(socket)
            for domain in ("Page", "Runtime", "Log"):
                page.send(f"{domain}.enable")
            page.send(
                "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False
            )
            page.send("Page.navigate", url=url)
            page.wait_for("Page.loadEventFired")
            yield page
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)


def _devtools_port(process: subprocess.Popen) -> int:
    """Chromium prints `DevTools listening on ws://127.0.0.1:<port>/...` on stderr once it is ready."""
    deadline = time.monotonic() + 90
    assert process.stderr is not None
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            raise RuntimeError(f"chromium exited with {process.returncode}")
        found = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
        if found:
            return int(found.group(1))
    raise TimeoutError("chromium did not start its DevTools endpoint")
