"""Headless Chromium driven over the DevTools protocol on a pipe: one browser, one tab, reused.

Chromium is started with ``--remote-debugging-pipe``: it reads commands from
file descriptor 3 and writes answers and events to descriptor 4, each a JSON
message ended by a NUL byte. That is all Playwright does underneath; doing it
directly needs nothing but the standard library. A document is printed either
by navigating the tab to its HTML file and waiting for the load event
(``pdf``), or by setting the HTML into the tab's file:// page and waiting
until its fonts are loaded (``pdf_of_html``, what Puppeteer's ``setContent``
does, as in Invoice Ninja's Browsershot path), then ``Page.printToPDF``.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """One headless browser with one tab; ``pdf(path)`` prints an HTML file."""

    def __init__(self, executable: str, *, preexec: Callable[[], None] | None = None) -> None:
        self._profile = tempfile.mkdtemp(prefix="faktura-chromium-")
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        command = [
            executable,
            "--headless",
            "--remote-debugging-pipe",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--allow-file-access-from-files",
            f"--user-data-dir={self._profile}",
            "about:blank",
        ]

        def setup() -> None:  # in the child: its pipe ends become descriptors 3 (commands) and 4 (answers)
            commands, answers = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(commands, 3)
            os.dup2(answers, 4)
            if preexec:
                preexec()

        self.process = subprocess.Popen(
            command,
            pass_fds=(3, 4),
            preexec_fn=setup,
            close_fds=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self._call("Page.enable", session=True)
        shell = Path(self._profile, "shell.html")
        shell.write_text("<!DOCTYPE html><html><body></body></html>")
        self._call("Page.navigate", {"url": shell.as_uri()}, session=True)
        self._wait_event("Page.loadEventFired")
        self._frame = self._call("Page.getFrameTree", session=True)["frameTree"]["frame"]["id"]

    def pdf_of_html(self, html: str) -> bytes:
        """Print HTML set into the tab's file:// page (as Puppeteer's ``setContent``), once its fonts are loaded."""
        self._call("Page.setDocumentContent", {"frameId": self._frame, "html": html}, session=True)
        self._call(
            "Runtime.evaluate",
            {"expression": "document.fonts.ready.then(() => document.fonts.size)", "awaitPromise": True},
            session=True,
        )
        return self._print()

    def pdf(self, html_file: Path) -> bytes:
        self._call("Page.navigate", {"url": html_file.as_uri()}, session=True)
        self._wait_event("Page.loadEventFired")
        return self._print()

    def _print(self) -> bytes:
        printed = self._call(
            "Page.printToPDF",
            {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False},
            session=True,
        )
        return base64.b64decode(printed["data"])

    def close(self) -> None:
        try:
            self._send({"id": self._new_id(), "method": "Browser.close"})
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        for fd in (self._to_child, self._from_child):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._to_child, json.dumps(message).encode() + b"\0")

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        loaded: dict[str, Any] = json.loads(message)
        return loaded

    def _call(self, method: str, params: dict[str, Any] | None = None, *, session: bool = False) -> dict[str, Any]:
        ident = self._new_id()
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        self._send(message)
        while True:
            answer = self._read()
            if answer.get("id") == ident:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            if answer.get("method") == "Page.loadEventFired":
                self._pending_load = True

    _pending_load = False

    def _wait_event(self, name: str) -> None:
        if name == "Page.loadEventFired" and self._pending_load:
            self._pending_load = False
            return
        while True:
            event = self._read()
            if event.get("method") == name:
                return
