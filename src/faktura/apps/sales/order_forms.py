"""The forms of the orders pages: the list's filter, and the actions on one order.

They check the shape of the input (a date, an amount, a choice that exists);
the services check the rest and their ``FakturaError`` lands on the field it
names (``faktura.web.forms.show_error``), or above the form when it names none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from faktura.apps.sales import labels
from faktura.web.forms import SellerForm

DATABASE_ID_MAX = 2**63 - 1


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrderFilterForm(forms.Form):
    """The list's filter; it lives in the URL, so a filtered list can be bookmarked and shared."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    channel = forms.TypedChoiceField(label=_("Channel"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *labels.ORDER_STATUS.items()],
    )
    placed_from = forms.DateField(label=_("Placed from"), required=False, widget=DateInput())
    placed_to = forms.DateField(label=_("Placed to"), required=False, widget=DateInput())
    has_errors = forms.ChoiceField(
        label=_("Errors"),
        required=False,
        choices=[("", _("Any")), ("yes", _("With errors")), ("no", _("Without errors"))],
    )
    before = forms.IntegerField(required=False, min_value=1, max_value=DATABASE_ID_MAX, widget=forms.HiddenInput)

    def __init__(self, *args: Any, channels: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channel"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All channels")), *((channel.pk, channel.name) for channel in channels)]
        self.fields["q"].widget.attrs.update(
            {
                "placeholder": _("Order number, buyer name or e-mail"),
                "type": "search",
                "autocomplete": "off",
                "class": "form-control",
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("placed_from"), data.get("placed_to")
        if start and end and start > end:
            self.add_error("placed_to", _("must not be before the start date"))
        return data

    def has_errors_filter(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("has_errors") or "")


class IssueForm(SellerForm):
    document_type = forms.ChoiceField(
        label=_("Document"),
        choices=[("invoice", labels.DOCUMENT_TYPE["invoice"]), ("proforma", labels.DOCUMENT_TYPE["proforma"])],
    )
    due_days = forms.IntegerField(
        label=_("Due in (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        help_text=_("Empty: the series' or the seller's usual term."),
    )


class UploadForm(SellerForm):
    document_type = forms.ChoiceField(
        label=_("Document"),
        choices=[(code, labels.DOCUMENT_TYPE[code]) for code in ("invoice", "proforma", "credit_note")],
    )
    number = forms.CharField(label=_("Number"), max_length=64)
    issue_date = forms.DateField(label=_("Issue date"), widget=DateInput())
    total = forms.DecimalField(
        label=_("Total"),
        required=False,
        max_digits=15,
        decimal_places=4,
        help_text=_("The amount due printed on it; negative on a credit note."),
    )
    file = forms.FileField(label=_("PDF file"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))


class PaymentForm(SellerForm):
    document = forms.TypedChoiceField(label=_("Document"), coerce=int)
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=15, decimal_places=4, help_text=_("Negative for money given back.")
    )
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    reference = forms.CharField(label=_("Reference"), required=False, max_length=140)

    def __init__(self, *args: Any, documents: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(documents)
