"""The document list (F7.2) and its bulk actions (F7.4).

The whole filter lives in the URL (a GET form), so a list can be bookmarked
and works without JavaScript; with htmx the filter bar swaps only the table
and pushes the URL. Pages are keyset pages (``before`` = the last id shown):
a new document never shifts a later page.
"""

from __future__ import annotations

from decimal import Decimal
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
from faktura.apps.invoicing.web_filters import DEFAULT_SORT, SORTS, DocumentFilterForm, filter_query
from faktura.core.documents import DocumentStatus
from faktura.core.errors import FakturaError
from faktura.core.roles import Permission
from faktura.web.seller import forbidden, seller_view

if TYPE_CHECKING:
    from faktura.apps.invoicing.models import Document
    from faktura.web.seller import SellerContext

PAGE_SIZE = 50
BULK_LIMIT = 5000  # "everything matching" runs in the request: past this, narrow the filter (or export)
SHOWN_FAILURES = 8

_SORT_KEYS: dict[str, tuple[Any, bool]] = {
    "-issue_date": (lambda d: (d.issue_date is not None, d.issue_date, d.pk), True),
    "issue_date": (lambda d: (d.issue_date is None, d.issue_date, d.pk), False),
    "due_date": (lambda d: (d.due_date is None, d.due_date, d.pk), False),
    "-total": (lambda d: (d.payable, d.pk), True),
    "total": (lambda d: (d.payable, d.pk), False),
    "number": (lambda d: (d.number or "", d.pk), False),
    "buyer": (lambda d: (d.buyer_name.casefold(), d.pk), False),
}


def _before(query: QueryDict) -> int | None:
    value = query.get("before", "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**63 else None


def _sorted(documents: list[Document], sort: str) -> list[Document]:
    """The page in the chosen order (the list is paged newest first; ordering of the whole list comes
    with the selector's sort)."""
    if sort == DEFAULT_SORT:
        return documents
    key, reverse_order = _SORT_KEYS[sort]
    return sorted(documents, key=key, reverse=reverse_order)


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
    before = _before(request.GET)
    found = selectors.document_list(
        organization=organization, filters=form.filters(), before_id=before, limit=PAGE_SIZE + 1
    )
    page = found[:PAGE_SIZE]
    today = selectors.seller_today(organization)
    sort = form.chosen_sort()
    rows = [{"document": d, "state": shown_state(d, today)} for d in _sorted(page, sort)]
    context = {
        "seller": seller,
        "form": form,
        "rows": rows,
        "sort": sort,
        "sorts": SORTS,
        "next_before": page[-1].pk if len(found) > PAGE_SIZE else None,
        "first_page": before is not None,
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
        chosen: list[Document] = []
        before: int | None = None
        while len(chosen) < BULK_LIMIT + 1:
            batch = selectors.document_list(organization=organization, filters=filters, before_id=before, limit=500)
            chosen.extend(batch)
            if len(batch) < 500:
                break
            before = batch[-1].pk
        return chosen
    ids = form.cleaned_data["ids"]
    if not ids:
        return []
    found = [selectors.document_get(organization=organization, document_id=pk) for pk in ids[: BULK_LIMIT + 1]]
    return sorted((d for d in found if d is not None), key=lambda d: d.pk, reverse=True)


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
    documents = _selected(request, form, seller)
    if not documents:
        messages.warning(request, _("No documents were selected."))
        return _back(request)
    if len(documents) > BULK_LIMIT:
        messages.error(
            request,
            _("More than %(limit)s documents match: narrow the filter and run the action in parts.")
            % {"limit": BULK_LIMIT},
        )
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
