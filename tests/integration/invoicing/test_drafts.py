"""Drafts change freely; an issued document refuses every change (F2.3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_issue, document_update_draft
from faktura.core.errors import ImmutableDocument, InvalidValue
from tests import factories as make

pytestmark = pytest.mark.django_db


def test_a_draft_takes_new_lines_and_its_totals_follow() -> None:
    org = make.seller()
    draft = make.draft(org)
    updated = document_update_draft(
        actor=make.TEST_ACTOR,
        organization=org,
        document_id=draft.pk,
        lines=[
            make.line(quantity="1", price="121.00"),
            make.line(name="Carte", quantity="1", price="11.10", rate="11", category="reduced"),
        ],
        note="Livrare rapidă",
    )
    assert updated.payable == Decimal("132.10")
    assert [row.vat_rate for row in updated.vat_breakdown.all()] == [Decimal("11.00"), Decimal("21.00")]
    assert updated.lines.count() == 2
    assert updated.note == "Livrare rapidă"


def test_an_invalid_change_leaves_the_draft_as_it_was() -> None:
    org = make.seller()
    draft = make.draft(org)
    with pytest.raises(InvalidValue) as error:
        document_update_draft(
            actor=make.TEST_ACTOR, organization=org, document_id=draft.pk, lines=[make.line(rate="5")]
        )
    assert error.value.field == "lines[0].vat_rate"
    assert Document.objects.get(pk=draft.pk).payable == Decimal("24.20")
    assert draft.lines.count() == 1


def test_an_issued_document_refuses_changes_through_the_service() -> None:
    org = make.seller()
    make.series(org)
    draft = make.draft(org)
    issued = document_issue(
        actor=make.TEST_ACTOR, organization=org, document_id=draft.pk, at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    with pytest.raises(ImmutableDocument, match="credit note"):
        document_update_draft(actor=make.TEST_ACTOR, organization=org, document_id=issued.pk, note="edited")
    assert Document.objects.get(pk=issued.pk).note == ""
