"""The final invoice settles the order's paid proformas: advance shown, amount due 0 (F2.2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import (
    document_cancel,
    document_create_final_invoice,
    document_create_from_order,
    document_issue,
)
from faktura.apps.payments.services import payment_record
from faktura.apps.sales.services import OrderLineData, buyer_create, order_create
from faktura.core.errors import Conflict, InvalidValue, MissingValue, NotFound
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    org = make.seller()
    make.series(org)
    make.series(org, pattern="PF{RRRR}{CCC}", document_type="proforma")
    return org


def order(org, external_id: str = "1001"):
    buyer = buyer_create(actor=make.TEST_ACTOR, organization=org, name="Ana Popescu", country="RO")
    return order_create(
        actor=make.TEST_ACTOR,
        organization=org,
        channel=make.channel(org),
        external_id=external_id,
        number=external_id,
        buyer=buyer,
        currency="RON",
        lines=[OrderLineData(name="Cană", quantity=Decimal(2), unit_price=Decimal("12.10"), vat_rate=Decimal(21))],
        placed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        shipping_amount=Decimal("15.00"),
        shipping_vat_rate=Decimal(21),
    )  # 24.20 + 15.00 = 39.20 RON


def proforma(org, for_order, paid: str | None = None) -> Document:
    draft = document_create_from_order(
        actor=make.TEST_ACTOR, organization=org, order=for_order, document_type="proforma"
    )
    issued = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)
    if paid:
        payment_record(
            actor=make.TEST_ACTOR,
            organization=org,
            document_id=issued.pk,
            amount=Decimal(paid),
            currency="RON",
            received_on=dt.date(2026, 1, 6),
        )
    return Document.objects.get(pk=issued.pk)


def final(org, for_order, proformas: list[Document]) -> Document:
    return document_create_final_invoice(
        actor=make.TEST_ACTOR, organization=org, order_id=for_order.pk, proforma_ids=[p.pk for p in proformas]
    )


def test_a_fully_paid_proforma_leaves_nothing_due_on_the_final_invoice(org) -> None:
    sale = order(org)
    advance = proforma(org, sale, paid="39.20")
    invoice = final(org, sale, [advance])

    assert (invoice.document_type, invoice.status, invoice.order_id) == ("invoice", "draft", sale.pk)
    assert (invoice.tax_inclusive, invoice.prepaid, invoice.payable) == (
        Decimal("39.20"),
        Decimal("39.20"),
        Decimal("0.00"),
    )
    assert invoice.payment_state == "paid"
    settlement = invoice.settled_proformas.get()
    assert (settlement.proforma_id, settlement.amount) == (advance.pk, Decimal("39.20"))
    assert advance.number in invoice.legal_notes[0]
    assert "39.20 RON" in invoice.legal_notes[0]

    issued = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=invoice.pk)
    stored = Document.objects.get(pk=issued.pk)
    assert (stored.number, stored.payable, stored.payment_state) == ("FA2026001", Decimal("0.00"), "paid")


def test_a_partly_paid_proforma_leaves_the_rest_due(org) -> None:
    sale = order(org)
    invoice = final(org, sale, [proforma(org, sale, paid="20.00")])
    assert (invoice.prepaid, invoice.payable, invoice.payment_state) == (
        Decimal("20.00"),
        Decimal("19.20"),
        "unpaid",
    )


def test_two_proformas_are_settled_together_and_the_advance_never_exceeds_the_total(org) -> None:
    sale = order(org)
    first, second = proforma(org, sale, paid="30.00"), proforma(org, sale, paid="30.00")
    invoice = final(org, sale, [first, second])
    assert [(s.proforma_id, s.amount) for s in invoice.settled_proformas.order_by("pk")] == [
        (first.pk, Decimal("30.00")),
        (second.pk, Decimal("9.20")),
    ]
    assert (invoice.prepaid, invoice.payable) == (Decimal("39.20"), Decimal("0.00"))


def test_a_settled_proforma_cannot_be_settled_again_until_its_invoice_is_cancelled(org) -> None:
    sale = order(org)
    advance = proforma(org, sale, paid="39.20")
    first = final(org, sale, [advance])
    with pytest.raises(Conflict) as error:
        final(org, sale, [advance])
    assert error.value.field == "proforma_ids[0]"

    document_issue(actor=make.TEST_ACTOR, organization=org, document_id=first.pk)
    document_cancel(actor=make.TEST_ACTOR, organization=org, document_id=first.pk)
    assert final(org, sale, [advance]).prepaid == Decimal("39.20")


def test_proformas_of_another_order_drafts_and_non_proformas_are_refused_with_the_field(org) -> None:
    sale, other = order(org), order(org, external_id="1002")
    theirs = proforma(org, other, paid="39.20")
    draft = document_create_from_order(actor=make.TEST_ACTOR, organization=org, order=sale, document_type="proforma")
    invoice = document_issue(
        actor=make.TEST_ACTOR,
        organization=org,
        document_id=document_create_from_order(
            actor=make.TEST_ACTOR, organization=org, order=sale, document_type="invoice"
        ).pk,
    )
    mine = proforma(org, sale)
    for documents, error_type in (
        ([theirs], InvalidValue),
        ([mine, draft], Conflict),
        ([invoice], InvalidValue),
    ):
        with pytest.raises(error_type) as error:
            final(org, sale, documents)
        assert error.value.field == f"proforma_ids[{len(documents) - 1}]"  # type: ignore[attr-defined]
    assert not Document.objects.filter(organization=org, settled_proformas__isnull=False).exists()

    with pytest.raises(MissingValue):
        final(org, sale, [])


def test_another_sellers_order_and_proformas_are_not_found(org) -> None:
    sale = order(org)
    advance = proforma(org, sale, paid="39.20")
    stranger = make.seller()
    with pytest.raises(NotFound) as error:
        final(stranger, sale, [advance])
    assert error.value.field == "order_id"

    own_order = order(stranger)
    with pytest.raises(NotFound) as error:
        final(stranger, own_order, [advance])
    assert error.value.field == "proforma_ids[0]"
