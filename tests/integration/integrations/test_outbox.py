"""The outbound-event outbox: an event exists exactly when the change it reports committed."""

from __future__ import annotations

import pytest
from django.db import transaction

from faktura.apps.integrations.models import OutboundEvent
from faktura.apps.invoicing.services import document_cancel, document_delete, document_issue
from tests import factories as make
from tests.factories import TEST_ACTOR

pytestmark = pytest.mark.django_db


def _issued(organization):  # type: ignore[no-untyped-def]
    return document_issue(actor=TEST_ACTOR, organization=organization, document_id=make.draft(organization).pk)


def test_issue_cancel_and_delete_each_queue_one_event_with_the_document() -> None:
    seller = make.seller()
    make.series(seller)
    first = _issued(seller)
    document_cancel(actor=TEST_ACTOR, organization=seller, document_id=first.pk, reason="duplicate order")
    second = _issued(seller)
    document_delete(actor=TEST_ACTOR, organization=seller, document_id=second.pk, reason="typo")

    events = list(OutboundEvent.objects.for_organization(seller).order_by("pk"))
    assert [(e.event_type, e.object_id) for e in events] == [
        ("document.issued", first.pk),
        ("document.cancelled", first.pk),
        ("document.issued", second.pk),
        ("document.deleted", second.pk),
    ]
    assert events[0].data["number"] == first.number
    assert events[0].data["payable"] == str(first.payable)
    assert events[1].data["reason"] == "duplicate order"
    assert events[3].data["number"] == second.number


def test_a_rolled_back_issue_leaves_no_event() -> None:
    seller = make.seller()
    make.series(seller)
    draft = make.draft(seller)

    def issue_then_fail() -> None:
        with transaction.atomic():
            document_issue(actor=TEST_ACTOR, organization=seller, document_id=draft.pk)
            raise RuntimeError("the caller's transaction fails after the issue")

    with pytest.raises(RuntimeError):
        issue_then_fail()
    assert not OutboundEvent.objects.for_organization(seller).exists()


def test_a_refused_delete_leaves_no_event() -> None:
    seller = make.seller()
    make.series(seller)
    first = _issued(seller)
    _issued(seller)
    with pytest.raises(Exception, match="not the latest number"):
        document_delete(actor=TEST_ACTOR, organization=seller, document_id=first.pk)
    assert list(OutboundEvent.objects.for_organization(seller).values_list("event_type", flat=True)) == [
        "document.issued",
        "document.issued",
    ]
