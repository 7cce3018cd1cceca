"""One document (F7.3): everything on it and its history, and the actions on it.

Each action is a POST of its own, guarded by the permission it needs. A form
that does not parse, or a service that refuses with an error about one of the
form's fields, shows the page again with the error next to that field; any
other refusal (a document that is not the latest of its series, an invoice
credited in full already) becomes a message on the page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from faktura.apps.automation import services as automation
from faktura.apps.delivery import selectors as delivery_selectors
from faktura.apps.delivery import services as delivery
from faktura.apps.invoicing import selectors, services
from faktura.apps.invoicing.models import DocumentSource
from faktura.apps.invoicing.services.rendering import document_render
from faktura.apps.invoicing.views.common import (
    MESSAGE_STATES,
    PAYMENT_SOURCES,
    STATE_LABELS,
    TYPE_LABELS,
    document_or_404,
    error_text,
    seller_of,
    shown_state,
)
from faktura.apps.invoicing.views.forms import CancelForm, CreditForm, DeleteForm, PaymentForm, ResendForm
from faktura.apps.payments import selectors as payments
from faktura.apps.sales import selectors as sales
from faktura.core.documents import DocumentStatus, DocumentType
from faktura.core.errors import FakturaError
from faktura.core.roles import Permission
from faktura.web.seller import seller_view

if TYPE_CHECKING:
    from faktura.apps.invoicing.models import Document
    from faktura.web.seller import SellerContext


SOURCE_LABELS: dict[str, Any] = {
    DocumentSource.BUILT_IN: gettext_lazy("Faktura"),
    DocumentSource.UPLOADED: gettext_lazy("Uploaded by hand"),
    DocumentSource.EXTERNAL: gettext_lazy("An external system"),
}


PARTY_FIELDS = ("street", "postal_code", "city", "country", "vat_id", "registration_number", "email")


def _party(data: dict[str, Any]) -> dict[str, str]:
    """A seller or buyer snapshot with every field the page shows (the seller's name is ``legal_name``)."""
    shown = {name: str(data.get(name) or "") for name in PARTY_FIELDS}
    shown["name"] = str(data.get("legal_name") or data.get("name") or "")
    return shown


def _url(document_id: int) -> str:
    return reverse("invoicing:document", args=[document_id])


def _order_url(order_id: int | None) -> str | None:
    """The order's page once the orders pages exist."""
    if order_id is None:
        return None
    try:
        return reverse("sales:order", args=[order_id])
    except NoReverseMatch:
        return None


def _credit_form(document: Document, data: Any = None) -> CreditForm | None:
    """The credit form of an issued invoice of ours with something left to credit; else ``None``."""
    if (
        document.document_type != DocumentType.INVOICE
        or document.status != DocumentStatus.ISSUED
        or document.source != DocumentSource.BUILT_IN
    ):
        return None
    balance = selectors.document_credit_balance(document=document)
    if balance.fully_credited:
        return None
    return CreditForm(data, positions=balance.quantities, prefix="credit")


def _page(
    request: HttpRequest, seller: SellerContext, document: Document, *, open_panel: str = "", **forms_given: Any
) -> HttpResponse:
    organization = seller.organization
    today = selectors.seller_today(organization)
    lines = list(document.lines.all())
    credit_form = forms_given.pop("credit", None) or _credit_form(document)
    issued = document.status == DocumentStatus.ISSUED
    channel = (
        sales.channel_get(organization=organization, channel_id=document.channel_id) if document.channel_id else None
    )
    context = {
        "seller": seller,
        "document": document,
        "parties": [(_("Seller"), _party(document.seller)), (_("Buyer"), _party(document.buyer_details))],
        "channel_name": channel.name if channel else "",
        "source_label": SOURCE_LABELS.get(document.source, document.source),
        "line_names": {line.position: line.name for line in lines},
        "credit_left": credit_form.positions if credit_form else {},
        "any_action": seller.can(Permission.DOCUMENTS_DELETE)
        or (
            issued
            and any(
                seller.can(p)
                for p in (Permission.PAYMENTS_RECORD, Permission.DOCUMENTS_ISSUE, Permission.DOCUMENTS_CANCEL)
            )
        ),
        "state": shown_state(document, today),
        "state_labels": STATE_LABELS,
        "payment_sources": PAYMENT_SOURCES,
        "message_states": MESSAGE_STATES,
        "type_labels": TYPE_LABELS,
        "lines": lines,
        "vat_rows": list(document.vat_breakdown.all()),
        "allowances": list(document.allowances_charges.all()),
        "credit_notes": list(document.credit_notes.order_by("pk")),
        "settled": list(document.settled_proformas.all()),
        "settled_by": list(document.settled_by.all()),
        "payments": list(payments.payments_for_document(organization=organization, document_id=document.pk)),
        "messages_log": delivery_selectors.messages_of_document(organization=organization, document_id=document.pk),
        "order_url": _order_url(document.order_id),
        "left_to_pay": document.payable - document.amount_paid,
        "issued": issued,
        "external": document.source == DocumentSource.EXTERNAL,
        "open_panel": open_panel,
        "payment_form": forms_given.pop("payment", None)
        or PaymentForm(
            initial={
                "amount": max(document.payable - document.amount_paid, Decimal(0)) or None,
                "received_on": today.isoformat(),
            },
            prefix="payment",
        ),
        "cancel_form": forms_given.pop("cancel", None) or CancelForm(prefix="cancel"),
        "resend_form": forms_given.pop("resend", None) or ResendForm(prefix="resend"),
        "delete_form": forms_given.pop("delete", None) or DeleteForm(prefix="delete"),
        "credit_form": credit_form,
    }
    status = 400 if open_panel else 200
    return render(request, "invoicing/documents/detail.html", context, status=status)


@require_GET
@seller_view()
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    seller = seller_of(request)
    return _page(request, seller, document_or_404(seller.organization, document_id))


def _refused(request: HttpRequest, document_id: int, error: FakturaError, what: str) -> HttpResponseRedirect:
    messages.error(request, _("%(what)s: %(why)s") % {"what": what, "why": error_text(error)})
    return HttpResponseRedirect(_url(document_id))


def _field_error(form: forms.Form, error: FakturaError, fields: dict[str, str]) -> bool:
    """Put a service's error next to the form field it is about (``fields``: service field -> form field)."""
    name = fields.get(error.field or "")
    if name is None:
        return False
    form.add_error(name, error_text(error))
    return True


@require_POST
@seller_view()
def document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    """The PDF, as an attachment; the document is marked downloaded (F7.3). Rendered now if the worker has not."""
    seller = seller_of(request)
    document = document_or_404(seller.organization, document_id)
    if document.status == DocumentStatus.DRAFT:
        messages.error(request, _("A draft has no PDF yet; issue it first."))
        return HttpResponseRedirect(_url(document_id))
    if not document.pdf:
        try:
            document = document_render(document_id=document.pk)
        except FakturaError as error:  # RenderError is one
            messages.error(request, _("The PDF could not be made: %(why)s") % {"why": error.message})
            return HttpResponseRedirect(_url(document_id))
    try:
        handle = document.pdf.open("rb")
    except OSError:
        messages.error(request, _("The PDF file is missing from storage; ask the operator to render it again."))
        return HttpResponseRedirect(_url(document_id))
    services.document_mark_downloaded(actor=seller.actor, organization=seller.organization, document_ids=[document.pk])
    pdf = FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=f"{document.number}.pdf")
    return cast(HttpResponse, pdf)  # a streamed response; seller_view is typed for the usual kind


@require_POST
@seller_view(Permission.PAYMENTS_RECORD)
def document_payment(request: HttpRequest, document_id: int) -> HttpResponse:
    seller = seller_of(request)
    document = document_or_404(seller.organization, document_id)
    form = PaymentForm(request.POST, prefix="payment")
    if form.is_valid():
        try:
            automation.document_payment_receive(
                actor=seller.actor,
                organization=seller.organization,
                document_id=document.pk,
                amount=form.cleaned_data["amount"],
                currency=document.currency,
                received_on=form.cleaned_data["received_on"],
                reference=form.cleaned_data["reference"],
                source="manual",
            )
        except FakturaError as error:
            if not _field_error(form, error, {"amount": "amount", "received_on": "received_on"}):
                return _refused(request, document_id, error, _("The payment was not recorded"))
        else:
            messages.success(request, _("Payment recorded."))
            return HttpResponseRedirect(_url(document_id))
    return _page(request, seller, document, open_panel="payment", payment=form)


@require_POST
@seller_view(Permission.DOCUMENTS_CANCEL)
def document_cancel(request: HttpRequest, document_id: int) -> HttpResponse:
    seller = seller_of(request)
    document = document_or_404(seller.organization, document_id)
    form = CancelForm(request.POST, prefix="cancel")
    if not form.is_valid():
        return _page(request, seller, document, open_panel="cancel", cancel=form)
    try:
        services.document_cancel(
            actor=seller.actor,
            organization=seller.organization,
            document_id=document.pk,
            reason=form.cleaned_data["reason"],
        )
    except FakturaError as error:
        return _refused(request, document_id, error, _("The document was not cancelled"))
    messages.success(request, _("%(number)s is cancelled.") % {"number": document.number})
    return HttpResponseRedirect(_url(document_id))


@require_POST
@seller_view(Permission.DOCUMENTS_CANCEL)
def document_credit(request: HttpRequest, document_id: int) -> HttpResponse:
    seller = seller_of(request)
    document = document_or_404(seller.organization, document_id)
    form = _credit_form(document, request.POST)
    if form is None:
        messages.error(request, _("This document cannot be credited: only an issued invoice with something left can."))
        return HttpResponseRedirect(_url(document_id))
    if not form.is_valid():
        return _page(request, seller, document, open_panel="credit", credit=form)
    mode = form.cleaned_data["mode"]
    try:
        note = services.document_credit(
            actor=seller.actor,
            organization=seller.organization,
            document_id=document.pk,
            lines=[
                services.CreditLine(position=position, quantity=quantity)
                for position, quantity in (form.line_quantities().items() if mode == "lines" else ())
            ],
            amount=form.cleaned_data["amount"] if mode == "amount" else None,
            reason=form.cleaned_data["reason"],
        )
    except FakturaError as error:
        if error.field == "amount" and mode == "amount":
            form.add_error("amount", error_text(error))
            return _page(request, seller, document, open_panel="credit", credit=form)
        return _refused(request, document_id, error, _("No credit note was issued"))
    messages.success(request, _("Credit note %(number)s issued.") % {"number": note.number})
    return HttpResponseRedirect(_url(note.pk))


@require_POST
@seller_view(Permission.DOCUMENTS_ISSUE)
def document_resend(request: HttpRequest, document_id: int) -> HttpResponse:
    seller = seller_of(request)
    document = document_or_404(seller.organization, document_id)
    form = ResendForm(request.POST, prefix="resend")
    if form.is_valid():
        try:
            message = delivery.document_email_resend(
                actor=seller.actor,
                organization=seller.organization,
                document_id=document.pk,
                recipient=form.cleaned_data["to"] or None,
            )
        except FakturaError as error:
            if not _field_error(form, error, {"to": "to"}):
                return _refused(request, document_id, error, _("The email was not sent"))
        else:
            messages.success(request, _("The email to %(to)s is on its way.") % {"to": message.recipient})
            return HttpResponseRedirect(_url(document_id))
    return _page(request, seller, document, open_panel="resend", resend=form)


@require_POST
@seller_view(Permission.DOCUMENTS_DELETE)
def document_delete(request: HttpRequest, document_id: int) -> HttpResponse:
    seller = seller_of(request)
    document = document_or_404(seller.organization, document_id)
    form = DeleteForm(request.POST, prefix="delete")
    if not form.is_valid():
        return _page(request, seller, document, open_panel="delete", delete=form)
    remote = form.cleaned_data["delete_in_connected_system"] and document.source == DocumentSource.EXTERNAL
    try:
        services.document_delete(
            actor=seller.actor,
            organization=seller.organization,
            document_id=document.pk,
            reason=form.cleaned_data["reason"],
            delete_in_connected_system=remote,
        )
    except FakturaError as error:
        what = _("%(number)s was not deleted") % {"number": document.number or _("The draft")}
        return _refused(request, document_id, error, what)
    name = document.number or _("The draft")
    messages.success(request, _("%(number)s is deleted.") % {"number": name})
    return HttpResponseRedirect(reverse("invoicing:documents"))
