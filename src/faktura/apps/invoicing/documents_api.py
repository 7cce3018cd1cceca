"""Documents over the REST API: list, read, issue by hand, upload, cancel, credit, delete, payments.

Thin views: every write is one service call (one transaction), every read a
selector; ``document_presenter`` shapes the answer. Another seller's document
is a 404, like one that does not exist. Every POST honours ``Idempotency-Key``.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Body, File, Form, Query, Router, Status
from ninja.files import UploadedFile

from faktura.apps.automation import services as automation
from faktura.apps.integrations.idempotency import idempotent
from faktura.apps.invoicing import document_presenter as present
from faktura.apps.invoicing import selectors, services
from faktura.apps.invoicing.document_schemas import (
    CancelIn,
    CreditIn,
    DocumentFiltersIn,
    DocumentIn,
    DocumentOut,
    DocumentPageOut,
    PaymentIn,
    PaymentOut,
    PaymentRecordedOut,
    UploadIn,
)
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import upload
from faktura.apps.payments import selectors as payments
from faktura.core.documents import DraftLine
from faktura.core.errors import FakturaError, InvalidValue, MissingValue, NotFound
from faktura.core.totals import AllowanceCharge

router = Router(tags=["documents"])


class FileNotReady(FakturaError):
    http_status = 404

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, field=None)
        self.code = code


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _document(request: HttpRequest, document_id: int) -> Document:
    document = selectors.document_get(organization=_org(request), document_id=document_id)
    if document is None:
        raise NotFound(f"document {document_id} does not exist", field="document_id")
    return document


def _detail(request: HttpRequest, document_id: int) -> dict[str, Any]:
    organization = _org(request)
    document = selectors.document_detail(organization=organization, document_id=document_id)
    if document is None:
        raise NotFound(f"document {document_id} does not exist", field="document_id")
    found = payments.payments_for_document(organization=organization, document_id=document.pk)
    return present.detail(document, payments=found, today=selectors.seller_today(organization))


@router.get(
    "/documents",
    response=DocumentPageOut,
    summary="The seller's documents, newest first unless sorted otherwise",
    description="Keyset pages: follow `next_cursor` / `previous_cursor` with the same `sort`.",
)
def documents_list(request: HttpRequest, filters: Query[DocumentFiltersIn]) -> Any:
    organization = _org(request)
    found = selectors.document_page(
        organization=organization,
        filters=selectors.DocumentFilters(
            document_type=filters.type.value if filters.type else None,
            status=filters.status.value if filters.status else None,
            payment_state=filters.payment_state.value if filters.payment_state else None,
            channel_id=filters.channel,
            order_id=filters.order,
            issued_from=filters.issued_from,
            issued_to=filters.issued_to,
            q=filters.q,
            sort=filters.sort.value,
        ),
        cursor=filters.cursor,
        limit=filters.limit,
    )
    today = selectors.seller_today(organization)
    return {
        "items": [present.summary(document, today=today) for document in found.rows],
        "next_cursor": found.next_cursor,
        "previous_cursor": found.previous_cursor,
    }


@router.post(
    "/documents",
    response={201: DocumentOut},
    summary="Issue a document by hand",
    description="From an order (`order_id`), or from `buyer` and `lines`. Issued at once unless `issue` is false.",
)
@idempotent
def documents_create(request: HttpRequest, payload: DocumentIn) -> Any:
    organization, actor = _org(request), _actor(request)
    if payload.order_id is not None:
        for name in ("buyer", "lines", "currency", "shipping", "channel"):
            if getattr(payload, name) is not None:
                raise InvalidValue(f"comes from the order; leave {name} out with order_id", field=name)
        document = services.document_issue_from_order(
            actor=actor,
            organization=organization,
            order_id=payload.order_id,
            document_type=payload.document_type.value,
            issue=payload.issue,
            due_days=payload.due_days,
            proforma_ids=payload.proforma_ids,
        )
        return Status(201, _detail(request, document.pk))
    if payload.buyer is None:
        raise MissingValue("give order_id, or the buyer and the lines", field="order_id")
    if not payload.lines:
        raise MissingValue("a document needs at least one line", field="lines")
    if payload.currency is None:
        raise MissingValue("give the currency of the document", field="currency")
    if payload.proforma_ids:
        raise InvalidValue("only an invoice for an order settles proformas", field="proforma_ids")
    document = services.document_issue_manual(
        actor=actor,
        organization=organization,
        document_type=payload.document_type.value,
        currency=payload.currency,
        buyer=services.BuyerDetails(**payload.buyer.model_dump()),
        lines=[DraftLine(**line.model_dump()) for line in payload.lines],
        pricing=payload.pricing,
        allowances_charges=(
            [
                AllowanceCharge(
                    amount=payload.shipping.amount,
                    is_charge=True,
                    vat_category=payload.shipping.vat_category,
                    vat_rate=payload.shipping.vat_rate,
                    reason="Shipping",
                )
            ]
            if payload.shipping
            else []
        ),
        channel_id=payload.channel,
        supply_date=payload.supply_date,
        due_days=payload.due_days,
        language=payload.language,
        title=payload.title,
        note=payload.note,
        exchange_rate=payload.exchange_rate,
        issue=payload.issue,
    )
    return Status(201, _detail(request, document.pk))


@router.post(
    "/documents/upload",
    response={201: DocumentOut},
    summary="Upload a document issued elsewhere (manual-upload mode)",
    description=f"multipart/form-data: `file` (a PDF, at most {upload.MAX_UPLOAD_BYTES // (1024 * 1024)} MB) "
    "and the fields.",
)
@idempotent
def documents_upload(request: HttpRequest, details: Form[UploadIn], file: File[UploadedFile | None] = None) -> Any:
    if file is None:
        raise MissingValue("attach the PDF as the form field 'file'", field="file")
    if file.size is not None and file.size > upload.MAX_UPLOAD_BYTES:
        raise services.FileTooLarge(f"must be at most {upload.MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
    file.seek(0)
    document = services.document_upload(
        actor=_actor(request),
        organization=_org(request),
        pdf=file.read(upload.MAX_UPLOAD_BYTES + 1),
        number=details.number,
        issue_date=details.issue_date,
        document_type=details.document_type.value,
        order_id=details.order_id,
        buyer_name=details.buyer_name,
        buyer_email=details.buyer_email,
        currency=details.currency or "",
        total=details.total,
    )
    return Status(201, _detail(request, document.pk))


@router.get("/documents/{document_id}", response=DocumentOut, summary="One document, with everything on it")
def documents_detail(request: HttpRequest, document_id: int) -> Any:
    return _detail(request, document_id)


@router.get(
    "/documents/{document_id}/pdf",
    response={200: None},
    summary="The document's PDF",
    description="404 `pdf_not_ready` until it is rendered (or for a draft).",
)
def documents_pdf(request: HttpRequest, document_id: int) -> Any:
    document = _document(request, document_id)
    if not document.pdf:
        raise FileNotReady("pdf_not_ready", "the PDF is not rendered yet; try again in a moment")
    name = f"{document.number or f'draft-{document.pk}'}.pdf"
    return FileResponse(document.pdf.open("rb"), content_type="application/pdf", filename=name)


@router.get(
    "/documents/{document_id}/xml",
    response={200: None},
    summary="The document's e-invoice XML",
    description="404 `xml_not_ready`: e-invoice XML comes with the e-invoicing release.",
)
def documents_xml(request: HttpRequest, document_id: int) -> Any:
    _document(request, document_id)
    raise FileNotReady("xml_not_ready", "no e-invoice XML is made for this document yet")


@router.post("/documents/{document_id}/cancel", response=DocumentOut, summary="Cancel an issued document")
@idempotent
def documents_cancel(request: HttpRequest, document_id: int, payload: Body[CancelIn | None] = None) -> Any:
    reason = payload.reason if payload else ""
    services.document_cancel(actor=_actor(request), organization=_org(request), document_id=document_id, reason=reason)
    return _detail(request, document_id)


@router.post(
    "/documents/{document_id}/credit",
    response={201: DocumentOut},
    summary="Credit an invoice: in full, some lines, or an amount",
    description="Issues the credit note and returns it. Never more than is left to credit (409 naming the field).",
)
@idempotent
def documents_credit(request: HttpRequest, document_id: int, payload: Body[CreditIn | None] = None) -> Any:
    body = payload or CreditIn(lines=[], amount=None, reason="")
    note = services.document_credit(
        actor=_actor(request),
        organization=_org(request),
        document_id=document_id,
        lines=[services.CreditLine(position=line.position, quantity=line.quantity) for line in body.lines],
        amount=body.amount,
        reason=body.reason,
    )
    return Status(201, _detail(request, note.pk))


@router.delete(
    "/documents/{document_id}",
    response={204: None},
    summary="Delete a draft, or the latest number of a series (F2.4)",
    description="Any other issued document: 409 `document_not_latest`; cancel it or credit it instead.",
)
def documents_delete(request: HttpRequest, document_id: int, reason: str = "") -> Any:
    services.document_delete(
        actor=_actor(request), organization=_org(request), document_id=document_id, reason=reason[:300]
    )
    return Status(204, None)


@router.get("/documents/{document_id}/payments", response=list[PaymentOut], summary="Payments recorded for it")
def documents_payments(request: HttpRequest, document_id: int) -> Any:
    document = _document(request, document_id)
    found = payments.payments_for_document(organization=_org(request), document_id=document.pk)
    return [present.payment_out(payment) for payment in found]


@router.post(
    "/documents/{document_id}/payments",
    response={201: PaymentRecordedOut},
    summary="Record a payment by hand: full, partial or more",
)
@idempotent
def documents_payment_add(request: HttpRequest, document_id: int, payload: PaymentIn) -> Any:
    organization = _org(request)
    document = _document(request, document_id)
    # Through the automation app: for an order's document the issuing rules run on the payment (F10.3).
    payment = automation.document_payment_receive(
        actor=_actor(request),
        organization=organization,
        document_id=document.pk,
        amount=payload.amount,
        currency=payload.currency or document.currency,
        received_on=payload.received_on or selectors.seller_today(organization),
        reference=payload.reference,
        method=payload.method,
        source="api",
        note=payload.note,
    ).payment
    document.refresh_from_db()
    today = selectors.seller_today(organization)
    return Status(201, {"payment": present.payment_out(payment), "document": present.summary(document, today=today)})
