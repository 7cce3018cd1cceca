"""Payments and refunds read from WooCommerce and Shopify order snapshots drive the rules (F4.2, F10.3).

A shop sends the order as it is; what it paid in all and the refunds it lists
become payment and refund events, each once: the same snapshot again, or an
older one, adds nothing. Seed 003's rules and the payment and refund triggers
are on.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest

from faktura.apps.automation.services import triggers_set
from faktura.apps.invoicing.models import Document
from faktura.apps.sales.models import Order, OrderEvent
from tests import factories as make
from tests.integration.webhooks.test_inbound_receive import Shop, shopify_body, shopify_headers, woo_headers
from tests.unit.webhooks.test_payloads import WOO_ORDER
from tests.unit.webhooks.test_shopify import money

pytestmark = pytest.mark.django_db

FEE = {"id": 60, "name": "Ambalare cadou", "total": "8.26", "total_tax": "1.74", "taxes": [{"id": 1, "total": "1.74"}]}
TOTAL = "309.99"
"""WOO_ORDER's lines (180.00 + 100.00), shipping 19.99 and the gift-wrap fee 10.00."""


def shop(scheme: str) -> Shop:
    shop = Shop(scheme)
    triggers_set(
        actor=make.TEST_ACTOR,
        organization=shop.org,
        channel_id=shop.channel.pk,
        triggers={"final_invoice_when_proforma_paid": True, "credit_note_for_partial_refund": True},
    )
    return shop


def woo(status: str, modified: str, **changes: Any) -> bytes:
    order = copy.deepcopy(WOO_ORDER)
    order.update(status=status, total=TOTAL, fee_lines=[FEE], date_created_gmt="2026-03-02T10:00:00")
    order.update({"date_modified_gmt": modified, "date_paid_gmt": None, **changes})
    return json.dumps(order, ensure_ascii=False).encode()


def deliver(shop: Shop, body: bytes, delivery: str) -> dict[str, Any]:
    response = shop.post(body, woo_headers(body, shop.secret, delivery, "order.updated"))
    assert response.status_code == 200, response.json()
    return response.json()


def kinds(answer: dict[str, Any]) -> list[str]:
    return [d["document_type"] for d in answer["documents"]]


def test_a_woocommerce_transfer_gets_a_proforma_then_its_final_invoice_when_woocommerce_marks_it_paid() -> None:
    shop_ = shop("woocommerce")
    on_hold = woo("on-hold", "2026-03-02T10:01:00", payment_method="bacs")
    paid = woo("processing", "2026-03-04T09:00:00", payment_method="bacs", date_paid_gmt="2026-03-04T09:00:00")

    first = deliver(shop_, on_hold, "d-1")
    second = deliver(shop_, paid, "d-2")

    assert kinds(first) == ["proforma"]
    assert kinds(second) == ["invoice"]
    proforma, final = Document.objects.filter(organization=shop_.org).order_by("pk")
    assert (proforma.payable, proforma.payment_state) == (Decimal(TOTAL), "paid")
    assert (final.prepaid, final.payable) == (Decimal(TOTAL), Decimal("0.00"))
    order = Order.objects.get(organization=shop_.org)
    assert (order.status, order.total, order.amount_paid) == ("accepted", Decimal(TOTAL), Decimal(TOTAL))
    payment = OrderEvent.objects.get(order=order, kind="payment_recorded")
    assert payment.data["payments"] == [
        {"amount": TOTAL, "on": "2026-03-04", "reference": f"{shop_.channel.code} order 4821"}
    ]


def test_a_woocommerce_card_order_gets_its_invoice_and_a_listed_refund_its_credit_note_once() -> None:
    shop_ = shop("woocommerce")
    paid = woo("processing", "2026-03-02T10:01:00", date_paid_gmt="2026-03-02T10:01:00")
    refund = [{"id": 801, "reason": "Cana sparta", "total": "-50.00"}]
    refunded = woo("processing", "2026-03-05T12:00:00", date_paid_gmt="2026-03-02T10:01:00", refunds=refund)
    later = woo("completed", "2026-03-06T12:00:00", date_paid_gmt="2026-03-02T10:01:00", refunds=refund)

    first = deliver(shop_, paid, "d-1")
    second = deliver(shop_, refunded, "d-2")
    third = deliver(shop_, later, "d-3")

    assert kinds(first) == ["invoice"]
    assert first["documents"][0]["marked_paid"] is True
    assert kinds(second) == ["credit_note"]
    assert second["documents"][0]["refund_id"] == "801"
    assert kinds(third) == []
    invoice, note = Document.objects.filter(organization=shop_.org).order_by("pk")
    assert (invoice.payable, invoice.amount_paid, note.payable) == (Decimal(TOTAL), Decimal(TOTAL), Decimal("-50.00"))
    order = Order.objects.get(organization=shop_.org)
    assert (order.amount_paid, order.amount_refunded, order.status) == (Decimal(TOTAL), Decimal("50.00"), "completed")


def test_cash_on_delivery_counts_as_paid_only_when_woocommerce_completes_it() -> None:
    shop_ = shop("woocommerce")
    processing = woo("processing", "2026-03-02T10:01:00", payment_method="cod", date_paid_gmt="2026-03-02T10:01:00")
    completed = woo("completed", "2026-03-05T10:00:00", payment_method="cod", date_paid_gmt="2026-03-02T10:01:00")

    deliver(shop_, processing, "d-1")
    assert Order.objects.get(organization=shop_.org).amount_paid == 0
    deliver(shop_, completed, "d-2")
    assert Order.objects.get(organization=shop_.org).amount_paid == Decimal(TOTAL)


def shopify(**changes: Any) -> bytes:
    fixed = {"total_price": "299.99", "total_price_set": money("299.99"), "financial_status": "paid"}
    return shopify_body(**{**fixed, "payment_gateway_names": ["shopify_payments"], **changes})


def test_a_shopify_paid_order_then_a_partial_refund_gives_an_invoice_and_a_credit_note() -> None:
    shop_ = shop("shopify")
    paid = shopify()
    refund = {
        "id": 9001,
        "created_at": "2026-03-05T10:00:00+02:00",
        "transactions": [{"kind": "refund", "status": "success", "amount": "30.00", "currency": "RON"}],
    }
    refunded = shopify(financial_status="partially_refunded", refunds=[refund], updated_at="2026-03-05T10:00:01+02:00")

    first = shop_.post(paid, shopify_headers(paid, shop_.secret, "w-1", "orders/paid"))
    second = shop_.post(refunded, shopify_headers(refunded, shop_.secret, "w-2", "orders/updated"))
    replayed = shop_.post(refunded, shopify_headers(refunded, shop_.secret, "w-forged", "orders/updated"))

    assert kinds(first.json()) == ["invoice"]
    assert kinds(second.json()) == ["credit_note"]
    assert replayed.json()["status"] == "duplicate"
    order = Order.objects.get(organization=shop_.org)
    assert (order.amount_paid, order.amount_refunded) == (Decimal("299.99"), Decimal("30.00"))
    assert [e.kind for e in OrderEvent.objects.filter(order=order).order_by("pk")] == ["created", "refunded"]
