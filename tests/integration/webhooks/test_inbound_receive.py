"""Deliveries to a channel's address, through the real view: three schemes end to end, every refusal, the log.

The shop's side is played by signing the raw bytes exactly as WooCommerce,
Shopify or a generic sender would; the channel has the rules of seed 003
(an invoice for an accepted card order, a proforma for a bank transfer).
"""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from faktura.apps.integrations.models import InboundDelivery, InboundWebhook
from faktura.apps.integrations.services.inbound import inbound_webhook_create, inbound_webhook_rotate_secret
from faktura.apps.integrations.services.receive import MAX_BODY_BYTES
from faktura.apps.invoicing.models import Document
from faktura.apps.sales.models import Order, OrderEvent
from faktura.webhooks.signatures import sign, sign_base64
from tests import factories as make
from tests.integration.automation import helpers as shops
from tests.integration.webhooks import helpers
from tests.unit.webhooks.test_payloads import WOO_ORDER
from tests.unit.webhooks.test_shopify import SHOPIFY_ORDER

pytestmark = pytest.mark.django_db


class Shop:
    """A seller's channel with seed 003's rules and an inbound webhook of one scheme."""

    def __init__(self, scheme: str) -> None:
        self.org, self.channel = shops.shop()
        shops.seed_003(self.org, self.channel)
        self.webhook, self.secret = inbound_webhook_create(
            actor=make.TEST_ACTOR, organization=self.org, channel_id=self.channel.pk, scheme=scheme
        )
        self.url = f"/webhooks/in/{self.webhook.token}"
        self.client = Client()

    def post(self, body: bytes, headers: dict[str, str]):  # type: ignore[no-untyped-def]
        return self.client.post(self.url, body, content_type="application/json", headers=headers)

    def log(self) -> list[InboundDelivery]:
        return list(InboundDelivery.objects.filter(webhook=self.webhook).order_by("pk"))


def generic(event_id: str = "evt_1", external_id: str = "1001", **order: Any) -> bytes:
    document = {
        "version": 1,
        "event_id": event_id,
        "type": "order.upserted",
        "order": {
            "external_id": external_id,
            "status": "accepted",
            "payment_method": "card",
            "currency": "RON",
            "placed_at": "2026-03-02T12:00:00+02:00",
            "buyer": {"name": "Ana Popescu", "street": "Bd. Eroilor 5", "city": "Cluj-Napoca", "country": "RO"},
            "lines": [{"name": "Cană ceramică", "quantity": 2, "unit_price": "12.10", "vat_rate": "21"}],
            "shipping": {"amount": "10.00", "vat_rate": "21"},
            **order,
        },
    }
    return json.dumps(document, ensure_ascii=False).encode()


def generic_headers(body: bytes, secret: str, event_id: str = "evt_1", at: Any = None) -> dict[str, str]:
    return {"Faktura-Signature": sign(body, secret, at or timezone.now()), "Faktura-Event-Id": event_id}


# Generic, accepted and duplicated ---------------------------------------------------------------


def test_a_signed_generic_delivery_upserts_the_order_and_issues_the_invoice() -> None:
    shop = Shop("generic")
    body = generic()

    response = shop.post(body, generic_headers(body, shop.secret))

    assert response.status_code == 200, response.json()
    answer = response.json()
    assert (answer["status"], answer["event_id"], answer["order_created"]) == ("accepted", "evt_1", True)
    [issued] = answer["documents"]
    invoice = Document.objects.get(pk=issued["id"])
    assert (invoice.document_type, invoice.number, invoice.payable) == ("invoice", issued["number"], Decimal("34.20"))
    assert Order.objects.get(pk=answer["order_id"]).external_id == "1001"
    [logged] = shop.log()
    assert (logged.outcome, logged.http_status, logged.verified, logged.event_id, logged.order_id) == (
        "accepted",
        200,
        True,
        "evt_1",
        answer["order_id"],
    )
    assert issued["number"] in logged.message
    assert logged.body_size == len(body)


def test_the_same_event_twice_gives_one_order_event_one_document_and_a_200_duplicate() -> None:
    shop = Shop("generic")
    body = generic()

    first = shop.post(body, generic_headers(body, shop.secret))
    again = shop.post(body, generic_headers(body, shop.secret))

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["status"] == "duplicate"
    assert again.json()["documents"] == first.json()["documents"]
    assert OrderEvent.objects.filter(order_id=first.json()["order_id"]).count() == 1
    assert Document.objects.filter(organization=shop.org).count() == 1
    assert [d.outcome for d in shop.log()] == ["accepted", "duplicate"]


# Signatures -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mangle", "code", "status"),
    [
        pytest.param(lambda h, b, s: {**h, "Faktura-Signature": sign(b, "whsec_wrong", timezone.now())},
                     "webhook_signature_invalid", 401, id="wrong-secret"),
        pytest.param(lambda h, b, s: {**h, "Faktura-Signature": sign(b + b" ", s, timezone.now())},
                     "webhook_signature_invalid", 401, id="other-body"),
        pytest.param(lambda h, b, s: {**h, "Faktura-Signature": sign(b, s, timezone.now() - timedelta(minutes=6))},
                     "webhook_timestamp_too_old", 401, id="expired"),
        pytest.param(lambda h, b, s: {**h, "Faktura-Signature": sign(b, s, timezone.now() + timedelta(minutes=6))},
                     "webhook_timestamp_too_new", 401, id="future"),
        pytest.param(lambda h, b, s: {"Faktura-Event-Id": "evt_1"}, "webhook_header_missing", 401, id="missing"),
        pytest.param(lambda h, b, s: {**h, "Faktura-Signature": "sha256=abc"}, "webhook_header_malformed", 400,
                     id="malformed"),
    ],
)  # fmt: skip
def test_a_delivery_that_is_not_authentic_is_refused_and_changes_nothing(mangle: Any, code: str, status: int) -> None:
    shop = Shop("generic")
    body = generic()

    response = shop.post(body, mangle(generic_headers(body, shop.secret), body, shop.secret))

    assert response.status_code == status
    assert response.json()["code"] == code
    assert set(response.json()) == {"code", "message", "field"}
    assert not Order.objects.filter(organization=shop.org).exists()
    [logged] = shop.log()
    assert (logged.outcome, logged.verified, logged.http_status, logged.code) == ("rejected", False, status, code)


def test_a_delivery_within_five_minutes_is_accepted() -> None:
    shop = Shop("generic")
    body = generic()
    at = timezone.now() - timedelta(minutes=4, seconds=50)
    assert shop.post(body, generic_headers(body, shop.secret, at=at)).status_code == 200


def test_during_a_rotation_both_secrets_are_accepted_and_after_retiring_only_the_new() -> None:
    shop = Shop("generic")
    old = shop.secret
    _, new = inbound_webhook_rotate_secret(actor=make.TEST_ACTOR, organization=shop.org, channel_id=shop.channel.pk)

    for index, secret in enumerate((old, new)):
        body = generic(f"evt_{index}", external_id=f"10{index}")
        assert shop.post(body, generic_headers(body, secret, f"evt_{index}")).status_code == 200

    helpers.Caller(shop.org).post(f"/channels/{shop.channel.pk}/inbound-webhook/retire-previous-secret")
    body = generic("evt_9", external_id="109")
    assert shop.post(body, generic_headers(body, old, "evt_9")).status_code == 401
    assert shop.post(body, generic_headers(body, new, "evt_9")).status_code == 200


# Payloads, sizes, addresses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(b"not json at all", None, id="not-json"),
        pytest.param(generic(status="paid"), "order.status", id="status"),
        pytest.param(generic(lines=[{"name": "x", "quantity": "0", "unit_price": "1", "vat_rate": "21"}]),
                     "order.lines.0.quantity", id="quantity"),
        pytest.param(generic(event_id="evt_other"), "event_id", id="event-id-differs"),
    ],
)  # fmt: skip
def test_an_unreadable_payload_is_a_422_naming_the_field(body: bytes, field: str | None) -> None:
    shop = Shop("generic")
    response = shop.post(body, generic_headers(body, shop.secret))
    assert response.status_code == 422
    assert response.json()["field"] == field
    [logged] = shop.log()
    assert (logged.outcome, logged.verified, logged.field) == ("invalid", True, field or "")


def test_an_event_id_longer_than_the_timeline_keeps_is_a_422() -> None:
    shop = Shop("generic")
    long_id = "e" * 201
    body = generic(long_id)
    response = shop.post(body, generic_headers(body, shop.secret, long_id))
    assert (response.status_code, response.json()["field"]) == (422, "Faktura-Event-Id")


def test_a_body_over_the_limit_is_a_413_unread() -> None:
    shop = Shop("generic")
    body = b"{" + b" " * MAX_BODY_BYTES + b"}"
    response = shop.post(body, generic_headers(body, shop.secret))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    [logged] = shop.log()
    assert (logged.outcome, logged.body_size, logged.body_sha256) == ("too_large", len(body), "")


def test_an_unknown_address_is_a_404_and_a_disabled_one_too() -> None:
    shop = Shop("generic")
    body = generic()
    assert shop.client.post("/webhooks/in/nope", body, content_type="application/json").status_code == 404
    assert shop.client.post("/webhooks/in/" + "x" * 300, body, content_type="application/json").status_code == 404
    InboundWebhook.objects.filter(pk=shop.webhook.pk).update(is_active=False)
    response = shop.post(body, generic_headers(body, shop.secret))
    assert response.status_code == 404
    assert [d.outcome for d in shop.log()] == ["disabled"]


def test_only_post_is_accepted() -> None:
    shop = Shop("generic")
    assert shop.client.get(shop.url).status_code == 405


def test_a_database_failure_is_a_503_with_retry_after_and_the_retry_then_succeeds() -> None:
    shop = Shop("generic")
    body = generic()
    table = Order._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        response = shop.post(body, generic_headers(body, shop.secret))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "unavailable"
    assert shop.post(body, generic_headers(body, shop.secret)).json()["status"] == "accepted"
    assert [d.outcome for d in shop.log()] == ["unavailable", "accepted"]


# WooCommerce and Shopify ------------------------------------------------------------------------


def woo_body(**changes: Any) -> bytes:
    order = copy.deepcopy(WOO_ORDER)
    order.update(status="on-hold", payment_method="bacs", date_created_gmt="2026-03-02T10:00:00", **changes)
    return json.dumps(order, ensure_ascii=False).encode()


def woo_headers(body: bytes, secret: str, delivery: str = "d-1", topic: str = "order.created") -> dict[str, str]:
    return {
        "X-WC-Webhook-Signature": sign_base64(body, secret),
        "X-WC-Webhook-Delivery-ID": delivery,
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": "order",
        "X-WC-Webhook-Source": "https://magazin.example.ro/",
    }


def test_a_woocommerce_order_on_hold_by_transfer_gets_a_proforma_once() -> None:
    shop = Shop("woocommerce")
    body = woo_body()

    first = shop.post(body, woo_headers(body, shop.secret))
    again = shop.post(body, woo_headers(body, shop.secret))

    assert first.status_code == 200, first.json()
    assert [d["document_type"] for d in first.json()["documents"]] == ["proforma"]
    assert again.json()["status"] == "duplicate"
    order = Order.objects.get(pk=first.json()["order_id"])
    assert (order.external_id, order.status, order.payment_method) == ("4821", "accepted", "bank_transfer")
    assert Document.objects.filter(organization=shop.org).count() == 1


def test_woocommerce_ping_deleted_topic_and_bad_signature() -> None:
    shop = Shop("woocommerce")
    ping = shop.client.post(shop.url, b"webhook_id=17", content_type="application/x-www-form-urlencoded")
    assert (ping.status_code, ping.json()["status"]) == (200, "ping")

    deleted = json.dumps({"id": 4821}).encode()
    ignored = shop.post(deleted, woo_headers(deleted, shop.secret, "d-2", "order.deleted"))
    assert (ignored.status_code, ignored.json()["status"]) == (200, "ignored")

    body = woo_body()
    forged = shop.post(body, woo_headers(body, "whsec_someone_else"))
    assert forged.status_code == 401
    assert [d.outcome for d in shop.log()] == ["ping", "ignored", "rejected"]
    assert not Order.objects.filter(organization=shop.org).exists()


def shopify_body(**changes: Any) -> bytes:
    order = copy.deepcopy(SHOPIFY_ORDER)
    order.update(financial_status="pending", payment_gateway_names=["Bank Deposit"])
    order.update(processed_at="2026-03-02T12:00:00+02:00", updated_at="2026-03-02T12:00:00+02:00")
    order.update(changes)
    return json.dumps(order, ensure_ascii=False).encode()


def shopify_headers(body: bytes, secret: str, webhook_id: str, topic: str) -> dict[str, str]:
    return {
        "X-Shopify-Hmac-Sha256": sign_base64(body, secret),
        "X-Shopify-Webhook-Id": webhook_id,
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": "magazin.myshopify.com",
        "X-Shopify-Triggered-At": timezone.now().isoformat().replace("+00:00", "Z"),
    }


def test_a_shopify_order_by_bank_deposit_gets_a_proforma_and_its_cancellation_is_recorded() -> None:
    shop = Shop("shopify")
    created = shopify_body()
    first = shop.post(created, shopify_headers(created, shop.secret, "b5-1", "orders/create"))
    assert first.status_code == 200, first.json()
    assert [d["document_type"] for d in first.json()["documents"]] == ["proforma"]

    cancelled = shopify_body(
        cancelled_at="2026-03-03T09:00:00+02:00", financial_status="voided", updated_at="2026-03-03T09:00:00+02:00"
    )
    second = shop.post(cancelled, shopify_headers(cancelled, shop.secret, "b5-2", "orders/cancelled"))
    assert second.status_code == 200, second.json()
    assert Order.objects.get(pk=first.json()["order_id"]).status == "cancelled"

    gone = json.dumps({"id": 5843012190393}).encode()
    ignored = shop.post(gone, shopify_headers(gone, shop.secret, "b5-3", "orders/delete"))
    assert ignored.json()["status"] == "ignored"
    assert [(d.event_id, d.topic, d.outcome) for d in shop.log()] == [
        ("b5-1", "orders/create", "accepted"),
        ("b5-2", "orders/cancelled", "accepted"),
        ("b5-3", "orders/delete", "ignored"),
    ]


# The log over the API ---------------------------------------------------------------------------


def test_the_seller_reads_the_log_newest_first_and_another_seller_cannot() -> None:
    shop = Shop("generic")
    body = generic()
    shop.post(body, {"Faktura-Event-Id": "evt_1"})
    shop.post(body, generic_headers(body, shop.secret))
    caller = helpers.Caller(shop.org)

    log = caller.get(f"/channels/{shop.channel.pk}/inbound-webhook/deliveries").json()

    assert [(d["outcome"], d["http_status"], d["verified"]) for d in log] == [
        ("accepted", 200, True),
        ("rejected", 401, False),
    ]
    assert log[1]["field"] == "Faktura-Signature"
    assert len(caller.get(f"/channels/{shop.channel.pk}/inbound-webhook/deliveries", limit=1).json()) == 1
    stranger = helpers.Caller()
    assert stranger.get(f"/channels/{shop.channel.pk}/inbound-webhook/deliveries").status_code == 404
