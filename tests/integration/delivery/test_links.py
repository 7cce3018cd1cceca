"""The signed document link in an email: the stored PDF for its holder; 4xx for anything tampered, old or withdrawn."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from faktura.apps.delivery.links import link_token
from tests.integration.delivery import helpers
from tests.integration.delivery.mailserver import Mailbox

pytestmark = pytest.mark.django_db


def emailed_link(smtp: Mailbox) -> str:
    helpers.run_sends()
    [mail] = smtp.received
    [url] = re.findall(r"https://faktura\.test(/d/\S+)", mail.body("plain"))
    assert f'href="https://faktura.test{url}"' in mail.body("html")
    return url


def test_the_link_in_the_email_opens_the_stored_pdf_and_leaks_no_referrer(smtp: Mailbox) -> None:
    document = helpers.issued()
    answer = Client().get(emailed_link(smtp))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content) == helpers.stored_pdf(document)
    assert answer["Referrer-Policy"] == "no-referrer"
    assert answer["Cache-Control"] == "private, no-store"
    assert f'filename="{document.number}.pdf"' in answer["Content-Disposition"]


def test_a_tampered_link_is_a_404_page(smtp: Mailbox) -> None:
    helpers.issued()
    url = emailed_link(smtp)
    changed = url[:-1] + ("A" if url[-1] != "A" else "B")
    for bad in (changed, url[:-8], "/d/nonsense", url.replace(":", ".", 1)):
        answer = Client().get(bad)
        assert answer.status_code == 404, bad
        assert answer["Referrer-Policy"] == "no-referrer"
        assert b"This link is not valid" in answer.content


def test_a_revoked_link_is_a_410_page(smtp: Mailbox) -> None:
    document = helpers.issued()
    url = emailed_link(smtp)
    seller = helpers.Caller(document.organization)
    message = helpers.message_of(document)
    revoked = seller.post(f"/messages/{message.pk}/revoke-link")
    assert revoked.status_code == 200
    assert revoked.json()["link_revoked_at"] is not None
    answer = Client().get(url)
    assert answer.status_code == 410
    assert b"withdrawn" in answer.content


def test_an_expired_link_is_a_410_page(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    document = helpers.issued()
    message = helpers.message_of(document)
    made_long_ago = time.time() - (settings.FAKTURA_DOCUMENT_LINK_DAYS + 1) * 86400
    with monkeypatch.context() as past:
        past.setattr(signing.time, "time", lambda: made_long_ago)
        token = link_token(organization_id=document.organization_id, document_id=document.pk, message_id=message.pk)
    answer = Client().get(f"/d/{token}")
    assert answer.status_code == 410
    assert b"expired" in answer.content


def test_a_link_bound_to_another_seller_document_or_instance_opens_nothing(settings: Any, smtp: Mailbox) -> None:
    document = helpers.issued()
    url = emailed_link(smtp)
    message = helpers.message_of(document)
    other = helpers.issued()  # another seller's document
    crossed = [
        link_token(organization_id=other.organization_id, document_id=document.pk, message_id=message.pk),
        link_token(organization_id=document.organization_id, document_id=other.pk, message_id=message.pk),
        link_token(
            organization_id=document.organization_id, document_id=document.pk, message_id=message.pk, purpose="portal"
        ),
    ]
    for token in crossed:
        assert Client().get(f"/d/{token}").status_code == 404
    settings.FAKTURA_BASE_URL = "https://another-instance.test"
    assert Client().get(url).status_code == 404
