"""Webhook tests deliver to servers on loopback: allow it, as DEBUG does by default."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _loopback_allowed(settings: Any) -> None:
    settings.FAKTURA_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
