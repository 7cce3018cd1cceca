"""The forms of one document's actions: they parse and check the input; the services decide the rest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_AMOUNT = Decimal("999999999999.99")


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=6, max_value=MAX_AMOUNT)
    received_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Reference"), required=False, max_length=140)

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("Enter an amount other than zero."))
        return amount


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}), required=True)


class ResendForm(forms.Form):
    to = forms.EmailField(label=_("Send to"), required=False, help_text=_("Leave empty to send to the buyer."))


class DeleteForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    delete_in_connected_system = forms.BooleanField(
        label=_("Also delete the copy in the connected system"), required=False
    )


CREDIT_MODES = [("full", _("Everything left")), ("lines", _("Some lines")), ("amount", _("An amount"))]


class CreditForm(forms.Form):
    """Full, by lines (a quantity per line position, ``qty_<position>``) or by an amount."""

    mode = forms.ChoiceField(label=_("Credit"), choices=CREDIT_MODES, widget=forms.RadioSelect, initial="full")
    amount = forms.DecimalField(
        label=_("Amount to credit"), required=False, min_value=Decimal("0.01"), max_value=MAX_AMOUNT, max_digits=18
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args: Any, positions: dict[int, Decimal], **kwargs: Any) -> None:
        """``positions``: the invoice's line positions and the quantity left to credit on each."""
        super().__init__(*args, **kwargs)
        self.positions = positions
        for position, left in positions.items():
            self.fields[f"qty_{position}"] = forms.DecimalField(
                label=_("Quantity to credit on line %(position)s") % {"position": position},
                required=False,
                min_value=Decimal(0),
                max_value=left if left > 0 else Decimal(0),
                max_digits=18,
                decimal_places=6,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mode = cleaned.get("mode")
        if mode == "amount" and cleaned.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount to credit."))
        if mode == "lines" and not self.line_quantities() and not self.errors:
            self.add_error(None, _("Enter a quantity on at least one line."))
        return cleaned

    def line_quantities(self) -> dict[int, Decimal]:
        found: dict[int, Decimal] = {}
        for position in self.positions:
            quantity = self.cleaned_data.get(f"qty_{position}")
            if quantity:
                found[position] = quantity
        return found

    def line_fields(self) -> list[tuple[int, forms.BoundField]]:
        return [(position, self[f"qty_{position}"]) for position in self.positions]
