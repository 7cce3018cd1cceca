"""Settings -> Layout and templates: how documents look and what their fields say, per channel and type (F5.2, F5.3).

Thin views over the layouts services: ``layout_save`` checks everything (the
colour, the font, the logo, the bank account, every field template with the
macro parser, a custom Typst template compiled in the sandbox) and records the
audit event; its errors name the field, shown next to it. The live preview is
``layout_preview`` on the settings as typed, before they are saved: the first
page of a sample document as a PNG (or the whole sample as a PDF).

Everyone who may see documents may look; saving needs ``SETTINGS_CHANGE``.
"""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from faktura.apps.accounts import selectors as accounts
from faktura.apps.layouts import selectors, services
from faktura.apps.sales import selectors as sales
from faktura.core.countries import DOCUMENT_LANGUAGES
from faktura.core.documents import DocumentType
from faktura.core.errors import FakturaError
from faktura.core.macros import MACROS, TEMPLATE_FIELDS, example_context, macro_catalog, parse_field
from faktura.core.roles import Permission
from faktura.pdf.images import MAX_LOGO_BYTES
from faktura.pdf.template import DEFAULT_ACCENT, FONTS
from faktura.web.forms import SellerForm
from faktura.web.seller import forbidden, seller_view

MAX_TEMPLATE_BYTES = 256 * 1024

LANGUAGE_NAMES = {
    "ro": _("Romanian"),
    "sk": _("Slovak"),
    "hu": _("Hungarian"),
    "cs": _("Czech"),
    "en": _("English"),
    "de": _("German"),
    "pl": _("Polish"),
}
TYPE_LABELS = {
    "invoice": _("Invoices"),
    "proforma": _("Proforma invoices"),
    "credit_note": _("Credit notes"),
    "estimate": _("Estimates"),
}
FIELD_LABELS = {
    "title": _("Title"),
    "note": _("Note below the totals"),
    "supply_date": _("Date of supply"),
    "due_date": _("Due date"),
    "order_number": _("Order number as printed"),
    "currency": _("Currency"),
    "buyer.name": _("Buyer's name"),
    "buyer.company": _("Buyer's company"),
    "buyer.vat_id": _("Buyer's VAT id"),
    "buyer.registration_number": _("Buyer's registration number"),
    "buyer.email": _("Buyer's email"),
    "buyer.street": _("Buyer's street"),
    "buyer.city": _("Buyer's city"),
    "buyer.postal_code": _("Buyer's postal code"),
    "buyer.country": _("Buyer's country"),
}
MAIN_FIELDS = ("title", "note", "supply_date", "due_date", "order_number", "currency")


def field_name(template_field: str) -> str:
    """``buyer.vat_id`` -> ``tpl_buyer__vat_id``: a form field name without dots."""
    return "tpl_" + template_field.replace(".", "__")


class ColorInput(forms.TextInput):
    input_type = "color"


class LayoutForm(SellerForm):
    accent_colour = forms.CharField(label=_("Accent colour"), max_length=7, widget=ColorInput, initial=DEFAULT_ACCENT)
    font = forms.ChoiceField(label=_("Font"), choices=list(FONTS.items()), initial="inter")
    logo = forms.FileField(
        label=_("Logo"), required=False, help_text=_("PNG or JPEG, at most 1 MiB and 4096 × 4096 pixels.")
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    language = forms.ChoiceField(label=_("Document language"), required=False)
    bilingual = forms.BooleanField(
        label=_("Bilingual"), required=False, help_text=_("Labels in the buyer's language too.")
    )
    footer = forms.CharField(
        label=_("Footer"), required=False, max_length=services.MAX_FOOTER, widget=forms.Textarea(attrs={"rows": 2})
    )
    bank_account = forms.ChoiceField(label=_("Bank account printed"), required=False)
    template_file = forms.FileField(
        label=_("Custom Typst template"),
        required=False,
        help_text=_("A .typ file; it replaces the text below. Checked against a sample document when saved."),
    )
    template_source = forms.CharField(
        label=_("Custom template source"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Empty: the built-in template."),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["accent_colour"].widget.attrs["class"] = "form-control form-control-color"
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", gettext("The company's language"))] + [
            (code, LANGUAGE_NAMES[code]) for code in DOCUMENT_LANGUAGES
        ]
        bank = self.fields["bank_account"]
        assert isinstance(bank, forms.ChoiceField)
        bank.choices = [("", gettext("Every account in the document's currency"))] + [
            (str(account.pk), f"{account.label or account.bank_name or account.currency} · {account.iban}")
            for account in accounts.bank_accounts(organization=organization)
        ]

    def clean_accent_colour(self) -> str:
        return str(self.cleaned_data["accent_colour"]).strip()

    def clean_logo(self) -> bytes | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        upload.seek(0)
        return bytes(upload.read(MAX_LOGO_BYTES + 1))

    def clean_template_file(self) -> str | None:
        upload = self.cleaned_data.get("template_file")
        if not upload:
            return None
        upload.seek(0)
        content = upload.read(MAX_TEMPLATE_BYTES + 1)
        if len(content) > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(gettext("The template is larger than 256 KiB."))
        try:
            return str(content.decode("utf-8"))
        except UnicodeDecodeError:
            raise forms.ValidationError(gettext("The template must be a UTF-8 text file.")) from None

    def layout_settings(self) -> services.LayoutSettings:
        data = self.cleaned_data
        bank = data.get("bank_account") or ""
        source = data.get("template_file") or data.get("template_source") or ""
        return services.LayoutSettings(
            accent_colour=data["accent_colour"],
            font=data["font"],
            footer=data.get("footer") or "",
            bank_account_id=int(bank) if bank.isdigit() else None,
            language=data.get("language") or "",
            bilingual=bool(data.get("bilingual")),
            template_source=source.replace("\r\n", "\n"),
            templates={name: data.get(field_name(name)) or "" for name in services.APPLIED_FIELDS},
        )

    def add_service_error(self, error: FakturaError) -> None:
        """The service names the field (``templates.due_date``, ``template``, ``bank_account_id``): shown there."""
        where = error.field or ""
        if where.startswith("templates."):
            name = field_name(where.removeprefix("templates."))
        else:
            name = {"bank_account_id": "bank_account", "template": "template_source", "accent": "accent_colour"}.get(
                where, where
            )
        if name == "template_source" and self.cleaned_data.get("template_file"):
            name = "template_file"
        self.add_error(name if name in self.fields else None, error.message)

    def template_fields(self, names: tuple[str, ...] | None = None) -> list[forms.BoundField]:
        wanted = names if names is not None else tuple(n for n in services.APPLIED_FIELDS if n not in MAIN_FIELDS)
        return [self[field_name(name)] for name in wanted if name in services.APPLIED_FIELDS]


def _macro_help(target: Any) -> Any:
    """What a field takes: exactly one macro of a type (a date...), or text with any macro."""
    if target.kind is None:
        return ""
    usable = [macro.placeholder for macro in MACROS if macro.name in target.allowed and macro.type is target.kind]
    return format_lazy(_("Exactly one of: {macros}"), macros=", ".join(usable))


for _name in services.APPLIED_FIELDS:
    LayoutForm.base_fields[field_name(_name)] = forms.CharField(
        label=FIELD_LABELS.get(_name, _name),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "data-macro-target": ""})
        if _name == "note"
        else forms.TextInput(attrs={"data-macro-target": "", "class": "mono"}),
        help_text=_macro_help(TEMPLATE_FIELDS[_name]),
    )


def initial_of(layout: Any) -> dict[str, Any]:
    if layout is None:
        return {"accent_colour": DEFAULT_ACCENT, "font": "inter"}
    initial: dict[str, Any] = {
        "accent_colour": layout.accent_colour,
        "font": layout.font,
        "language": layout.language,
        "bilingual": layout.bilingual,
        "footer": layout.footer,
        "bank_account": str(layout.bank_account_id or ""),
        "template_source": layout.template_source,
    }
    for name, text in (layout.templates or {}).items():
        initial[field_name(name)] = text
    return initial


def _target(request: HttpRequest) -> tuple[Any, str]:
    """The (channel, document type) the page edits, from the query: empty means all of them."""
    data = request.POST if request.method == "POST" else request.GET
    channel = None
    wanted = data.get("channel", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404("no such channel")
        channel = sales.channel_get(organization=request.seller.organization, channel_id=int(wanted))  # type: ignore[attr-defined]
        if channel is None:
            raise Http404("no such channel")
    document_type = data.get("type", "")
    if document_type and document_type not in {t.value for t in DocumentType}:
        raise Http404("no such document type")
    return channel, document_type


def _page_url(channel: Any, document_type: str) -> str:
    query = {
        key: value for key, value in (("channel", channel.pk if channel else ""), ("type", document_type)) if value
    }
    return reverse("layouts:layouts") + (f"?{urlencode(query)}" if query else "")


def _macros(language: str) -> list[dict[str, str]]:
    return macro_catalog(language if language in DOCUMENT_LANGUAGES else "en")


@seller_view()
def layouts(request: HttpRequest) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]
    organization = seller.organization
    channel, document_type = _target(request)
    exact = (
        selectors.layouts(organization=organization)
        .filter(channel_id=channel.pk if channel else None, document_type=document_type)
        .first()
    )
    applying = exact or selectors.layout_for(
        organization=organization, channel_id=channel.pk if channel else None, document_type=document_type or "invoice"
    )
    status = 200
    if request.method == "POST":
        if not seller.can(Permission.SETTINGS_CHANGE):
            return _forbidden(request)
        form = LayoutForm(request.POST, request.FILES, organization=organization)
        if form.is_valid():
            try:
                services.layout_save(
                    actor=seller.actor,
                    organization=organization,
                    settings=form.layout_settings(),
                    channel_id=channel.pk if channel else None,
                    document_type=document_type,
                    logo=form.cleaned_data.get("logo"),
                    remove_logo=bool(form.cleaned_data.get("remove_logo")),
                )
            except FakturaError as error:
                form.add_service_error(error)
            else:
                messages.success(request, gettext("Layout saved."))
                return redirect(_page_url(channel, document_type))
        status = 422
    else:
        form = LayoutForm(initial=initial_of(applying), organization=organization)
    return render(
        request,
        "layouts/layouts.html",
        {
            "form": form,
            "channel": channel,
            "document_type": document_type,
            "channels": list(sales.channels(organization=organization)),
            "types": list(TYPE_LABELS.items()),
            "exact": exact,
            "applying": applying,
            "logo": (exact.logo.name if exact and exact.logo else ""),
            "saved": [_describe(layout) for layout in selectors.layouts(organization=organization)],
            "macros": _macros(get_language() or "en"),
            "main_fields": form.template_fields(MAIN_FIELDS),
            "buyer_fields": form.template_fields(),
        },
        status=status,
    )


def _describe(layout: Any) -> dict[str, Any]:
    return {
        "layout": layout,
        "channel": layout.channel.name if layout.channel_id else "",
        "type": TYPE_LABELS.get(layout.document_type, ""),
        "url": _page_url(layout.channel if layout.channel_id else None, layout.document_type),
    }


def _forbidden(request: HttpRequest) -> HttpResponse:
    seller = request.seller  # type: ignore[attr-defined]
    return forbidden(
        request,
        f"Your role ({seller.role.value}) does not allow this: {Permission.SETTINGS_CHANGE.value}.",
        seller=seller,
    )


def _preview_input(request: HttpRequest) -> tuple[LayoutForm, str, bytes | None]:
    """The form as typed, the sample's document type, and the logo: the one uploaded, else the saved one."""
    seller = request.seller  # type: ignore[attr-defined]
    channel, document_type = _target(request)
    form = LayoutForm(request.POST, request.FILES, organization=seller.organization)
    logo = None
    if form.is_valid():
        logo = form.cleaned_data.get("logo")
        if logo is None and not form.cleaned_data.get("remove_logo"):
            exact = (
                selectors.layouts(organization=seller.organization)
                .filter(channel_id=channel.pk if channel else None, document_type=document_type)
                .first()
            )
            if exact is not None and exact.logo:
                logo = services.logo_bytes(exact.logo.name or "")
    return form, document_type or "invoice", logo


@require_POST
@seller_view()
def preview(request: HttpRequest) -> HttpResponse:
    """htmx: the first page of a sample document with the settings as typed, and the field templates filled in."""
    form, document_type, logo = _preview_input(request)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        try:
            png = services.layout_preview(
                organization=request.seller.organization,  # type: ignore[attr-defined]
                settings=form.layout_settings(),
                document_type=document_type,
                logo=logo,
                image=True,
            )
        except FakturaError as error:
            form.add_service_error(error)
        else:
            context["image"] = base64.b64encode(png).decode()
    context["examples"] = _examples(form, (form.cleaned_data.get("language") if form.is_valid() else "") or "en")
    return render(request, "layouts/_preview.html", context)


@require_POST
@seller_view()
def preview_pdf(request: HttpRequest) -> HttpResponse:
    """The whole sample document as a PDF, with the settings as typed (opens in a new tab)."""
    form, document_type, logo = _preview_input(request)
    if form.is_valid():
        try:
            pdf = services.layout_preview(
                organization=request.seller.organization,  # type: ignore[attr-defined]
                settings=form.layout_settings(),
                document_type=document_type,
                logo=logo,
            )
        except FakturaError as error:
            form.add_service_error(error)
        else:
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = 'inline; filename="sample.pdf"'
            return response
    return render(request, "layouts/_preview.html", {"form": form, "examples": []}, status=422)


def _examples(form: LayoutForm, language: str) -> list[dict[str, str]]:
    """Each field template filled in from the catalog's example order, or its error."""
    shown: list[dict[str, str]] = []
    context = example_context()
    for name in services.APPLIED_FIELDS:
        text = form.data.get(field_name(name), "")
        if not text:
            continue
        label = str(FIELD_LABELS.get(name, name))
        try:
            value = parse_field(name, text, field=name).render(context, locale=language)
        except FakturaError as error:
            shown.append({"label": label, "error": error.message})
        else:
            shown.append({"label": label, "value": value})
    return shown


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def layout_delete(request: HttpRequest, layout_id: int) -> HttpResponse:
    """Forget a layout: the less specific one applies again."""
    seller = request.seller  # type: ignore[attr-defined]
    layout = selectors.layout_get(organization=seller.organization, layout_id=layout_id)
    if layout is None:
        raise Http404("no such layout")
    services.layout_delete(actor=seller.actor, organization=seller.organization, layout_id=layout.pk)
    messages.success(request, gettext("Layout removed: the more general one applies."))
    return redirect(_page_url(layout.channel if layout.channel_id else None, layout.document_type))
