"""Email on issue: the buyer gets the document at once, in their language, with the PDF as stored."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import pytest
from django.db import transaction

from faktura.apps.audit.models import AuditEvent
from faktura.apps.automation.services import rule_create
from faktura.apps.delivery.models import DeliveryAttempt, MessageKind, MessageState, OutgoingMessage
from faktura.apps.delivery.services import document_email_enqueue, message_send_attempt
from faktura.apps.integrations.models import OutboundEvent
from faktura.apps.invoicing.models import Document
from faktura.core.rules import PaymentMethod
from faktura.webhooks.payloads.model import EventType
from tests import factories as make
from tests.integration.automation import helpers as shops
from tests.integration.delivery import helpers
from tests.integration.delivery.mailserver import Mailbox

pytestmark = pytest.mark.django_db


def test_an_order_invoiced_by_its_rules_sends_the_order_confirmation_with_the_invoice(smtp: Mailbox) -> None:
    org, channel = helpers.shop_with_rules()
    outcome = helpers.receive(org, channel, shops.event("evt-1", shops.order("1")))
    [issued] = outcome.documents
    message = OutgoingMessage.objects.get(document_id=issued.id)
    assert (message.state, message.recipient, message.trigger) == (MessageState.QUEUED, "ana@example.ro", "issue")

    assert helpers.run_sends() == 1

    [mail] = smtp.received
    document = Document.objects.get(pk=issued.id)
    message.refresh_from_db()
    assert mail.recipients == ["ana@example.ro"]
    assert mail.header("To") == "ana@example.ro"
    assert mail.header("Subject") == "Comanda dumneavoastră RO-1 — Factură FA2026001"
    assert mail.header("Message-ID") == message.message_id
    assert message.message_id.startswith("<faktura.")
    assert message.message_id.endswith("@faktura.test>")
    assert mail.header("Reply-To") == "shop@exemplu.ro"
    assert mail.header("From") == "Exemplu Comerț SRL <documents@faktura.test>"
    assert mail.header("Content-Language") == "ro"
    assert mail.attachments() == {"FA2026001.pdf": helpers.stored_pdf(document)}
    assert "vă mulțumim pentru comanda RO-1" in mail.body("plain")
    assert 'lang="ro"' in mail.body("html")
    assert "Ana Popescu" in mail.body("html")
    assert "https://faktura.test/d/" in mail.body("plain")
    assert (message.state, message.kind) == (MessageState.SENT, MessageKind.ORDER_CONFIRMATION)
    assert message.pdf_sha256 == document.pdf_sha256 == hashlib.sha256(helpers.stored_pdf(document)).hexdigest()
    assert message.attachments[0]["sha256"] == document.pdf_sha256
    assert message.sent_at is not None
    assert message.attempts == 1
    sent = OutboundEvent.objects.get(event_type="document.sent")
    assert sent.data["message_id"] == message.message_id
    assert AuditEvent.objects.filter(action="document.sent", object_id=str(issued.id)).count() == 1


def test_a_later_document_of_the_order_goes_in_its_own_document_email(smtp: Mailbox) -> None:
    org, channel = helpers.shop_with_rules()
    payload = shops.order("2", payment_method=PaymentMethod.BANK_TRANSFER)
    helpers.receive(org, channel, shops.event("evt-1", payload))  # a proforma
    paid = helpers.receive(
        org, channel, shops.event("evt-2", payload, EventType.ORDER_PAYMENT_RECORDED, payment="34.20")
    )
    [final] = paid.documents
    assert final.document_type == "invoice"

    helpers.run_sends()

    subjects = sorted(mail.header("Subject") for mail in smtp.received)
    assert subjects == [
        "Comanda dumneavoastră RO-2 — Factură proformă ZAL2026001",
        "Factură FA2026001 de la Exemplu Comerț SRL",
    ]
    kinds = dict(OutgoingMessage.objects.values_list("document_id", "kind"))
    assert kinds[final.id] == MessageKind.DOCUMENT


def test_a_rolled_back_issue_queues_no_email() -> None:
    org, channel = helpers.shop_with_rules()
    queued_inside = []

    def issue_then_fail() -> None:
        with transaction.atomic():
            helpers.receive(org, channel, shops.event("evt-1", shops.order("1")))
            queued_inside.append(OutgoingMessage.objects.count())
            raise RuntimeError("the transaction fails after the document was issued")

    with pytest.raises(RuntimeError):
        issue_then_fail()
    assert queued_inside == [1]
    assert OutgoingMessage.objects.count() == 0
    assert helpers.waiting() == []


def test_a_rule_that_does_not_send_to_the_buyer_queues_nothing() -> None:
    org, channel = shops.shop()
    rule_create(
        actor=make.TEST_ACTOR,
        organization=org,
        channel_id=channel.pk,
        name="Invoice for cards, not emailed",
        conditions={"statuses": ["accepted"], "payment_methods": ["card"]},
        action={"document_type": "invoice", "send_to_buyer": False},
    )
    outcome = helpers.receive(org, channel, shops.event("evt-1", shops.order("1")))
    assert len(outcome.documents) == 1
    assert not OutgoingMessage.objects.exists()


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("ro", "Factură FA2026001 de la Exemplu Comerț SRL"),
        ("sk", "Faktúra FA2026001 od Exemplu Comerț SRL"),
        ("hu", "Számla FA2026001 – Exemplu Comerț SRL"),
        ("cs", "Faktura FA2026001 od Exemplu Comerț SRL"),
        ("en", "Invoice FA2026001 from Exemplu Comerț SRL"),
        ("de", "Rechnung FA2026001 von Exemplu Comerț SRL"),
        ("pl", "Faktura FA2026001 od Exemplu Comerț SRL"),
    ],
    ids=lambda value: value if len(value) == 2 else "",
)
def test_the_email_is_written_in_the_buyers_language(smtp: Mailbox, language: str, subject: str) -> None:
    document = helpers.issued(buyer=replace(make.RO_BUYER, language=language))
    helpers.run_sends()
    [mail] = smtp.received
    assert mail.header("Subject") == subject
    assert mail.header("Content-Language") == language
    assert helpers.message_of(document).language == language


def test_a_buyer_without_an_email_address_is_a_failed_message_with_the_reason() -> None:
    document = helpers.issued(buyer=replace(make.RO_BUYER, email=""))
    message = helpers.message_of(document)
    assert (message.state, message.error_code) == (MessageState.FAILED, "no_recipient")
    assert "no email address" in message.reason
    assert helpers.waiting() == []


def test_running_an_attempt_again_sends_nothing_more(smtp: Mailbox) -> None:
    document = helpers.issued()
    assert helpers.run_sends() == 1
    message = helpers.message_of(document)
    assert message_send_attempt(message_id=message.pk, attempt=1) == "skipped"  # a task run twice
    assert message_send_attempt(message_id=message.pk, attempt=2, rescue=True) == "skipped"  # its rescue, later
    assert len(smtp.received) == 1
    assert DeliveryAttempt.objects.filter(message=message).count() == 1


def test_queueing_the_email_costs_the_issue_two_inserts(django_assert_num_queries: Any) -> None:
    document = helpers.issued(send=False)
    with django_assert_num_queries(2) as captured:  # the message row and its task row, in the caller's transaction
        document_email_enqueue(actor=make.TEST_ACTOR, document=document)
    assert all(query["sql"].startswith("INSERT") for query in captured.captured_queries)
