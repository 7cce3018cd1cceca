"""Reads of invoicing data for other apps and for views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from faktura.apps.invoicing import document_pages, document_search
from faktura.apps.invoicing.document_pages import DocumentPage, DocumentSort
from faktura.apps.invoicing.models import Document, ProformaSettlement, Series, SeriesCounter
from faktura.apps.layouts import selectors as layouts
from faktura.core.audit_chain import counter_chain
from faktura.core.documents import DocumentStatus, DocumentType
from faktura.core.payment_state import PaymentState, is_overdue
from faktura.payqr import PaymentQr
from faktura.pdf.qr import payment_qr
from faktura.platform.fastread import PreparedRead

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import SalesChannel


def counter_chain_heads(*, organization_id: int | None = None) -> dict[str, tuple[int, str]]:
    """The audit chain head ``(chain_seq, chain_head)`` of every counter, by chain key.

    Keys are ``counter:<SeriesCounter.pk>``; ``organization_id`` keeps one seller's.
    """
    counters = SeriesCounter.objects.all()
    if organization_id is not None:
        counters = counters.filter(series__organization_id=organization_id)
    rows = counters.values_list("pk", "chain_seq", "chain_head")
    return {counter_chain(pk): (seq, head) for pk, seq, head in rows}


def series_for(*, organization: Organization, channel: SalesChannel | None, document_type: str) -> Series | None:
    """The active series for a channel and document type, else the seller-wide one.

    One query for both candidates (this runs on every issue).
    """
    if channel is None:
        return _SELLER_SERIES.first(organization_id=organization.pk, document_type=str(document_type))
    candidates = _SERIES_FOR_CHANNEL.all(
        organization_id=organization.pk, document_type=str(document_type), channel_id=channel.pk
    )
    found = {series.channel_id: series for series in candidates}
    return found.get(channel.pk) or found.get(None)


# Issuing reads these on every document: compiled once per process (platform.fastread), not per issue.
_SELLER_SERIES = PreparedRead(
    lambda organization_id, document_type: Series.objects.filter(
        organization_id=organization_id, document_type=document_type, is_active=True, channel__isnull=True
    ).order_by("pk")[:1],
    organization_id=int,
    document_type=str,
)
_SERIES_FOR_CHANNEL = PreparedRead(
    lambda organization_id, document_type, channel_id: Series.objects.filter(
        Q(channel_id=channel_id) | Q(channel__isnull=True),
        organization_id=organization_id,
        document_type=document_type,
        is_active=True,
    ),
    organization_id=int,
    document_type=str,
    channel_id=int,
)


def document_get(*, organization: Organization, document_id: int) -> Document | None:
    return Document.objects.for_organization(organization).filter(pk=document_id).first()


def seller_today(organization: Organization) -> dt.date:
    """Today in the seller's time zone: due dates and issue dates are the seller's days."""
    return timezone.localdate(timezone=ZoneInfo(organization.time_zone))


@dataclass(frozen=True)
class DocumentFilters:
    """What the document list narrows by; ``None`` (or empty) leaves a filter out.

    ``sort`` is a ``DocumentSort`` value (``document_page`` only; ``document_list`` is by id).
    """

    document_type: str | None = None
    status: str | None = None
    payment_state: str | None = None  # a PaymentState, or "overdue"
    channel_id: int | None = None
    order_id: int | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    q: str = ""
    sort: str = DocumentSort.NEWEST.value


def document_list(
    *, organization: Organization, filters: DocumentFilters, before_id: int | None = None, limit: int = 50
) -> list[Document]:
    """The seller's documents, newest first (by id), at most ``limit``; keyset-paged by ``before_id``.

    ``document_page`` is the list in any sort with opaque cursors; this one
    stays for callers that page by id.
    """
    found = _matching(organization, filters)
    if before_id is not None:
        found = found.filter(pk__lt=before_id)
    return list(found.order_by("-pk")[:limit])


def document_page(
    *, organization: Organization, filters: DocumentFilters, cursor: str | None, limit: int
) -> DocumentPage:
    """One page of the seller's documents in ``filters.sort``, after or before ``cursor``.

    Keyset paging (see ``document_pages``): as fast deep in the list as at its
    top. ``next_cursor`` / ``previous_cursor`` are None at the ends. Rows come
    without the printed parties and notes (``_NOT_LISTED``). A cursor
    from another sort, or not from here, is an ``InvalidValue`` on ``cursor``;
    an unknown sort one on ``sort``.
    """
    sort = document_pages.sort_of(filters.sort)
    found = _matching(organization, filters).defer(*_NOT_LISTED)
    return document_pages.page(found, sort=sort, cursor=cursor, limit=limit)


# The printed parties and texts: large, and no list shows them (they load on access, one query per row).
_NOT_LISTED = ("seller", "buyer_details", "legal_notes", "note")


def document_ids_matching(*, organization: Organization, filters: DocumentFilters, chunk: int = 2000) -> Iterator[int]:
    """Every id the filter matches (any sort: by id), streamed in chunks for bulk actions on "all of them".

    Each chunk is its own short query from the last id seen, so no cursor or
    transaction stays open while the caller works through the ids.
    """
    found = _matching(organization, filters)
    last = 0
    while True:
        ids = list(found.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        yield from ids
        if len(ids) < chunk:
            return
        last = ids[-1]


def _matching(organization: Organization, filters: DocumentFilters) -> QuerySet[Document]:
    found = Document.objects.for_organization(organization)
    if filters.document_type:
        found = found.filter(document_type=filters.document_type)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.payment_state == "overdue":
        open_states = (PaymentState.UNPAID.value, PaymentState.PARTIALLY_PAID.value)
        found = found.filter(
            status=DocumentStatus.ISSUED.value, payment_state__in=open_states, due_date__lt=seller_today(organization)
        )
    elif filters.payment_state:
        found = found.filter(payment_state=filters.payment_state)
    if filters.channel_id is not None:
        found = found.filter(channel_id=filters.channel_id)
    if filters.order_id is not None:
        found = found.filter(order_id=filters.order_id)
    if filters.issued_from is not None:
        found = found.filter(issue_date__gte=filters.issued_from)
    if filters.issued_to is not None:
        found = found.filter(issue_date__lte=filters.issued_to)
    if filters.q.strip():
        found = document_search.matching(found, filters.q)
    return found


def document_detail(*, organization: Organization, document_id: int) -> Document | None:
    """One document with everything its detail shows: lines, VAT, credit notes, settled proformas."""
    return (
        Document.objects.for_organization(organization)
        .select_related("corrected_document")
        .prefetch_related(
            "lines",
            "allowances_charges",
            "vat_breakdown",
            "credit_notes",
            "settled_proformas__proforma",
            "settled_by__invoice",
        )
        .filter(pk=document_id)
        .first()
    )


def order_issued_documents(*, organization: Organization, order_id: int, document_type: str) -> list[Document]:
    """The issued documents of one type for an order, oldest first."""
    return list(
        Document.objects.for_organization(organization)
        .filter(order_id=order_id, document_type=document_type, status=DocumentStatus.ISSUED.value)
        .order_by("pk")
    )


def document_number_taken(*, organization: Organization, number: str) -> bool:
    return Document.objects.for_organization(organization).filter(number=number).exists()


def series_list(
    *, organization: Organization, channel_id: int | None = None, document_type: str | None = None
) -> QuerySet[Series]:
    found = Series.objects.for_organization(organization)
    if channel_id is not None:
        found = found.filter(channel_id=channel_id)
    if document_type is not None:
        found = found.filter(document_type=document_type)
    return found.order_by("document_type", "pk")


def series_get(*, organization: Organization, series_id: int) -> Series | None:
    return Series.objects.for_organization(organization).filter(pk=series_id).first()


def series_last_number(*, series: Series) -> str | None:
    """The last number this series gave a real (not test) document, if any."""
    return (
        Document.objects.filter(organization_id=series.organization_id, series=series, is_test=False)
        .exclude(number__isnull=True)
        .order_by("-issued_at", "-pk")
        .values_list("number", flat=True)
        .first()
    )


@dataclass(frozen=True)
class CreditBalance:
    """What is left to credit on an issued invoice, after its issued credit notes.

    Amounts are gross (the VAT-inclusive amount plus BT-114 rounding, so the
    advance BT-113 of a final invoice is creditable too); quantities are per
    position of the invoice's lines. A credit by amount takes from the total,
    not from any one line.
    """

    quantities: dict[int, Decimal]  # line position -> quantity left
    discounts: dict[int, Decimal]  # line position -> line discount not yet taken back
    charges_left: bool  # document-level allowances/charges not yet credited (all go at once)
    total: Decimal  # gross left
    groups: dict[tuple[str, Decimal], Decimal]  # (VAT category, rate) -> gross left
    credited_by_amount: bool  # some credit note took an amount rather than lines

    @property
    def fully_credited(self) -> bool:
        lines_done = all(quantity <= 0 for quantity in self.quantities.values()) and not self.charges_left
        return self.total <= 0 or lines_done


def document_credit_balance(*, document: Document) -> CreditBalance:
    """The credit balance of ``document`` (an invoice); see ``CreditBalance``."""
    credits = list(
        Document.objects.filter(
            organization_id=document.organization_id,
            corrected_document=document,
            status=DocumentStatus.ISSUED.value,
            document_type=DocumentType.CREDIT_NOTE.value,
        ).prefetch_related("lines", "vat_breakdown", "allowances_charges")
    )
    quantities = {line.position: line.quantity for line in document.lines.all()}
    discounts = {line.position: line.discount for line in document.lines.all()}
    groups: dict[tuple[str, Decimal], Decimal] = {}
    by_amount = False
    charges_credited = False
    for doc in (document, *credits):
        for row in doc.vat_breakdown.all():
            key = (row.vat_category, row.vat_rate)
            groups[key] = groups.get(key, Decimal(0)) + row.taxable_amount + row.tax_amount
    for credit in credits:
        charges_credited = charges_credited or bool(credit.allowances_charges.all())
        for line in credit.lines.all():
            if line.corrects_position is None or line.corrects_position not in quantities:
                by_amount = True
                continue
            quantities[line.corrects_position] += line.quantity  # negative on a credit note
            discounts[line.corrects_position] -= line.discount
    total = document.tax_inclusive + document.rounding + sum(c.tax_inclusive + c.rounding for c in credits)
    return CreditBalance(
        quantities=quantities,
        discounts=discounts,
        charges_left=bool(document.allowances_charges.all()) and not charges_credited,
        total=total,
        groups=groups,
        credited_by_amount=by_amount,
    )


@dataclass(frozen=True)
class OrderDocumentRow:
    """An issued or cancelled document of an order, as the issuing rules see it (no drafts)."""

    id: int
    document_type: str
    number: str
    status: str
    currency: str
    gross: Decimal
    """BT-112 + BT-114: the whole document with VAT (negative on a credit note), the advance included."""
    payable: Decimal
    paid: Decimal
    prepaid: Decimal
    corrects: int | None
    """A credit note: the id of the invoice it corrects."""
    settles: tuple[int, ...]
    """An invoice: the ids of the proformas it settles."""


# Every order event reads these (the rules' facts, the API's answer): compiled once per process.
_ORDER_DOCUMENT_ROWS: PreparedRead[tuple[Any, ...]] = PreparedRead(
    lambda organization_id, order_id: (
        Document.objects.filter(organization_id=organization_id, order_id=order_id)
        .exclude(status=DocumentStatus.DRAFT.value)
        .order_by("pk")
        .values_list(
            "pk",
            "document_type",
            "number",
            "status",
            "currency",
            "tax_inclusive",
            "rounding",
            "payable",
            "amount_paid",
            "prepaid",
            "corrected_document_id",
        )
    ),
    organization_id=int,
    order_id=int,
)


def order_documents(*, organization: Organization, order_id: int) -> list[OrderDocumentRow]:
    """The order's issued and cancelled documents, oldest first, with what links them.

    One query, and a second for proforma settlements only when the order has a proforma.
    """
    rows = _ORDER_DOCUMENT_ROWS.all(organization_id=organization.pk, order_id=order_id)
    settles: dict[int, list[int]] = {}
    if any(row[1] == DocumentType.PROFORMA.value for row in rows):
        for invoice_id, proforma_id in (
            ProformaSettlement.objects.filter(organization=organization, invoice__order_id=order_id)
            .order_by("pk")
            .values_list("invoice_id", "proforma_id")
        ):
            settles.setdefault(invoice_id, []).append(proforma_id)
    return [
        OrderDocumentRow(
            id=pk,
            document_type=kind,
            number=number or "",
            status=status,
            currency=currency,
            gross=inclusive + rounding,
            payable=payable,
            paid=paid,
            prepaid=prepaid,
            corrects=corrects,
            settles=tuple(settles.get(pk, ())),
        )
        for pk, kind, number, status, currency, inclusive, rounding, payable, paid, prepaid, corrects in rows
    ]


def document_filters_from_query(query: Mapping[str, Any], organization: Organization) -> DocumentFilters:
    """The ``DocumentFilters`` of the document list's URL parameters (names: ``invoicing/web_filters.py``).

    For the other doors onto the list (bulk actions, exports of "everything
    matching the filter"), so that they select exactly what the list shows.
    """
    from faktura.apps.invoicing.web_filters import filters_from_query  # the form imports this module

    return filters_from_query(query, organization)  # type: ignore[arg-type]


# The buyer portal (apps/portal): reads across sellers by the buyer's address, never a seller's door.

BUYER_VISIBLE_STATUSES = (DocumentStatus.ISSUED.value, DocumentStatus.CANCELLED.value)


def buyer_documents(
    *,
    email: str,
    organization_id: int | None = None,
    order_id: int | None = None,
    document_id: int | None = None,
    without_order: bool = False,
    limit: int = 500,
) -> list[Document]:
    """Issued and cancelled real documents addressed to ``email`` (normalised), of every seller or of one.

    Never drafts, never test documents. The address is compared lower-cased,
    on the index of ``LOWER(buyer_email)``. Newest first.
    """
    found = (
        Document.objects.alias(buyer_email_key=Lower("buyer_email"))
        .filter(buyer_email_key=email, status__in=BUYER_VISIBLE_STATUSES, is_test=False)
        .select_related("organization")
    )
    if organization_id is not None:
        found = found.filter(organization_id=organization_id)
    if order_id is not None:
        found = found.filter(order_id=order_id)
    if document_id is not None:
        found = found.filter(pk=document_id)
    if without_order:
        found = found.filter(order__isnull=True)
    return list(found.order_by("-issue_date", "-pk")[:limit])


def buyer_order_ids(*, email: str, organization_id: int | None = None) -> set[int]:
    """The orders that have a document addressed to ``email``."""
    found = Document.objects.alias(buyer_email_key=Lower("buyer_email")).filter(
        buyer_email_key=email, status__in=BUYER_VISIBLE_STATUSES, is_test=False, order__isnull=False
    )
    if organization_id is not None:
        found = found.filter(organization_id=organization_id)
    return set(found.values_list("order_id", flat=True).distinct())


def document_is_overdue(document: Document) -> bool:
    """Unpaid or partly paid after its due date, in the seller's time zone (not for cancelled documents)."""
    if document.status != DocumentStatus.ISSUED.value:
        return False
    return is_overdue(
        PaymentState(document.payment_state), due=document.due_date, today=seller_today(document.organization)
    )


def document_payment_qr(*, document: Document) -> PaymentQr | None:
    """The payment QR code the buyer can pay ``document`` with now, or None.

    The same code as on the PDF (``pdf.qr``: scheme, account, reference), for
    the amount still due today: the PDF keeps the amount of its first render,
    this one follows the payments recorded since. None for a cancelled, paid
    or non-payable document, or one without a usable bank account.
    """
    from faktura.apps.invoicing.services.rendering import document_data  # the PDF's own view of the document

    if document.status != DocumentStatus.ISSUED.value or document.payment_state not in (
        PaymentState.UNPAID.value,
        PaymentState.PARTIALLY_PAID.value,
    ):
        return None
    record = layouts.render_get(organization=document.organization, document_id=document.pk)
    frozen = dict(record.settings) if record is not None and record.settings else {}
    data = document_data(document, bank_account_id=frozen.get("bank_account_id"))
    return payment_qr(replace(data, is_paid=False, amount_paid=document.amount_paid))


EXPORT_CHUNK = 500


@dataclass(frozen=True)
class DocumentFile:
    """What a bulk download needs of a document: its number and where its PDF is stored."""

    id: int
    number: str
    document_type: str
    status: str
    issued_at: dt.datetime | None
    pdf_name: str
    pdf_sha256: str


def document_files(*, organization: Organization, document_ids: Iterable[int]) -> Iterator[DocumentFile]:
    """The seller's documents among ``document_ids``, oldest first, read in chunks (memory stays flat).

    Ids of another seller or of deleted documents are left out silently: the
    caller compares counts if it needs to say so.
    """
    ids = sorted(set(document_ids))
    for start in range(0, len(ids), EXPORT_CHUNK):
        rows = (
            Document.objects.for_organization(organization)
            .filter(pk__in=ids[start : start + EXPORT_CHUNK])
            .order_by("pk")
            .values_list("pk", "number", "document_type", "status", "issued_at", "pdf", "pdf_sha256")
        )
        for pk, number, document_type, status, issued_at, pdf, sha in rows:
            yield DocumentFile(pk, number or "", document_type, status, issued_at, pdf or "", sha)


def documents_for_export(
    *, organization: Organization, document_ids: Iterable[int], vat_breakdown: bool = False
) -> Iterator[Document]:
    """Issued and cancelled documents among ``document_ids`` with their channel, oldest first, in chunks."""
    ids = sorted(set(document_ids))
    for start in range(0, len(ids), EXPORT_CHUNK):
        found = (
            Document.objects.for_organization(organization)
            .filter(pk__in=ids[start : start + EXPORT_CHUNK])
            .exclude(status=DocumentStatus.DRAFT.value)
            .select_related("channel")
            .defer("seller", "buyer_details", "legal_notes", "note")
            .order_by("pk")
        )
        if vat_breakdown:
            found = found.prefetch_related("vat_breakdown")
        yield from found
