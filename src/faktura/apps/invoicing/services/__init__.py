"""Every write to documents and series goes through these functions.

The API, the web app, the CLI, the rules engine and the workers all call them,
so the checks, the audit trail and the transaction boundaries are the same
whichever door a change comes through (STYLE.md habit 5).
"""

from faktura.apps.invoicing.services.by_hand import DocumentExists, document_issue_from_order, document_issue_manual
from faktura.apps.invoicing.services.credit import CreditLine, document_create_credit_note, document_credit
from faktura.apps.invoicing.services.downloads import document_mark_downloaded
from faktura.apps.invoicing.services.drafts import BuyerDetails, document_create_draft, document_update_draft
from faktura.apps.invoicing.services.final_invoice import document_create_final_invoice
from faktura.apps.invoicing.services.from_order import document_create_from_order
from faktura.apps.invoicing.services.issue import document_issue
from faktura.apps.invoicing.services.lifecycle import document_cancel, document_delete
from faktura.apps.invoicing.services.payment_state import document_lock_for_payment, document_set_payment_state
from faktura.apps.invoicing.services.series import (
    SeriesInUse,
    series_create,
    series_delete,
    series_preview_next,
    series_preview_settings,
    series_update,
)
from faktura.apps.invoicing.services.upload import MAX_UPLOAD_BYTES, FileTooLarge, NumberTaken, document_upload

__all__ = [
    "MAX_UPLOAD_BYTES",
    "BuyerDetails",
    "CreditLine",
    "DocumentExists",
    "FileTooLarge",
    "NumberTaken",
    "SeriesInUse",
    "document_cancel",
    "document_create_credit_note",
    "document_create_draft",
    "document_create_final_invoice",
    "document_create_from_order",
    "document_credit",
    "document_delete",
    "document_issue",
    "document_issue_from_order",
    "document_issue_manual",
    "document_lock_for_payment",
    "document_mark_downloaded",
    "document_set_payment_state",
    "document_update_draft",
    "document_upload",
    "series_create",
    "series_delete",
    "series_preview_next",
    "series_preview_settings",
    "series_update",
]
