"""Turning an order into a draft document: the bridge from sales to invoicing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services.drafts import BuyerDetails, document_create_draft, document_update_draft
from faktura.apps.layouts.services import document_fields_from_templates
from faktura.core.actors import Actor
from faktura.core.documents import DocumentType, DraftLine, PricingMode
from faktura.core.totals import AllowanceCharge
from faktura.core.vat import VatCategory

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import Order


def document_create_from_order(
    *,
    actor: Actor,
    organization: Organization,
    order: Order,
    document_type: DocumentType | str,
    due_date: dt.date | None = None,
) -> Document:
    """A draft with the order's buyer, lines and shipping, in the order's currency and pricing."""
    buyer = order.buyer
    billing = order.billing_address or {}
    details = BuyerDetails(
        name=billing.get("name") or (buyer.name if buyer else ""),
        country=billing.get("country") or (buyer.country if buyer else ""),
        email=buyer.email if buyer else "",
        is_business=buyer.is_business if buyer else False,
        vat_id=buyer.vat_id if buyer else "",
        registration_number=buyer.registration_number if buyer else "",
        street=billing.get("street") or (buyer.street if buyer else ""),
        city=billing.get("city") or (buyer.city if buyer else ""),
        postal_code=billing.get("postal_code") or (buyer.postal_code if buyer else ""),
        language=buyer.language if buyer else "",
    )
    lines = [
        DraftLine(
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            vat_category=VatCategory.parse(line.vat_category),
            vat_rate=line.vat_rate,
            discount=line.discount,
            unit=line.unit,
            sku=line.sku,
            barcode=line.barcode,
        )
        for line in order.lines.all()
    ]
    charges = []
    if order.shipping_amount:
        charges.append(
            AllowanceCharge(
                amount=order.shipping_amount,
                is_charge=True,
                vat_category=VatCategory.parse(order.shipping_vat_category),
                vat_rate=order.shipping_vat_rate,
                reason="Shipping",
            )
        )
    draft = document_create_draft(
        actor=actor,
        organization=organization,
        document_type=document_type,
        currency=order.currency,
        buyer=details,
        lines=lines,
        pricing=PricingMode(order.pricing_mode),
        allowances_charges=charges,
        channel=order.channel,
        order=order,
        buyer_record=buyer,
        due_date=due_date,
    )
    # The seller's field templates filled in from the order, in the draft's language (F5.2).
    filled = document_fields_from_templates(organization=organization, order=order, document=draft)
    if due_date is not None:
        filled.pop("due_date", None)  # a due date given by the caller wins
    filled.pop("currency", None)  # its only macro is {order.currency}: the draft is in it already
    overrides = {name.removeprefix("buyer."): filled.pop(name) for name in list(filled) if name.startswith("buyer.")}
    if overrides:
        company = overrides.pop("company", "")
        if company:
            overrides["name"] = company  # a company is printed under its own name (art. 226 (5))
        filled["buyer"] = replace(details, **overrides)
    if not filled:
        return draft
    return document_update_draft(actor=actor, organization=organization, document_id=draft.pk, **filled)
