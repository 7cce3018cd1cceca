"""Every write of the delivery app goes through these functions (STYLE.md habit 5)."""

from faktura.apps.delivery.failures import Failure
from faktura.apps.delivery.failures import classify as email_failure
from faktura.apps.delivery.services.messages import (
    document_email_enqueue,
    document_email_resend,
    message_link_revoke,
)
from faktura.apps.delivery.services.sending import message_send_attempt
from faktura.apps.delivery.services.templates import email_template_delete, email_template_save

__all__ = [
    "Failure",
    "document_email_enqueue",
    "document_email_resend",
    "email_failure",
    "email_template_delete",
    "email_template_save",
    "message_link_revoke",
    "message_send_attempt",
]
