"""Issuing: a draft gets its number, its parties are frozen, and it becomes immutable."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

from faktura.apps.accounts.selectors import seller_party, seller_snapshot
from faktura.apps.audit.services import audit_append_locked
from faktura.apps.invoicing import numbering
from faktura.apps.invoicing.models import Document, DocumentAllowanceCharge, DocumentLine
from faktura.apps.invoicing.selectors import document_credit_balance, series_for
from faktura.apps.invoicing.services.drafts import draft_from_document
from faktura.apps.invoicing.services.outbound import document_event_emit
from faktura.apps.invoicing.services.rendering import document_render_enqueue
from faktura.core.actors import Actor
from faktura.core.documents import DocumentStatus, DocumentType, validate_draft
from faktura.core.errors import Conflict, InvalidValue, MissingValue, NotFound
from faktura.core.parties import validate_seller
from faktura.platform.fastread import PreparedRead, attach_prefetched
from faktura.platform.fastsql import update_by_pk
from faktura.platform.transactions import atomic_with_retry

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def document_issue(
    *,
    actor: Actor,
    organization: Organization,
    document_id: int,
    issue_date: dt.date | None = None,
    at: dt.datetime | None = None,
) -> Document:
    """Give the draft its number and freeze it, all in one transaction.

    ``at`` is the instant of issue (now by default); the issue date and so the
    year of the number are its date in the seller's time zone (F3.4), unless a
    past ``issue_date`` is given explicitly.

    The number is taken last, just before the commit, so the counter row is
    locked as briefly as possible; if anything fails the whole transaction
    rolls back and the number was never used (F3.4).
    """
    return atomic_with_retry(lambda: _issue(actor, organization, document_id, issue_date, at or timezone.now()))


# The reads of every issue, compiled once per process (platform.fastread), not per document.
_DRAFT = PreparedRead(
    lambda organization_id, document_id: (
        Document.objects.select_for_update(of=("self",))
        .select_related("channel")
        .filter(organization_id=organization_id, pk=document_id)
    ),
    organization_id=int,
    document_id=int,
)
_LINES = PreparedRead(lambda document_id: DocumentLine.objects.filter(document_id=document_id), document_id=int)
_ALLOWANCES = PreparedRead(
    lambda document_id: DocumentAllowanceCharge.objects.filter(document_id=document_id), document_id=int
)


def _issue(
    actor: Actor, organization: Organization, document_id: int, issue_date: dt.date | None, at: dt.datetime
) -> Document:
    # One read of everything issuing needs: the channel with the row, and the lines
    # and allowances once (the revalidation and the audit fingerprint both use them).
    document = _DRAFT.first(organization_id=organization.pk, document_id=document_id)
    if document is None:
        raise NotFound(f"document {document_id} does not exist", field="document_id")
    attach_prefetched(document, "lines", _LINES.all(document_id=document.pk))
    attach_prefetched(document, "allowances_charges", _ALLOWANCES.all(document_id=document.pk))
    if document.status != DocumentStatus.DRAFT:
        raise Conflict(f"document {document.number} is already {document.status}", field="document_id")

    today = timezone.localdate(at, timezone=ZoneInfo(organization.time_zone))
    issue_date = issue_date or today
    if issue_date > today:
        raise InvalidValue("an invoice cannot be issued with a date in the future", field="issue_date")
    supply_date = document.supply_date or issue_date
    validate_seller(seller_party(organization), field="seller")
    seller = seller_snapshot(organization)
    _revalidate(document, organization, on=supply_date)
    if document.document_type == DocumentType.CREDIT_NOTE and document.corrected_document_id:
        _refuse_over_credit(document, document.corrected_document_id)

    document_type = DocumentType(document.document_type)
    series = document.series or series_for(
        organization=organization, channel=document.channel, document_type=document_type
    )
    if series is None:
        where = f"channel {document.channel}" if document.channel else "this seller"
        raise MissingValue(
            f"no numbering series for {document_type.value.replace('_', ' ')}s on {where}; "
            "add one in Settings → Invoicing",
            field="series",
        )

    # Everything that does not depend on the number is computed before taking it:
    # from here to the commit the series' counter row is locked.
    for name, value in {"issue_date": issue_date, "supply_date": supply_date, "seller": seller}.items():
        setattr(document, name, value)
    fingerprint = content_fingerprint(document)
    audit_data = {
        "type": document.document_type,
        "issue_date": issue_date.isoformat(),
        "payable": str(document.payable),
        "currency": document.currency,
        "content_sha256": fingerprint,
    }

    # One INSERT in this transaction, before the counter lock: a worker renders the PDF after commit.
    document_render_enqueue(document)

    allocation = numbering.allocate(series=series, on=issue_date, is_test=organization.test_mode)
    fields = {
        "status": DocumentStatus.ISSUED.value,
        "is_test": organization.test_mode,
        "series": series.pk,
        "number": allocation.number,
        "counter": allocation.counter,
        "period": allocation.period,
        "issue_date": issue_date,
        "supply_date": supply_date,
        "issued_at": at,
        "seller": seller,
        "updated_at": timezone.now(),
    }
    update_by_pk(Document, document.pk, fields)
    for name, value in fields.items():
        setattr(document, name if name != "series" else "series_id", value)
    document.series = series

    event = audit_append_locked(
        chain=f"counter:{allocation.counter_id}",
        head_seq=allocation.chain_seq,
        head_hash=allocation.chain_head,
        organization=organization,
        actor=actor,
        action="document.issued",
        object_type="document",
        object_id=document.pk,
        data={"number": allocation.number, **audit_data},
    )
    numbering.store_chain_head(counter_id=allocation.counter_id, seq=event.seq, head=event.hash)
    document_event_emit(document, "document.issued")
    return document


def _refuse_over_credit(credit_note: Document, invoice_id: int) -> None:
    """A credit note never takes back more than is left on its invoice, checked with the invoice locked.

    Drafts are made against the balance of their moment; two drafts issued later
    could each fit alone and together exceed it, so the check is repeated here.
    """
    invoice = Document.objects.select_for_update(of=("self",)).get(
        pk=invoice_id, organization_id=credit_note.organization_id
    )
    left = document_credit_balance(document=invoice).total
    if credit_note.tax_inclusive + credit_note.rounding + left < 0:
        raise Conflict(
            f"this credit note takes back {-(credit_note.tax_inclusive + credit_note.rounding)} "
            f"but only {left} is left on {invoice.number}",
            field="document_id",
        )


def _revalidate(document: Document, organization: Organization, *, on: dt.date) -> None:
    """The rates must hold on the date of supply, which may differ from the draft's day."""
    validate_draft(draft_from_document(document, organization), on=on)


def content_fingerprint(document: Document) -> str:
    """SHA-256 of what the document says, so the audit trail proves what was issued.

    The number is left out: it is recorded next to the fingerprint in the same
    audit event, and leaving it out lets the hash be computed before the
    number is taken, outside the counter's lock.
    """
    content = {
        "type": document.document_type,
        "issue_date": document.issue_date.isoformat() if document.issue_date else None,
        "supply_date": document.supply_date.isoformat() if document.supply_date else None,
        "seller": document.seller,
        "buyer": document.buyer_details,
        "currency": document.currency,
        "lines": [
            [
                line.name,
                str(line.quantity),
                str(line.unit_price),
                line.vat_category,
                str(line.vat_rate),
                str(line.net_amount),
            ]
            for line in document.lines.all()
        ],
        "totals": [str(document.tax_exclusive), str(document.tax_total), str(document.payable)],
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
