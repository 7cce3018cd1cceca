"""The PDF of an issued document: queued in the issuing transaction, rendered by a worker.

``document_render_enqueue`` is the one call issuing makes: with the database
task backend it is one INSERT in the issuing transaction, so a rolled-back
issue queues nothing and a committed one is always rendered. The worker runs
``document_render``: it loads the document, renders it with the seller's
layout (frozen at the first render by the layouts app), stores the file
through Django's storage API under a name derived from its content, and
records ``Document.pdf`` and ``Document.pdf_sha256``. Rendering is
deterministic, so running the task twice stores the same file and the
database's write-once guard on ``pdf_sha256`` holds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django_tasks_db.backend import DatabaseBackend

from faktura.apps.accounts.selectors import bank_accounts
from faktura.apps.invoicing.models import Document
from faktura.apps.layouts.services import logo_bytes, render_record, render_settings
from faktura.core.documents import DocumentStatus
from faktura.core.errors import Conflict, NotFound
from faktura.core.payment_state import PaymentState
from faktura.pdf import Layout, Template, default_engine
from faktura.pdf.custom import render_custom
from faktura.pdf.document import (
    Advance,
    AllowanceCharge,
    BankAccount,
    DocumentData,
    Line,
    Party,
    Reference,
    Totals,
    VatRow,
)
from faktura.pdf.errors import RenderError
from faktura.pdf.pool import Job, RenderPool
from faktura.pdf.qr import with_payment_qr

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def document_render_enqueue(document: Document) -> None:
    """Queue the PDF of a just-issued document; joins the caller's transaction (see module doc)."""
    from faktura.apps.invoicing.tasks import document_render_pdf  # the task module imports the services

    enqueue = partial(document_render_pdf.enqueue, document.pk)
    if isinstance(document_render_pdf.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def document_render(*, document_id: int, force: bool = False) -> Document:
    """Render and store the PDF of an issued document; a no-op when it is already stored.

    ``force`` renders again even then; the bytes must equal the recorded hash,
    or ``Conflict`` is raised and nothing is changed.
    """
    document = _documents_to_render().filter(pk=document_id).first()
    if document is None:
        raise NotFound(f"document {document_id} does not exist", field="document_id")
    if document.status == DocumentStatus.DRAFT:
        raise Conflict("a draft has no PDF; issue it first", field="document_id")
    if not force and _is_stored(document):
        return document
    try:
        pdf = render_document(document)
    except RenderError as error:
        render_record(organization=document.organization, document_id=document.pk, error=error.message)
        raise
    return _store(document, pdf)


@dataclass(frozen=True)
class BulkRenderSummary:
    rendered: int
    already_stored: int
    failed: list[tuple[int, str]]


def documents_render_bulk(
    *, organization_id: int | None = None, force: bool = False, processes: int | None = None, timeout: float = 30.0
) -> BulkRenderSummary:
    """Render every issued document without a stored PDF (every one with ``force``) on every core.

    For a backlog after an outage, a restored instance or a change of storage:
    documents of the built-in templates go through a pool of warm renderer
    processes (``faktura.pdf.pool``), one per core, each job limited in time
    and memory so that one bad document fails alone; sellers' own templates are
    rendered one after the other in their sandbox. Each PDF is stored exactly
    as ``document_render`` stores it (same name, same hash check), so running
    this twice, or next to the workers, stores every file once.
    """
    candidates = _documents_to_render().exclude(status=DocumentStatus.DRAFT).order_by("pk")
    if organization_id is not None:
        candidates = candidates.filter(organization_id=organization_id)
    failed: list[tuple[int, str]] = []
    already = 0
    pending: dict[int, Document] = {}

    def jobs() -> Iterator[Job]:
        nonlocal already
        for document in candidates.iterator(chunk_size=200):
            if not force and _is_stored(document):
                already += 1
                continue
            try:
                data, layout, custom_source = render_inputs(document)
            except RenderError as error:
                failed.append((document.pk, error.message))
                continue
            if custom_source:
                try:
                    _store(document, render_custom(data, custom_source, layout))
                except (RenderError, Conflict) as error:
                    failed.append((document.pk, error.message))
                continue
            pending[document.pk] = document
            yield Job(key=document.pk, document=data, template=Template.builtin(document.document_type, layout))

    rendered = 0
    with RenderPool(processes=processes, timeout=timeout) as pool:
        for result in pool.render_many(jobs()):
            document = pending.pop(int(str(result.key)))
            if result.pdf is None:
                message = result.error or "the renderer gave no PDF"
                render_record(organization=document.organization, document_id=document.pk, error=message)
                failed.append((document.pk, message))
                continue
            try:
                _store(document, result.pdf)
            except Conflict as error:
                failed.append((document.pk, error.message))
                continue
            rendered += 1
    return BulkRenderSummary(rendered=rendered, already_stored=already, failed=failed)


def _documents_to_render() -> QuerySet[Document]:
    return Document.objects.select_related("organization", "corrected_document").prefetch_related(
        "lines", "allowances_charges", "vat_breakdown", "settled_proformas__proforma"
    )


def _is_stored(document: Document) -> bool:
    stored = document.pdf.name if document.pdf else ""
    return bool(document.pdf_sha256 and stored and default_storage.exists(stored))


def _store(document: Document, pdf: bytes) -> Document:
    """Keep ``pdf`` as the document's file; a different rendering of a recorded PDF is refused (Conflict)."""
    organization = document.organization
    sha = hashlib.sha256(pdf).hexdigest()
    if document.pdf_sha256 and document.pdf_sha256 != sha:
        message = f"the new rendering differs from the recorded PDF ({document.pdf_sha256[:12]}…); kept the old one"
        render_record(organization=organization, document_id=document.pk, error=message)
        raise Conflict(message, field="pdf")
    name = storage_name(document, sha)
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(pdf))
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(pdf=name, pdf_sha256=sha)
        render_record(organization=organization, document_id=document.pk, sha256=sha)
    document.pdf.name, document.pdf_sha256 = name, sha
    return document


def storage_name(document: Document, sha: str) -> str:
    """``documents/<seller>/<year>/<number>-<hash>.pdf``: the same content always has the same name."""
    year = document.issue_date.year if document.issue_date else 0
    number = _SAFE.sub("_", document.number or str(document.pk))
    return f"documents/{document.organization_id}/{year}/{number}-{sha[:16]}.pdf"


def render_document(document: Document) -> bytes:
    """The PDF bytes of ``document`` with the settings frozen for it."""
    data, layout, custom_source = render_inputs(document)
    if custom_source:
        return render_custom(data, custom_source, layout)
    return default_engine().render(data, Template.builtin(document.document_type, layout))


def render_inputs(document: Document) -> tuple[DocumentData, Layout, str]:
    """What the renderer takes for ``document``: its data, the layout frozen for it, a custom template's source."""
    buyer: dict[str, Any] = document.buyer_details or {}
    seller: dict[str, Any] = document.seller or {}
    settings = render_settings(
        organization=document.organization,
        document_id=document.pk,
        channel_id=document.channel_id,
        document_type=document.document_type,
        buyer_language=str(buyer.get("language", "")),
        language=document.language,
        seller_country=str(seller.get("country", "")),
        buyer_country=str(buyer.get("country", "")),
        paid=document.payment_state in (PaymentState.PAID, PaymentState.OVERPAID),
        amount_paid=str(document.amount_paid),
    )
    layout = Layout(
        accent=settings["accent"],
        font=settings["font"],
        footer=settings["footer"],
        logo=logo_bytes(settings["logo"]),
        second_language=settings["second_language"],
    )
    data = document_data(document, bank_account_id=settings["bank_account_id"])
    data = with_payment_qr(
        replace(data, is_paid=bool(settings.get("paid")), amount_paid=Decimal(settings.get("amount_paid", "0")))
    )
    return data, layout, str(settings["template_source"] or "")


def document_data(document: Document, *, bank_account_id: int | None = None) -> DocumentData:
    """The document as the PDF shows it, as issued (so a later payment does not change the file)."""
    seller: dict[str, Any] = document.seller or {}
    buyer: dict[str, Any] = document.buyer_details or {}
    if document.issue_date is None or document.number is None:
        raise Conflict("only an issued document has a PDF", field="document_id")
    return DocumentData(
        document_type=document.document_type,
        number=document.number,
        issue_date=document.issue_date,
        issued_at=document.issued_at,
        supply_date=document.supply_date,
        due_date=document.due_date,
        order_number=document.order_number,
        seller=_party(seller, name=str(seller.get("legal_name", ""))),
        seller_vat_registered=bool(seller.get("vat_registered", True)),
        buyer=_party(buyer, name=str(buyer.get("name", document.buyer_name))),
        currency=document.currency,
        language=document.language,
        title=document.title,
        note=document.note,
        legal_notes=tuple(str(note) for note in document.legal_notes or ()),
        lines=tuple(
            Line(
                name=line.name,
                description=line.description,
                sku=line.sku,
                quantity=line.quantity,
                unit=line.unit,
                net_unit_price=line.net_unit_price,
                discount=line.discount,
                vat_category=line.vat_category,
                vat_rate=line.vat_rate,
                net_amount=line.net_amount,
            )
            for line in document.lines.all()
        ),
        allowances_charges=tuple(
            AllowanceCharge(ac.is_charge, ac.reason, ac.net_amount, ac.vat_category, ac.vat_rate)
            for ac in document.allowances_charges.all()
        ),
        vat_breakdown=tuple(
            VatRow(row.vat_category, row.vat_rate, row.taxable_amount, row.tax_amount)
            for row in document.vat_breakdown.all()
        ),
        totals=Totals(
            line_net_total=document.line_net_total,
            allowance_total=document.allowance_total,
            charge_total=document.charge_total,
            tax_exclusive=document.tax_exclusive,
            tax_total=document.tax_total,
            tax_inclusive=document.tax_inclusive,
            prepaid=document.prepaid,
            rounding=document.rounding,
            payable=document.payable,
        ),
        bank_accounts=_accounts(document, seller, bank_account_id),
        variable_symbol=_variable_symbol(document, seller, buyer),
        payment_reference=document.number,
        advances=tuple(
            Advance(s.proforma.number or "", s.proforma.issue_date, s.amount) for s in document.settled_proformas.all()
        ),
        corrected=(
            Reference(document.corrected_document.number or "", document.corrected_document.issue_date)
            if document.corrected_document
            else None
        ),
        is_test=document.is_test,
    )


def _party(data: dict[str, Any], *, name: str) -> Party:
    def text(key: str) -> str:
        return str(data.get(key) or "")

    return Party(
        name=name,
        trade_name=text("trade_name"),
        country=text("country"),
        street=text("street"),
        city=text("city"),
        postal_code=text("postal_code"),
        region=text("region"),
        vat_id=text("vat_id"),
        tax_id=text("tax_id"),
        registration_number=text("registration_number"),
        email=text("email"),
        phone=text("phone"),
        website=text("website"),
    )


def _accounts(document: Document, seller: dict[str, Any], bank_account_id: int | None) -> tuple[BankAccount, ...]:
    """The account the layout names, else the seller's accounts in the document's currency (else all)."""
    accounts = [a for a in seller.get("bank_accounts") or [] if a.get("iban")]
    if bank_account_id is not None:
        chosen = bank_accounts(organization=document.organization).filter(pk=bank_account_id).first()
        if chosen is not None:
            accounts = [a for a in accounts if a["iban"] == chosen.iban] or accounts
    in_currency = [a for a in accounts if a.get("currency") == document.currency]
    return tuple(
        BankAccount(iban=a["iban"], bic=a.get("bic") or "", bank_name=a.get("bank_name") or "")
        for a in (in_currency or accounts)
    )


def _variable_symbol(document: Document, seller: dict[str, Any], buyer: dict[str, Any]) -> str:
    """Slovak and Czech payers expect a numeric variable symbol: the number's digits, at most ten."""
    if {seller.get("country"), buyer.get("country")} & {"SK", "CZ"}:
        return "".join(ch for ch in document.number or "" if ch.isdigit())[-10:]
    return ""
