"""POST /documents: issue by hand from an order or from buyer and lines; read it back in full."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from faktura.apps.invoicing.models import Document
from tests.integration.documents_api.conftest import PHONE_SALE, Caller

pytestmark = pytest.mark.django_db


def test_a_phone_sale_is_issued_and_read_back_with_every_amount_as_a_string(seller: Caller) -> None:
    body = seller.issue(due_days=14, note="Plată prin transfer")
    today = dt.date.fromisoformat(body["issue_date"])

    assert (body["type"], body["status"], body["source"]) == ("invoice", "issued", "built_in")
    assert body["number"].startswith("FA")
    assert body["due_date"] == (today + dt.timedelta(days=14)).isoformat()
    # 21 %: 35.30 + 15.00 = 50.30 gross -> 41.57 + 8.73; 11 %: 10.90 -> 9.82 + 1.08 (gross pricing)
    assert body["totals"] == {
        "line_net_total": "38.99",
        "allowance_total": "0.00",
        "charge_total": "12.40",
        "tax_exclusive": "51.39",
        "tax_total": "9.81",
        "tax_inclusive": "61.20",
        "prepaid": "0.00",
        "rounding": "0.00",
        "payable": "61.20",
    }
    assert [(x["position"], x["quantity"], x["unit_price"], x["discount"], x["net_amount"]) for x in body["lines"]] == [
        (1, "3", "12.10", "1.00", "29.17"),
        (2, "2", "5.45", "0.00", "9.82"),
    ]
    assert sorted((r["vat_rate"], r["taxable_amount"], r["tax_amount"]) for r in body["vat_breakdown"]) == [
        ("11", "9.82", "1.08"),
        ("21", "41.57", "8.73"),
    ]
    assert body["allowances_charges"][0]["reason"] == "Shipping"
    assert body["buyer"]["name"] == "Ion Ionescu"
    assert body["seller"]["vat_id"] == "RO18547290"
    assert (body["payment_state"], body["amount_paid"], body["overdue"]) == ("unpaid", "0.00", False)
    assert body["links"] == {
        "self": f"/api/v1/documents/{body['id']}",
        "pdf": f"/api/v1/documents/{body['id']}/pdf",
        "xml": f"/api/v1/documents/{body['id']}/xml",
        "payments": f"/api/v1/documents/{body['id']}/payments",
    }
    assert seller.get(f"/documents/{body['id']}").json() == body


def test_issue_false_keeps_a_draft_without_a_number(seller: Caller) -> None:
    body = seller.issue(issue=False, document_type="proforma")
    assert (body["status"], body["number"], body["type"]) == ("draft", None, "proforma")


def test_an_order_is_invoiced_by_hand_once(seller: Caller) -> None:
    order = seller.order()
    body = seller.issue({"order_id": order.pk})
    assert (body["order"], body["order_number"], body["channel"]) == (order.pk, "#1001", order.channel_id)
    assert body["totals"]["payable"] == "24.20"

    second = seller.post("/documents", {"order_id": order.pk})
    assert second.status_code == 409
    assert (second.json()["code"], second.json()["field"]) == ("document_exists", "order_id")
    assert body["number"] in second.json()["message"]

    seller.post(f"/documents/{body['id']}/credit")
    assert seller.post("/documents", {"order_id": order.pk}).status_code == 201


def test_a_final_invoice_by_hand_settles_the_paid_proforma(seller: Caller) -> None:
    order = seller.order()
    proforma = seller.issue({"order_id": order.pk, "document_type": "proforma"})
    seller.post(f"/documents/{proforma['id']}/payments", {"amount": "24.20"})
    final = seller.issue({"order_id": order.pk, "proforma_ids": [proforma["id"]]})
    assert (final["totals"]["prepaid"], final["totals"]["payable"], final["payment_state"]) == (
        "24.20",
        "0.00",
        "paid",
    )
    assert final["settled_proformas"] == [{"id": proforma["id"], "number": proforma["number"], "amount": "24.20"}]
    assert seller.get(f"/documents/{proforma['id']}").json()["settled_by"] == [
        {"id": final["id"], "number": final["number"]}
    ]


def _with(**changes: Any) -> dict[str, Any]:
    return {**PHONE_SALE, **changes}


def _line(**changes: Any) -> dict[str, Any]:
    return _with(lines=[{**PHONE_SALE["lines"][0], **changes}])


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "order_id"),
        (_with(buyer=None), 422, "order_id"),
        ({**PHONE_SALE, "currency": None}, 422, "currency"),
        (_with(lines=[]), 422, "lines"),
        (_with(document_type="credit_note"), 422, "document_type"),
        (_with(currency="XYZ"), 422, "currency"),
        (_with(buyer={"name": "X", "country": "ZZ"}), 422, "buyer.country"),
        (_with(buyer={"name": "X", "country": "RO", "email": "not-mail"}), 422, "buyer.email"),
        (_with(buyer={"name": "X\x00", "country": "RO"}), 422, "buyer.name"),
        (_with(buyer={"name": "", "country": "RO"}), 422, "buyer.name"),
        (_with(buyer={"name": "X", "country": "RO", "vat_id": "RO123"}), 422, "buyer.vat_id"),
        (_line(quantity=0), 422, "lines.0.quantity"),
        (_line(quantity="1e20"), 422, "lines.0.quantity"),
        (_line(unit_price="-1"), 422, "lines.0.unit_price"),
        (_line(unit_price="1000000000000"), 422, "lines.0.unit_price"),
        (_line(quantity="99999999999", unit_price="99999999999"), 422, "lines"),
        (_line(vat_rate=17), 422, "lines[0].vat_rate"),
        (_line(vat_rate=100), 422, "lines.0.vat_rate"),
        (_line(vat_category="luxury"), 422, "lines.0.vat_category"),
        (_line(name=""), 422, "lines.0.name"),
        (_with(due_days=-1), 422, "due_days"),
        (_with(channel=999999), 404, "channel"),
        (_with(exchange_rate="4.97"), 422, "exchange_rate"),
        (_with(currency="EUR"), 422, "exchange_rate"),
        (_with(surprise=1), 422, "surprise"),
        ({"order_id": 999999}, 404, "order_id"),
        ({"order_id": 2**70}, 422, "order_id"),
        ({"order_id": 1, "buyer": PHONE_SALE["buyer"]}, 422, "buyer"),
        (_with(proforma_ids=[1]), 422, "proforma_ids"),
        (_with(supply_date="2026-13-01"), 422, "supply_date"),
    ],
    ids=lambda value: None if isinstance(value, dict | int) else str(value),
)
def test_a_bad_document_is_refused_with_the_field(
    seller: Caller, body: dict[str, Any], status: int, field: str
) -> None:
    response = seller.post("/documents", body)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert not Document.objects.filter(organization=seller.org).exists()


def test_an_issue_that_fails_leaves_no_draft_behind(client) -> None:
    bare = Caller(client, series=False)
    response = bare.post("/documents", PHONE_SALE)
    assert (response.status_code, response.json()["field"]) == (422, "series")
    assert not Document.objects.filter(organization=bare.org).exists()


def test_the_same_idempotency_key_issues_once(seller: Caller) -> None:
    first = seller.post("/documents", PHONE_SALE, key="phone-1")
    second = seller.post("/documents", PHONE_SALE, key="phone-1")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert Document.objects.filter(organization=seller.org).count() == 1
