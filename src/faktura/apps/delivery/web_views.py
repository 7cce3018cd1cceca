"""Settings -> Emails to buyers: the seller's own subject and body per kind of email and language (F6).

Thin views over ``email_template_save`` / ``email_template_delete`` (which
check every macro with the field macro parser and record the audit event).
The form starts from the seller's own wording or, when there is none, the
built-in one; the preview fills it in from the macro catalog's example order,
in the email's language, before anything is saved.

Everyone who may see documents may look and preview; saving needs ``SETTINGS_CHANGE``.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from faktura.apps.delivery import labels, selectors, services
from faktura.apps.delivery.models import MessageKind
from faktura.apps.delivery.services.templates import MAX_SUBJECT
from faktura.core.errors import FakturaError
from faktura.core.macros import example_context, macro_catalog, parse_field
from faktura.core.roles import Permission
from faktura.pdf.labels import label
from faktura.web.forms import SellerForm, show_error
from faktura.web.seller import forbidden, seller_view

KIND_LABELS = {
    MessageKind.ORDER_CONFIRMATION: _("Order confirmation with the document"),
    MessageKind.DOCUMENT: _("A document on its own"),
}
KIND_HELP = {
    MessageKind.ORDER_CONFIRMATION: _("Sent with the first document of a new order."),
    MessageKind.DOCUMENT: _("Sent with every later document, and when you send one again."),
}
LANGUAGE_NAMES = {
    "ro": _("Romanian"),
    "sk": _("Slovak"),
    "hu": _("Hungarian"),
    "cs": _("Czech"),
    "en": _("English"),
    "de": _("German"),
    "pl": _("Polish"),
}


class EmailTemplateForm(SellerForm):
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    body = forms.CharField(
        label=_("Text"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Plain text; a blank line starts a new paragraph. The link to the document is added below it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["data-macro-target"] = ""


def _choice(request: HttpRequest) -> tuple[str, str]:
    """The kind and language the page edits; anything else is a 404."""
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind") or MessageKind.ORDER_CONFIRMATION.value
    language = data.get("language") or _default_language(request)
    if kind not in MessageKind.values or language not in labels.LANGUAGES:
        raise Http404("no such kind of email or language")
    return kind, language


def _default_language(request: HttpRequest) -> str:
    organization = request.seller.organization  # type: ignore[attr-defined]
    return labels.language_of(getattr(organization, "language", ""), get_language() or "")


def _page_url(kind: str, language: str) -> str:
    return f"{reverse('delivery:email-templates')}?{urlencode({'kind': kind, 'language': language})}"


@seller_view()
def email_templates(request: HttpRequest) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]
    kind, language = _choice(request)
    own = {(t.kind, t.language): t for t in selectors.email_templates(organization=seller.organization)}
    current = own.get((kind, language))
    status = 200
    if request.method == "POST":
        if not seller.can(Permission.SETTINGS_CHANGE):
            return forbidden(
                request,
                f"Your role ({seller.role.value}) does not allow this: {Permission.SETTINGS_CHANGE.value}.",
                seller=seller,
            )
        form = EmailTemplateForm(request.POST)
        if form.is_valid():
            try:
                services.email_template_save(
                    actor=seller.actor,
                    organization=seller.organization,
                    kind=kind,
                    language=language,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"].replace("\r\n", "\n"),
                )
            except FakturaError as error:
                show_error(form, error)
            else:
                messages.success(request, gettext("Email wording saved."))
                return redirect(_page_url(kind, language))
        status = 422
    else:
        initial = (
            {"subject": current.subject, "body": current.body}
            if current
            else {"subject": labels.text(f"subject.{kind}", language), "body": labels.text(f"body.{kind}", language)}
        )
        form = EmailTemplateForm(initial=initial)
    grid = [
        {
            "kind": value,
            "label": KIND_LABELS[MessageKind(value)],
            "help": KIND_HELP[MessageKind(value)],
            "languages": [
                {
                    "code": code,
                    "name": LANGUAGE_NAMES.get(code, code),
                    "own": (value, code) in own,
                    "url": _page_url(value, code),
                    "active": (value, code) == (kind, language),
                }
                for code in labels.LANGUAGES
            ],
        }
        for value in MessageKind.values
    ]
    return render(
        request,
        "delivery/email_templates.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": KIND_LABELS[MessageKind(kind)],
            "language": language,
            "language_name": LANGUAGE_NAMES.get(language, language),
            "current": current,
            "grid": grid,
            "macros": macro_catalog(language),
            "preview": _preview(form.data or form.initial, language) if not form.errors else None,
        },
        status=status,
    )


def _preview(data: Any, language: str) -> dict[str, Any]:
    """The email filled in from the example order, or the error that stops it, naming the field."""
    subject, body = str(data.get("subject") or ""), str(data.get("body") or "")
    context = {**example_context(), "document.type": label("invoice", language)}
    try:
        filled_subject = parse_field("email.subject", subject, field="subject").render(context, locale=language)
        filled_body = parse_field("email.body", body, field="body").render(context, locale=language)
    except FakturaError as error:
        return {"error": error.message, "field": error.field}
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", filled_body) if part.strip()]
    return {
        "subject": re.sub(r"\s*[\r\n]+\s*", " ", filled_subject).strip(),
        "paragraphs": paragraphs,
        "link": labels.text("link", language),
    }


@require_POST
@seller_view()
def email_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the email as typed, filled in from the example order (nothing is saved)."""
    _, language = _choice(request)
    return render(request, "delivery/_email_preview.html", {"preview": _preview(request.POST, language)})


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def email_template_reset(request: HttpRequest) -> HttpResponse:
    """Back to the built-in wording for this kind and language."""
    seller = request.seller  # type: ignore[attr-defined]
    kind, language = _choice(request)
    try:
        services.email_template_delete(
            actor=seller.actor, organization=seller.organization, kind=kind, language=language
        )
    except FakturaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Back to the built-in wording."))
    return redirect(_page_url(kind, language))
