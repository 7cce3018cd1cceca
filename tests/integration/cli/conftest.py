"""Helpers for tests that run ``faktura`` commands, in-process and as real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

FAKTURA = Path(sys.executable).with_name("faktura")


def database_url() -> str:
    """DATABASE_URL of the test database, for a ``faktura`` process started by a test."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = quote(settings["HOST"] or "", safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"


def faktura(*args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``faktura`` console script against the test database."""
    return subprocess.run(
        [str(FAKTURA), *args],
        env={**os.environ, "DATABASE_URL": database_url(), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
