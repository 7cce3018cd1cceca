"""Delivery tests send through Django's SMTP backend to a real server on loopback; files go to a temporary root."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.delivery.mailserver import Mailbox, free_port, mail_server


@pytest.fixture(autouse=True)
def _email_settings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens until a test starts a server there
    settings.EMAIL_TIMEOUT = 10
    settings.DEFAULT_FROM_EMAIL = "Faktura <documents@faktura.test>"
    settings.FAKTURA_EMAIL_MESSAGE_ID_DOMAIN = ""
    settings.FAKTURA_EMAIL_RETRY_DELAYS = [60, 300, 900]
    settings.FAKTURA_EMAIL_SEND_LEASE = 300
    settings.FAKTURA_BASE_URL = "https://faktura.test"


@pytest.fixture
def smtp(settings: Any) -> Iterator[Mailbox]:
    with mail_server(settings.EMAIL_PORT) as mailbox:
        yield mailbox
