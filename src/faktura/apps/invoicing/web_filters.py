"""The document list's filter, as it travels in a URL (GET parameters).

The list page (``/app/documents/``), its bulk actions and the exports read the
same parameters, so a bookmarked list, "select everything matching the filter"
and an export of that selection all mean the same documents. The names are the
API's (``GET /api/v1/documents``) where the API has them:

==================  ===============================================================
``q``               full-text search: a part of the number, the buyer's name, e-mail
                    or VAT id, or the order number
``payment_state``   ``paid``, ``unpaid``, ``partially_paid``, ``overpaid`` or
                    ``overdue`` (issued, not paid in full, due date passed)
``type``            ``invoice``, ``proforma``, ``credit_note``, ``estimate``
``status``          ``draft``, ``issued``, ``cancelled``
``channel``         a sales channel's id (of this seller)
``order``           an order's id
``issued_from``     issue date on or after, ``YYYY-MM-DD``
``issued_to``       issue date on or before, ``YYYY-MM-DD``
``sort``            the order: ``newest`` (default), ``oldest``, ``due``, ``-due``,
                    ``total``, ``-total``, ``number``, ``-number``, ``buyer``, ``-buyer``
``cursor``          the position of a page (opaque, from the list's page links);
                    not a filter: "everything matching" ignores it
==================  ===============================================================

A value that does not parse (a date like ``2026-13-01``, another seller's
channel) is left out of the filter rather than refused: an old bookmark still
opens, and the form says what was wrong next to the field.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from faktura.apps.invoicing.document_pages import DocumentSort
from faktura.apps.invoicing.selectors import DocumentFilters
from faktura.apps.sales import selectors as sales

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

FILTER_FIELDS = ("q", "payment_state", "type", "status", "channel", "order", "issued_from", "issued_to", "sort")

PAYMENT_STATES = [
    ("unpaid", _("Unpaid")),
    ("partially_paid", _("Partially paid")),
    ("paid", _("Paid")),
    ("overpaid", _("Overpaid")),
    ("overdue", _("Overdue")),
]
TYPES = [
    ("invoice", _("Invoice")),
    ("proforma", _("Proforma")),
    ("credit_note", _("Credit note")),
    ("estimate", _("Estimate")),
]
STATUSES = [
    ("draft", _("Draft")),
    ("issued", _("Issued")),
    ("cancelled", pgettext_lazy("document status", "Cancelled")),
]
SORTS = [
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("due", _("Due soonest")),
    ("-due", _("Due latest")),
    ("-total", _("Largest total")),
    ("total", _("Smallest total")),
    ("number", _("Number, ascending")),
    ("-number", _("Number, descending")),
    ("buyer", _("Buyer, A to Z")),
    ("-buyer", _("Buyer, Z to A")),
]
DEFAULT_SORT = DocumentSort.NEWEST.value


def _blank(choices: list[tuple[str, Any]], label: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class DocumentFilterForm(forms.Form):
    """The filter bar; also the parser of the parameters (see the module docstring)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Number, buyer, email, VAT id, order…")}),
    )
    payment_state = forms.ChoiceField(
        label=_("Payment"), required=False, choices=_blank(PAYMENT_STATES, _("Any payment state"))
    )
    type = forms.ChoiceField(label=_("Type"), required=False, choices=_blank(TYPES, _("Any type")))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(STATUSES, _("Any status")))
    channel = forms.TypedChoiceField(label=_("Sales channel"), required=False, coerce=int, empty_value=None)
    order = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    issued_from = forms.DateField(
        label=_("Issued from"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    issued_to = forms.DateField(
        label=_("Issued to"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, data: QueryDict | dict[str, Any] | None, *, organization: Organization) -> None:
        super().__init__(data)
        self._channels = {
            channel.pk: channel.name for channel in sales.channels(organization=organization).order_by("name")
        }
        channel_field = self.fields["channel"]
        assert isinstance(channel_field, forms.TypedChoiceField)
        channel_field.choices = [("", _("Any channel")), *self._channels.items()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("issued_from"), cleaned.get("issued_to")
        if start and end and start > end:
            self.add_error("issued_to", _("The end date is before the start date."))
        return cleaned

    def channel_names(self) -> dict[int, str]:
        return self._channels

    def filters(self) -> DocumentFilters:
        """What parsed, as ``DocumentFilters``; a field that did not parse is left out."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        data = self.cleaned_data
        return DocumentFilters(
            document_type=data.get("type") or None,
            status=data.get("status") or None,
            payment_state=data.get("payment_state") or None,
            channel_id=data.get("channel"),
            order_id=data.get("order"),
            issued_from=data.get("issued_from"),
            issued_to=data.get("issued_to") if "issued_to" not in self.errors else None,
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def chosen_sort(self) -> str:
        if not hasattr(self, "cleaned_data"):
            self.full_clean()
        return self.cleaned_data.get("sort") or DEFAULT_SORT

    def active(self) -> bool:
        """Whether anything narrows the list (the empty state then says "nothing matches", not "no documents")."""
        found = self.filters()
        return any(getattr(found, name) not in (None, "") for name in found.__dataclass_fields__ if name != "sort")


def filters_from_query(query: QueryDict | dict[str, Any], organization: Organization) -> DocumentFilters:
    """The ``DocumentFilters`` of a list URL's parameters (the module docstring names them)."""
    return DocumentFilterForm(query, organization=organization).filters()


def filter_query(query: QueryDict) -> QueryDict:
    """Only the filter parameters of ``query`` (no cursor, no ids): what "everything matching" sends."""
    kept = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        value = query.get(name, "")
        if value:
            kept[name] = value
    return kept
