"""Manual-upload mode (F1): a PDF issued elsewhere is stored, listed and served like any other document."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from faktura.apps.audit.models import AuditEvent
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import upload as upload_service
from tests.integration.documents_api.conftest import Caller, pdf_bytes

pytestmark = pytest.mark.django_db

FIELDS = {"number": "EXT-2026-0042", "issue_date": "2026-01-15", "buyer_name": "Ion Ionescu", "total": "99.90"}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_an_uploaded_pdf_is_stored_listed_and_served_back_byte_for_byte(seller: Caller) -> None:
    content = pdf_bytes(2)
    response = seller.upload({**FIELDS, "buyer_email": "ion@example.ro"}, content)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["source"], body["status"], body["type"], body["number"], body["series"]) == (
        "uploaded",
        "issued",
        "invoice",
        "EXT-2026-0042",
        None,
    )
    assert (body["issue_date"], body["buyer_name"], body["buyer_email"]) == (
        "2026-01-15",
        "Ion Ionescu",
        "ion@example.ro",
    )
    assert (body["currency"], body["payable"], body["payment_state"]) == ("RON", "99.90", "unpaid")
    assert body["pdf_sha256"] == hashlib.sha256(content).hexdigest()

    pdf = seller.get(f"/documents/{body['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == content
    assert [d["id"] for d in seller.get("/documents").json()["items"]] == [body["id"]]
    assert AuditEvent.objects.filter(action="document.uploaded", object_id=str(body["id"])).exists()


def test_an_upload_for_an_order_takes_its_buyer_currency_and_channel_and_can_be_paid(seller: Caller) -> None:
    order = seller.order()
    body = seller.upload(
        {"number": "X1", "issue_date": "2026-01-15", "order_id": order.pk, "total": "24.20"}, pdf_bytes()
    )
    doc = body.json()
    assert (doc["order"], doc["channel"], doc["buyer_name"], doc["order_number"]) == (
        order.pk,
        order.channel_id,
        "Ana Popescu",
        "#1001",
    )
    paid = seller.post(f"/documents/{doc['id']}/payments", {"amount": "24.20"})
    assert paid.json()["document"]["payment_state"] == "paid"


def test_an_uploaded_credit_note_carries_a_negative_total(seller: Caller) -> None:
    response = seller.upload({**FIELDS, "document_type": "credit_note", "total": "-10.00"}, pdf_bytes())
    assert (response.status_code, response.json()["payable"]) == (201, "-10.00")


def _fields(**changes: Any) -> dict[str, Any]:
    return {key: value for key, value in {**FIELDS, **changes}.items() if value is not None}


@pytest.mark.parametrize(
    ("fields", "content", "status", "code", "field"),
    [
        (FIELDS, b"hello, not a pdf", 422, "invalid", "file"),
        (FIELDS, b"%PDF-1.7\nbroken beyond repair", 422, "invalid", "file"),
        (FIELDS, b"", 422, "required", "file"),
        (FIELDS, None, 422, "required", "file"),
        (_fields(number=None), pdf_bytes(), 422, "invalid", "number"),
        (_fields(number="A\x01B"), pdf_bytes(), 422, "invalid", "number"),
        (_fields(number="N" * 65), pdf_bytes(), 422, "invalid", "number"),
        (_fields(issue_date="yesterday"), pdf_bytes(), 422, "invalid", "issue_date"),
        (_fields(issue_date="2999-01-01"), pdf_bytes(), 422, "invalid", "issue_date"),
        (_fields(document_type="receipt"), pdf_bytes(), 422, "invalid", "document_type"),
        (_fields(buyer_name=None), pdf_bytes(), 422, "required", "buyer_name"),
        (_fields(buyer_email="nope"), pdf_bytes(), 422, "invalid", "buyer_email"),
        (_fields(currency="XYZ"), pdf_bytes(), 422, "invalid", "currency"),
        (_fields(total="12.345"), pdf_bytes(), 422, "invalid", "total"),
        (_fields(total="-1"), pdf_bytes(), 422, "invalid", "total"),
        (_fields(total="abc"), pdf_bytes(), 422, "invalid", "total"),
        (_fields(order_id=999999), pdf_bytes(), 404, "not_found", "order_id"),
    ],
    ids=[
        "not-a-pdf",
        "unreadable-pdf",
        "empty-file",
        "no-file",
        "no-number",
        "control-character",
        "number-too-long",
        "bad-date",
        "future-date",
        "unknown-type",
        "no-buyer-or-order",
        "bad-email",
        "unknown-currency",
        "sub-cent-total",
        "negative-invoice-total",
        "total-not-a-number",
        "unknown-order",
    ],
)
def test_a_bad_upload_is_refused_with_the_field_and_stores_nothing(
    seller: Caller, fields: dict[str, Any], content: bytes | None, status: int, code: str, field: str
) -> None:
    response = seller.upload(fields, content)
    assert response.status_code == status, response.json()
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert not Document.objects.filter(organization=seller.org).exists()


def test_a_file_over_the_limit_is_refused_with_413(seller: Caller, monkeypatch: pytest.MonkeyPatch) -> None:
    content = pdf_bytes()
    monkeypatch.setattr(upload_service, "MAX_UPLOAD_BYTES", len(content) - 1)
    response = seller.upload(FIELDS, content)
    assert response.status_code == 413
    assert (response.json()["code"], response.json()["field"]) == ("too_large", "file")


def test_a_number_this_seller_already_uses_is_refused_whatever_the_type(seller: Caller, other_seller: Caller) -> None:
    assert seller.upload(FIELDS, pdf_bytes()).status_code == 201
    again = seller.upload({**FIELDS, "document_type": "proforma"}, pdf_bytes())
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["field"]) == ("number_taken", "number")
    issued = seller.issue()
    clash = seller.upload({**FIELDS, "number": issued["number"]}, pdf_bytes())
    assert clash.status_code == 409
    assert other_seller.upload(FIELDS, pdf_bytes()).status_code == 201  # numbers are per seller


def test_an_upload_with_an_idempotency_key_is_stored_once(seller: Caller) -> None:
    content = pdf_bytes()
    first = seller.upload(FIELDS, content, key="upload-1")
    second = seller.upload(FIELDS, content, key="upload-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.content == first.content
    other = seller.upload({**FIELDS, "number": "EXT-2"}, content, key="upload-1")
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")
    assert Document.objects.filter(organization=seller.org).count() == 1


def test_an_uploaded_document_is_deleted_without_touching_any_series(seller: Caller) -> None:
    body = seller.upload(FIELDS, pdf_bytes()).json()
    assert seller.delete(f"/documents/{body['id']}").status_code == 204
    assert seller.get(f"/documents/{body['id']}").status_code == 404


def test_an_uploaded_invoice_is_not_credited_here(seller: Caller) -> None:
    body = seller.upload(FIELDS, pdf_bytes()).json()
    response = seller.post(f"/documents/{body['id']}/credit")
    assert (response.status_code, response.json()["field"]) == (409, "document_id")


def test_today_is_a_valid_issue_date(seller: Caller) -> None:
    today = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    assert seller.upload(_fields(issue_date=today.isoformat()), pdf_bytes()).status_code == 201
