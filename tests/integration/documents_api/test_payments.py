"""Payments by hand (F10.1): full, partial, over; the state follows; document.paid is told once."""

from __future__ import annotations

import pytest

from faktura.apps.integrations.models import OutboundEvent
from tests.integration.documents_api.conftest import Caller

pytestmark = pytest.mark.django_db


def paid_events(document_id: int) -> int:
    return OutboundEvent.objects.filter(event_type="document.paid", object_id=document_id).count()


def test_partial_then_the_rest_makes_it_paid_and_tells_document_paid_once(seller: Caller) -> None:
    invoice = seller.issue()
    first = seller.post(
        f"/documents/{invoice['id']}/payments",
        {"amount": "20.00", "received_on": "2026-01-20", "reference": "OP 12", "method": "bank_transfer"},
    )
    assert first.status_code == 201
    body = first.json()
    assert body["payment"] | {"id": 0, "created_at": ""} == {
        "id": 0,
        "amount": "20.00",
        "currency": "RON",
        "received_on": "2026-01-20",
        "method": "bank_transfer",
        "reference": "OP 12",
        "source": "api",
        "note": "",
        "created_at": "",
    }
    assert (body["document"]["payment_state"], body["document"]["amount_paid"]) == ("partially_paid", "20.00")
    assert paid_events(invoice["id"]) == 0

    rest = seller.post(f"/documents/{invoice['id']}/payments", {"amount": 41.2}).json()
    assert (rest["document"]["payment_state"], rest["document"]["amount_paid"]) == ("paid", "61.20")
    assert paid_events(invoice["id"]) == 1

    over = seller.post(f"/documents/{invoice['id']}/payments", {"amount": "5"}).json()
    assert over["document"]["payment_state"] == "overpaid"
    assert paid_events(invoice["id"]) == 1  # overpaid after paid is not a second "paid"

    listed = seller.get(f"/documents/{invoice['id']}/payments").json()
    assert [p["amount"] for p in listed] == ["20.00", "41.20", "5.00"]
    assert [p["amount"] for p in seller.get(f"/documents/{invoice['id']}").json()["payments"]] == [
        "20.00",
        "41.20",
        "5.00",
    ]


def test_one_payment_over_the_amount_is_overpaid_and_paid_is_told(seller: Caller) -> None:
    invoice = seller.issue()
    body = seller.post(f"/documents/{invoice['id']}/payments", {"amount": "100"}).json()
    assert body["document"]["payment_state"] == "overpaid"
    assert paid_events(invoice["id"]) == 1


def test_money_given_back_reopens_the_document(seller: Caller) -> None:
    invoice = seller.issue()
    seller.post(f"/documents/{invoice['id']}/payments", {"amount": "61.20"})
    back = seller.post(f"/documents/{invoice['id']}/payments", {"amount": "-10"}).json()
    assert (back["document"]["payment_state"], back["document"]["amount_paid"]) == ("partially_paid", "51.20")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "amount"),
        ({"amount": "0"}, 422, "amount"),
        ({"amount": "abc"}, 422, "amount"),
        ({"amount": "1e20"}, 422, "amount"),
        ({"amount": "5", "currency": "EUR"}, 422, "currency"),
        ({"amount": "5", "currency": "EURO"}, 422, "currency"),
        ({"amount": "5", "received_on": "someday"}, 422, "received_on"),
        ({"amount": "5", "reference": "x" * 141}, 422, "reference"),
        ({"amount": "5", "reference": "a\x00"}, 422, "reference"),
        ({"amount": "5", "tip": 1}, 422, "tip"),
    ],
    ids=[
        "missing",
        "zero",
        "text",
        "too-large",
        "other-currency",
        "bad-currency",
        "bad-date",
        "long-ref",
        "nul",
        "extra",
    ],
)
def test_a_bad_payment_is_refused_with_the_field(seller: Caller, body: dict, status: int, field: str) -> None:
    invoice = seller.issue()
    response = seller.post(f"/documents/{invoice['id']}/payments", body)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert seller.get(f"/documents/{invoice['id']}/payments").json() == []


def test_a_draft_or_a_cancelled_document_takes_no_payment(seller: Caller) -> None:
    draft = seller.issue(issue=False)
    cancelled = seller.issue()
    seller.post(f"/documents/{cancelled['id']}/cancel")
    for document in (draft, cancelled):
        response = seller.post(f"/documents/{document['id']}/payments", {"amount": "1"})
        assert response.status_code == 409


def test_a_payment_with_an_idempotency_key_is_recorded_once(seller: Caller) -> None:
    invoice = seller.issue()
    for _ in range(3):
        response = seller.post(f"/documents/{invoice['id']}/payments", {"amount": "10"}, key="bank-line-9")
        assert response.status_code == 201
    assert len(seller.get(f"/documents/{invoice['id']}/payments").json()) == 1
