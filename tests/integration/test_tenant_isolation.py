"""One seller never reads another's rows, whichever selector is asked (F12.2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from faktura.apps.accounts.models import Organization
from faktura.apps.audit.selectors import events_for
from faktura.apps.invoicing import selectors as invoicing
from faktura.apps.invoicing.models import DocumentLine, SeriesCounter, VatBreakdown
from faktura.apps.invoicing.services import document_issue
from faktura.apps.sales import selectors as sales
from faktura.apps.sales.models import OrderLine
from faktura.apps.sales.services import OrderLineData, buyer_create, order_create
from tests import factories as make

pytestmark = pytest.mark.django_db


def issued_invoice(org: Organization):
    make.series(org)
    draft = make.draft(org)
    return document_issue(
        actor=make.TEST_ACTOR, organization=org, document_id=draft.pk, at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )


def an_order(org: Organization):
    buyer = buyer_create(actor=make.TEST_ACTOR, organization=org, name="Ion", country="RO")
    return order_create(
        actor=make.TEST_ACTOR,
        organization=org,
        channel=make.channel(org),
        external_id="1001",
        number="1001",
        buyer=buyer,
        currency="RON",
        lines=[OrderLineData(name="Cană", quantity=Decimal(1), unit_price=Decimal("12.10"), vat_rate=Decimal(21))],
        placed_at=dt.datetime(2026, 1, 4, tzinfo=dt.UTC),
    )


def test_selectors_answer_none_for_another_sellers_ids() -> None:
    seller_a, seller_b = make.seller(), make.seller()
    document_b, order_b = issued_invoice(seller_b), an_order(seller_b)

    assert invoicing.document_get(organization=seller_a, document_id=document_b.pk) is None
    assert sales.order_get(organization=seller_a, order_id=order_b.pk) is None
    assert sales.buyer_get(organization=seller_a, buyer_id=order_b.buyer_id) is None
    assert not sales.channels(organization=seller_a).filter(pk=order_b.channel_id).exists()
    assert not events_for(organization=seller_a).filter(organization=seller_b).exists()
    assert invoicing.document_get(organization=seller_b, document_id=document_b.pk) == document_b


def test_every_child_row_carries_the_seller_of_its_parent() -> None:
    seller = make.seller()
    document, order = issued_invoice(seller), an_order(seller)

    for model, parent in ((DocumentLine, "document"), (VatBreakdown, "document"), (OrderLine, "order")):
        rows = model.objects.select_related(parent)
        assert rows.exists()
        assert all(row.organization_id == getattr(row, parent).organization_id for row in rows)
    assert SeriesCounter.objects.for_organization(seller).filter(series=document.series).exists()
    assert order.lines.get().organization_id == seller.pk


def test_a_tenant_read_without_an_organization_is_refused() -> None:
    with pytest.raises(ValueError, match="organization"):
        DocumentLine.objects.for_organization(None)
