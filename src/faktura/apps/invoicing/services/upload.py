"""Manual-upload mode (F1): the seller issued the document elsewhere and hands Faktura its PDF.

The upload is stored through Django's storage API as the document's PDF, its
SHA-256 recorded (write-once, like any PDF), and the document is listed,
paid and delivered like one Faktura issued: ``source`` says ``uploaded``. It
has no series: the number is the seller's own, and must not be one this
seller already uses. Faktura knows only what the upload says: number, date,
type, the order or the buyer, currency and total; it has no lines, so it
cannot be credited here (the system that issued it does that).

The file must be a PDF: the ``%PDF-`` signature, at most
``MAX_UPLOAD_BYTES``, and pypdf must open it and find a page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from faktura.apps.accounts.selectors import seller_snapshot
from faktura.apps.audit.services import audit_record
from faktura.apps.invoicing.models import Document, DocumentSource
from faktura.apps.invoicing.selectors import document_number_taken, seller_today
from faktura.apps.invoicing.services.outbound import document_event_emit
from faktura.apps.sales import selectors as sales
from faktura.core.actors import Actor
from faktura.core.documents import DocumentStatus, DocumentType
from faktura.core.errors import Conflict, InvalidValue, MissingValue, NotFound
from faktura.core.money import Currency, quantize
from faktura.core.payment_state import payment_state
from faktura.platform.transactions import atomic_with_retry

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_NUMBER = re.compile(r"[^\x00-\x1f\x7f]{1,64}")
_LARGEST = Decimal(10) ** 11


class FileTooLarge(InvalidValue):
    code = "too_large"
    http_status = 413


class NumberTaken(Conflict):
    code = "number_taken"


def document_upload(
    *,
    actor: Actor,
    organization: Organization,
    pdf: bytes,
    number: str,
    issue_date: dt.date,
    document_type: DocumentType | str = DocumentType.INVOICE,
    order_id: int | None = None,
    buyer_name: str = "",
    buyer_email: str = "",
    currency: str = "",
    total: Decimal | None = None,
) -> Document:
    """Store an uploaded PDF as an issued document; see the module docstring."""
    check_pdf(pdf)
    number = number.strip()
    if not _NUMBER.fullmatch(number):
        raise InvalidValue("give the document's number: 1 to 64 characters, no control characters", field="number")
    try:
        kind = DocumentType(document_type)
    except ValueError:
        raise InvalidValue(f"unknown document type {document_type!r}", field="document_type") from None
    if issue_date > seller_today(organization):
        raise InvalidValue("must not be in the future", field="issue_date")
    buyer_name, buyer_email = buyer_name.strip(), buyer_email.strip()
    if len(buyer_name) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in buyer_name):
        raise InvalidValue("at most 200 characters, no control characters", field="buyer_name")
    if buyer_email:
        try:
            validate_email(buyer_email)
        except ValidationError:
            raise InvalidValue("not an e-mail address", field="buyer_email") from None

    def upload() -> Document:
        order = None
        if order_id is not None:
            order = sales.order_get(organization=organization, order_id=order_id)
            if order is None:
                raise NotFound(f"order {order_id} does not exist", field="order_id")
        code = Currency.parse(currency or (order.currency if order else organization.currency), field="currency")
        amount = _total(total, code, kind)
        name = buyer_name or (order.buyer.name if order and order.buyer else "")
        email = buyer_email or (order.buyer.email if order and order.buyer else "")
        if not name and order is None:
            raise MissingValue("name the buyer, or give the order the document is for", field="buyer_name")
        if document_number_taken(organization=organization, number=number):
            raise NumberTaken(f"{number} is already used by another document of this seller", field="number")
        document = Document(
            organization=organization,
            document_type=kind.value,
            status=DocumentStatus.ISSUED.value,
            source=DocumentSource.UPLOADED,
            is_test=organization.test_mode,
            channel=order.channel if order else None,
            order=order,
            buyer=order.buyer if order else None,
            number=number,
            issue_date=issue_date,
            issued_at=timezone.now(),
            seller=seller_snapshot(organization),
            buyer_details={"name": name, "email": email},
            buyer_name=name,
            buyer_email=email,
            order_number=order.number if order else "",
            currency=code.code,
            language=organization.language,
            tax_inclusive=amount,
            payable=amount,
            payment_state=payment_state(payable=amount, paid=Decimal(0)).value,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )
        document.pdf.save(f"{_file_name(number)}.pdf", ContentFile(pdf), save=False)
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            document.pdf.delete(save=False)
            raise NumberTaken(f"{number} is already used by another document of this seller", field="number") from None
        audit_record(
            organization=organization,
            actor=actor,
            action="document.uploaded",
            object_type="document",
            object_id=document.pk,
            data={"number": number, "type": kind.value, "sha256": document.pdf_sha256, "payable": str(amount)},
        )
        document_event_emit(document, "document.issued", source=DocumentSource.UPLOADED.value)
        return document

    return atomic_with_retry(upload)


def check_pdf(pdf: bytes) -> None:
    """A PDF Faktura can keep: the signature, the size limit, and pypdf finds a page in it."""
    if not pdf:
        raise MissingValue("the PDF file is empty", field="file")
    if len(pdf) > MAX_UPLOAD_BYTES:
        raise FileTooLarge(f"must be at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
    if not pdf.startswith(b"%PDF-"):
        raise InvalidValue("is not a PDF (it must start with %PDF-)", field="file")
    import pypdf  # imported here: only uploads need it

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        pages = len(reader.pages)
    except Exception:  # pypdf raises many kinds on a broken file; all mean the same
        raise InvalidValue("is not a readable PDF", field="file") from None
    if pages < 1:
        raise InvalidValue("is a PDF without pages", field="file")


def _total(total: Decimal | None, currency: Currency, kind: DocumentType) -> Decimal:
    if total is None:
        return Decimal(0)
    if not isinstance(total, Decimal) or not total.is_finite() or abs(total) >= _LARGEST:
        raise InvalidValue("must be an amount below 100,000,000,000", field="total")
    if quantize(total, currency) != total:
        raise InvalidValue(f"must have at most {currency.precision} decimals in {currency.code}", field="total")
    if kind.is_credit and total > 0:
        raise InvalidValue("a credit note's total is negative (or zero)", field="total")
    if not kind.is_credit and total < 0:
        raise InvalidValue("must not be negative; upload a credit note for money given back", field="total")
    return total


def _file_name(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", number).strip("-.") or "document"
