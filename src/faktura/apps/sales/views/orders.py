"""The orders pages: the list with its filter, one order, and its explanation (F7.5, F4.6).

The list's filter lives in the URL (bookmark it, share it); htmx swaps only
the results when the filter changes, and the address bar follows. Pages are
newest first by id, ``before=<id>`` for the next one (keyset paging: a deep
page costs what the first does). One order's page shows what the API's
``GET /orders/{id}`` gives, the timeline with what the rules did, and the
forms of the actions in ``order_actions``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from faktura.apps.automation import selectors as automation
from faktura.apps.invoicing import selectors as invoicing
from faktura.apps.sales import labels, selectors
from faktura.apps.sales.order_forms import DATABASE_ID_MAX, IssueForm, OrderFilterForm, PaymentForm, UploadForm
from faktura.apps.sales.views import order_presenter as present
from faktura.core.errors import FakturaError
from faktura.core.money import Currency, quantize
from faktura.core.roles import Permission
from faktura.web.seller import SellerRequest, seller_view

PAGE_SIZE = 50


@require_GET
@seller_view(Permission.DOCUMENTS_VIEW)
def order_list(request: SellerRequest) -> HttpResponse:
    organization = request.seller.organization
    channels = list(selectors.channels(organization=organization))
    form = OrderFilterForm(request.GET, channels=channels)
    rows: list[Any] = []
    more = False
    if form.is_valid():
        data = form.cleaned_data
        found = selectors.orders(
            organization=organization,
            channel_id=data["channel"],
            status=data["status"] or None,
            placed_from=data["placed_from"],
            placed_to=data["placed_to"],
            has_errors=form.has_errors_filter(),
            search=data["q"],
            before_id=data["before"],
            limit=PAGE_SIZE + 1,
        )
        rows, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    filtered = form.is_bound and any(value for key, value in request.GET.items() if key != "before")
    query = request.GET.copy()
    query.pop("before", None)
    context = {
        "form": form,
        "orders": [_row(order) for order in rows],
        "next_before": rows[-1].pk if more else None,
        "first_page": not request.GET.get("before"),
        "filter_query": query.urlencode(),
        "filtered": filtered,
        "has_channels": bool(channels),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "order-results":
        return render(request, "sales/orders/_results.html", context)
    return render(request, "sales/orders/list.html", context)


def _row(order: Any) -> dict[str, Any]:
    return {
        "order": order,
        "buyer": (order.billing_address or {}).get("name") or (order.buyer.name if order.buyer else ""),
        "email": order.buyer.email if order.buyer else "",
        "status_label": labels.label(labels.ORDER_STATUS, order.status),
        "payment_label": labels.label(labels.PAYMENT_METHOD, order.payment_method),
    }


def order_or_404(request: SellerRequest, order_id: int) -> Any:
    """The seller's order with its lines and timeline; anyone else's is a 404, as one that does not exist."""
    order = None
    if order_id <= DATABASE_ID_MAX:
        order = selectors.order_detail(organization=request.seller.organization, order_id=order_id)
    if order is None:
        raise Http404("no such order")
    return order


@require_GET
@seller_view(Permission.DOCUMENTS_VIEW)
def order_detail(request: SellerRequest, order_id: int) -> HttpResponse:
    order = order_or_404(request, order_id)
    return render(request, "sales/orders/detail.html", detail_context(request, order))


def detail_context(
    request: SellerRequest,
    order: Any,
    *,
    issue_form: IssueForm | None = None,
    upload_form: UploadForm | None = None,
    payment_form: PaymentForm | None = None,
    explanation: Any = None,
) -> dict[str, Any]:
    """Everything on an order's page; an action whose input was refused passes its bound form back."""
    organization = request.seller.organization
    documents = present.documents(invoicing.order_documents(organization=organization, order_id=order.pk))
    payable = [document for document in documents if document.takes_payments]
    today = invoicing.seller_today(organization)
    if payment_form is None:
        first_open = next((d for d in payable if d.is_open), None)
        initial: dict[str, Any] = {"received_on": today}
        if first_open is not None:
            balance = quantize(first_open.payable - first_open.paid, Currency.parse(first_open.currency))
            initial |= {"document": first_open.id, "amount": balance}
        payment_form = PaymentForm(initial=initial, documents=[(d.id, d.choice_label) for d in payable])
    lines = list(order.lines.all())
    return {
        "order": order,
        "channel": order.channel,
        "mode_label": labels.label(labels.INVOICING_MODE, order.channel.invoicing_mode),
        "manual_upload": order.channel.invoicing_mode == "manual_upload",
        "status_label": labels.label(labels.ORDER_STATUS, order.status),
        "payment_label": labels.label(labels.PAYMENT_METHOD, order.payment_method),
        "billing": present.address_lines(order.billing_address),
        "shipping": present.address_lines(order.shipping_address),
        "lines": lines,
        "lines_total": sum((line.quantity * line.unit_price - line.discount for line in lines), start=0),
        "errors": present.errors(order.errors),
        "timeline": present.timeline(list(order.events.all()), order.currency),
        "documents": documents,
        "issue_form": issue_form or IssueForm(),
        "upload_form": upload_form or UploadForm(initial={"issue_date": today, "total": order.total}),
        "payment_form": payment_form,
        "can_pay": bool(payable),
        "nothing_due": not any(d.is_open for d in payable),
        "explanation": explanation,
    }


@require_GET
@seller_view(Permission.DOCUMENTS_VIEW)
def order_explain(request: SellerRequest, order_id: int) -> HttpResponse:
    """F4.6 on the order's page: every rule and trigger, and what would be issued now (a dry run, nothing written).

    htmx asks for the panel alone; without JavaScript the link opens the whole
    page with the panel in it.
    """
    order = order_or_404(request, order_id)
    try:
        explanation = present.explanation(
            automation.order_explain(organization=request.seller.organization, order=order)
        )
    except FakturaError as error:
        explanation = None
        context: dict[str, Any] = {"order": order, "explain_error": error.message}
    else:
        context = {"order": order, "explanation": explanation}
    if request.headers.get("HX-Request"):
        return render(request, "sales/orders/_explain.html", context)
    page = detail_context(request, order, explanation=explanation)
    page.update(context)
    return render(request, "sales/orders/detail.html", page)
