"""Issuing by hand (F1: automatic issuing off, or a sale outside any shop): from an order, or from buyer and lines.

Both make a draft and, unless ``issue`` is false, issue it in the same
transaction, so a refused issue leaves no draft behind. ``due_days`` counts
from today in the seller's time zone (the issue date).

From an order, at most one live document of a type (F4.5): a second invoice
needs the first credited in full, a second proforma the first cancelled. An
invoice that names ``proforma_ids`` is the final invoice settling them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.selectors import document_credit_balance, order_issued_documents, seller_today
from faktura.apps.invoicing.services.drafts import BuyerDetails, document_create_draft
from faktura.apps.invoicing.services.final_invoice import document_create_final_invoice
from faktura.apps.invoicing.services.from_order import document_create_from_order
from faktura.apps.invoicing.services.issue import document_issue
from faktura.apps.sales import selectors as sales
from faktura.apps.sales.services import order_lock_by_id
from faktura.core.actors import Actor
from faktura.core.documents import DocumentType, DraftLine, PricingMode
from faktura.core.errors import Conflict, InvalidValue, NotFound
from faktura.core.totals import AllowanceCharge
from faktura.platform.transactions import atomic_with_retry

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

BY_HAND_TYPES = (DocumentType.INVOICE, DocumentType.PROFORMA, DocumentType.ESTIMATE)


class DocumentExists(Conflict):
    """The order has a live document of this type already (F4.5)."""

    code = "document_exists"


def document_issue_from_order(
    *,
    actor: Actor,
    organization: Organization,
    order_id: int,
    document_type: DocumentType | str,
    issue: bool = True,
    due_days: int | None = None,
    proforma_ids: Sequence[int] = (),
) -> Document:
    """A document for the order, issued now unless ``issue`` is false."""
    kind = _by_hand_type(document_type)
    if proforma_ids and kind is not DocumentType.INVOICE:
        raise InvalidValue("only an invoice settles proformas", field="proforma_ids")

    def make() -> Document:
        # The order row is locked as the issuing rules lock it, so a document issued
        # by hand and one the rules issue for the same order cannot both pass the check.
        order = order_lock_by_id(organization=organization, order_id=order_id)
        _refuse_a_second_live(organization, order.pk, kind)
        if proforma_ids:
            draft = document_create_final_invoice(
                actor=actor, organization=organization, order_id=order.pk, proforma_ids=proforma_ids
            )
        else:
            draft = document_create_from_order(actor=actor, organization=organization, order=order, document_type=kind)
        if due_days is not None:
            Document.objects.filter(pk=draft.pk).update(due_date=_due(organization, due_days))
        return _finish(actor, organization, draft, issue)

    return atomic_with_retry(make)


def document_issue_manual(
    *,
    actor: Actor,
    organization: Organization,
    document_type: DocumentType | str,
    currency: str,
    buyer: BuyerDetails,
    lines: Sequence[DraftLine],
    pricing: PricingMode | str = PricingMode.GROSS,
    allowances_charges: Sequence[AllowanceCharge] = (),
    channel_id: int | None = None,
    supply_date: dt.date | None = None,
    due_days: int | None = None,
    language: str = "",
    title: str = "",
    note: str = "",
    exchange_rate: Decimal | None = None,
    issue: bool = True,
) -> Document:
    """A document from an explicit buyer and lines (a phone sale), issued now unless ``issue`` is false."""
    kind = _by_hand_type(document_type)

    def make() -> Document:
        channel = None
        if channel_id is not None:
            channel = sales.channel_get(organization=organization, channel_id=channel_id)
            if channel is None:
                raise NotFound(f"channel {channel_id} does not exist", field="channel")
        draft = document_create_draft(
            actor=actor,
            organization=organization,
            document_type=kind,
            currency=currency,
            buyer=buyer,
            lines=lines,
            pricing=pricing,
            allowances_charges=allowances_charges,
            channel=channel,
            supply_date=supply_date,
            due_date=_due(organization, due_days) if due_days is not None else None,
            language=language,
            title=title,
            note=note,
            exchange_rate=exchange_rate,
        )
        return _finish(actor, organization, draft, issue)

    return atomic_with_retry(make)


def _by_hand_type(document_type: DocumentType | str) -> DocumentType:
    try:
        kind = DocumentType(document_type)
    except ValueError:
        raise InvalidValue(f"unknown document type {document_type!r}", field="document_type") from None
    if kind not in BY_HAND_TYPES:
        raise InvalidValue(
            "a credit note corrects an invoice: POST /api/v1/documents/{id}/credit", field="document_type"
        )
    return kind


def _refuse_a_second_live(organization: Organization, order_id: int, kind: DocumentType) -> None:
    if kind is DocumentType.ESTIMATE:
        return
    for document in order_issued_documents(organization=organization, order_id=order_id, document_type=kind):
        if kind is DocumentType.INVOICE and document_credit_balance(document=document).fully_credited:
            continue
        what = "credit it in full" if kind is DocumentType.INVOICE else "cancel it"
        raise DocumentExists(
            f"the order has {document.number} already; {what} before issuing another {kind.value}",
            field="order_id",
        )


def _due(organization: Organization, days: int) -> dt.date:
    if not 0 <= days <= 3650:
        raise InvalidValue("must be between 0 and 3650 days", field="due_days")
    return seller_today(organization) + dt.timedelta(days=days)


def _finish(actor: Actor, organization: Organization, draft: Document, issue: bool) -> Document:
    if issue:
        document_issue(actor=actor, organization=organization, document_id=draft.pk)
    return Document.objects.get(pk=draft.pk)
