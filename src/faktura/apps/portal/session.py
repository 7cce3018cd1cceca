"""The buyer's session: separate from the sellers' (Django users), kept under its own key.

A buyer is not a ``User``: signing in stores the ``BuyerAccount`` id, the
seller the session is limited to (None on a marketplace instance) and the
time under ``portal.buyer`` in the session, after a new session key (no
session fixation). A seller signed in to /app/ in the same browser stays
signed in, and signing out of the portal leaves /app/ alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import decorator_from_middleware
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from faktura.apps.portal import selectors
from faktura.apps.portal.models import BuyerAccount

SESSION_KEY = "portal.buyer"
_R = TypeVar("_R", bound=HttpResponseBase)


@dataclass(frozen=True)
class Buyer:
    account: BuyerAccount
    scope: int | None  # the one seller this session sees, or None for all

    @property
    def email(self) -> str:
        return self.account.email


def buyer_of(request: HttpRequest) -> Buyer | None:
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        since = dt.datetime.fromisoformat(str(stored["at"]))
        account_id, scope = int(stored["id"]), stored.get("scope")
    except (KeyError, TypeError, ValueError):
        return None
    if timezone.now() - since > dt.timedelta(days=settings.FAKTURA_PORTAL_SESSION_DAYS):
        return None
    account = selectors.account_get(account_id=account_id)
    if account is None:
        return None
    return Buyer(account=account, scope=int(scope) if scope is not None else None)


def sign_in(request: HttpRequest, account: BuyerAccount, scope: int | None) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"id": account.pk, "scope": scope, "at": timezone.now().isoformat()}


def sign_out(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def private(response: _R) -> _R:
    """No referrer (tokens and ids stay on this site), no cache, no index: on every portal answer."""
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def safe_next(value: str, request: HttpRequest) -> str:
    """A portal page to go on to, or ``""``: only paths under /my/ of this site (no open redirects)."""
    value = (value or "").strip()
    if not value.startswith("/my/") or value.startswith("//") or "\\" in value:
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=False):
        return ""
    return value


def not_found(request: HttpRequest) -> HttpResponseBase:
    """The portal's 404: the same for an id that does not exist and one that is someone else's."""
    context = {"title": gettext("Not found"), "text": gettext("This page does not exist, or it is not yours.")}
    return render(request, "portal/message.html", context, status=404)


def _language(request: HttpRequest, buyer: Buyer | None) -> None:
    """The switcher's cookie first (LocaleMiddleware), then the buyer's own language, then Accept-Language."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return
    if buyer is not None and buyer.account.language:
        translation.activate(buyer.account.language)
        request.LANGUAGE_CODE = buyer.account.language


def portal_page(*, signed_in: bool = True) -> Callable[[Callable[..., _R]], Callable[..., HttpResponseBase]]:
    """Guard a portal view: ``request.buyer`` set (sign-in page otherwise), language chosen, private headers."""

    def decorate(view: Callable[..., _R]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            buyer = buyer_of(request)
            request.buyer = buyer  # type: ignore[attr-defined]
            _language(request, buyer)
            if signed_in and buyer is None:
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return private(HttpResponseRedirect(reverse("portal:sign-in") + (f"?{query}" if query else "")))
            try:
                return private(view(request, *args, **kwargs))
            except Http404:
                return private(not_found(request))

        return guarded

    return decorate


class _PortalCsrf(CsrfViewMiddleware):
    """Django's CSRF check, but a form posted from a portal page may come with ``Origin: null``.

    Portal pages send ``Referrer-Policy: no-referrer`` (their paths hold tokens
    and ids), and under that policy browsers post forms with ``Origin: null``,
    which Django's check refuses. Here ``null`` passes only when the browser
    itself says the request is same-origin (``Sec-Fetch-Site``, which a page
    cannot forge) or says nothing (an older browser); the CSRF token must match
    either way, as everywhere.
    """

    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null":
            return request.headers.get("Sec-Fetch-Site", "same-origin") == "same-origin"
        return bool(super()._origin_verified(request))  # type: ignore[misc]


def portal_form(view: Callable[..., _R]) -> Callable[..., HttpResponseBase]:
    """CSRF protection for a portal view that takes a form (instead of the site-wide middleware's)."""
    return csrf_exempt(decorator_from_middleware(_PortalCsrf)(view))
