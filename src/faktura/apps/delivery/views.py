"""The signed document link from an email: a page about the document for a browser, the PDF for anything else.

``GET /d/<token>`` opened in a browser (it asks for ``text/html``) goes on to
the buyer portal's page for that one document (``/my/link/<token>``: what it
is, what is left to pay and the payment QR code, the PDF, the way to all
their orders): the PDF is frozen as issued, the page says whether it is paid
now. A request that does not ask for HTML (a download tool, a mail client
fetching the attachment) gets the PDF inline, as does ``GET /d/<token>/pdf``
always. A forged, altered or foreign token, or one whose seller, document or
message no longer matches, is a 404; an expired or revoked one a 410; all
with a short page in the reader's language that says so. Every answer
carries ``Referrer-Policy: no-referrer`` (the token must not leak to another
site through a link on the page) and is never cached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from faktura.apps.delivery.compose import attachment_name
from faktura.apps.delivery.selectors import LinkRevoked, document_link_open
from faktura.core.errors import FakturaError

if TYPE_CHECKING:
    from faktura.apps.invoicing.models import Document

_R = TypeVar("_R", bound=HttpResponseBase)

_NOT_FOUND = _("This link is not valid. Check that you copied all of it, or ask the seller for the document again.")
_EXPIRED = _("This link has expired. Ask the seller to send you the document again.")
_REVOKED = _("The seller has withdrawn this link. Ask the seller to send you the document again.")
_PREPARING = _("The document is still being prepared. Try again in a minute.")


def _private(response: _R) -> _R:
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request: HttpRequest, status: int, text: str) -> HttpResponse:
    body = render_to_string("delivery/link_error.html", {"status": status, "text": text}, request=request)
    return _private(HttpResponse(body, status=status))


def _error_page(request: HttpRequest, error: FakturaError) -> HttpResponse:
    if isinstance(error, LinkRevoked):
        return _page(request, 410, str(_REVOKED))
    if error.http_status == 410:
        return _page(request, 410, str(_EXPIRED))
    return _page(request, 404, str(_NOT_FOUND))


def _wants_page(request: HttpRequest) -> bool:
    return "text/html" in request.headers.get("Accept", "")


@require_GET
def document_link(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        linked = document_link_open(token=token)
    except FakturaError as error:
        return _error_page(request, error)
    if _wants_page(request):
        try:
            return _private(HttpResponseRedirect(reverse("portal:document-link", args=[token]), status=303))
        except NoReverseMatch:  # an instance without the portal: the PDF it is
            pass
    return _pdf(request, linked.document)


@require_GET
def document_link_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        linked = document_link_open(token=token)
    except FakturaError as error:
        return _error_page(request, error)
    return _pdf(request, linked.document)


def _pdf(request: HttpRequest, document: Document) -> HttpResponseBase:
    if not document.pdf_sha256 or not document.pdf.name or not default_storage.exists(document.pdf.name):
        response = _page(request, 503, str(_PREPARING))
        response["Retry-After"] = "60"
        return response
    handle = default_storage.open(document.pdf.name, "rb")
    name = attachment_name(document.number or str(document.pk), "pdf")
    return _private(FileResponse(handle, content_type="application/pdf", filename=name, as_attachment=False))
