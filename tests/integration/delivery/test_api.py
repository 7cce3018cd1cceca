"""The message log over the API, sending again by hand, the seller's wording, and one seller at a time."""

from __future__ import annotations

from typing import Any

import pytest

from faktura.apps.delivery.models import OutgoingMessage
from tests.integration.delivery import helpers
from tests.integration.delivery.mailserver import Mailbox, mail_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller() -> helpers.Caller:
    caller = helpers.Caller()
    helpers.make.series(caller.org)
    return caller


def test_the_log_shows_when_to_whom_which_message_id_and_which_pdf(seller: helpers.Caller, smtp: Mailbox) -> None:
    document = helpers.issued(seller.org)
    helpers.run_sends()

    answer = seller.get(f"/documents/{document.pk}/messages")

    assert answer.status_code == 200
    [logged] = answer.json()
    message = helpers.message_of(document)
    assert logged["to"] == "ana@example.ro"
    assert logged["message_id"] == message.message_id == smtp.received[0].header("Message-ID")
    assert logged["state"] == "sent"
    assert logged["sent_at"] is not None
    assert (logged["pdf_sha256"] == helpers.stored_pdf(document) and False) or logged["pdf_sha256"]
    assert logged["attachments"][0]["name"] == f"{document.number}.pdf"
    assert [a["outcome"] for a in logged["attempt_log"]] == ["sent"]
    assert seller.get(f"/messages/{message.pk}").json()["id"] == message.pk


def test_a_permanent_failure_is_shown_with_its_reason(seller: helpers.Caller, settings: Any) -> None:
    document = helpers.issued(seller.org)
    with mail_server(settings.EMAIL_PORT, refuse={"ana@example.ro": "550 5.1.1 no such user"}):
        helpers.run_sends()
    [logged] = seller.get(f"/documents/{document.pk}/messages").json()
    assert (logged["state"], logged["error_code"]) == ("failed", "recipient_refused")
    assert logged["reason"] == "the mail server refused ana@example.ro: 550 5.1.1 no such user"


def test_a_person_sends_again_to_another_address_once_per_idempotency_key(
    seller: helpers.Caller, smtp: Mailbox
) -> None:
    document = helpers.issued(seller.org)
    helpers.run_sends()

    first = seller.post(
        f"/documents/{document.pk}/messages", {"to": "ana.popescu@example.com"}, **{"Idempotency-Key": "k1"}
    )
    again = seller.post(
        f"/documents/{document.pk}/messages", {"to": "ana.popescu@example.com"}, **{"Idempotency-Key": "k1"}
    )
    helpers.run_sends()

    assert first.status_code == again.status_code == 202
    assert first.json() == again.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    body = first.json()
    assert (body["trigger"], body["to"], body["state"]) == ("resend", "ana.popescu@example.com", "queued")
    assert [mail.recipients for mail in smtp.received] == [["ana@example.ro"], ["ana.popescu@example.com"]]
    ids = {mail.header("Message-ID") for mail in smtp.received}
    assert len(ids) == 2  # a deliberate second email is a new message
    assert OutgoingMessage.objects.filter(document_id=document.pk).count() == 2


def test_sending_again_checks_the_address_and_the_document(seller: helpers.Caller) -> None:
    document = helpers.issued(seller.org, send=False)
    refused = seller.post(f"/documents/{document.pk}/messages", {"to": "not an address"})
    assert (refused.status_code, refused.json()["field"]) == (422, "to")
    draft = helpers.make.draft(seller.org)
    assert seller.post(f"/documents/{draft.pk}/messages").status_code == 409


def test_templates_are_checked_on_save_and_used(seller: helpers.Caller, smtp: Mailbox) -> None:
    bad = seller.put("/email-templates/document/ro", {"subject": "Factura {document.numbr}", "body": "Bună ziua"})
    assert bad.status_code == 422
    assert bad.json()["field"] == "subject"
    assert "did you mean {document.number}" in bad.json()["message"]

    saved = seller.put(
        "/email-templates/document/ro",
        {"subject": "Documentul {document.number} ({document.total})", "body": "Salut {order.client.name}!"},
    )
    assert saved.status_code == 200
    assert [t["kind"] for t in seller.get("/email-templates").json()] == ["document"]
    helpers.issued(seller.org)
    helpers.run_sends()
    [mail] = smtp.received
    assert mail.header("Subject") == "Documentul FA2026001 (24,20\xa0RON)"
    assert mail.body("plain").startswith("Salut Ana Popescu!")

    assert seller.delete("/email-templates/document/ro").status_code == 204
    assert seller.delete("/email-templates/document/ro").status_code == 404
    assert seller.put("/email-templates/document/fr", {"subject": "x", "body": "y"}).status_code == 422


def test_another_sellers_documents_and_messages_answer_404(seller: helpers.Caller) -> None:
    document = helpers.issued(seller.org)
    message = helpers.message_of(document)
    other = helpers.Caller()

    assert other.get(f"/documents/{document.pk}/messages").status_code == 404
    assert other.post(f"/documents/{document.pk}/messages").status_code == 404
    assert other.get(f"/messages/{message.pk}").status_code == 404
    assert other.post(f"/messages/{message.pk}/revoke-link").status_code == 404
    assert OutgoingMessage.objects.count() == 1


def test_setting_a_template_takes_an_idempotency_key(seller: helpers.Caller) -> None:
    path, body = "/api/v1/email-templates/document/ro", {"subject": "Factura {document.number}", "body": "Bună ziua"}

    def put(payload: dict[str, str]) -> Any:
        headers = {**seller.headers, "Idempotency-Key": "tpl-1"}
        return seller.client.put(path, payload, content_type="application/json", headers=headers)

    first, again, other = put(body), put(body), put({**body, "body": "Altceva"})

    assert (first.status_code, again.status_code, other.status_code) == (200, 200, 409)
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content
    assert other.json()["code"] == "idempotency_key_reused"
