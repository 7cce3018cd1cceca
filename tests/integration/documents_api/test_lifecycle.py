"""After issue: PDF and XML links, cancel, credit (full, lines, amount) and delete (F2.4) over the API."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from faktura.apps.integrations.models import OutboundEvent
from faktura.apps.invoicing.models import Document
from tests.integration.documents_api.conftest import Caller, pdf_bytes

pytestmark = pytest.mark.django_db


def test_the_pdf_is_404_pdf_not_ready_until_it_is_stored_and_xml_is_not_made_yet(
    seller: Caller, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    body = seller.issue()
    waiting = seller.get(f"/documents/{body['id']}/pdf")
    assert (waiting.status_code, waiting.json()["code"]) == (404, "pdf_not_ready")

    content = pdf_bytes()
    document = Document.objects.get(pk=body["id"])
    document.pdf.save("rendered.pdf", ContentFile(content), save=False)
    Document.objects.filter(pk=document.pk).update(
        pdf=document.pdf.name, pdf_sha256=hashlib.sha256(content).hexdigest()
    )
    served = seller.get(f"/documents/{body['id']}/pdf")
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == content
    assert f'filename="{body["number"]}.pdf"' in served["Content-Disposition"]

    xml = seller.get(f"/documents/{body['id']}/xml")
    assert (xml.status_code, xml.json()["code"]) == (404, "xml_not_ready")


def test_cancel_with_and_without_a_reason(seller: Caller) -> None:
    first, second = seller.issue(), seller.issue()
    cancelled = seller.post(f"/documents/{first['id']}/cancel", {"reason": "Comandă anulată"})
    assert cancelled.status_code == 200
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == ("cancelled", "Comandă anulată")
    assert cancelled.json()["cancelled_at"]
    assert seller.post(f"/documents/{second['id']}/cancel").json()["status"] == "cancelled"

    again = seller.post(f"/documents/{first['id']}/cancel")
    assert again.status_code == 409
    bad = seller.post(f"/documents/{first['id']}/cancel", {"reason": "x" * 301})
    assert (bad.status_code, bad.json()["field"]) == (422, "reason")


def test_a_full_credit_mirrors_the_invoice_and_both_link_to_each_other(seller: Caller) -> None:
    invoice = seller.issue()
    response = seller.post(f"/documents/{invoice['id']}/credit", {"reason": "Retur"})
    assert response.status_code == 201
    note = response.json()
    assert (note["type"], note["status"], note["corrected_document"]) == ("credit_note", "issued", invoice["id"])
    assert note["number"].startswith("CN")
    assert note["totals"] == {key: _negated(value) for key, value in invoice["totals"].items()}
    assert seller.get(f"/documents/{invoice['id']}").json()["credit_notes"] == [
        {"id": note["id"], "number": note["number"], "status": "issued", "payable": "-61.20"}
    ]
    nothing_left = seller.post(f"/documents/{invoice['id']}/credit")
    assert (nothing_left.status_code, nothing_left.json()["field"]) == (409, "document_id")


def _negated(value: str) -> str:
    return str(-Decimal(value)) if Decimal(value) else value


def test_credit_by_lines_and_by_amount_never_beyond_what_is_left(seller: Caller) -> None:
    invoice = seller.issue()
    lines = seller.post(f"/documents/{invoice['id']}/credit", {"lines": [{"position": 1, "quantity": 1}]})
    assert lines.status_code == 201
    assert [(x["quantity"], x["discount"], x["corrects_position"]) for x in lines.json()["lines"]] == [
        ("-1", "0.33", 1)
    ]
    assert lines.json()["totals"]["payable"] == "-11.77"

    too_many = seller.post(f"/documents/{invoice['id']}/credit", {"lines": [{"position": 1, "quantity": 3}]})
    assert (too_many.status_code, too_many.json()["field"]) == (409, "lines[0].quantity")

    amount = seller.post(f"/documents/{invoice['id']}/credit", {"amount": "20.00"})
    assert (amount.status_code, amount.json()["totals"]["payable"]) == (201, "-20.00")
    too_much = seller.post(f"/documents/{invoice['id']}/credit", {"amount": "29.44"})  # 61.20 - 11.77 - 20 = 29.43
    assert (too_much.status_code, too_much.json()["field"]) == (409, "amount")
    rest = seller.post(f"/documents/{invoice['id']}/credit").json()
    assert rest["totals"]["payable"] == "-29.43"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"amount": "0"}, 422, "amount"),
        ({"amount": "-3"}, 422, "amount"),
        ({"amount": "abc"}, 422, "amount"),
        ({"amount": "1.001"}, 422, "amount"),
        ({"lines": [{"position": 0, "quantity": 1}]}, 422, "lines.0.position"),
        ({"lines": [{"position": 9, "quantity": 1}]}, 422, "lines[0].position"),
        ({"lines": [{"position": 1, "quantity": 0}]}, 422, "lines.0.quantity"),
        ({"lines": [{"position": 1, "quantity": 1}], "amount": "1"}, 422, "amount"),
        ({"refund": 1}, 422, "refund"),
    ],
    ids=["zero", "negative", "not-a-number", "sub-cent", "position-0", "no-such-line", "zero-qty", "both", "unknown"],
)
def test_a_bad_credit_is_refused_with_the_field(seller: Caller, body: dict, status: int, field: str) -> None:
    invoice = seller.issue()
    response = seller.post(f"/documents/{invoice['id']}/credit", body)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert not Document.objects.filter(organization=seller.org, document_type="credit_note").exists()


def test_a_proforma_or_a_draft_is_not_credited(seller: Caller) -> None:
    for document in (seller.issue(document_type="proforma"), seller.issue(issue=False)):
        response = seller.post(f"/documents/{document['id']}/credit")
        assert (response.status_code, response.json()["field"]) == (409, "document_id")


def test_only_the_latest_number_is_deleted_the_others_are_offered_cancel_or_credit(seller: Caller) -> None:
    first, second = seller.issue(), seller.issue()
    refused = seller.delete(f"/documents/{first['id']}")
    assert refused.status_code == 409
    assert refused.json()["code"] == "document_not_latest"
    assert "cancel it or issue a credit note" in refused.json()["message"]

    assert seller.delete(f"/documents/{second['id']}", reason="typo").status_code == 204
    assert seller.get(f"/documents/{second['id']}").status_code == 404
    assert OutboundEvent.objects.filter(event_type="document.deleted", object_id=second["id"]).exists()
    assert seller.issue()["number"] == second["number"]  # the number is given again, no gap


def test_a_draft_is_deleted_and_an_invoice_with_credit_notes_is_not(seller: Caller) -> None:
    draft = seller.issue(issue=False)
    assert seller.delete(f"/documents/{draft['id']}").status_code == 204
    invoice = seller.issue()
    seller.post(f"/documents/{invoice['id']}/credit", {"amount": "1"})
    refused = seller.delete(f"/documents/{invoice['id']}")
    assert (refused.status_code, refused.json()["field"]) == (409, "document_id")


def test_a_credit_with_an_idempotency_key_runs_once(seller: Caller) -> None:
    invoice = seller.issue()
    first = seller.post(f"/documents/{invoice['id']}/credit", {"amount": "5"}, key="refund-77")
    second = seller.post(f"/documents/{invoice['id']}/credit", {"amount": "5"}, key="refund-77")
    assert second.content == first.content
    assert Document.objects.filter(organization=seller.org, document_type="credit_note").count() == 1
