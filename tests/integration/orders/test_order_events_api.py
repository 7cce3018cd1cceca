"""Order events over the API, and seed 003's three rules end to end (F4.1, F4.2, F4.5, F2.2, F10.1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from faktura.apps.integrations.models import OutboundEvent
from faktura.apps.invoicing.models import Document, ProformaSettlement
from tests.integration.orders.caller import Caller, order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client: Client) -> Caller:
    return Caller(client)


def _issued(response: Any) -> list[tuple[str, str]]:
    return [(d["document_type"], d["number"]) for d in response.json()["outcome"]["documents"]]


def test_seed_003_proforma_on_accepted_bank_transfer_then_the_final_invoice_when_paid(seller: Caller) -> None:
    channel = seller.shop()
    seller.seed_003(channel)

    placed = seller.post("/orders", order_body(channel, payment_method="bank_transfer"))
    order_id = placed.json()["order"]["id"]
    assert [kind for kind, _ in _issued(placed)] == ["proforma"]
    proforma = Document.objects.get(pk=placed.json()["outcome"]["documents"][0]["id"])
    assert proforma.payable == Decimal("64.45")
    assert (proforma.due_date - proforma.issue_date).days == 14

    half = seller.post(f"/orders/{order_id}/events", {"kind": "payment_recorded", "amount": "30.00"})
    assert half.status_code == 201
    assert _issued(half) == []
    proforma.refresh_from_db()
    assert proforma.payment_state == "partially_paid"

    rest = seller.post(
        f"/orders/{order_id}/events",
        {"kind": "payment_recorded", "amount": "34.45", "date": "2026-03-05", "reference": "OP 17"},
    )
    assert [kind for kind, _ in _issued(rest)] == ["invoice"]
    final = Document.objects.get(pk=rest.json()["outcome"]["documents"][0]["id"])
    assert (final.tax_inclusive + final.rounding, final.prepaid, final.payable) == (
        Decimal("64.45"),
        Decimal("64.45"),
        Decimal("0.00"),
    )
    assert ProformaSettlement.objects.get(invoice=final).proforma_id == proforma.pk
    documents = seller.get(f"/orders/{order_id}").json()["documents"]
    assert [(d["document_type"], d["status"]) for d in documents] == [("proforma", "issued"), ("invoice", "issued")]


def test_seed_003_invoice_on_accepted_card_is_marked_paid(seller: Caller) -> None:
    channel = seller.shop()
    seller.seed_003(channel)

    placed = seller.post("/orders", order_body(channel))

    [issued] = placed.json()["outcome"]["documents"]
    assert (issued["document_type"], issued["marked_paid"], issued["send_to_buyer"]) == ("invoice", True, True)
    invoice = Document.objects.get(pk=issued["id"])
    assert (invoice.payment_state, invoice.amount_paid) == ("paid", Decimal("64.45"))
    assert OutboundEvent.objects.filter(organization=seller.org, event_type="document.issued").count() == 1


def test_seed_003_credit_note_on_cancelled(seller: Caller) -> None:
    channel = seller.shop()
    seller.seed_003(channel)
    order_id = seller.post("/orders", order_body(channel)).json()["order"]["id"]

    cancelled = seller.post(f"/orders/{order_id}/events", {"kind": "cancelled"})

    assert [kind for kind, _ in _issued(cancelled)] == ["credit_note"]
    note = Document.objects.get(pk=cancelled.json()["outcome"]["documents"][0]["id"])
    invoice = Document.objects.get(organization=seller.org, document_type="invoice")
    assert note.corrected_document_id == invoice.pk
    assert note.payable == -invoice.payable
    assert cancelled.json()["order"]["status"] == "cancelled"
    again = seller.post(f"/orders/{order_id}/events", {"kind": "status_changed", "status": "cancelled"})
    assert _issued(again) == []


def test_an_event_id_sent_twice_is_done_once_and_answers_the_first_outcome(seller: Caller) -> None:
    channel = seller.shop()
    seller.seed_003(channel)
    order_id = seller.post("/orders", order_body(channel, payment_method="bank_transfer")).json()["order"]["id"]
    payment = {"kind": "payment_recorded", "amount": "64.45", "event_id": "pay-1"}

    first = seller.post(f"/orders/{order_id}/events", payment)
    again = seller.post(f"/orders/{order_id}/events", payment)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["outcome"]["duplicate"] is True
    assert again.json()["outcome"]["documents"] == first.json()["outcome"]["documents"]
    assert Decimal(again.json()["order"]["amount_paid"]) == Decimal("64.45")
    assert Document.objects.filter(organization=seller.org, document_type="invoice").count() == 1


def test_a_partial_refund_by_lines_is_credited_once_per_refund_id(seller: Caller) -> None:
    channel = seller.shop()
    seller.seed_003(channel)
    seller.put(f"/channels/{channel}/triggers", {"credit_note_for_partial_refund": True})
    order_id = seller.post("/orders", order_body(channel)).json()["order"]["id"]
    refund = {"kind": "refunded", "refund_id": "R-1", "lines": [{"position": 1, "quantity": 1}]}

    first = seller.post(f"/orders/{order_id}/events", refund)
    again = seller.post(f"/orders/{order_id}/events", refund)

    assert [kind for kind, _ in _issued(first)] == ["credit_note"]
    note = Document.objects.get(pk=first.json()["outcome"]["documents"][0]["id"])
    assert note.payable == Decimal("-12.10")
    assert _issued(again) == []
    assert "already credited" in again.json()["outcome"]["skipped"][0]["reason"]
    assert Decimal(again.json()["order"]["amount_refunded"]) == Decimal("24.20")


def test_a_partial_refund_by_amount_is_credited(seller: Caller) -> None:
    channel = seller.shop()
    seller.seed_003(channel)
    seller.put(f"/channels/{channel}/triggers", {"credit_note_for_partial_refund": True})
    order_id = seller.post("/orders", order_body(channel)).json()["order"]["id"]

    refunded = seller.post(f"/orders/{order_id}/events", {"kind": "refunded", "refund_id": "R-1", "amount": "10.00"})

    note = Document.objects.get(pk=refunded.json()["outcome"]["documents"][0]["id"])
    assert note.payable == Decimal("-10.00")


def test_a_refund_before_its_payment_ends_as_if_they_came_in_order(seller: Caller) -> None:
    """64.45 paid and 14.45 refunded, the refund reported first: the money came in, so the order is paid.

    It gets its invoice for 64.45 (paid) and the refund its credit note for 14.45 once there
    is an invoice to credit: the same documents as when the payment comes first. The seller
    keeps 50.00, the invoice less the credit note; the order shows both figures.
    """
    channel = seller.shop()
    seller.put(
        f"/channels/{channel}/triggers", {"invoice_when_order_paid": True, "credit_note_for_partial_refund": True}
    )
    order_id = seller.post("/orders", order_body(channel, payment_method="bank_transfer")).json()["order"]["id"]

    refund = seller.post(f"/orders/{order_id}/events", {"kind": "refunded", "refund_id": "R-1", "amount": "14.45"})
    payment = seller.post(f"/orders/{order_id}/events", {"kind": "payment_recorded", "amount": "64.45"})
    again = seller.post(f"/orders/{order_id}/events", {"kind": "payment_recorded", "amount": "1.00"})

    assert refund.status_code == payment.status_code == 201
    assert refund.json()["outcome"]["skipped"][0]["reason"] == "nothing invoiced to credit"
    issued = payment.json()["outcome"]["documents"]
    assert [(d["document_type"], d["marked_paid"], d["refund_id"]) for d in issued] == [
        ("invoice", True, None),
        ("credit_note", False, "R-1"),
    ]
    invoice, note = (Document.objects.get(pk=d["id"]) for d in issued)
    assert (invoice.payable, invoice.payment_state, note.payable) == (Decimal("64.45"), "paid", Decimal("-14.45"))
    assert note.corrected_document_id == invoice.pk
    order = payment.json()["order"]
    assert (Decimal(order["amount_paid"]), Decimal(order["amount_refunded"])) == (Decimal("64.45"), Decimal("14.45"))
    assert [e["kind"] for e in order["events"]] == ["created", "refunded", "payment_recorded"]
    assert again.json()["outcome"]["documents"] == []
    assert Document.objects.filter(organization=seller.org).count() == 2


def test_the_same_refund_and_payment_in_order_give_the_same_documents(seller: Caller) -> None:
    channel = seller.shop()
    seller.put(
        f"/channels/{channel}/triggers", {"invoice_when_order_paid": True, "credit_note_for_partial_refund": True}
    )
    order_id = seller.post("/orders", order_body(channel, payment_method="bank_transfer")).json()["order"]["id"]

    seller.post(f"/orders/{order_id}/events", {"kind": "payment_recorded", "amount": "64.45"})
    seller.post(f"/orders/{order_id}/events", {"kind": "refunded", "refund_id": "R-1", "amount": "14.45"})

    documents = Document.objects.filter(organization=seller.org).order_by("pk")
    assert [(d.document_type, d.payable) for d in documents] == [
        ("invoice", Decimal("64.45")),
        ("credit_note", Decimal("-14.45")),
    ]


def test_a_status_change_to_shipped_asks_the_rules_again(seller: Caller) -> None:
    channel = seller.shop()
    seller.post(
        "/rules",
        {
            "channel": channel,
            "name": "Invoice when shipped",
            "conditions": {"statuses": ["shipped"]},
            "action": {"document_type": "invoice", "due_days": 0},
        },
    )
    order_id = seller.post("/orders", order_body(channel, status="new")).json()["order"]["id"]

    shipped = seller.post(f"/orders/{order_id}/events", {"kind": "status_changed", "status": "shipped"})

    assert [kind for kind, _ in _issued(shipped)] == ["invoice"]
    assert shipped.json()["order"]["status"] == "shipped"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "exploded"}, "kind"),
        ({"kind": "status_changed"}, "status"),
        ({"kind": "status_changed", "status": "lost"}, "status"),
        ({"kind": "payment_recorded"}, "amount"),
        ({"kind": "payment_recorded", "amount": 0}, "amount"),
        ({"kind": "payment_recorded", "amount": "x"}, "amount"),
        ({"kind": "payment_recorded", "amount": 5, "date": "yesterday"}, "date"),
        ({"kind": "refunded", "amount": 5}, "refund_id"),
        ({"kind": "refunded", "refund_id": "R"}, "amount"),
        ({"kind": "refunded", "refund_id": "R", "lines": [{"position": 9, "quantity": 1}]}, "lines.0.position"),
        ({"kind": "refunded", "refund_id": "R", "lines": [{"position": 1, "quantity": 3}]}, "lines.0.quantity"),
        ({"kind": "refunded", "refund_id": "R", "lines": [{"position": 0, "quantity": 1}]}, "lines.0.position"),
    ],
    ids=lambda value: "-".join(str(v) for v in value.values()) if isinstance(value, dict) else value,
)
def test_a_bad_event_is_refused_with_the_field_and_changes_nothing(
    seller: Caller, body: dict[str, Any], field: str
) -> None:
    channel = seller.shop()
    order = seller.post("/orders", order_body(channel)).json()["order"]

    response = seller.post(f"/orders/{order['id']}/events", body)

    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    after = seller.get(f"/orders/{order['id']}").json()
    assert (after["status"], after["amount_paid"], after["amount_refunded"], len(after["events"])) == (
        order["status"],
        order["amount_paid"],
        order["amount_refunded"],
        1,
    )


def test_an_unknown_order_is_not_found(seller: Caller) -> None:
    response = seller.post("/orders/999999/events", {"kind": "cancelled"})
    assert response.status_code == 404
    assert response.json()["field"] == "order_id"


def test_a_proforma_paid_by_hand_on_the_document_gets_its_final_invoice(seller: Caller) -> None:
    channel = seller.shop()
    seller.seed_003(channel)
    placed = seller.post("/orders", order_body(channel, payment_method="bank_transfer"))
    proforma_id = placed.json()["outcome"]["documents"][0]["id"]

    paid = seller.post(f"/documents/{proforma_id}/payments", {"amount": "64.45", "reference": "OP 17"})

    assert paid.status_code == 201, paid.content
    order = seller.get(f"/orders/{placed.json()['order']['id']}").json()
    assert [(d["document_type"], d["status"]) for d in order["documents"]] == [
        ("proforma", "issued"),
        ("invoice", "issued"),
    ]
    assert [e["kind"] for e in order["events"]] == ["created", "payment_recorded"]
    assert Decimal(order["amount_paid"]) == Decimal("64.45")


def test_the_cancellation_trigger_credits_an_invoiced_order_when_it_is_cancelled(seller: Caller) -> None:
    channel = seller.shop()
    seller.post(
        "/rules",
        {
            "channel": channel,
            "name": "Invoice for cards",
            "conditions": {"statuses": ["accepted"], "payment_methods": ["card"]},
            "action": {"document_type": "invoice", "mark_paid": True},
        },
    )
    on = seller.put(f"/channels/{channel}/triggers", {"credit_note_when_cancelled": True})
    assert on.status_code == 200, on.content
    order_id = seller.post("/orders", order_body(channel)).json()["order"]["id"]

    cancelled = seller.post(f"/orders/{order_id}/events", {"kind": "cancelled", "event_id": "cancel-1"})
    again = seller.post(f"/orders/{order_id}/events", {"kind": "status_changed", "status": "cancelled"})

    [issued] = cancelled.json()["outcome"]["documents"]
    assert (issued["document_type"], issued["source"]) == (
        "credit_note",
        'trigger "credit note when the order is cancelled"',
    )
    note = Document.objects.get(pk=issued["id"])
    invoice = Document.objects.get(organization=seller.org, document_type="invoice")
    assert (note.corrected_document_id, note.payable) == (invoice.pk, -invoice.payable)
    assert again.json()["outcome"]["documents"] == []
    off = seller.put(f"/channels/{channel}/triggers", {"credit_note_when_cancelled": False})
    assert off.json()["credit_note_when_cancelled"] is False
