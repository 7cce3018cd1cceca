"""The document list (F7.2) and its bulk actions (F7.4).

The whole filter lives in the URL (a GET form), so a list can be bookmarked
and works without JavaScript; with htmx the filter bar swaps only the table
and pushes the URL. Pages are keyset pages in any of the list's sorts
(``selectors.document_page``, an opaque ``cursor`` in the URL): a new document
never shifts a later page, and page 1,000 costs what page 1 does.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import islice
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from faktura.apps.automation import services as automation
from faktura.apps.delivery import services as delivery
from faktura.apps.invoicing import selectors, services
from faktura.apps.invoicing.views.common import STATE_LABELS, TYPE_LABELS, error_text, seller_of, shown_state
from faktura.apps.invoicing.web_filters import DocumentFilterForm, filter_query
from faktura.core.documents import DocumentStatus
from faktura.core.errors import FakturaError, InvalidValue
from faktura.core.roles import Permission
from faktura.web.seller import forbidden, seller_view

if TYPE_CHECKING:
    from faktura.apps.invoicing.models import Document
    from faktura.web.seller import SellerContext

PAGE_SIZE = 50
BULK_LIMIT = 5000  # "everything matching" runs in the request: past this, narrow the filter (or export)
SHOWN_FAILURES = 8


def _exports_url() -> str | None:
    """The exports app's door (ZIP, merged PDF, CSV, XLSX), when that app is installed."""
    try:
        return reverse("exports:start")
    except NoReverseMatch:
        return None


@require_GET
@seller_view()
def document_list(request: HttpRequest) -> HttpResponse:
    seller = seller_of(request)
    organization = seller.organization
    form = DocumentFilterForm(request.GET, organization=organization)
    form.full_clean()
    filters = form.filters()
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.document_page(organization=organization, filters=filters, cursor=cursor, limit=PAGE_SIZE)
    except InvalidValue:
        # A cursor of another sort or a mangled link: the first page rather than an error.
        cursor = None
        page = selectors.document_page(organization=organization, filters=filters, cursor=None, limit=PAGE_SIZE)
    today = selectors.seller_today(organization)
    rows = [{"document": d, "state": shown_state(d, today)} for d in page.rows]
    context = {
        "seller": seller,
        "form": form,
        "rows": rows,
        "sort": filters.sort,
        "next_cursor": page.next_cursor,
        "previous_cursor": page.previous_cursor,
        "first_page": cursor is not None,
        "filter_fields": list(filter_query(request.GET).items()),
        "channel_names": form.channel_names(),
        "filtered": form.active(),
        "state_labels": STATE_LABELS,
        "type_labels": TYPE_LABELS,
        "exports_url": _exports_url(),
        "bulk_actions": _bulk_actions(seller),
        "page_size": PAGE_SIZE,
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "documents-results":
        return render(request, "invoicing/documents/_results.html", context)
    return render(request, "invoicing/documents/list.html", context)


BULK_ACTIONS: dict[str, tuple[Permission, Any]] = {
    "mark_paid": (Permission.PAYMENTS_RECORD, gettext_lazy("Mark paid")),
    "resend": (Permission.DOCUMENTS_ISSUE, gettext_lazy("Email again")),
    "delete": (Permission.DOCUMENTS_DELETE, gettext_lazy("Delete")),
}


def _bulk_actions(seller: SellerContext) -> list[tuple[str, Any]]:
    return [(name, label) for name, (permission, label) in BULK_ACTIONS.items() if seller.can(permission)]


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in BULK_ACTIONS])
    ids = forms.TypedMultipleChoiceField(required=False, coerce=int)
    all_matching = forms.BooleanField(required=False)

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        # Any positive id parses; whether it is this seller's is for the selector to say.
        wanted = [value for value in data.getlist("ids") if value.isdigit() and 0 < int(value) < 2**63]
        ids_field = self.fields["ids"]
        assert isinstance(ids_field, forms.TypedMultipleChoiceField)
        ids_field.choices = [(value, value) for value in wanted]


def _selected(request: HttpRequest, form: BulkForm, seller: SellerContext) -> list[Document]:
    """The documents the bulk form names (ids of this seller only), or all that match the filter, newest first."""
    organization = seller.organization
    if form.cleaned_data["all_matching"]:
        filters = selectors.document_filters_from_query(request.POST, organization)
        ids: list[int] = list(
            islice(selectors.document_ids_matching(organization=organization, filters=filters), BULK_LIMIT + 1)
        )
    else:
        ids = form.cleaned_data["ids"][: BULK_LIMIT + 1]
    if len(ids) > BULK_LIMIT:
        raise _TooMany
    found = [selectors.document_get(organization=organization, document_id=pk) for pk in ids]
    return sorted((d for d in found if d is not None), key=lambda d: d.pk, reverse=True)


class _TooMany(Exception):
    """More documents than one request works through."""


def _back(request: HttpRequest) -> HttpResponseRedirect:
    """Back to the list the form was sent from, its filter kept."""
    query = request.POST.get("back", "")
    if not query.startswith("?") and query:
        query = ""
    return HttpResponseRedirect(reverse("invoicing:documents") + query)


@require_POST
@seller_view()
def documents_bulk(request: HttpRequest) -> HttpResponse:
    """Run one action on many documents, one service call each; say how many worked and why the others did not.

    Newest first: deleting a run of a series' last numbers then works from the
    top down (each deletion makes the next one the latest).
    """
    seller = seller_of(request)
    form = BulkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action and at least one document."))
        return _back(request)
    action = form.cleaned_data["action"]
    permission, _label = BULK_ACTIONS[action]
    if not seller.can(permission):
        return forbidden(
            request, f"Your role ({seller.role.value}) does not allow this: {permission.value}.", seller=seller
        )
    try:
        documents = _selected(request, form, seller)
    except _TooMany:
        messages.error(
            request,
            _("More than %(limit)s documents match: narrow the filter and run the action in parts.")
            % {"limit": BULK_LIMIT},
        )
        return _back(request)
    if not documents:
        messages.warning(request, _("No documents were selected."))
        return _back(request)
    done, failures = 0, []
    for document in documents:
        try:
            if _run(action, seller, document):
                done += 1
        except FakturaError as error:
            failures.append(f"{document.number or _('draft %(id)s') % {'id': document.pk}}: {error_text(error)}")
    _report(request, action, done, failures)
    return _back(request)


def _run(action: str, seller: SellerContext, document: Document) -> bool:
    organization, actor = seller.organization, seller.actor
    if action == "delete":
        services.document_delete(actor=actor, organization=organization, document_id=document.pk, reason="bulk delete")
        return True
    if action == "resend":
        delivery.document_email_resend(actor=actor, organization=organization, document_id=document.pk)
        return True
    # mark paid: record what is still open, as a payment received today
    if document.status != DocumentStatus.ISSUED:
        raise _Skip(_("only an issued document can be paid"))
    left = document.payable - document.amount_paid
    if (document.payable >= 0 and left <= 0) or (document.payable < 0 and left >= 0):
        raise _Skip(_("nothing is left to pay"))
    automation.document_payment_receive(
        actor=actor,
        organization=organization,
        document_id=document.pk,
        amount=Decimal(left),
        currency=document.currency,
        received_on=selectors.seller_today(organization),
        source="manual",
        note="marked paid in bulk",
    )
    return True


class _Skip(FakturaError):
    """A document the action does not apply to; reported with the failures."""

    code = "not_applicable"

    def __init__(self, message: str) -> None:
        super().__init__(message)


def _report(request: HttpRequest, action: str, done: int, failures: list[str]) -> None:
    texts = {
        "delete": ngettext("%(count)d document deleted.", "%(count)d documents deleted.", done),
        "resend": ngettext("%(count)d document queued for email.", "%(count)d documents queued for email.", done),
        "mark_paid": ngettext("%(count)d document marked paid.", "%(count)d documents marked paid.", done),
    }
    if done:
        messages.success(request, texts[action] % {"count": done})
    if failures:
        shown = "; ".join(failures[:SHOWN_FAILURES])
        more = len(failures) - SHOWN_FAILURES
        if more > 0:
            shown += " " + _("(and %(count)d more)") % {"count": more}
        messages.error(
            request,
            ngettext(
                "%(count)d document was left as it was: %(why)s",
                "%(count)d documents were left as they were: %(why)s",
                len(failures),
            )
            % {"count": len(failures), "why": shown},
        )
