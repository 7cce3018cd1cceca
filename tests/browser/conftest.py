"""Playwright driving Debian's Chromium against a live server of the app.

The browser is the machine's own (``apt-get install chromium``); Playwright
never downloads one. Without it the browser tests are skipped with a reason,
unless ``FAKTURA_REQUIRE_BROWSER`` is set (CI sets it), where a missing browser
fails the run instead of silently testing less.

Screenshots: ``screenshot(page, "name")`` writes ``name.png`` into
``$FAKTURA_SCREENSHOTS`` when set (``FAKTURA_SCREENSHOTS=docs/screenshots`` to
refresh the committed ones), else into the test's temporary directory; either
way the file is a real picture of what the test saw, to look at by eye.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between browser steps are ordinary blocking calls all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = _chromium_path()
    if executable is None:
        if os.environ.get("FAKTURA_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (apt-get install -y chromium) and FAKTURA_REQUIRE_BROWSER is set")
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser context per test (own cookies), English unless the test says ``browser_locale``."""
    locale = getattr(request, "param", None) or "en-GB"
    context = browser.new_context(locale=locale, viewport={"width": 1360, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def screenshot(tmp_path: Path) -> Callable[..., Path]:
    folder = Path(os.environ.get("FAKTURA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)

    def take(tab: object, name: str, *, full_page: bool = True) -> Path:
        path = folder / f"{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
        assert path.stat().st_size > 1000, f"{path} is empty"
        return path

    return take
