"""The database itself refuses to change an issued document (F2.3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from faktura.apps.accounts.models import Organization
from faktura.apps.invoicing.models import Document, DocumentDeletion, DocumentLine

pytestmark = pytest.mark.django_db


def make_document(org: Organization, **fields: object) -> Document:
    doc = Document.objects.create(organization=org, document_type="invoice", currency="RON", language="ro", **fields)
    DocumentLine.objects.create(
        organization=org,
        document=doc,
        position=1,
        name="Widget",
        quantity=Decimal(1),
        unit_price=Decimal(10),
        net_unit_price=Decimal(10),
        vat_category="standard",
        vat_rate=Decimal(21),
        net_amount=Decimal(10),
    )
    return doc


def issue(doc: Document, number: str = "FA2026001") -> None:
    Document.objects.filter(pk=doc.pk).update(status="issued", number=number, issue_date=dt.date(2026, 1, 5))


@pytest.fixture
def org() -> Organization:
    return Organization.objects.create(
        legal_name="Demo SRL",
        country="RO",
        street="Str. Lungă 1",
        city="Brașov",
        time_zone="Europe/Bucharest",
        currency="RON",
        language="ro",
    )


def test_a_draft_can_be_changed_freely(org: Organization) -> None:
    doc = make_document(org)
    Document.objects.filter(pk=doc.pk).update(note="changed", payable=Decimal("12.10"))
    DocumentLine.objects.filter(document=doc).update(name="Gadget")
    assert Document.objects.get(pk=doc.pk).note == "changed"


@pytest.mark.parametrize(
    "change",
    [
        {"number": "FA2026999"},
        {"issue_date": dt.date(2026, 2, 1)},
        {"payable": Decimal("1.00")},
        {"seller": {"name": "Someone else"}},
        {"buyer_name": "Other buyer"},
        {"status": "draft"},
    ],
    ids=["number", "issue-date", "total", "seller-snapshot", "buyer", "back-to-draft"],
)
def test_an_issued_document_refuses_changes_to_what_was_issued(org: Organization, change: dict) -> None:
    doc = make_document(org)
    issue(doc)
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        Document.objects.filter(pk=doc.pk).update(**change)


def test_an_issued_document_accepts_payment_state_and_cancellation(org: Organization) -> None:
    doc = make_document(org)
    issue(doc)
    Document.objects.filter(pk=doc.pk).update(payment_state="paid", amount_paid=Decimal(10))
    Document.objects.filter(pk=doc.pk).update(status="cancelled")
    assert Document.objects.get(pk=doc.pk).status == "cancelled"


def test_the_pdf_hash_of_an_issued_document_is_written_once(org: Organization) -> None:
    doc = make_document(org)
    issue(doc)
    Document.objects.filter(pk=doc.pk).update(pdf_sha256="a" * 64)
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        Document.objects.filter(pk=doc.pk).update(pdf_sha256="b" * 64)


def test_lines_of_an_issued_document_cannot_be_added_changed_or_removed(org: Organization) -> None:
    doc = make_document(org)
    issue(doc)
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        DocumentLine.objects.filter(document=doc).update(quantity=Decimal(2))
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        DocumentLine.objects.filter(document=doc).delete()
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        DocumentLine.objects.create(
            organization=org,
            document=doc,
            position=2,
            name="Extra",
            quantity=Decimal(1),
            unit_price=Decimal(1),
            net_unit_price=Decimal(1),
            vat_category="standard",
            vat_rate=Decimal(21),
            net_amount=Decimal(1),
        )


def test_an_issued_document_is_deleted_only_after_its_tombstone_is_written(org: Organization) -> None:
    doc = make_document(org)
    issue(doc)
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        doc.delete()
    with transaction.atomic():
        DocumentDeletion.objects.create(
            organization=org,
            document_id=doc.pk,
            document_type="invoice",
            number="FA2026001",
            snapshot={},
            deleted_by="test",
            deleted_at=dt.datetime(2026, 1, 6, tzinfo=dt.UTC),
        )
        doc.delete()
    assert not Document.objects.filter(pk=doc.pk).exists()
