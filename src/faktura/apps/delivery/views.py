"""The signed document link from an email: the PDF for whoever holds the link, nothing else.

``GET /d/<token>`` answers the document's PDF inline. A forged, altered or
foreign token, or one whose seller, document or message no longer matches,
is a 404; an expired or revoked one a 410; all with a short page that says
so. Every answer carries ``Referrer-Policy: no-referrer`` (the token must not
leak to another site through a link on the page) and is never cached.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from faktura.apps.accounts.selectors import organization_get
from faktura.apps.delivery import selectors
from faktura.apps.delivery.compose import attachment_name
from faktura.apps.delivery.links import LinkExpired, LinkInvalid, link_read
from faktura.apps.invoicing import selectors as invoicing
from faktura.core.documents import DocumentStatus

_R = TypeVar("_R", bound=HttpResponseBase)

_NOT_FOUND = "This link is not valid. Check that you copied all of it, or ask the seller for the document again."
_EXPIRED = "This link has expired. Ask the seller to send you the document again."
_REVOKED = "The seller has withdrawn this link. Ask the seller to send you the document again."
_PREPARING = "The document is still being prepared. Try again in a minute."


def _private(response: _R) -> _R:
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(status: int, text: str) -> HttpResponse:
    body = render_to_string("delivery/link_error.html", {"status": status, "text": text})
    return _private(HttpResponse(body, status=status))


@require_GET
def document_link(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        target = link_read(token)
    except LinkExpired:
        return _page(410, _EXPIRED)
    except LinkInvalid:
        return _page(404, _NOT_FOUND)
    message = selectors.message_for_link(
        organization_id=target.organization_id, message_id=target.message_id, document_id=target.document_id
    )
    organization = organization_get(organization_id=target.organization_id)
    if message is None or organization is None:
        return _page(404, _NOT_FOUND)
    if message.link_revoked_at is not None:
        return _page(410, _REVOKED)
    document = invoicing.document_get(organization=organization, document_id=target.document_id)
    if document is None or document.status == DocumentStatus.DRAFT:
        return _page(404, _NOT_FOUND)
    if not document.pdf_sha256 or not document.pdf.name or not default_storage.exists(document.pdf.name):
        response = _page(503, _PREPARING)
        response["Retry-After"] = "60"
        return response
    name = attachment_name(document.number or str(document.pk), "pdf")
    handle = default_storage.open(document.pdf.name, "rb")
    return _private(FileResponse(handle, content_type="application/pdf", filename=name, as_attachment=False))
