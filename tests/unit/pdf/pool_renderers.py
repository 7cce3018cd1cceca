"""Renderers for the pool tests: each job's document says what the renderer does with it."""

from __future__ import annotations

import os
import time
from typing import Any

import typst

_WARM_CALLS = 0
_JOBS = 0


def warm() -> None:
    global _WARM_CALLS
    _WARM_CALLS += 1
    typst.compile(b"warm")


def render(document: dict[str, Any], template: Any) -> bytes:
    global _JOBS
    _JOBS += 1
    kind = document["kind"]
    if kind == "ok":
        return f"{document['n']} pid={os.getpid()} warm={_WARM_CALLS} jobs={_JOBS}".encode()
    if kind == "sleep":
        time.sleep(document["seconds"])
        return b"slept"
    if kind == "loop":
        while True:
            pass
    if kind == "abort":
        os.abort()
    if kind == "python-memory":
        return bytes(4 * 1024 * 1024 * 1024)
    if kind == "typst-memory":
        return typst.compile(b"#let x = range(200000000)")
    if kind == "typst":
        return typst.compile(f"= Invoice {document['n']}".encode())
    raise ValueError(f"the document {document.get('n')} cannot be rendered")


def broken() -> None:
    raise ImportError("no such template folder")
