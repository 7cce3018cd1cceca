"""Money, dates and labels on portal pages, in the page's language (Babel, as on the PDFs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from faktura.pdf import formatting

register = template.Library()

DOCUMENT_TYPES = {
    "invoice": _("Invoice"),
    "proforma": _("Proforma invoice"),
    "credit_note": _("Credit note"),
    "estimate": _("Estimate"),
}
PAYMENT_STATES = {
    "unpaid": _("Unpaid"),
    "partially_paid": _("Partly paid"),
    "paid": _("Paid"),
    "overpaid": _("Overpaid"),
    "overdue": _("Overdue"),
    "cancelled": _("Cancelled"),
}


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


@register.simple_tag
def money(value: Decimal, currency: str) -> str:
    return formatting.money(value, currency, _language())


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return formatting.date(value, _language())


@register.filter
def document_type(value: str) -> str:
    return str(DOCUMENT_TYPES.get(value, value))


@register.filter
def payment_state(value: str) -> str:
    return str(PAYMENT_STATES.get(value, value))
