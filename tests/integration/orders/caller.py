"""A seller's API client for the order and rule tests, and the body of a typical order."""

from __future__ import annotations

from typing import Any

from django.test import Client

from faktura.apps.accounts.services import api_key_create
from tests import factories as make


class Caller:
    """One seller's API client: its key goes with every request."""

    def __init__(self, client: Client) -> None:
        self.org = make.seller()
        _, key = api_key_create(actor=make.TEST_ACTOR, organization=self.org, name="shop")
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params: Any):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: object, **headers: str):
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers={**self.headers, **headers}
        )

    def put(self, path: str, body: object):
        return self.client.put(f"/api/v1{path}", body, content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: object):
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json", headers=self.headers)

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)

    def shop(self, **channel: Any) -> int:
        """A channel with invoice, proforma and credit-note series; its id."""
        created = self.post("/channels", {"name": "Shop", **channel})
        assert created.status_code == 201, created.content
        channel_id = created.json()["id"]
        for document_type, prefix in (("invoice", "FA"), ("proforma", "ZAL"), ("credit_note", "DOP")):
            series = self.post("/series", {"document_type": document_type, "prefix": prefix, "channel": channel_id})
            assert series.status_code == 201, series.content
        return channel_id

    def seed_003(self, channel_id: int) -> list[int]:
        """The three example rules of seed 003, and the final-invoice trigger on."""
        ids = []
        for rule in SEED_003:
            created = self.post("/rules", {"channel": channel_id, **rule})
            assert created.status_code == 201, created.content
            ids.append(created.json()["id"])
        triggers = self.put(f"/channels/{channel_id}/triggers", {"final_invoice_when_proforma_paid": True})
        assert triggers.status_code == 200, triggers.content
        return ids


SEED_003: list[dict[str, Any]] = [
    {
        "name": "Proforma for transfers",
        "conditions": {"statuses": ["accepted"], "payment_methods": ["bank_transfer"]},
        "action": {"document_type": "proforma", "due_days": 14},
    },
    {
        "name": "Invoice for cards",
        "conditions": {"statuses": ["accepted"], "payment_methods": ["card"]},
        "action": {"document_type": "invoice", "mark_paid": True},
    },
    {
        "name": "Credit note when cancelled",
        "conditions": {"statuses": ["cancelled"]},
        "action": {"document_type": "credit_note"},
    },
]


def order_body(channel: int | str, external_id: str = "1001", **changes: Any) -> dict[str, Any]:
    """Two mugs at 12.10 and one plate at 30.25, 21 % VAT, gross, plus 10.00 shipping: 64.45."""
    body: dict[str, Any] = {
        "channel": channel,
        "external_id": external_id,
        "number": f"RO-{external_id}",
        "status": "accepted",
        "payment_method": "card",
        "delivery_method": "Fan Courier",
        "currency": "RON",
        "placed_at": "2026-03-02T10:00:00+02:00",
        "buyer": {
            "name": "Ana Popescu",
            "email": "ana@example.ro",
            "street": "Bd. Eroilor 5",
            "city": "Cluj-Napoca",
            "country": "RO",
        },
        "lines": [
            {"name": "Cană ceramică", "quantity": 2, "unit_price": "12.10", "vat_rate": 21, "sku": "MUG-1"},
            {"name": "Farfurie", "quantity": 1, "unit_price": 30.25, "vat_rate": "21", "sku": "PLT-1"},
        ],
        "shipping": {"amount": "10.00", "vat_rate": 21},
    }
    body.update(changes)
    return body
