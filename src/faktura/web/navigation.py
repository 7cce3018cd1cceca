"""The top bar and the Settings side menu: one list each, so a new page is one line here."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    prefix: str  # the entry is active on every path under this one


MAIN = [
    Entry("invoicing:documents", _("Documents"), "/app/documents/"),
    Entry("sales:orders", _("Orders"), "/app/orders/"),
    Entry("web:settings", _("Settings"), "/app/settings/"),
]

SETTINGS = [
    Entry("accounts:company", _("Company"), "/app/settings/company/"),
    Entry("sales:channels", _("Sales channels"), "/app/settings/channels/"),
    Entry("invoicing:series", _("Numbering series"), "/app/settings/series/"),
    Entry("automation:rules", _("Issuing rules"), "/app/settings/rules/"),
    Entry("layouts:layouts", _("Layout and templates"), "/app/settings/layouts/"),
    Entry("delivery:email-templates", _("Emails to buyers"), "/app/settings/emails/"),
    Entry("accounts:members", _("People and API keys"), "/app/settings/members/"),
]


def links(request: HttpRequest, entries: list[Entry]) -> list[dict[str, object]]:
    """The entries whose page exists, with ``active`` for the one the request is in."""
    found: list[dict[str, object]] = []
    for entry in entries:
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        found.append({"url": url, "label": entry.label, "active": request.path.startswith(entry.prefix)})
    return found


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: ``main_menu`` and ``settings_menu``."""
    if not request.path.startswith("/app/"):
        return {}
    languages = [(code, name) for code, name in settings.LANGUAGES if code in settings.FAKTURA_WEB_LANGUAGES]
    return {
        "main_menu": links(request, MAIN),
        "settings_menu": links(request, SETTINGS),
        "web_languages": languages,
    }
