"""What a shop's order snapshot says about money: paid in all, refunds by id, fees as lines."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from faktura.core.errors import InvalidValue
from faktura.core.rules import OrderStatus
from faktura.webhooks.payloads import RefundPayload, parse_shopify, parse_woocommerce
from tests.unit.webhooks.test_payloads import woo
from tests.unit.webhooks.test_shopify import money, shop

D = Decimal

FEE = {"id": 60, "name": "Ambalare cadou", "total": "8.26", "total_tax": "1.74", "taxes": [{"id": 1, "total": "1.74"}]}


# WooCommerce ------------------------------------------------------------------------------------


def test_a_paid_woocommerce_order_says_its_total_was_paid_on_date_paid() -> None:
    order = parse_woocommerce(woo(total="299.99", date_paid_gmt="2026-11-20T08:16:00"))
    assert (order.paid, order.paid_at) == (D("299.99"), datetime(2026, 11, 20, 8, 16, tzinfo=UTC))
    assert order.updated_at == datetime(2026, 11, 20, 8, 16, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "paid"),
    [
        pytest.param({"date_paid_gmt": None}, D(0), id="not-paid"),
        pytest.param({}, None, id="older-woocommerce-does-not-say"),
        pytest.param({"payment_method": "cod", "date_paid_gmt": "2026-11-20T08:16:00"}, D(0), id="cod-processing"),
        pytest.param(
            {"payment_method": "cod", "status": "completed", "date_paid_gmt": "2026-11-22T08:00:00"},
            D("283.00"),
            id="cod-completed",
        ),
    ],
)
def test_woocommerce_paid_follows_date_paid_and_cash_on_delivery_waits_for_completed(
    changes: dict[str, Any], paid: Decimal | None
) -> None:
    assert parse_woocommerce(woo(**changes)).paid == paid


def test_woocommerce_refunds_are_listed_by_id_as_positive_amounts() -> None:
    refunds = [{"id": 801, "reason": "", "total": "-50.00"}, {"id": 802, "total": "0.00"}]
    order = parse_woocommerce(woo(refunds=refunds))
    assert order.refunds == (RefundPayload("801", D("50.00"), order.updated_at),)


def test_a_woocommerce_fee_is_a_line_so_the_total_is_the_orders() -> None:
    order = parse_woocommerce(woo(fee_lines=[FEE]))
    fee = order.lines[-1]
    assert (fee.name, fee.quantity, fee.unit_price, fee.vat_rate, fee.sku) == (
        "Ambalare cadou",
        D(1),
        D("10.00"),
        D("21.00"),
        "",
    )


def test_a_negative_woocommerce_fee_is_a_discount_on_the_lines_at_its_rate() -> None:
    discount = {**FEE, "name": "Reducere", "total": "-8.26", "total_tax": "-1.74"}
    order = parse_woocommerce(woo(fee_lines=[discount]))
    assert len(order.lines) == 2
    assert [(line.sku, line.discount) for line in order.lines] == [("PLED-L", D("30.00")), ("CARTE-C", D("0.00"))]


def test_a_negative_fee_larger_than_its_lines_is_refused_on_the_field() -> None:
    huge = {**FEE, "total": "-826.00", "total_tax": "-174.00"}
    with pytest.raises(InvalidValue) as refused:
        parse_woocommerce(woo(fee_lines=[huge]))
    assert refused.value.field == "fee_lines.0.total"


# Shopify ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "paid"),
    [
        pytest.param({"financial_status": "paid"}, D("269.99"), id="paid"),
        pytest.param({"financial_status": "partially_refunded"}, D("269.99"), id="partially-refunded"),
        pytest.param({"financial_status": "refunded"}, D("269.99"), id="refunded"),
        pytest.param({"financial_status": "authorized"}, D(0), id="authorized"),
        pytest.param({"financial_status": "pending"}, D(0), id="pending"),
        pytest.param({"financial_status": "partially_paid", "total_outstanding": "100.00"}, D("169.99"), id="part"),
        pytest.param({"financial_status": "partially_paid"}, None, id="part-unknown"),
    ],
)
def test_shopify_paid_follows_financial_status(changes: dict[str, Any], paid: Decimal | None) -> None:
    assert parse_shopify(shop(**changes)).paid == paid


def test_shopify_refunds_sum_their_successful_refund_transactions() -> None:
    refunds = [
        {
            "id": 9001,
            "created_at": "2026-11-22T10:00:00+02:00",
            "transactions": [
                {"kind": "refund", "status": "success", "amount": "30.00", "currency": "RON"},
                {"kind": "refund", "status": "failure", "amount": "30.00", "currency": "RON"},
                {"kind": "refund", "status": "success", "amount": "5.00", "amount_set": money("5.00")},
            ],
        },
        {"id": 9002, "created_at": "2026-11-23T10:00:00+02:00", "transactions": []},  # restock only
    ]
    order = parse_shopify(shop(financial_status="partially_refunded", refunds=refunds))
    assert [(r.refund_id, r.amount) for r in order.refunds] == [("9001", D("35.00"))]
    assert order.status is OrderStatus.ACCEPTED
