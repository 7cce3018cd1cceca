"""What a seller does on an order's page: issue a document by hand, upload a PDF, record a payment.

Each is a POST (CSRF-checked) calling the same service as the API's endpoint,
so the checks are the same: ``POST /documents`` with ``order_id``,
``POST /documents/upload``, ``POST /documents/{id}/payments``. Input the form
refuses, or a service refuses on a field, comes back as the page with the
error next to the field; a refusal about the order as a whole (a second live
invoice, F4.5) as a message. Success redirects to the order (POST/redirect/GET).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from faktura.apps.automation import services as automation
from faktura.apps.invoicing import selectors as invoicing
from faktura.apps.invoicing import services as documents
from faktura.apps.sales import labels
from faktura.apps.sales.order_forms import IssueForm, PaymentForm, UploadForm
from faktura.apps.sales.views import order_presenter as present
from faktura.apps.sales.views.orders import detail_context, order_or_404
from faktura.core.errors import FakturaError
from faktura.core.roles import Permission
from faktura.web.forms import field_of, show_error
from faktura.web.seller import SellerRequest, seller_view
from faktura.web.templatetags.money import money


def _back(order: Any, anchor: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("sales:order", args=[order.pk]) + anchor)


def _refused(request: SellerRequest, order: Any, **forms: Any) -> HttpResponse:
    return render(request, "sales/orders/detail.html", detail_context(request, order, **forms), status=400)


@require_POST
@seller_view(Permission.DOCUMENTS_ISSUE)
def order_issue(request: SellerRequest, order_id: int) -> HttpResponse:
    """Issue by hand (F1): allowed whatever the channel's automation, as the API allows it; F4.5 still holds."""
    order = order_or_404(request, order_id)
    form = IssueForm(request.POST)
    if not form.is_valid():
        return _refused(request, order, issue_form=form)
    try:
        document = documents.document_issue_from_order(
            actor=request.seller.actor,
            organization=request.seller.organization,
            order_id=order.pk,
            document_type=form.cleaned_data["document_type"],
            due_days=form.cleaned_data["due_days"],
        )
    except FakturaError as error:
        if field_of(error, form) is not None:
            show_error(form, error)
            return _refused(request, order, issue_form=form)
        messages.error(request, _("Not issued: %(reason)s") % {"reason": error.message})
        return _back(order, "#documents")
    kind = labels.label(labels.DOCUMENT_TYPE, document.document_type)
    messages.success(request, _("%(document)s %(number)s issued.") % {"document": kind, "number": document.number})
    return _back(order, "#documents")


@require_POST
@seller_view(Permission.DOCUMENTS_ISSUE)
def order_upload(request: SellerRequest, order_id: int) -> HttpResponse:
    """Manual-upload mode: a PDF issued elsewhere, with its number and date, becomes the order's document."""
    order = order_or_404(request, order_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, order, upload_form=form)
    upload = form.cleaned_data["file"]
    try:
        if upload.size is not None and upload.size > documents.MAX_UPLOAD_BYTES:
            raise documents.FileTooLarge(
                f"must be at most {documents.MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file"
            )
        upload.seek(0)
        document = documents.document_upload(
            actor=request.seller.actor,
            organization=request.seller.organization,
            pdf=upload.read(documents.MAX_UPLOAD_BYTES + 1),
            number=form.cleaned_data["number"],
            issue_date=form.cleaned_data["issue_date"],
            document_type=form.cleaned_data["document_type"],
            order_id=order.pk,
            total=form.cleaned_data["total"],
        )
    except FakturaError as error:
        show_error(form, error)
        return _refused(request, order, upload_form=form)
    kind = labels.label(labels.DOCUMENT_TYPE, document.document_type)
    messages.success(request, _("%(document)s %(number)s uploaded.") % {"document": kind, "number": document.number})
    return _back(order, "#documents")


@require_POST
@seller_view(Permission.PAYMENTS_RECORD)
def order_payment(request: SellerRequest, order_id: int) -> HttpResponse:
    """A payment on one of the order's documents; the rules run on it (F10.3) and the page says what they did."""
    order = order_or_404(request, order_id)
    organization = request.seller.organization
    rows = present.documents(invoicing.order_documents(organization=organization, order_id=order.pk))
    payable = {row.id: row for row in rows if row.takes_payments}
    form = PaymentForm(request.POST, documents=[(row.id, row.choice_label) for row in payable.values()])
    if not form.is_valid():
        return _refused(request, order, payment_form=form)
    document = payable[form.cleaned_data["document"]]
    try:
        recorded = automation.document_payment_receive(
            actor=request.seller.actor,
            organization=organization,
            document_id=document.id,
            amount=form.cleaned_data["amount"],
            currency=document.currency,
            received_on=form.cleaned_data["received_on"],
            reference=form.cleaned_data["reference"],
            source="manual",
        )
    except FakturaError as error:
        show_error(form, error)
        return _refused(request, order, payment_form=form)
    amount = money(recorded.payment.amount, document.currency)
    messages.success(
        request, _("Payment of %(amount)s recorded on %(number)s.") % {"amount": amount, "number": document.number}
    )
    outcome = recorded.outcome
    if outcome is not None:
        for issued in outcome.documents:
            kind = labels.label(labels.DOCUMENT_TYPE, issued.document_type)
            messages.success(
                request,
                _("The rules then issued %(document)s %(number)s (%(source)s).")
                % {"document": kind, "number": issued.number, "source": issued.source},
            )
        for problem in outcome.errors:
            messages.warning(request, _("The rules could not issue: %(reason)s") % {"reason": problem.message})
        if not outcome.documents and not outcome.errors:
            messages.info(request, _("The rules issued nothing on this payment; the timeline says why."))
    return _back(order, "#timeline")
