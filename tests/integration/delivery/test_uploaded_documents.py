"""An uploaded document (manual-upload mode, F1) is delivered like any other: the buyer gets its very PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from faktura.apps.invoicing.models import Document
from tests.integration.delivery import helpers
from tests.integration.delivery.mailserver import Mailbox
from tests.integration.documents_api.conftest import Caller, pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_an_uploaded_pdf_is_emailed_to_its_buyer_as_uploaded(client: Client, smtp: Mailbox) -> None:
    seller = Caller(client, series=False)
    channel = seller.post("/channels", {"name": "Marketplace", "invoicing_mode": "manual_upload"}).json()["id"]
    content = pdf_bytes(2)
    fields = {
        "number": "EXT-2026-0042",
        "issue_date": "2026-01-15",
        "buyer_name": "Ion Ionescu",
        "buyer_email": "ion@example.ro",
        "total": "99.90",
        "channel": channel,
    }
    uploaded = seller.upload(fields, content)
    assert uploaded.status_code == 201, uploaded.json()
    document_id = uploaded.json()["id"]

    queued = seller.post(f"/documents/{document_id}/messages", {})
    helpers.run_sends()

    assert queued.status_code == 202, queued.json()
    [mail] = smtp.received
    assert mail.header("To") == "ion@example.ro"
    assert "EXT-2026-0042" in mail.header("Subject")
    assert mail.attachments() == {"EXT-2026-0042.pdf": content}
    [logged] = seller.get(f"/documents/{document_id}/messages").json()
    assert logged["state"] == "sent"
    assert Document.objects.get(pk=document_id).source == "uploaded"
