"""Payments recorded by hand drive the document's payment state (F10.1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from faktura.apps.audit.models import AuditEvent
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_issue
from faktura.apps.payments.services import payment_record
from faktura.core.errors import Conflict, InvalidValue
from tests import factories as make

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC)


@pytest.fixture
def invoice():
    org = make.seller()
    make.series(org)
    draft = make.draft(org)  # payable 24.20 RON
    return document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk, at=AT)


def pay(invoice: Document, amount: str, currency: str = "RON"):
    return payment_record(
        actor=make.TEST_ACTOR,
        organization=invoice.organization,
        document_id=invoice.pk,
        amount=Decimal(amount),
        currency=currency,
        received_on=dt.date(2026, 2, 3),
        reference="FA2026001",
    )


@pytest.mark.parametrize(
    ("amounts", "state"),
    [(["10.00"], "partially_paid"), (["10.00", "14.20"], "paid"), (["30"], "overpaid")],
    ids=["partial", "two-payments-settle-it", "over"],
)
def test_payments_add_up_to_the_payment_state(invoice: Document, amounts: list[str], state: str) -> None:
    for amount in amounts:
        pay(invoice, amount)
    stored = Document.objects.get(pk=invoice.pk)
    assert stored.payment_state == state
    assert stored.amount_paid == sum(Decimal(a) for a in amounts)
    assert AuditEvent.objects.filter(action="payment.recorded").count() == len(amounts)


def test_a_payment_in_another_currency_is_refused(invoice: Document) -> None:
    with pytest.raises(InvalidValue) as error:
        pay(invoice, "5", currency="EUR")
    assert error.value.field == "currency"


def test_a_draft_cannot_be_paid() -> None:
    org = make.seller()
    draft = make.draft(org)
    with pytest.raises(Conflict):
        payment_record(
            actor=make.TEST_ACTOR,
            organization=org,
            document_id=draft.pk,
            amount=Decimal(1),
            currency="RON",
            received_on=dt.date(2026, 2, 3),
        )
