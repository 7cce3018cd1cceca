"""A late or replayed order snapshot never brings back a state the order has left (no second invoice).

WooCommerce signs no timestamp and its delivery id header is not signed, so a
captured delivery can be sent again, under a new id, at any time. Two defences:
the event id of a WooCommerce or Shopify delivery is a hash of its topic and
signed body (the same body is a duplicate), and the upsert is monotonic by the
shop's own modification time (an older snapshot is ``stale``: recorded, nothing
changes).
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from faktura.apps.invoicing.models import Document
from faktura.apps.sales.models import Order, OrderEvent
from tests.integration.orders.caller import Caller, order_body
from tests.integration.webhooks.test_inbound_receive import Shop, generic, generic_headers, woo_headers
from tests.unit.webhooks.test_payloads import WOO_ORDER

pytestmark = pytest.mark.django_db


def woo_card(status: str, modified: str, **changes: Any) -> bytes:
    order = copy.deepcopy(WOO_ORDER)
    order.update(status=status, date_modified_gmt=modified, date_created_gmt="2026-03-02T10:00:00", **changes)
    return json.dumps(order, ensure_ascii=False).encode()


def documents(shop: Shop) -> list[str]:
    return list(Document.objects.filter(organization=shop.org).order_by("pk").values_list("document_type", flat=True))


def test_a_replayed_woocommerce_delivery_under_a_new_id_issues_no_second_invoice() -> None:
    shop = Shop("woocommerce")
    paid = woo_card("processing", "2026-03-02T10:01:00")
    cancelled = woo_card("cancelled", "2026-03-03T09:00:00")

    first = shop.post(paid, woo_headers(paid, shop.secret, "d-1", "order.created"))
    second = shop.post(cancelled, woo_headers(cancelled, shop.secret, "d-2", "order.updated"))
    replayed = shop.post(paid, woo_headers(paid, shop.secret, "d-forged", "order.created"))

    assert first.status_code == second.status_code == replayed.status_code == 200
    assert [d["document_type"] for d in first.json()["documents"]] == ["invoice"]
    assert [d["document_type"] for d in second.json()["documents"]] == ["credit_note"]
    assert replayed.json()["status"] == "duplicate"
    assert documents(shop) == ["invoice", "credit_note"]
    assert Order.objects.get(organization=shop.org).status == "cancelled"


def test_an_older_woocommerce_snapshot_with_another_body_is_stale_and_changes_nothing() -> None:
    shop = Shop("woocommerce")
    paid = woo_card("processing", "2026-03-02T10:01:00")
    cancelled = woo_card("cancelled", "2026-03-03T09:00:00")
    shop.post(paid, woo_headers(paid, shop.secret, "d-1", "order.created"))
    shop.post(cancelled, woo_headers(cancelled, shop.secret, "d-2", "order.updated"))
    late = woo_card("processing", "2026-03-02T10:01:00", customer_note="Las la portar")

    answer = shop.post(late, woo_headers(late, shop.secret, "d-3", "order.updated"))

    assert answer.status_code == 200, answer.json()
    assert (answer.json()["status"], answer.json()["stale"], answer.json()["documents"]) == ("stale", True, [])
    assert documents(shop) == ["invoice", "credit_note"]
    order = Order.objects.get(organization=shop.org)
    assert order.status == "cancelled"
    stale = OrderEvent.objects.get(order=order, kind="stale")
    assert (stale.data["updated_at"], stale.data["held_updated_at"], stale.data["delivery_id"]) == (
        "2026-03-02T10:01:00+00:00",
        "2026-03-03T09:00:00+00:00",
        "d-3",
    )
    assert [d.outcome for d in shop.log()] == ["accepted", "accepted", "stale"]
    assert [d.event_id for d in shop.log()] == ["d-1", "d-2", "d-3"]


def test_a_newer_woocommerce_snapshot_is_applied() -> None:
    shop = Shop("woocommerce")
    held = woo_card("on-hold", "2026-03-02T10:01:00", payment_method="bacs")
    newer = woo_card("cancelled", "2026-03-02T10:01:01", payment_method="bacs")

    shop.post(held, woo_headers(held, shop.secret, "d-1", "order.created"))
    shop.post(newer, woo_headers(newer, shop.secret, "d-2", "order.updated"))

    order = Order.objects.get(organization=shop.org)
    assert (order.status, order.source_updated_at.isoformat()) == ("cancelled", "2026-03-02T10:01:01+00:00")


def test_a_late_generic_snapshot_is_stale_but_a_late_payment_still_counts() -> None:
    shop = Shop("generic")
    accepted = generic("evt_1", payment_method="bank_transfer", updated_at="2026-03-02T12:00:00+02:00")
    cancelled = generic(
        "evt_2", payment_method="bank_transfer", status="cancelled", updated_at="2026-03-04T12:00:00+02:00"
    )
    late_status = generic("evt_3", payment_method="bank_transfer", updated_at="2026-03-03T12:00:00+02:00")
    late_payment = json.loads(generic("evt_4", payment_method="bank_transfer", updated_at="2026-03-03T12:00:00+02:00"))
    late_payment.update(type="order.payment_recorded", payment={"amount": "34.20", "at": "2026-03-03T11:00:00+02:00"})
    paid_body = json.dumps(late_payment).encode()
    for event_id, body in (("evt_1", accepted), ("evt_2", cancelled)):
        assert shop.post(body, generic_headers(body, shop.secret, event_id)).status_code == 200

    stale = shop.post(late_status, generic_headers(late_status, shop.secret, "evt_3"))
    paid = shop.post(paid_body, generic_headers(paid_body, shop.secret, "evt_4"))

    assert (stale.json()["status"], stale.json()["stale"]) == ("stale", True)
    assert (paid.json()["status"], paid.json()["stale"]) == ("stale", True)
    order = Order.objects.get(organization=shop.org)
    assert (order.status, order.amount_paid) == ("cancelled", Decimal("34.20"))
    kinds = list(OrderEvent.objects.filter(order=order).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["created", "status_changed", "stale", "payment_recorded"]
    assert documents(shop) == ["proforma"]


def test_over_the_api_an_older_updated_at_is_stale_and_the_same_snapshot_again_is_unchanged(client: Client) -> None:
    seller = Caller(client)
    channel = seller.shop()
    seller.seed_003(channel)
    first = seller.post("/orders", order_body(channel, updated_at="2026-03-02T10:05:00+02:00"))
    cancelled = seller.post("/orders", order_body(channel, status="cancelled", updated_at="2026-03-02T11:00:00+02:00"))

    late = seller.post("/orders", order_body(channel, updated_at="2026-03-02T10:30:00+02:00"))
    again = seller.post("/orders", order_body(channel, status="cancelled", updated_at="2026-03-02T11:00:00+02:00"))
    same_time_other = seller.post("/orders", order_body(channel, updated_at="2026-03-02T11:00:00+02:00"))

    assert [kind["document_type"] for kind in first.json()["outcome"]["documents"]] == ["invoice"]
    assert [kind["document_type"] for kind in cancelled.json()["outcome"]["documents"]] == ["credit_note"]
    assert (late.status_code, late.json()["outcome"]["stale"], late.json()["order"]["status"]) == (
        200,
        True,
        "cancelled",
    )
    assert (again.json()["outcome"]["stale"], same_time_other.json()["outcome"]["stale"]) == (False, True)
    order = same_time_other.json()["order"]
    assert order["updated_in_channel"].startswith("2026-03-02T09:00:00")
    assert [e["kind"] for e in order["events"]] == ["created", "status_changed", "stale", "stale"]
    assert Document.objects.filter(organization=seller.org, document_type="invoice").count() == 1


def test_without_updated_at_snapshots_apply_as_they_come(client: Client) -> None:
    seller = Caller(client)
    channel = seller.shop()
    seller.post("/orders", order_body(channel, updated_at="2026-03-02T10:05:00+02:00"))

    moved = seller.post("/orders", order_body(channel, status="shipped"))

    assert (moved.json()["outcome"]["stale"], moved.json()["order"]["status"]) == (False, "shipped")
