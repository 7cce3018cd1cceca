"""The email itself: text and HTML bodies, the seller's branding, the PDF (and later the e-invoice XML).

The sender is the instance's address (``DEFAULT_FROM_EMAIL``) under the
seller's name, and replies go to the seller (``Reply-To``). The ``Message-ID``
is the message row's, the same on every attempt, so a receiver can drop a
repeat. ``Auto-Submitted: auto-generated`` keeps out-of-office robots quiet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.mime.image import MIMEImage
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from faktura.apps.delivery.content import Wording

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
LOGO_CID = "logo@faktura"


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class Branding:
    seller_name: str
    reply_to: str
    accent: str
    logo: bytes = b""


def attachment_name(number: str, extension: str) -> str:
    """``FA2026001.pdf``: the document number made safe for a file name.

    >>> attachment_name("FA/2026/001", "pdf")
    'FA_2026_001.pdf'
    """
    return f"{_SAFE_NAME.sub('_', number).strip('_') or 'document'}.{extension}"


def from_address(seller_name: str) -> str:
    """The instance's sender address under the seller's name.

    >>> from_address("Exemplu SRL") == formataddr(("Exemplu SRL", parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    True
    """
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((seller_name, address))


def compose(
    *,
    recipient: str,
    message_id: str,
    language: str,
    wording: Wording,
    branding: Branding,
    link: str,
    attachments: list[Attachment],
) -> EmailMultiAlternatives:
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", wording.body) if part.strip()]
    context = {
        "language": language,
        "subject": wording.subject,
        "paragraphs": paragraphs,
        "link": link,
        "link_label": wording.link_label,
        "seller_name": branding.seller_name,
        "accent": branding.accent,
        "logo_cid": LOGO_CID if branding.logo else "",
    }
    text = f"{wording.body}\n\n{wording.link_label}: {link}\n" if link else f"{wording.body}\n"
    email = EmailMultiAlternatives(
        subject=wording.subject,
        body=text,
        from_email=from_address(branding.seller_name),
        to=[recipient],
        reply_to=[branding.reply_to] if branding.reply_to else None,
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated", "Content-Language": language},
    )
    email.attach_alternative(render_to_string("delivery/email.html", context), "text/html")
    for attachment in attachments:
        email.attach(attachment.name, attachment.content, attachment.content_type)
    if branding.logo:
        image = MIMEImage(branding.logo)
        image.add_header("Content-ID", f"<{LOGO_CID}>")
        image.add_header("Content-Disposition", "inline", filename="logo")
        email.attach(image)
    return email
