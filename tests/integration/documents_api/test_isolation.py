"""With seller A's key, every documents endpoint that takes an id answers 404 for seller B's objects (F12.2)."""

from __future__ import annotations

import pytest

from faktura.apps.invoicing.models import Document
from faktura.apps.payments.models import Payment
from tests.integration.documents_api.conftest import PHONE_SALE, Caller, pdf_bytes

pytestmark = pytest.mark.django_db


def test_another_sellers_document_order_channel_and_proforma_are_not_found_anywhere(
    seller: Caller, other_seller: Caller, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = other_seller.order()
    proforma = other_seller.issue({"order_id": order.pk, "document_type": "proforma"})
    theirs = other_seller.issue()
    my_order = seller.order()
    before = Document.objects.get(pk=theirs["id"])

    doc = theirs["id"]
    for response in (
        seller.get(f"/documents/{doc}"),
        seller.get(f"/documents/{doc}/pdf"),
        seller.get(f"/documents/{doc}/xml"),
        seller.get(f"/documents/{doc}/payments"),
        seller.post(f"/documents/{doc}/payments", {"amount": "1"}),
        seller.post(f"/documents/{doc}/cancel"),
        seller.post(f"/documents/{doc}/credit"),
        seller.post(f"/documents/{doc}/credit", {"amount": "1"}),
        seller.delete(f"/documents/{doc}"),
        seller.post("/documents", {"order_id": order.pk}),
        seller.post("/documents", {"order_id": my_order.pk, "proforma_ids": [proforma["id"]]}),
        seller.post("/documents", {**PHONE_SALE, "channel": order.channel_id}),
        seller.upload({"number": "U1", "issue_date": "2026-01-15", "order_id": order.pk}, pdf_bytes()),
    ):
        assert response.status_code == 404, response.json()
        assert response.json()["code"] == "not_found"

    after = Document.objects.get(pk=theirs["id"])
    assert (after.status, after.payment_state) == (before.status, before.payment_state)
    assert not Payment.objects.filter(organization=seller.org).exists()
    assert not Document.objects.filter(organization=seller.org).exists()
    assert seller.get("/documents").json()["items"] == []
