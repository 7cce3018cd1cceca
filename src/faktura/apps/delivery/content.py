"""What an email to a buyer says: the macro context of a document, the seller's or the built-in wording.

The context is built from the issued document as frozen at issue (seller,
buyer, totals), its order and its channel, with every value typed as
``faktura.core.macros`` expects. The wording is the seller's ``EmailTemplate``
for the kind of email and the language, else the built-in one
(``labels``). Values are inserted as text: the HTML part escapes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from faktura.apps.delivery import labels
from faktura.apps.delivery.models import EmailTemplate, MessageKind
from faktura.core.macros import MacroValue, parse_field
from faktura.core.money import Currency, Money
from faktura.pdf.labels import label

if TYPE_CHECKING:
    from faktura.apps.invoicing.models import Document


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str
    link_label: str


def wording(*, document: Document, kind: str, language: str) -> Wording:
    """The subject and text body of this email, filled in for ``document`` in ``language``."""
    own = EmailTemplate.objects.filter(organization_id=document.organization_id, kind=kind, language=language).first()
    subject = own.subject if own else labels.text(f"subject.{kind}", language)
    body = own.body if own else labels.text(f"body.{kind}", language)
    context = macro_context(document, language)
    return Wording(
        subject=_one_line(parse_field("email.subject", subject).render(context, locale=language))[:300],
        body=parse_field("email.body", body).render(context, locale=language).strip(),
        link_label=labels.text("link", language),
    )


def _one_line(text: str) -> str:
    """A header holds one line: a buyer's name with a line break in it must not start a new header."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


def kind_of(*, document: Document, first_of_order: bool) -> str:
    """The order confirmation carries the first document of a new order; any later one goes alone."""
    return MessageKind.ORDER_CONFIRMATION if document.order_id and first_of_order else MessageKind.DOCUMENT


def macro_context(document: Document, language: str) -> dict[str, MacroValue | None]:
    """Every macro of the catalog, from the document (as issued), its order, its seller and its channel."""
    seller: dict[str, Any] = document.seller or {}
    buyer: dict[str, Any] = document.buyer_details or {}
    currency = Currency(document.currency)
    order = document.order if document.order_id else None
    tz = ZoneInfo(document.organization.time_zone)
    accounts = [a for a in seller.get("bank_accounts") or [] if a.get("iban")]
    context: dict[str, MacroValue | None] = {
        "document.number": document.number or "",
        "document.type": label(document.document_type, language),
        "document.issue_date": document.issue_date,
        "document.supply_date": document.supply_date,
        "document.due_date": document.due_date,
        "document.total": Money(document.tax_inclusive + document.rounding, currency),
        "document.amount_due": Money(document.payable - document.amount_paid, currency),
        "document.currency": document.currency,
        "document.variable_symbol": "".join(c for c in document.number or "" if c.isdigit())[-10:],
        "seller.name": str(seller.get("legal_name") or document.organization.legal_name),
        "seller.vat_id": str(seller.get("vat_id") or ""),
        "seller.registration_number": str(seller.get("registration_number") or ""),
        "seller.iban": str(accounts[0]["iban"]) if accounts else "",
        "seller.email": str(seller.get("email") or document.organization.email),
        "channel.name": document.channel.name if document.channel is not None else "",
        "today": timezone.localdate(timezone=tz),
        "order.number": order.number if order else document.order_number,
        "order.date": timezone.localtime(order.placed_at, tz).date() if order else None,
        "order.currency": order.currency if order else document.currency,
        "order.total": Money(Decimal(order.total), Currency(order.currency)) if order else None,
        "order.discount": None,
        "order.item_count": None,
        "order.payment_method": order.get_payment_method_display() if order else "",
        "order.delivery_method": order.delivery_method if order else "",
        "order.note": "",
        "order.oss": None,
    }
    client = {
        "name": buyer.get("name") or document.buyer_name,
        "company": buyer.get("company") or (buyer.get("name") if buyer.get("vat_id") else ""),
        "vat_id": buyer.get("vat_id") or document.buyer_vat_id,
        "registration_number": buyer.get("registration_number"),
        "email": buyer.get("email") or document.buyer_email,
        "phone": buyer.get("phone"),
        "address": buyer.get("street"),
        "city": buyer.get("city"),
        "postal_code": buyer.get("postal_code"),
        "country": buyer.get("country"),
    }
    context.update({f"order.client.{key}": str(value or "") for key, value in client.items()})
    return context
