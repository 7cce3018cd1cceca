"""The words the seller's pages use for the values of orders, events and documents, in the seller's language.

The database and the API keep the English codes (``cash_on_delivery``); the
pages show these labels, translated through the app's gettext catalog. A code
without a label (a new one) is shown as it is, so a page never fails on it.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

ORDER_STATUS = {
    "new": _("New"),
    "accepted": _("Accepted"),
    "processing": _("Processing"),
    "shipped": _("Shipped"),
    "delivered": _("Delivered"),
    "completed": _("Completed"),
    "cancelled": _("Cancelled"),
    "returned": _("Returned"),
}

PAYMENT_METHOD = {
    "card": _("Card"),
    "bank_transfer": _("Bank transfer"),
    "cash_on_delivery": _("Cash on delivery"),
    "cash": _("Cash"),
    "paypal": _("PayPal"),
    "other": _("Other"),
}

EVENT_KIND = {
    "created": _("Order received"),
    "updated": _("Order changed"),
    "status_changed": _("Status changed"),
    "payment_recorded": _("Payment recorded"),
    "refunded": _("Refunded"),
    "rules_run": _("Rules run again"),
}

EVENT_SOURCE = {
    "api": _("through the API"),
    "webhook": _("from the channel"),
    "document": _("on a document"),
    "cli": _("from the command line"),
    "system": _("by Faktura"),
}

DOCUMENT_TYPE = {
    "invoice": _("Invoice"),
    "proforma": _("Proforma"),
    "credit_note": _("Credit note"),
    "estimate": _("Estimate"),
}

DOCUMENT_STATUS = {
    "draft": _("Draft"),
    "issued": _("Issued"),
    "cancelled": _("Cancelled"),
}

PAYMENT_STATE = {
    "unpaid": _("Unpaid"),
    "partially_paid": _("Partially paid"),
    "paid": _("Paid"),
    "overpaid": _("Overpaid"),
    "cancelled": _("Cancelled"),
}

INVOICING_MODE = {
    "built_in": _("Faktura issues the documents"),
    "external": _("An external invoicing system issues the documents"),
    "manual_upload": _("The seller uploads the documents"),
}

TRIGGER = {
    "final_invoice_when_proforma_paid": _("Final invoice when a proforma is paid"),
    "invoice_when_order_paid": _("Invoice when the order is paid"),
    "credit_note_when_cancelled": _("Credit note when the order is cancelled"),
    "credit_note_for_partial_refund": _("Credit note for a refund"),
}

CHANGED_FIELD = {
    "status": _("status"),
    "lines": _("lines"),
    "total": _("total"),
    "buyer": _("buyer"),
    "billing_address": _("billing address"),
    "shipping_address": _("shipping address"),
    "payment_method": _("payment method"),
    "delivery_method": _("delivery method"),
    "shipping_amount": _("shipping"),
    "number": _("number"),
    "currency": _("currency"),
    "pricing_mode": _("prices with or without VAT"),
    "placed_at": _("order date"),
    "billing_details_entered": _("billing details"),
    "shipping_vat_category": _("shipping VAT"),
    "shipping_vat_rate": _("shipping VAT"),
}


def label(labels: Mapping[str, object], code: str) -> str:
    return str(labels.get(code, code.replace("_", " ")))
