"""Issuing a draft: number, frozen parties, audit, and the checks that come first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from faktura.apps.audit.models import AuditEvent
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_cancel, document_delete, document_issue
from faktura.apps.invoicing.services.lifecycle import NotLatestNumber
from faktura.core.errors import Conflict, ImmutableDocument, InvalidValue, MissingValue
from tests import factories as make

pytestmark = pytest.mark.django_db

JAN_5 = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)


def issue(org, document, at=JAN_5):
    return document_issue(actor=make.TEST_ACTOR, organization=org, document_id=document.pk, at=at)


def test_issuing_a_draft_gives_it_the_next_number_and_freezes_seller_and_buyer() -> None:
    org = make.seller()
    make.series(org)
    first = issue(org, make.draft(org))
    second = issue(org, make.draft(org))

    assert (first.number, second.number) == ("FA2026001", "FA2026002")
    stored = Document.objects.get(pk=first.pk)
    assert stored.status == "issued"
    assert stored.issue_date == dt.date(2026, 1, 5)
    assert stored.seller["vat_id"] == "RO18547290"
    assert stored.buyer_details["name"] == "Ana Popescu"
    assert stored.payable == Decimal("24.20")


def test_a_draft_takes_no_number() -> None:
    org = make.seller()
    make.series(org)
    draft = make.draft(org)
    assert draft.number is None
    assert issue(org, make.draft(org)).number == "FA2026001"


def test_the_issue_is_recorded_in_the_audit_trail_with_a_fingerprint_of_the_content() -> None:
    org = make.seller()
    make.series(org)
    document = issue(org, make.draft(org))
    event = AuditEvent.objects.get(action="document.issued", object_id=str(document.pk))
    assert event.data["number"] == "FA2026001"
    assert len(event.data["content_sha256"]) == 64
    call_command("audit_verify")  # the chain is intact


def test_issuing_without_a_series_names_the_missing_setting() -> None:
    org = make.seller()
    with pytest.raises(MissingValue) as error:
        issue(org, make.draft(org))
    assert error.value.field == "series"


def test_an_issued_document_cannot_be_issued_again() -> None:
    org = make.seller()
    make.series(org)
    document = issue(org, make.draft(org))
    with pytest.raises(Conflict):
        issue(org, document)


def test_another_sellers_document_is_not_found() -> None:
    org, other = make.seller(), make.seller()
    make.series(other)
    document = make.draft(org)
    with pytest.raises(Exception, match="does not exist"):
        issue(other, document)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lines": [make.line(quantity="-1")]}, "lines[0].quantity"),
        ({"lines": [make.line(rate="19")]}, "lines[0].vat_rate"),
        ({"currency": "XYZ"}, "currency"),
        ({"lines": [make.line(category="reverse_charge", rate="0")]}, "buyer.vat_id"),
        ({"buyer": make.BuyerDetails(name="Ana", country="RO", vat_id="RO123")}, "buyer.vat_id"),
        ({"buyer": make.BuyerDetails(name="Ana", country="QQ")}, "buyer.country"),
    ],
    ids=[
        "negative-quantity",
        "rate-not-of-romania",
        "unknown-currency",
        "reverse-charge-without-vat-id",
        "invalid-buyer-vat-id",
        "unknown-country",
    ],
)
def test_a_bad_draft_is_refused_with_the_field_and_nothing_is_written(changes: dict, field: str) -> None:
    org = make.seller()
    with pytest.raises((InvalidValue, MissingValue)) as error:
        make.draft(org, **changes)
    assert error.value.field == field
    assert not Document.objects.exists()


def test_deleting_the_latest_number_steps_the_counter_back() -> None:
    org = make.seller()
    make.series(org)
    issue(org, make.draft(org))
    latest = issue(org, make.draft(org))
    document_delete(actor=make.TEST_ACTOR, organization=org, document_id=latest.pk, reason="typo")
    assert issue(org, make.draft(org)).number == "FA2026002"
    assert AuditEvent.objects.filter(action="document.deleted").count() == 1
    call_command("audit_verify")


def test_deleting_an_older_number_is_refused_and_offers_cancel_or_credit_note() -> None:
    org = make.seller()
    make.series(org)
    older = issue(org, make.draft(org))
    issue(org, make.draft(org))
    with pytest.raises(NotLatestNumber, match="cancel it or issue a credit note"):
        document_delete(actor=make.TEST_ACTOR, organization=org, document_id=older.pk)
    assert Document.objects.filter(pk=older.pk).exists()


def test_a_cancelled_document_keeps_its_number() -> None:
    org = make.seller()
    make.series(org)
    document = issue(org, make.draft(org))
    document_cancel(actor=make.TEST_ACTOR, organization=org, document_id=document.pk, reason="order cancelled")
    stored = Document.objects.get(pk=document.pk)
    assert (stored.status, stored.number) == ("cancelled", "FA2026001")


def test_test_mode_uses_a_separate_counter_and_never_a_real_number() -> None:
    org = make.seller()
    make.series(org)
    org.test_mode = True
    org.save()
    assert issue(org, make.draft(org)).number == "TEST-FA2026001"
    org.test_mode = False
    org.save()
    assert issue(org, make.draft(org)).number == "FA2026001"


def test_missing_mandatory_seller_data_blocks_issuing() -> None:
    org = make.seller()
    make.series(org)
    type(org).objects.filter(pk=org.pk).update(registration_number="")
    org.refresh_from_db()
    with pytest.raises(MissingValue) as error:
        issue(org, make.draft(org))
    assert error.value.field == "seller.registration_number"


def test_immutable_document_error_is_a_conflict() -> None:
    assert issubclass(ImmutableDocument, Conflict)
