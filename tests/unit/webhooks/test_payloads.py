"""Generic and WooCommerce payloads: realistic Romanian shop orders, exact decimals, named fields."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from faktura.core.errors import InvalidValue, MissingValue, ValidationError
from faktura.core.rules.facts import OrderStatus, PaymentMethod
from faktura.webhooks.payloads import EventType, OrderPayload, Pricing, parse_generic, parse_woocommerce, woocommerce

D = Decimal


def generic_event(**changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "version": 1,
        "event_id": "evt_01JD3",
        "type": "order.upserted",
        "order": {
            "external_id": "10045",
            "number": "CMD-10045",
            "status": "processing",
            "payment_method": "cash_on_delivery",
            "delivery_method": "Fan Courier",
            "currency": "RON",
            "pricing": "gross",
            "placed_at": "2026-11-20T10:15:00+02:00",
            "buyer": {
                "name": "SC Exemplu Design SRL",
                "email": "contabilitate@exemplu.ro",
                "company": "SC Exemplu Design SRL",
                "vat_id": "RO18547290",
                "street": "Bd. Unirii 12, bl. A3",
                "city": "București",
                "postal_code": "030119",
                "country": "RO",
                "phone": "+40721000111",
            },
            "lines": [
                {
                    "sku": "CANA-01",
                    "barcode": "5941234567890",
                    "name": "Cană ceramică 350 ml",
                    "quantity": 3,
                    "unit_price": "49.90",
                    "vat_rate": "21",
                    "discount": "14.97",
                },
                {"sku": "CARTE-07", "name": "Carte de bucate", "quantity": "1", "unit_price": 89.00, "vat_rate": 11},
            ],
            "shipping": {"amount": "19.99", "vat_rate": "21"},
        },
    }
    event.update(changes)
    return event


def body(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def assert_no_float(order: OrderPayload) -> None:
    for line in order.lines:
        for value in (line.quantity, line.unit_price, line.vat_rate, line.discount):
            assert type(value) is Decimal
    assert type(order.shipping.amount) is Decimal
    assert type(order.shipping.vat_rate) is Decimal


def test_a_generic_upsert_reads_every_field_exactly() -> None:
    event = parse_generic(body(generic_event()))
    order = event.order
    assert (event.event_id, event.type) == ("evt_01JD3", EventType.ORDER_UPSERTED)
    assert (order.external_id, order.number, order.status, order.payment_method) == (
        "10045",
        "CMD-10045",
        OrderStatus.PROCESSING,
        PaymentMethod.CASH_ON_DELIVERY,
    )
    assert order.placed_at == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert (order.buyer.vat_id, order.buyer.city, order.buyer.country) == ("RO18547290", "București", "RO")
    assert [(line.quantity, line.unit_price, line.discount) for line in order.lines] == [
        (D(3), D("49.90"), D("14.97")),
        (D(1), D("89.00"), D(0)),
    ]
    assert (order.shipping.amount, order.pricing) == (D("19.99"), Pricing.GROSS)
    assert_no_float(order)


def test_a_generic_payment_needs_its_payment_object() -> None:
    with pytest.raises(MissingValue) as info:
        parse_generic(body(generic_event(type="order.payment_recorded")))
    assert info.value.field == "payment"
    event = parse_generic(
        body(
            generic_event(
                type="order.payment_recorded",
                payment={"amount": "244.36", "at": "2026-11-21T09:00:00+02:00", "reference": "OP 77"},
            )
        )
    )
    assert event.payment is not None
    assert event.payment.amount == D("244.36")


def test_a_generic_cancellation_must_carry_the_cancelled_status() -> None:
    with pytest.raises(InvalidValue) as info:
        parse_generic(body(generic_event(type="order.cancelled")))
    assert info.value.field == "order.status"


@pytest.mark.parametrize(
    ("path", "value", "error", "field"),
    [
        pytest.param(("order", "lines", 1, "quantity"), "0", InvalidValue, "order.lines.1.quantity", id="zero-qty"),
        pytest.param(("order", "lines", 0, "unit_price"), "abc", InvalidValue, "order.lines.0.unit_price", id="nan"),
        pytest.param(("order", "lines", 0, "unit_price"), True, InvalidValue, "order.lines.0.unit_price", id="bool"),
        pytest.param(("order", "lines", 0, "vat_rate"), "121", InvalidValue, "order.lines.0.vat_rate", id="rate"),
        pytest.param(("order", "lines", 0, "name"), None, MissingValue, "order.lines.0.name", id="no-name"),
        pytest.param(("order", "currency"), "LEI", InvalidValue, "order.currency", id="currency"),
        pytest.param(("order", "status"), "paid", InvalidValue, "order.status", id="status"),
        pytest.param(("order", "placed_at"), "2026-11-20T10:15:00", InvalidValue, "order.placed_at", id="naive"),
        pytest.param(("order", "buyer", "country"), "EL", InvalidValue, "order.buyer.country", id="country"),
        pytest.param(("order", "lines"), [], MissingValue, "order.lines", id="no-lines"),
        pytest.param(("version",), 2, InvalidValue, "version", id="version"),
        pytest.param(("order", "buyer", "name"), "Ana\u0000", InvalidValue, "order.buyer.name", id="nul"),
    ],
)
def test_a_bad_generic_field_is_named(
    path: tuple[str | int, ...], value: object, error: type[ValidationError], field: str
) -> None:
    data = generic_event()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(error) as info:
        parse_generic(body(data))
    assert info.value.field == field


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b'{"version": NaN}', b'{"name": "\xff"}'])
def test_a_body_that_is_not_a_json_object_is_invalid(raw: bytes) -> None:
    with pytest.raises(InvalidValue):
        parse_generic(raw)


WOO_ORDER: dict[str, Any] = {
    "id": 4821,
    "parent_id": 0,
    "number": "4821",
    "status": "processing",
    "currency": "RON",
    "prices_include_tax": True,
    "date_created": "2026-11-20T10:15:00",
    "date_created_gmt": "2026-11-20T08:15:00",
    "date_modified_gmt": "2026-11-20T08:16:02",
    "discount_total": "16.53",
    "shipping_total": "16.52",
    "shipping_tax": "3.47",
    "total": "283.00",
    "total_tax": "49.12",
    "payment_method": "netopiapayments",
    "payment_method_title": "Card bancar (NETOPIA)",
    "billing": {
        "first_name": "Ioana",
        "last_name": "Ionescu",
        "company": "",
        "address_1": "Str. Memorandumului 28",
        "address_2": "ap. 4",
        "city": "Cluj-Napoca",
        "state": "CJ",
        "postcode": "400114",
        "country": "RO",
        "email": "ioana.ionescu@example.ro",
        "phone": "0744123456",
    },
    "meta_data": [
        {"id": 1, "key": "_billing_cif", "value": ""},
        {"id": 2, "key": "_wc_order_attribution", "value": {}},
    ],
    "line_items": [
        {
            "id": 11,
            "name": "Pled din lână",
            "product_id": 93,
            "quantity": 1,
            "tax_class": "",
            "subtotal": "165.29",
            "subtotal_tax": "34.71",
            "total": "148.76",
            "total_tax": "31.24",
            "taxes": [{"id": 1, "total": "31.24", "subtotal": "34.71"}],
            "sku": "PLED-L",
            "price": 148.760331,
        },
        {
            "id": 12,
            "name": "Carte pentru copii",
            "product_id": 94,
            "quantity": 2,
            "tax_class": "reduced-rate",
            "subtotal": "90.09",
            "subtotal_tax": "9.91",
            "total": "90.09",
            "total_tax": "9.91",
            "taxes": [{"id": 2, "total": "9.91", "subtotal": "9.91"}],
            "sku": "CARTE-C",
            "price": 45.045,
        },
    ],
    "tax_lines": [
        {"id": 30, "rate_code": "RO-TVA-1", "rate_id": 1, "label": "TVA", "compound": False, "rate_percent": 21},
        {"id": 31, "rate_code": "RO-TVA REDUS-2", "rate_id": 2, "label": "TVA redus", "rate_percent": 11},
    ],
    "shipping_lines": [
        {
            "id": 40,
            "method_title": "Sameday Easybox",
            "method_id": "flat_rate",
            "total": "16.52",
            "total_tax": "3.47",
            "taxes": [{"id": 1, "total": "3.47", "subtotal": ""}],
        }
    ],
    "fee_lines": [],
    "coupon_lines": [{"id": 50, "code": "iarna10", "discount": "16.53", "discount_tax": "3.47"}],
}


def woo(**changes: Any) -> bytes:
    return body({**WOO_ORDER, **changes})


def test_a_woocommerce_order_becomes_gross_lines_with_rates_from_tax_lines() -> None:
    order = parse_woocommerce(woo())
    assert (order.external_id, order.number, order.currency, order.pricing) == ("4821", "4821", "RON", Pricing.GROSS)
    assert (order.status, order.payment_method) == (OrderStatus.ACCEPTED, PaymentMethod.CARD)
    assert order.placed_at == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert [(ln.sku, ln.quantity, ln.unit_price, ln.discount, ln.vat_rate) for ln in order.lines] == [
        ("PLED-L", D(1), D("200.00"), D("20.00"), D("21.00")),
        ("CARTE-C", D(2), D("50.00"), D("0.00"), D("11.00")),
    ]
    assert (order.shipping.amount, order.shipping.vat_rate, order.delivery_method) == (
        D("19.99"),
        D("21.00"),
        "Sameday Easybox",
    )
    buyer = order.buyer
    assert (buyer.name, buyer.street, buyer.postal_code, buyer.vat_id, buyer.billing_details_entered) == (
        "Ioana Ionescu",
        "Str. Memorandumului 28, ap. 4",
        "400114",
        "",
        True,
    )
    assert_no_float(order)


def test_a_woocommerce_net_shop_without_rate_percent_derives_the_rate() -> None:
    items = [
        {
            "name": "Abonament",
            "quantity": 1,
            "subtotal": "100.00",
            "subtotal_tax": "21.00",
            "total": "100.00",
            "total_tax": "21.00",
            "taxes": [{"id": 7, "total": "21.00"}],
        }
    ]
    order = parse_woocommerce(woo(prices_include_tax=False, tax_lines=[], line_items=items, shipping_lines=[]))
    assert (order.pricing, order.lines[0].unit_price, order.lines[0].vat_rate) == (Pricing.NET, D("100.00"), D("21.00"))
    assert order.shipping.amount == D(0)


def test_the_woocommerce_vat_id_comes_from_meta_data() -> None:
    meta = [{"key": "_billing_cif", "value": " RO18547290 "}, {"key": "_billing_nr_reg_com", "value": "J12/3456/2019"}]
    assert parse_woocommerce(woo(meta_data=meta)).buyer.vat_id == "RO18547290"


@pytest.mark.parametrize(("status", "ours"), list(woocommerce.STATUSES.items()), ids=list(woocommerce.STATUSES))
def test_woocommerce_statuses_map_to_ours(status: str, ours: OrderStatus) -> None:
    assert parse_woocommerce(woo(status=status)).status is ours


@pytest.mark.parametrize(
    ("gateway", "ours"),
    [
        ("bacs", PaymentMethod.BANK_TRANSFER),
        ("cod", PaymentMethod.CASH_ON_DELIVERY),
        ("stripe", PaymentMethod.CARD),
        ("stripe_cc", PaymentMethod.CARD),
        ("woocommerce_payments", PaymentMethod.CARD),
        ("paypal", PaymentMethod.PAYPAL),
        ("ppcp-gateway", PaymentMethod.PAYPAL),
        ("cheque", PaymentMethod.OTHER),
        ("", PaymentMethod.OTHER),
        ("unknown_gateway", PaymentMethod.OTHER),
    ],
)
def test_woocommerce_gateways_map_to_our_payment_methods(gateway: str, ours: PaymentMethod) -> None:
    assert parse_woocommerce(woo(payment_method=gateway)).payment_method is ours


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        pytest.param({"status": "trash"}, InvalidValue, "status", id="status"),
        pytest.param({"date_created_gmt": "ieri"}, InvalidValue, "date_created_gmt", id="date"),
        pytest.param({"line_items": []}, MissingValue, "line_items", id="no-lines"),
        pytest.param({"billing": {"country": "RO"}}, MissingValue, "billing.first_name", id="no-name"),
    ],
)
def test_a_bad_woocommerce_field_is_named(change: dict[str, Any], error: type[ValidationError], field: str) -> None:
    with pytest.raises(error) as info:
        parse_woocommerce(woo(**change))
    assert info.value.field == field


def test_a_bad_woocommerce_line_quantity_names_its_index() -> None:
    items = [*WOO_ORDER["line_items"], {**WOO_ORDER["line_items"][0], "quantity": "două"}]
    with pytest.raises(InvalidValue) as info:
        parse_woocommerce(woo(line_items=items))
    assert info.value.field == "line_items.2.quantity"
