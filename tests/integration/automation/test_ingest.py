"""The ingest service: one event in, the order stored, the rules run, the documents issued, once (F4)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from faktura.apps.audit.models import AuditEvent
from faktura.apps.automation.services import channel_event_receive, document_payment_receive
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_issue
from faktura.apps.sales.models import Order, OrderEvent
from faktura.core.errors import InvalidValue
from faktura.core.rules import OrderStatus, PaymentMethod
from faktura.webhooks.payloads.model import EventType
from tests import factories as make
from tests.integration.automation import helpers

pytestmark = pytest.mark.django_db


def receive(org, channel, event):
    return channel_event_receive(actor=make.TEST_ACTOR, organization=org, channel=channel, event=event)


def test_a_card_order_accepted_gets_an_invoice_marked_paid_and_a_second_delivery_changes_nothing() -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)

    first = receive(org, channel, helpers.event("evt-1", helpers.order()))

    assert first.order_created
    assert not first.duplicate
    assert [(d.document_type, d.source.endswith('"Invoice for cards"'), d.marked_paid) for d in first.documents] == [
        ("invoice", True, True)
    ]
    invoice = Document.objects.get(pk=first.documents[0].id)
    assert (invoice.number, invoice.payable, invoice.payment_state) == (
        first.documents[0].number,
        Decimal("34.20"),
        "paid",
    )
    order = Order.objects.get(pk=first.order_id)
    assert order.total == Decimal("34.20")

    again = receive(org, channel, helpers.event("evt-1", helpers.order()))

    assert again.duplicate
    assert again.documents == first.documents
    assert Document.objects.filter(organization=org).count() == 1
    assert OrderEvent.objects.filter(order=order).count() == 1


def test_a_transfer_order_gets_a_proforma_then_the_final_invoice_when_paid() -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)
    payload = helpers.order(payment_method=PaymentMethod.BANK_TRANSFER)

    accepted = receive(org, channel, helpers.event("evt-1", payload))
    paid = receive(org, channel, helpers.event("evt-2", payload, EventType.ORDER_PAYMENT_RECORDED, payment="34.20"))

    assert [d.document_type for d in accepted.documents] == ["proforma"]
    assert [d.document_type for d in paid.documents] == ["invoice"], paid
    final = Document.objects.get(pk=paid.documents[0].id)
    assert (final.prepaid, final.payable) == (Decimal("34.20"), Decimal("0.00"))


def test_a_cancelled_card_order_gets_a_credit_note_for_its_invoice() -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)
    receive(org, channel, helpers.event("evt-1", helpers.order()))

    cancelled = receive(
        org, channel, helpers.event("evt-2", helpers.order(status=OrderStatus.CANCELLED), EventType.ORDER_CANCELLED)
    )

    assert [d.document_type for d in cancelled.documents] == ["credit_note"], cancelled
    note = Document.objects.get(pk=cancelled.documents[0].id)
    assert note.payable == Decimal("-34.20")


def test_a_proforma_paid_by_hand_gets_its_final_invoice_and_the_payment_is_on_the_timeline() -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)
    placed = receive(org, channel, helpers.event("evt-1", helpers.order(payment_method=PaymentMethod.BANK_TRANSFER)))
    proforma_id = placed.documents[0].id

    paid = document_payment_receive(
        actor=make.TEST_ACTOR,
        organization=org,
        document_id=proforma_id,
        amount=Decimal("34.20"),
        currency="RON",
        received_on=helpers.PLACED.date(),
        reference="OP 17",
    )

    assert paid.payment.amount == Decimal("34.20")
    assert paid.outcome is not None
    assert [d.document_type for d in paid.outcome.documents] == ["invoice"]
    final = Document.objects.get(pk=paid.outcome.documents[0].id)
    assert final.payable == Decimal("0.00")
    order = Order.objects.get(pk=placed.order_id)
    assert order.amount_paid == Decimal("34.20")
    assert list(OrderEvent.objects.filter(order=order).values_list("kind", "source")) == [
        ("created", "webhook"),
        ("payment_recorded", "document"),
    ]


def test_a_payment_of_a_document_without_an_order_is_just_recorded() -> None:
    org, channel = helpers.shop()
    invoice = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=make.draft(org, channel=channel).pk)
    paid = document_payment_receive(
        actor=make.TEST_ACTOR,
        organization=org,
        document_id=invoice.pk,
        amount=Decimal("1.00"),
        currency="RON",
        received_on=helpers.PLACED.date(),
    )
    assert (paid.payment.amount, paid.outcome) == (Decimal("1.00"), None)


def test_lines_changed_after_the_invoice_update_the_order_never_the_invoice() -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)
    first = receive(org, channel, helpers.event("evt-1", helpers.order()))
    invoice = Document.objects.get(pk=first.documents[0].id)
    more = (*helpers.order().lines, replace(helpers.order().lines[0], name="Farfurie", sku="PLT-1"))

    changed = receive(org, channel, helpers.event("evt-2", helpers.order(lines=more)))

    assert changed.documents == ()
    event = OrderEvent.objects.get(event_id="evt-2")
    assert (event.kind, event.data["changes"], event.data["lines_changed_after"]) == (
        "updated",
        ["total", "lines"],
        [invoice.number],
    )
    assert Order.objects.get(pk=first.order_id).lines.count() == 2
    assert Document.objects.get(pk=invoice.pk).lines.count() == 1


def test_a_unit_price_with_more_decimals_than_stored_is_no_change_the_second_time() -> None:
    org, channel = helpers.shop()
    line = replace(helpers.order().lines[0], quantity=Decimal(3), unit_price=Decimal("3.333333"))
    receive(org, channel, helpers.event("evt-1", helpers.order(lines=(line,))))
    audit_rows = AuditEvent.objects.filter(organization=org).count()

    again = receive(org, channel, helpers.event("evt-2", helpers.order(lines=(line,))))

    assert OrderEvent.objects.get(event_id="evt-2").data["changes"] == []
    assert AuditEvent.objects.filter(organization=org).count() == audit_rows
    assert again.documents == ()


def test_an_amount_too_large_to_store_is_refused_with_the_field() -> None:
    org, channel = helpers.shop()
    line = replace(helpers.order().lines[0], quantity=Decimal("1e12"))
    with pytest.raises(InvalidValue) as refused:
        receive(org, channel, helpers.event("evt-1", helpers.order(lines=(line,))))
    assert refused.value.field == "lines.0.quantity"
    assert not Order.objects.filter(organization=org).exists()


def test_an_order_that_issues_an_invoice_takes_a_bounded_number_of_queries(django_assert_max_num_queries) -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)
    receive(org, channel, helpers.event("warm-up", helpers.order("0")))  # the rule set is loaded once per process

    with django_assert_max_num_queries(60) as captured:
        outcome = receive(org, channel, helpers.event("evt-1", helpers.order("1")))

    assert [d.document_type for d in outcome.documents] == ["invoice"]
    print(f"\n{len(captured)} queries for one order with an invoice marked paid")


def test_a_shop_refund_without_an_amount_credits_what_was_paid_and_one_with_nothing_paid_is_just_recorded() -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel, credit_note_for_partial_refund=True)
    receive(org, channel, helpers.event("evt-1", helpers.order("1")))
    nothing_paid = receive(org, channel, helpers.event("evt-2", helpers.order("1"), EventType.ORDER_REFUNDED))
    assert (nothing_paid.documents, nothing_paid.errors) == ((), ())
    assert OrderEvent.objects.get(event_id="evt-2").data["amount"] == "0"

    payload = helpers.order("2", payment_method=PaymentMethod.BANK_TRANSFER)
    receive(org, channel, helpers.event("evt-3", payload))  # a proforma
    receive(org, channel, helpers.event("evt-4", payload, EventType.ORDER_PAYMENT_RECORDED, payment="34.20"))
    refunded = receive(org, channel, helpers.event("evt-5", payload, EventType.ORDER_REFUNDED))

    [note] = refunded.documents
    assert (note.document_type, note.refund_id) == ("credit_note", "evt-5")  # no refund object: the event is the refund
    assert Document.objects.get(pk=note.id).payable == Decimal("-34.20")


def test_a_payment_delivery_that_also_moves_the_status_is_decided_with_the_money_in() -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel, invoice_when_order_paid=True)
    new = helpers.order(status=OrderStatus.NEW, payment_method=PaymentMethod.BANK_TRANSFER)
    receive(org, channel, helpers.event("evt-1", new))

    paid = receive(
        org,
        channel,
        helpers.event(
            "evt-2", replace(new, status=OrderStatus.ACCEPTED), EventType.ORDER_PAYMENT_RECORDED, payment="34.20"
        ),
    )

    assert [d.document_type for d in paid.documents] == ["invoice"]
    assert any(s.reason == "order is already paid; a proforma asks for payment" for s in paid.skipped)
    event = OrderEvent.objects.get(event_id="evt-2")
    assert (event.kind, event.data["status"], event.data["amount"]) == ("payment_recorded", "accepted", "34.20")


def test_a_status_delivery_with_the_status_the_order_has_asks_the_rules_again() -> None:
    org, channel = helpers.shop(auto_issue=False)
    helpers.seed_003(org, channel)
    first = receive(org, channel, helpers.event("evt-1", helpers.order()))
    assert first.documents == ()
    channel.auto_issue = True
    channel.save()

    again = receive(org, channel, helpers.event("evt-2", helpers.order(), EventType.ORDER_STATUS_CHANGED))

    assert [d.document_type for d in again.documents] == ["invoice"]
