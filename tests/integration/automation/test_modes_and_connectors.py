"""Modes (F1), automatic issuing off (F1.2), connector requirements (F4.4) and explain (F4.6)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pytest
from django.test import Client

from faktura.apps.automation import connectors
from faktura.apps.integrations.models import OutboundEvent
from faktura.apps.invoicing.models import Document
from tests.integration.orders.caller import Caller, order_body

pytestmark = pytest.mark.django_db


class BarcodeBooks:
    """A connector declared by the tests: every line needs a barcode; no proformas."""

    name = "barcode-books"
    label = "Barcode Books"
    supported_document_types = frozenset({"invoice", "credit_note"})

    def check_order(self, order: connectors.OrderView) -> Sequence[connectors.Violation]:
        return [
            connectors.Violation(f"line {line.position} needs a barcode", field=f"lines.{index}.barcode")
            for index, line in enumerate(order.lines)
            if not line.barcode
        ]


@pytest.fixture
def seller(client: Client) -> Caller:
    return Caller(client)


@pytest.fixture
def barcode_books() -> Iterator[str]:
    connectors.register(BarcodeBooks())
    yield BarcodeBooks.name
    connectors.unregister(BarcodeBooks.name)


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({"auto_issue": False}, "automatic issuing is off for channel shop"),
        ({"invoicing_mode": "external"}, "channel shop is in external mode"),
        ({"invoicing_mode": "manual_upload"}, "channel shop is in manual upload mode"),
    ],
    ids=["auto-off", "external", "manual-upload"],
)
def test_rules_issue_nothing_unless_the_channel_issues_automatically(
    seller: Caller, settings: dict[str, object], reason: str
) -> None:
    channel = seller.shop()
    seller.seed_003(channel)
    assert seller.patch(f"/channels/{channel}", settings).status_code == 200

    placed = seller.post("/orders", order_body(channel))

    outcome = placed.json()["outcome"]
    assert outcome["documents"] == []
    assert any(s["reason"].startswith(reason) and s["document_type"] == "invoice" for s in outcome["skipped"])
    assert [e["kind"] for e in placed.json()["order"]["events"]] == ["created"]
    assert not Document.objects.filter(organization=seller.org).exists()
    explained = seller.get(f"/orders/{placed.json()['order']['id']}/explain").json()
    assert (explained["automatic"], explained["blocked"].startswith(reason)) == (False, True)
    assert [i["document_type"] for i in explained["now"]["issue"]] == ["invoice"]


def test_turning_automatic_issuing_back_on_issues_on_the_next_event(seller: Caller) -> None:
    channel = seller.shop(auto_issue=False)
    seller.seed_003(channel)
    order_id = seller.post("/orders", order_body(channel, status="new")).json()["order"]["id"]
    seller.patch(f"/channels/{channel}", {"auto_issue": True})

    accepted = seller.post(f"/orders/{order_id}/events", {"kind": "status_changed", "status": "accepted"})

    assert [d["document_type"] for d in accepted.json()["outcome"]["documents"]] == ["invoice"]


def test_the_channel_api_shows_and_changes_the_modes(seller: Caller) -> None:
    created = seller.post("/channels", {"name": "Marketplace", "invoicing_mode": "external", "auto_issue": False})
    assert created.status_code == 201
    body = created.json()
    assert (body["invoicing_mode"], body["auto_issue"], body["connector"]) == ("external", False, "")
    bad = seller.patch(f"/channels/{body['id']}", {"invoicing_mode": "carrier-pigeon"})
    assert (bad.status_code, bad.json()["field"]) == (422, "invoicing_mode")


def test_a_connector_violation_is_an_error_on_the_order_and_an_outbound_event_never_a_crash(
    seller: Caller, barcode_books: str
) -> None:
    channel = seller.shop(connector=barcode_books)
    seller.post(
        "/rules",
        {
            "channel": channel,
            "name": "Invoice",
            "conditions": {"statuses": ["accepted"]},
            "action": {"document_type": "invoice"},
        },
    )
    body = order_body(channel)
    body["lines"][1]["barcode"] = "5941234567890"

    placed = seller.post("/orders", body)

    assert placed.status_code == 201
    errors = placed.json()["outcome"]["errors"]
    assert [(e["code"], e["field"], e["source"]) for e in errors] == [
        ("connector_requirement", "lines.0.barcode", "connector barcode-books")
    ]
    order = seller.get(f"/orders/{placed.json()['order']['id']}").json()
    assert order["errors"] == errors
    assert order["documents"] == []
    [event] = OutboundEvent.objects.filter(organization=seller.org, event_type="order.error")
    assert (event.object_id, event.data["errors"][0]["message"]) == (order["id"], "line 1 needs a barcode")

    body["lines"][0]["barcode"] = "5941234567883"
    fixed = seller.post("/orders", body)
    assert fixed.json()["outcome"]["errors"] == []
    assert fixed.json()["order"]["errors"] == []
    shipped = seller.post(f"/orders/{order['id']}/events", {"kind": "status_changed", "status": "accepted"})
    assert [d["document_type"] for d in shipped.json()["outcome"]["documents"]] == ["invoice"]
    assert OutboundEvent.objects.filter(organization=seller.org, event_type="order.error").count() == 1


def test_a_connector_refuses_rules_for_types_it_does_not_support(seller: Caller, barcode_books: str) -> None:
    channel = seller.shop(connector=barcode_books)
    response = seller.post(
        "/rules",
        {
            "channel": channel,
            "name": "Proforma",
            "conditions": {"statuses": ["accepted"]},
            "action": {"document_type": "proforma"},
        },
    )
    assert (response.status_code, response.json()["field"]) == (422, "action.document_type")
    assert response.json()["message"] == "Barcode Books does not support proformas"


def test_a_channel_cannot_take_a_connector_its_rules_do_not_fit(seller: Caller, barcode_books: str) -> None:
    channel = seller.shop()
    seller.seed_003(channel)
    refused = seller.patch(f"/channels/{channel}", {"connector": barcode_books})
    assert (refused.status_code, refused.json()["field"]) == (422, "connector")
    unknown = seller.patch(f"/channels/{channel}", {"connector": "smartbill-of-dreams"})
    assert (unknown.status_code, unknown.json()["field"]) == (422, "connector")


def test_a_missing_series_is_an_error_on_the_order_not_a_crash(seller: Caller) -> None:
    channel = seller.post("/channels", {"name": "No series"}).json()["id"]
    seller.post(
        "/rules",
        {
            "channel": channel,
            "name": "Invoice",
            "conditions": {"statuses": ["accepted"]},
            "action": {"document_type": "invoice"},
        },
    )
    placed = seller.post("/orders", order_body(channel))
    assert placed.status_code == 201
    [error] = placed.json()["outcome"]["errors"]
    assert (error["code"], error["field"]) == ("required", "series")
    assert not Document.objects.filter(organization=seller.org).exists()
    assert placed.json()["order"]["errors"] == [error]


def test_explain_names_the_first_failed_condition_of_every_rule_and_what_would_be_issued(seller: Caller) -> None:
    channel = seller.shop(auto_issue=False)
    ids = seller.seed_003(channel)
    order_id = seller.post("/orders", order_body(channel, payment_method="cash_on_delivery")).json()["order"]["id"]

    explained = seller.get(f"/orders/{order_id}/explain").json()

    assert [(r["name"], r["matched"], r["failure"]) for r in explained["rules"]] == [
        ("Proforma for transfers", False, "payment method is cash_on_delivery, rule wants bank_transfer"),
        ("Invoice for cards", False, "payment method is cash_on_delivery, rule wants card"),
        ("Credit note when cancelled", False, "status is accepted, rule wants cancelled"),
    ]
    triggers = {t["trigger"]: t for t in explained["triggers"]}
    assert triggers["final_invoice_when_proforma_paid"]["on"] is True
    assert triggers["final_invoice_when_proforma_paid"]["reason"] == "order has no open proforma"
    assert triggers["invoice_when_order_paid"]["on"] is False
    assert explained["now"]["issue"] == []
    assert f'rule {ids[1]} "Invoice for cards" -> invoice: payment method is cash_on_delivery' in explained["text"]
