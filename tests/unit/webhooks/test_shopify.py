"""Shopify order webhooks: a Romanian shop's orders, exact decimals, statuses from three fields, named errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from faktura.core.errors import InvalidValue, MissingValue, ValidationError
from faktura.core.rules.facts import OrderStatus, PaymentMethod
from faktura.webhooks.payloads import OrderPayload, Pricing, parse_shopify, shopify

D = Decimal


def money(amount: str, currency: str = "RON") -> dict[str, Any]:
    return {
        "shop_money": {"amount": amount, "currency_code": currency},
        "presentment_money": {"amount": amount, "currency_code": currency},
    }


SHOPIFY_ORDER: dict[str, Any] = {
    "id": 5843012190393,
    "admin_graphql_api_id": "gid://shopify/Order/5843012190393",
    "name": "#RO1042",
    "order_number": 1042,
    "number": 42,
    "email": "ioana.ionescu@example.ro",
    "contact_email": "ioana.ionescu@example.ro",
    "created_at": "2026-11-20T10:15:00+02:00",
    "processed_at": "2026-11-20T10:15:02+02:00",
    "updated_at": "2026-11-20T10:16:40+02:00",
    "closed_at": None,
    "cancelled_at": None,
    "cancel_reason": None,
    "currency": "RON",
    "presentment_currency": "RON",
    "taxes_included": True,
    "test": False,
    "financial_status": "paid",
    "fulfillment_status": None,
    "gateway": "shopify_payments",
    "payment_gateway_names": ["shopify_payments"],
    "total_price": "269.99",
    "total_price_set": money("269.99"),
    "total_tax": "46.86",
    "total_discounts": "20.00",
    "note_attributes": [{"name": "VAT number", "value": ""}, {"name": "Gift message", "value": "La mulți ani!"}],
    "billing_address": {
        "first_name": "Ioana",
        "last_name": "Ionescu",
        "name": "Ioana Ionescu",
        "company": None,
        "address1": "Str. Memorandumului 28",
        "address2": "ap. 4",
        "city": "Cluj-Napoca",
        "zip": "400114",
        "province": "Cluj",
        "country": "Romania",
        "country_code": "RO",
        "phone": "+40744123456",
    },
    "customer": {"id": 7001, "email": "ioana.ionescu@example.ro", "first_name": "Ioana", "last_name": "Ionescu"},
    "line_items": [
        {
            "id": 13001,
            "title": "Pled din lână",
            "name": "Pled din lână - Gri",
            "variant_title": "Gri",
            "sku": "PLED-L-GRI",
            "quantity": 1,
            "current_quantity": 1,
            "price": "200.00",
            "price_set": money("200.00"),
            "total_discount": "0.00",
            "taxable": True,
            "gift_card": False,
            "discount_allocations": [
                {"amount": "20.00", "amount_set": money("20.00"), "discount_application_index": 0}
            ],
            "tax_lines": [{"title": "TVA", "price": "31.24", "price_set": money("31.24"), "rate": 0.21}],
        },
        {
            "id": 13002,
            "title": "Carte pentru copii",
            "name": "Carte pentru copii",
            "sku": "CARTE-C",
            "quantity": 2,
            "price": "50.00",
            "price_set": money("50.00"),
            "total_discount": "0.00",
            "discount_allocations": [],
            "tax_lines": [{"title": "TVA redus", "price": "9.91", "price_set": money("9.91"), "rate": 0.11}],
        },
    ],
    "shipping_lines": [
        {
            "id": 4001,
            "title": "Sameday Easybox",
            "code": "easybox",
            "source": "shopify",
            "price": "19.99",
            "price_set": money("19.99"),
            "discounted_price": "19.99",
            "discounted_price_set": money("19.99"),
            "tax_lines": [{"title": "TVA", "price": "3.47", "price_set": money("3.47"), "rate": 0.21}],
        }
    ],
}


def shop(**changes: Any) -> bytes:
    return json.dumps({**SHOPIFY_ORDER, **changes}, ensure_ascii=False).encode()


def assert_no_float(order: OrderPayload) -> None:
    for line in order.lines:
        for value in (line.quantity, line.unit_price, line.vat_rate, line.discount):
            assert type(value) is Decimal
    assert type(order.shipping.amount) is Decimal
    assert type(order.shipping.vat_rate) is Decimal


def test_a_shopify_order_becomes_gross_lines_with_rates_from_tax_lines() -> None:
    order = parse_shopify(shop(), topic="orders/create")
    assert (order.external_id, order.number, order.currency, order.pricing) == (
        "5843012190393",
        "#RO1042",
        "RON",
        Pricing.GROSS,
    )
    assert (order.status, order.payment_method) == (OrderStatus.ACCEPTED, PaymentMethod.CARD)
    assert order.placed_at == datetime(2026, 11, 20, 8, 15, 2, tzinfo=UTC)
    assert [(ln.sku, ln.name, ln.quantity, ln.unit_price, ln.discount, ln.vat_rate) for ln in order.lines] == [
        ("PLED-L-GRI", "Pled din lână - Gri", D(1), D("200.00"), D("20.00"), D("21.00")),
        ("CARTE-C", "Carte pentru copii", D(2), D("50.00"), D(0), D("11.00")),
    ]
    assert (order.shipping.amount, order.shipping.vat_rate, order.delivery_method) == (
        D("19.99"),
        D("21.00"),
        "Sameday Easybox",
    )
    buyer = order.buyer
    assert (buyer.name, buyer.email, buyer.street, buyer.postal_code, buyer.country, buyer.vat_id) == (
        "Ioana Ionescu",
        "ioana.ionescu@example.ro",
        "Str. Memorandumului 28, ap. 4",
        "400114",
        "RO",
        "",
    )
    assert buyer.billing_details_entered is True
    assert_no_float(order)


def test_a_net_priced_shop_reads_net_prices() -> None:
    order = parse_shopify(shop(taxes_included=False))
    assert order.pricing is Pricing.NET
    assert order.lines[0].unit_price == D("200.00")


def test_an_order_paid_in_another_currency_uses_the_presentment_money() -> None:
    lines = [
        {
            "title": "Pled",
            "quantity": 1,
            "price": "200.00",
            "price_set": {
                "shop_money": {"amount": "200.00", "currency_code": "RON"},
                "presentment_money": {"amount": "40.19", "currency_code": "EUR"},
            },
            "discount_allocations": [
                {
                    "amount": "20.00",
                    "amount_set": {
                        "shop_money": {"amount": "20.00", "currency_code": "RON"},
                        "presentment_money": {"amount": "4.02", "currency_code": "EUR"},
                    },
                }
            ],
            "tax_lines": [{"rate": 0.19, "price": "31.93"}],
        }
    ]
    order = parse_shopify(shop(presentment_currency="EUR", line_items=lines, shipping_lines=[]))
    assert (order.currency, order.lines[0].unit_price, order.lines[0].discount) == ("EUR", D("40.19"), D("4.02"))


def test_a_converted_order_without_presentment_amounts_is_refused_not_guessed() -> None:
    lines = [{"title": "Pled", "quantity": 1, "price": "200.00", "tax_lines": []}]
    with pytest.raises(MissingValue) as info:
        parse_shopify(shop(presentment_currency="EUR", line_items=lines, shipping_lines=[]))
    assert info.value.field == "line_items.0.price_set"


def test_a_line_without_tax_lines_is_at_zero_percent_and_rates_add_up() -> None:
    lines = [
        {"title": "Card cadou", "quantity": 1, "price": "100.00", "tax_lines": [], "gift_card": True},
        {"title": "Lampă", "quantity": 1, "price": "10.00", "tax_lines": [{"rate": "0.0625"}, {"rate": 0.01}]},
    ]
    order = parse_shopify(shop(line_items=lines))
    assert [line.vat_rate for line in order.lines] == [D("0.00"), D("7.25")]


def test_the_vat_id_comes_from_note_attributes() -> None:
    notes = [{"name": "CUI", "value": " RO18547290 "}, {"name": "Nr. Reg. Com.", "value": "J12/3456/2019"}]
    assert parse_shopify(shop(note_attributes=notes)).buyer.vat_id == "RO18547290"


def test_an_order_without_a_billing_address_names_the_customer() -> None:
    order = parse_shopify(shop(billing_address=None, email=None, contact_email=None))
    assert (order.buyer.name, order.buyer.email, order.buyer.country) == (
        "Ioana Ionescu",
        "ioana.ionescu@example.ro",
        "",
    )
    assert order.buyer.billing_details_entered is False


@pytest.mark.parametrize(
    ("changes", "topic", "ours"),
    [
        pytest.param({"financial_status": "pending"}, "orders/create", OrderStatus.ACCEPTED, id="pending"),
        pytest.param({"financial_status": "authorized"}, None, OrderStatus.ACCEPTED, id="authorized"),
        pytest.param({"financial_status": "partially_paid"}, None, OrderStatus.ACCEPTED, id="partially-paid"),
        pytest.param({"financial_status": "paid"}, "orders/paid", OrderStatus.ACCEPTED, id="paid"),
        pytest.param({"financial_status": "partially_refunded"}, None, OrderStatus.ACCEPTED, id="part-refund"),
        pytest.param({"financial_status": "refunded"}, None, OrderStatus.RETURNED, id="refunded"),
        pytest.param({"financial_status": "voided"}, None, OrderStatus.CANCELLED, id="voided"),
        pytest.param({"financial_status": "expired"}, None, OrderStatus.CANCELLED, id="expired"),
        pytest.param({"fulfillment_status": "partial"}, None, OrderStatus.PROCESSING, id="partial"),
        pytest.param({"fulfillment_status": "fulfilled"}, "orders/fulfilled", OrderStatus.SHIPPED, id="fulfilled"),
        pytest.param(
            {"fulfillment_status": "fulfilled", "closed_at": "2026-11-25T09:00:00+02:00"},
            "orders/updated",
            OrderStatus.COMPLETED,
            id="closed",
        ),
        pytest.param(
            {"cancelled_at": "2026-11-21T09:00:00+02:00", "financial_status": "refunded"},
            "orders/updated",
            OrderStatus.CANCELLED,
            id="cancelled-at",
        ),
        pytest.param({}, "orders/cancelled", OrderStatus.CANCELLED, id="cancelled-topic"),
        pytest.param({"financial_status": None}, None, OrderStatus.ACCEPTED, id="no-financial-status"),
    ],
)
def test_shopify_statuses_map_to_ours(changes: dict[str, Any], topic: str | None, ours: OrderStatus) -> None:
    assert parse_shopify(shop(**changes), topic=topic).status is ours


@pytest.mark.parametrize(
    ("gateways", "ours"),
    [
        (["shopify_payments"], PaymentMethod.CARD),
        (["visa", "bogus"], PaymentMethod.CARD),
        (["stripe_connect"], PaymentMethod.CARD),
        (["Cash on Delivery (COD)"], PaymentMethod.CASH_ON_DELIVERY),
        (["Bank Deposit"], PaymentMethod.BANK_TRANSFER),
        (["gift_card", "paypal"], PaymentMethod.PAYPAL),
        (["gift_card"], PaymentMethod.OTHER),
        (["manual"], PaymentMethod.OTHER),
        ([], PaymentMethod.OTHER),
        (["Plata la livrare"], PaymentMethod.OTHER),
    ],
)
def test_shopify_gateways_map_to_our_payment_methods(gateways: list[str], ours: PaymentMethod) -> None:
    assert parse_shopify(shop(payment_gateway_names=gateways)).payment_method is ours


def test_the_name_falls_back_to_the_order_number_then_the_id() -> None:
    assert parse_shopify(shop(name=None)).number == "1042"
    assert parse_shopify(shop(name=None, order_number=None)).number == "5843012190393"


def test_created_at_is_used_when_processed_at_is_missing() -> None:
    assert parse_shopify(shop(processed_at=None)).placed_at == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        pytest.param({"financial_status": "stolen"}, InvalidValue, "financial_status", id="status"),
        pytest.param({"created_at": "ieri", "processed_at": None}, InvalidValue, "created_at", id="date"),
        pytest.param({"line_items": []}, MissingValue, "line_items", id="no-lines"),
        pytest.param({"currency": "LEI"}, InvalidValue, "currency", id="currency"),
        pytest.param({"id": None}, MissingValue, "id", id="no-id"),
        pytest.param({"payment_gateway_names": "card"}, InvalidValue, "payment_gateway_names", id="gateways"),
        pytest.param(
            {"billing_address": {"country_code": "RO"}, "customer": None, "email": None, "contact_email": None},
            MissingValue,
            "billing_address.name",
            id="no-name",
        ),
        pytest.param(
            {"billing_address": {**SHOPIFY_ORDER["billing_address"], "country_code": "XX"}},
            InvalidValue,
            "billing_address.country_code",
            id="country",
        ),
    ],
)
def test_a_bad_shopify_field_is_named(change: dict[str, Any], error: type[ValidationError], field: str) -> None:
    with pytest.raises(error) as info:
        parse_shopify(shop(**change))
    assert info.value.field == field


@pytest.mark.parametrize(
    ("line_change", "field"),
    [
        pytest.param({"quantity": "două"}, "line_items.2.quantity", id="quantity"),
        pytest.param({"quantity": 0}, "line_items.2.quantity", id="zero"),
        pytest.param({"price": "abc", "price_set": None}, "line_items.2.price", id="price"),
        pytest.param({"tax_lines": [{"rate": 1.5}]}, "line_items.2.tax_lines", id="rate-over-100"),
        pytest.param({"tax_lines": [{"price": "1.00"}]}, "line_items.2.tax_lines.0.rate", id="no-rate"),
        pytest.param(
            {"price_set": {"presentment_money": {"amount": "-1"}}},
            "line_items.2.price_set.presentment_money.amount",
            id="negative",
        ),
    ],
)
def test_a_bad_shopify_line_names_its_index(line_change: dict[str, Any], field: str) -> None:
    items = [*SHOPIFY_ORDER["line_items"], {**SHOPIFY_ORDER["line_items"][0], **line_change}]
    with pytest.raises(ValidationError) as info:
        parse_shopify(shop(line_items=items))
    assert info.value.field == field


def test_shipping_lines_at_two_rates_are_refused() -> None:
    second = {**SHOPIFY_ORDER["shipping_lines"][0], "tax_lines": [{"rate": 0.11}]}
    with pytest.raises(InvalidValue) as info:
        parse_shopify(shop(shipping_lines=[*SHOPIFY_ORDER["shipping_lines"], second]))
    assert info.value.field == "shipping_lines.1.tax_lines"


def test_an_order_topic_list_leaves_out_the_delete_topic() -> None:
    assert "orders/paid" in shopify.ORDER_TOPICS
    assert "orders/delete" not in shopify.ORDER_TOPICS
