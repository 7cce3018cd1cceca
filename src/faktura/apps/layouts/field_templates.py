"""Field templates (F5.2): the seller's macros for a document's title, note and dates, per channel and type.

A layout row (``DocumentLayout.templates``) maps a document field to a
template, e.g. ``{"title": "Invoice for order {order.number}", "due_date":
"{document.issue_date+14}"}``. Templates are checked with
``faktura.core.macros`` when the layout is saved (``templates_checked``), never
when a document is made. For each field the most specific layout that sets it
wins (channel and type, channel, type, the seller's default).

``document_fields_from_templates`` fills them in for a draft made from an
order, in the draft's language. Values come from a mapping built here from the
order and the draft, and are inserted as text: a buyer called
``{order.number}`` is printed as such, never read as a template.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from faktura.apps.accounts.selectors import bank_accounts
from faktura.apps.layouts.models import DocumentLayout
from faktura.core.errors import InvalidValue
from faktura.core.macros import TEMPLATE_FIELDS, MacroValue, parse_field
from faktura.core.macros.values import MacroType
from faktura.core.money import Currency, Money
from faktura.pdf.labels import label

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

# The fields a draft made from an order takes from templates, and the longest text each holds.
# Not here, on purpose: the issue date (it is the day the number is taken: F3.4 ties the number's year to it),
# the discount and the OSS flag (orders carry neither yet), the description (documents have no such field).
APPLIED_FIELDS: Mapping[str, int | None] = {
    "title": 200,
    "note": 5000,
    "supply_date": None,
    "due_date": None,
    "order_number": 100,
    "currency": 3,
    "buyer.name": 200,
    "buyer.company": 200,
    "buyer.vat_id": 20,
    "buyer.registration_number": 40,
    "buyer.email": 254,
    "buyer.street": 200,
    "buyer.city": 100,
    "buyer.postal_code": 20,
    "buyer.country": 2,
}
# In this order: a date may use the ones before it; the buyer's fields use the order only.
_FILL_ORDER = tuple(APPLIED_FIELDS)
MAX_TEMPLATES_FIELD = "templates"


def templates_checked(templates: Mapping[str, Any] | None) -> dict[str, str]:
    """The templates to store: every one parsed, errors naming ``templates.<field>``; empty ones dropped."""
    if templates is None:
        return {}
    if not isinstance(templates, Mapping):
        raise InvalidValue("must be an object of field name -> template", field=MAX_TEMPLATES_FIELD)
    checked: dict[str, str] = {}
    for name, text in templates.items():
        where = f"templates.{name}"
        if name not in APPLIED_FIELDS:
            fields = ", ".join(APPLIED_FIELDS)
            raise InvalidValue(f"no field {name!r} takes a template here; fields: {fields}", field=where)
        if not isinstance(text, str):
            raise InvalidValue("must be a text", field=where)
        if text == "":
            continue
        parse_field(name, text, field=where)
        checked[name] = text
    return checked


def templates_for(*, organization: Organization, channel_id: int | None, document_type: str) -> dict[str, str]:
    """Each field's template from the most specific layout that sets it."""
    candidates = DocumentLayout.objects.for_organization(organization).filter(
        Q(channel_id=channel_id) | Q(channel__isnull=True) if channel_id else Q(channel__isnull=True),
        Q(document_type=document_type) | Q(document_type=""),
    )
    ranked = sorted(candidates, key=lambda row: (row.channel_id is not None, row.document_type != ""), reverse=True)
    found: dict[str, str] = {}
    for layout in ranked:
        for name, text in (layout.templates or {}).items():
            if name in APPLIED_FIELDS and text:
                found.setdefault(name, text)
    return found


def document_fields_from_templates(*, organization: Organization, order: Any, document: Any) -> dict[str, Any]:
    """The fields the seller's templates give a draft made from ``order``, by field name.

    Only fields with a template are returned; a date whose macro has no value
    (e.g. no supply date yet), or a text that comes out empty, is left out, so
    the draft keeps what it had. Buyer fields come back as ``buyer.<name>``.
    """
    templates = templates_for(
        organization=organization, channel_id=document.channel_id, document_type=document.document_type
    )
    if not templates:
        return {}
    context = macro_context(organization=organization, order=order, document=document)
    filled: dict[str, Any] = {}
    for name in _FILL_ORDER:
        if name not in templates:
            continue
        template = TEMPLATE_FIELDS[name].parse(templates[name], field=f"templates.{name}")
        if template.kind is None:
            text = template.render(context, locale=document.language).strip()
            longest = APPLIED_FIELDS[name]
            if text or name in ("title", "note"):
                filled[name] = text[:longest] if longest else text
        elif template.kind is not MacroType.DATE:
            value = template.render_value(context)
            if value not in (None, ""):
                filled[name] = str(value)
        else:
            value = template.render_date(context)
            if value is not None:
                filled[name] = value
                context[f"document.{name}"] = value
    return filled


def macro_context(*, organization: Organization, order: Any, document: Any) -> dict[str, MacroValue | None]:
    """Macro name -> value from the order, its buyer, the draft, the seller and the channel."""
    zone = ZoneInfo(organization.time_zone)
    today = timezone.localdate(timezone=zone)
    buyer = document.buyer_details or {}
    currency = Currency(document.currency)
    issue_date = document.issue_date or today
    return {
        "order.number": order.number,
        "order.date": timezone.localtime(order.placed_at, zone).date() if order.placed_at else None,
        "order.currency": order.currency,
        "order.total": Money(Decimal(document.tax_inclusive), currency),  # the draft is the whole order
        "order.discount": None,
        "order.item_count": sum(1 for _ in order.lines.all()),
        "order.payment_method": order.payment_method or None,
        "order.delivery_method": order.delivery_method or None,
        "order.note": None,
        "order.oss": None,
        "order.client.name": buyer.get("name") or None,
        "order.client.company": (buyer.get("name") or None) if buyer.get("is_business") else None,
        "order.client.vat_id": buyer.get("vat_id") or None,
        "order.client.registration_number": buyer.get("registration_number") or None,
        "order.client.email": buyer.get("email") or None,
        "order.client.phone": order.buyer.phone if order.buyer and order.buyer.phone else None,
        "order.client.address": buyer.get("street") or None,
        "order.client.city": buyer.get("city") or None,
        "order.client.postal_code": buyer.get("postal_code") or None,
        "order.client.country": buyer.get("country") or None,
        "document.number": document.number or None,
        "document.type": _type_label(document.document_type, document.language),
        "document.issue_date": issue_date,
        "document.supply_date": document.supply_date or issue_date,
        "document.due_date": document.due_date,
        "document.total": Money(Decimal(document.tax_inclusive), currency),
        "document.amount_due": Money(Decimal(document.payable), currency),
        "document.currency": document.currency,
        "document.variable_symbol": None,
        "seller.name": organization.legal_name or None,
        "seller.vat_id": organization.vat_id or None,
        "seller.registration_number": organization.registration_number or None,
        "seller.iban": _seller_iban(organization, document.currency),
        "seller.email": organization.email or None,
        "channel.name": order.channel.name if order.channel_id else None,
        "today": today,
    }


def _seller_iban(organization: Organization, currency: str) -> str | None:
    """The account a buyer pays into, as the document prints it: the default one in the currency, else any."""
    accounts = list(bank_accounts(organization=organization))
    in_currency = [account for account in accounts if account.currency == currency]
    ranked = sorted(in_currency or accounts, key=lambda account: not account.is_default)
    return ranked[0].iban if ranked else None


def _type_label(document_type: str, language: str) -> str:
    try:
        return label(document_type, language)
    except (KeyError, ValueError):
        return document_type.replace("_", " ")


__all__ = [
    "APPLIED_FIELDS",
    "document_fields_from_templates",
    "macro_context",
    "templates_checked",
    "templates_for",
]
