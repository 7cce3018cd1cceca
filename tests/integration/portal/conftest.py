"""Portal tests: emails go through Django's SMTP backend to a real server on loopback; files to a temporary root."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.delivery.mailserver import Mailbox, free_port, mail_server


@pytest.fixture(autouse=True)
def _portal_settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Faktura <documents@faktura.test>"
    settings.FAKTURA_BASE_URL = "https://faktura.test"
    settings.ALLOWED_HOSTS = ["testserver", "faktura.test"]
    settings.FAKTURA_PORTAL_ALL_SELLERS = True
    settings.FAKTURA_PORTAL_LIMIT_PER_EMAIL = 5
    settings.FAKTURA_PORTAL_LIMIT_PER_IP = 30
    settings.FAKTURA_PORTAL_LIMIT_WINDOW = 3600


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    with mail_server(settings.EMAIL_PORT) as mailbox:
        yield mailbox
