"""The buyer portal's pages under /my/: sign in by email link, My orders, an order, a document, its PDF.

Every page goes through ``session.portal_page``: private headers, the
buyer's language, the sign-in page for a visitor. Every id in a path is
looked up among the signed-in buyer's own documents and orders only, so
anyone else's id is a 404, the same as one that does not exist.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from faktura.apps.accounts.selectors import organization_get
from faktura.apps.delivery import selectors as delivery
from faktura.apps.portal import selectors, services
from faktura.apps.portal.identity import normalise_email
from faktura.apps.portal.session import Buyer, portal_form, portal_page, safe_next, sign_in, sign_out
from faktura.core.errors import FakturaError, InvalidValue


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True, "class": "form-control"}),
    )


def _buyer(request: HttpRequest) -> Buyer:
    buyer: Buyer | None = getattr(request, "buyer", None)
    if buyer is None:  # portal_page(signed_in=True) sends visitors to the sign-in page first
        raise Http404
    return buyer


def _message(request: HttpRequest, status: int, title: str, text: str, **extra: object) -> HttpResponse:
    return render(request, "portal/message.html", {"title": title, "text": text, **extra}, status=status)


def client_ip(request: HttpRequest) -> str:
    """The address the per-client limit counts: the proxy's header when one is configured, else the connection's."""
    header = settings.FAKTURA_PORTAL_CLIENT_IP_HEADER
    forwarded = request.headers.get(header, "").split(",")[0].strip() if header else ""
    return forwarded or str(request.META.get("REMOTE_ADDR") or "")


def _scope_from(request: HttpRequest) -> tuple[int | None, bool]:
    """The seller a sign-in is for: none on a marketplace; else ``?seller=`` (it must exist). (scope, ok)"""
    if settings.FAKTURA_PORTAL_ALL_SELLERS:
        return None, True
    raw = request.POST.get("seller") or request.GET.get("seller") or ""
    if not raw.isdigit() or organization_get(organization_id=int(raw)) is None:
        return None, False
    return int(raw), True


@require_GET
@portal_page(signed_in=False)
def home(request: HttpRequest) -> HttpResponseBase:
    return HttpResponseRedirect(reverse("portal:orders" if request.buyer else "portal:sign-in"))  # type: ignore[attr-defined]


@portal_form
@require_http_methods(["GET", "POST"])
@portal_page(signed_in=False)
def sign_in_page(request: HttpRequest) -> HttpResponseBase:
    """Ask for the address; the answer is the same whether or not we know it (see ``services``)."""
    next_path = safe_next(request.POST.get("next") or request.GET.get("next") or "", request)
    scope, scope_ok = _scope_from(request)
    context: dict[str, object] = {"next": next_path, "seller": scope or "", "scope_ok": scope_ok}
    if request.method == "POST" and scope_ok:
        form = EmailForm(request.POST)
        if form.is_valid():
            try:
                services.sign_in_link_request(
                    email=form.cleaned_data["email"],
                    client_ip=client_ip(request),
                    language=(get_language() or "en").split("-")[0],
                    organization_id=scope,
                    next_path=next_path,
                )
            except services.RateLimited as limited:
                minutes = max(1, (limited.retry_after + 59) // 60)
                response = _message(
                    request,
                    429,
                    str(_("Too many requests")),
                    str(
                        _("Too many sign-in links were asked for. Try again in %(minutes)s minutes.")
                        % {"minutes": minutes}
                    ),
                )
                response["Retry-After"] = str(limited.retry_after)
                return response
            except InvalidValue as error:
                form.add_error("email", error.message)
            else:
                return render(request, "portal/sign_in_sent.html", {"minutes": settings.FAKTURA_PORTAL_LINK_MINUTES})
    else:
        form = EmailForm()
    context["form"] = form
    return render(request, "portal/sign_in.html", context)


_LINK_PROBLEMS = {
    "invalid": (
        404,
        _("Link not valid"),
        _("This sign-in link is not valid. Check that you opened all of it, or ask for a new one."),
    ),
    "expired": (
        410,
        _("Link expired"),
        _("This sign-in link has expired. Ask for a new one: it opens for %(minutes)s minutes."),
    ),
    "used": (
        410,
        _("Link already used"),
        _("This sign-in link has been used already; each opens once. Ask for a new one."),
    ),
}


def _link_problem(request: HttpRequest, problem: str) -> HttpResponse:
    status, title, text = _LINK_PROBLEMS[problem]
    body = str(text) % {"minutes": settings.FAKTURA_PORTAL_LINK_MINUTES}  # a text without the field is unchanged
    return _message(request, status, str(title), body, sign_in_again=True)


@portal_form
@require_http_methods(["GET", "POST"])
@portal_page(signed_in=False)
def sign_in_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """GET shows a button, POST signs in: mail scanners that follow links do not use the link up."""
    if request.method == "GET":
        link, problem = selectors.sign_in_link_check(token=token)
        if problem or link is None:
            return _link_problem(request, problem or "invalid")
        return render(request, "portal/sign_in_confirm.html", {"email": link.email})
    try:
        account, link = services.sign_in_link_use(token=token)
    except services.LinkUnknown:
        return _link_problem(request, "invalid")
    except services.LinkExpired:
        return _link_problem(request, "expired")
    except services.LinkUsed:
        return _link_problem(request, "used")
    sign_in(request, account, link.organization_id)
    response = HttpResponseRedirect(safe_next(link.next_path, request) or reverse("portal:orders"))
    if account.language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, account.language, samesite="Lax")
    return response


@portal_form
@require_POST
@portal_page(signed_in=False)
def sign_out_page(request: HttpRequest) -> HttpResponseBase:
    sign_out(request)
    return HttpResponseRedirect(reverse("portal:sign-in") + "?signed-out=1")


@portal_form
@require_POST
@portal_page(signed_in=False)
def language_set(request: HttpRequest) -> HttpResponseBase:
    language = request.POST.get("language", "")
    if language not in services.PORTAL_LANGUAGES:
        return _message(request, 400, str(_("Unknown language")), str(_("Choose one of the languages in the list.")))
    buyer: Buyer | None = request.buyer  # type: ignore[attr-defined]
    if buyer is not None:
        services.buyer_language_set(account=buyer.account, language=language)
    response = HttpResponseRedirect(safe_next(request.POST.get("next", ""), request) or reverse("portal:home"))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@require_GET
@portal_page()
def orders(request: HttpRequest) -> HttpResponse:
    buyer = _buyer(request)
    return render(
        request,
        "portal/orders.html",
        {
            "orders": selectors.buyer_orders(email=buyer.email, scope=buyer.scope),
            "documents": selectors.buyer_loose_documents(email=buyer.email, scope=buyer.scope),
        },
    )


@require_GET
@portal_page()
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    buyer = _buyer(request)
    found = selectors.buyer_order(email=buyer.email, scope=buyer.scope, order_id=order_id)
    if found is None:
        raise Http404("no such order")
    row, documents = found
    return render(request, "portal/order.html", {"row": row, "documents": documents})


@require_GET
@portal_page()
def document_detail(request: HttpRequest, document_id: int) -> HttpResponse:
    buyer = _buyer(request)
    document = selectors.buyer_document(email=buyer.email, scope=buyer.scope, document_id=document_id)
    if document is None:
        raise Http404("no such document")
    view = selectors.document_view(document)
    return render(
        request, "portal/document.html", {"view": view, "pdf_url": reverse("portal:document-pdf", args=[document.pk])}
    )


@require_GET
@portal_page()
def document_pdf(request: HttpRequest, document_id: int) -> HttpResponseBase:
    buyer = _buyer(request)
    document = selectors.buyer_document(email=buyer.email, scope=buyer.scope, document_id=document_id)
    if document is None:
        raise Http404("no such document")
    if not document.pdf_sha256 or not document.pdf.name or not default_storage.exists(document.pdf.name):
        response = _message(
            request,
            503,
            str(_("Not ready yet")),
            str(_("The document is still being prepared. Try again in a minute.")),
        )
        response["Retry-After"] = "60"
        return response
    name = f"{(document.number or str(document.pk)).replace('/', '-')}.pdf"
    handle = default_storage.open(document.pdf.name, "rb")
    return FileResponse(handle, content_type="application/pdf", filename=name, as_attachment=True)


@require_GET
@portal_page(signed_in=False)
def document_link(request: HttpRequest, token: str) -> HttpResponse:
    """One document by the signed link of its email (``/d/<token>``): the link is the access, to it alone."""
    try:
        linked = delivery.document_link_open(token=token)
    except FakturaError as error:
        if error.http_status == 410:
            return _message(
                request,
                410,
                str(_("This link no longer works")),
                str(_("Ask the seller to send you the document again.")),
            )
        return _message(
            request,
            404,
            str(_("Link not valid")),
            str(
                _("This link is not valid. Check that you copied all of it, or ask the seller for the document again.")
            ),
        )
    view = selectors.document_view(linked.document)
    buyer: Buyer | None = request.buyer  # type: ignore[attr-defined]
    mine = buyer is not None and normalise_email(linked.document.buyer_email or "") == buyer.email
    return render(
        request,
        "portal/document.html",
        {
            "view": view,
            "pdf_url": reverse("document-link-pdf", args=[token]),
            "from_link": True,
            "mine": mine,
            "sign_in_url": reverse("portal:sign-in")
            + ("" if settings.FAKTURA_PORTAL_ALL_SELLERS else f"?seller={linked.organization.pk}"),
        },
    )
