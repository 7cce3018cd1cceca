"""What the document views share: the seller of the request, its time zone, the state shown on a row."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faktura.apps.invoicing import selectors
from faktura.core.documents import DocumentStatus
from faktura.core.errors import FakturaError
from faktura.core.payment_state import PaymentState, is_overdue

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.invoicing.models import Document
    from faktura.web.seller import SellerContext, SellerRequest

STATE_LABELS = {
    "paid": _("Paid"),
    "unpaid": _("Unpaid"),
    "partially_paid": _("Partially paid"),
    "overpaid": _("Overpaid"),
    "overdue": _("Overdue"),
    "cancelled": pgettext_lazy("document status", "Cancelled"),
    "draft": _("Draft"),
}
TYPE_LABELS = {
    "invoice": _("Invoice"),
    "proforma": _("Proforma"),
    "credit_note": _("Credit note"),
    "estimate": _("Estimate"),
}

PAYMENT_SOURCES = {
    "manual": _("Recorded by hand"),
    "api": _("Reported through the API"),
    "bank": _("Matched from a bank statement"),
}
MESSAGE_STATES = {
    "queued": _("Queued"),
    "sending": _("Sending"),
    "sent": _("Sent"),
    "failed": _("Failed"),
}


def seller_of(request: HttpRequest) -> SellerContext:
    """``request.seller`` (set by ``seller_view``), with the seller's time zone switched on for the page."""
    seller = cast("SellerRequest", request).seller
    timezone.activate(ZoneInfo(seller.organization.time_zone))
    return seller


def shown_state(document: Document, today: dt.date) -> str:
    """The one badge of a row: cancelled and drafts first, then overdue, then the payment state."""
    if document.status == DocumentStatus.CANCELLED:
        return "cancelled"
    if document.status == DocumentStatus.DRAFT:
        return "draft"
    if is_overdue(PaymentState(document.payment_state), due=document.due_date, today=today):
        return "overdue"
    return document.payment_state


def document_or_404(organization: Organization, document_id: int) -> Document:
    document = selectors.document_detail(organization=organization, document_id=document_id)
    if document is None:
        raise Http404("no such document")
    return document


_KNOWN_ERRORS = {
    "document_not_latest": _(
        "it is not the latest number of its series, so deleting it would leave a gap in the numbering; "
        "cancel it or issue a credit note instead"
    ),
}


def error_text(error: FakturaError) -> str:
    """A service's refusal in the page's language where we know the case, else the service's own words."""
    known = _KNOWN_ERRORS.get(error.code)
    return str(known) if known is not None else error.message
