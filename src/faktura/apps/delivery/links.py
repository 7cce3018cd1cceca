"""Signed per-document links for buyers: bound to the instance, the seller, the document and the purpose.

A link is ``{FAKTURA_BASE_URL}/d/<token>``; the token is a
``django.core.signing`` object (HMAC with the instance's secret key, salted
per purpose) holding the instance, the seller, the document, the message that
carried it and the purpose, with the time it was made. It opens while it is
younger than ``FAKTURA_DOCUMENT_LINK_DAYS`` and its message's link is not
revoked (``OutgoingMessage.link_revoked_at``); changing one character, using it
on another instance or for another purpose makes it invalid.

>>> from django.conf import settings
>>> token = link_token(organization_id=3, document_id=41, message_id=7)
>>> link_read(token) == LinkTarget(organization_id=3, document_id=41, message_id=7)
True
>>> link_read(token[:-1] + ("A" if token[-1] != "A" else "B"))
Traceback (most recent call last):
...
faktura.apps.delivery.links.LinkInvalid: this link is not valid
>>> link_read(token, purpose="portal")
Traceback (most recent call last):
...
faktura.apps.delivery.links.LinkInvalid: this link is not valid
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing

from faktura.core.errors import FakturaError

PURPOSE_DOCUMENT = "document"
_SALT = "faktura.delivery.link."


class LinkInvalid(FakturaError):
    code = "link_invalid"
    http_status = 404


class LinkExpired(FakturaError):
    code = "link_expired"
    http_status = 410


@dataclass(frozen=True)
class LinkTarget:
    organization_id: int
    document_id: int
    message_id: int


def instance() -> str:
    """The instance a link belongs to: the host of its base URL."""
    return urlsplit(settings.FAKTURA_BASE_URL).netloc


def link_token(*, organization_id: int, document_id: int, message_id: int, purpose: str = PURPOSE_DOCUMENT) -> str:
    payload = {"i": instance(), "s": organization_id, "d": document_id, "m": message_id, "p": purpose}
    return signing.dumps(payload, salt=_SALT + purpose)


def link_url(token: str) -> str:
    return f"{settings.FAKTURA_BASE_URL.rstrip('/')}/d/{token}"


def link_read(token: str, *, purpose: str = PURPOSE_DOCUMENT) -> LinkTarget:
    """What a token opens; ``LinkInvalid`` for a forged, altered or foreign one, ``LinkExpired`` for an old one."""
    max_age = settings.FAKTURA_DOCUMENT_LINK_DAYS * 86400
    try:
        payload = signing.loads(token, salt=_SALT + purpose, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired("this link has expired; ask the seller for the document again") from None
    except signing.BadSignature:
        raise LinkInvalid("this link is not valid") from None
    if not isinstance(payload, dict) or payload.get("i") != instance() or payload.get("p") != purpose:
        raise LinkInvalid("this link is not valid")
    try:
        return LinkTarget(int(payload["s"]), int(payload["d"]), int(payload["m"]))
    except (KeyError, TypeError, ValueError):
        raise LinkInvalid("this link is not valid") from None
