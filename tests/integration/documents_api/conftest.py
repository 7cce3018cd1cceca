"""A seller with an API key, series for every type, and a few ways to make documents."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from django.test import Client

from faktura.apps.accounts.services import api_key_create
from faktura.apps.sales.models import Order
from faktura.apps.sales.services import OrderLineData, buyer_create, order_create
from tests import factories as make

SERIES = {
    "invoice": "FA{RRRR}{CCC}",
    "proforma": "PF{RRRR}{CCC}",
    "credit_note": "CN{RRRR}{CCC}",
    "estimate": "OF{RRRR}{CCC}",
}

PHONE_SALE: dict[str, Any] = {
    "buyer": {"name": "Ion Ionescu", "country": "RO", "email": "ion@example.ro", "city": "Iași"},
    "currency": "RON",
    "lines": [
        {"name": "Cană", "quantity": 3, "unit_price": "12.10", "vat_rate": 21, "discount": "1.00"},
        {"name": "Carte", "quantity": "2", "unit_price": "5.45", "vat_rate": 11, "vat_category": "reduced"},
    ],
    "shipping": {"amount": "15.00", "vat_rate": 21},
}  # 35.30 + 10.90 + 15.00 = 61.20 RON


def pdf_bytes(pages: int = 1) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Caller:
    """One seller's API client: its key goes with every request."""

    def __init__(self, client: Client, *, series: bool = True) -> None:
        self.org = make.seller()
        _, key = api_key_create(actor=make.TEST_ACTOR, organization=self.org, name="shop")
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}
        if series:
            for document_type, pattern in SERIES.items():
                make.series(self.org, pattern=pattern, document_type=document_type)

    def get(self, path: str, **params: Any):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: object = None, key: str | None = None):
        headers = {**self.headers, **({"Idempotency-Key": key} if key else {})}
        if body is None:  # a bare POST, as curl -X POST sends it
            return self.client.post(f"/api/v1{path}", "", content_type="application/json", headers=headers)
        return self.client.post(f"/api/v1{path}", body, content_type="application/json", headers=headers)

    def upload(self, fields: dict[str, Any], content: bytes | None = None, key: str | None = None):
        headers = {**self.headers, **({"Idempotency-Key": key} if key else {})}
        data = dict(fields)
        if content is not None:
            data["file"] = io.BytesIO(content)
            data["file"].name = "document.pdf"
        return self.client.post("/api/v1/documents/upload", data, headers=headers)

    def delete(self, path: str, **params: Any):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return self.client.delete(f"/api/v1{path}" + (f"?{query}" if query else ""), headers=self.headers)

    def order(self, external_id: str = "1001", amount: str = "12.10") -> Order:
        buyer = buyer_create(
            actor=make.TEST_ACTOR, organization=self.org, name="Ana Popescu", country="RO", email="ana@example.ro"
        )
        return order_create(
            actor=make.TEST_ACTOR,
            organization=self.org,
            channel=make.channel(self.org),
            external_id=external_id,
            number=f"#{external_id}",
            buyer=buyer,
            currency="RON",
            lines=[OrderLineData(name="Cană", quantity=Decimal(2), unit_price=Decimal(amount), vat_rate=Decimal(21))],
            placed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        )

    def issue(self, body: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
        response = self.post("/documents", {**(body or PHONE_SALE), **changes})
        assert response.status_code == 201, response.json()
        return response.json()


@pytest.fixture
def seller(client: Client) -> Caller:
    return Caller(client)


@pytest.fixture
def other_seller(client: Client) -> Caller:
    return Caller(client)
