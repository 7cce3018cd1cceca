"""Settings -> Company: the seller's data, its bank accounts and the test mode switch (F7.1, F3.5).

Everyone on the team may read these pages (an accountant checks the VAT id
printed on invoices); changing them needs ``SETTINGS_CHANGE``. Every write is a
service call, so the rules (VAT id checked for the country, IBAN checksum) and
the audit event are the same as through the API and the CLI.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from faktura.apps.accounts import selectors, services
from faktura.apps.accounts.models import Organization
from faktura.core import countries
from faktura.core.errors import FakturaError, NotFound
from faktura.core.roles import Permission
from faktura.web.forms import SellerForm, show_error
from faktura.web.seller import SellerRequest, forbidden, seller_view

CURRENCIES = ["EUR", "RON", "HUF", "CZK", "PLN", "BGN", "USD", "GBP", "CHF"]
TIME_ZONES = [
    "Europe/Bucharest",
    "Europe/Bratislava",
    "Europe/Budapest",
    "Europe/Prague",
    "Europe/Warsaw",
    "Europe/Vienna",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
]


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale("en")


@cache
def _country_choices(language: str) -> list[tuple[str, str]]:
    """Every country the core accepts, named and sorted in the page's language."""
    names = _locale(language).territories
    found = []
    for code, english in Locale("en").territories.items():
        if not (isinstance(code, str) and len(code) == 2 and code.isalpha()):
            continue
        try:
            countries.country(code)
        except FakturaError:
            continue
        found.append((code, str(names.get(code, english))))
    return sorted(found, key=lambda choice: choice[1])


def _language_choices(language: str) -> list[tuple[str, str]]:
    names = _locale(language).languages
    return [(code, str(names.get(code, code)).capitalize()) for code in countries.DOCUMENT_LANGUAGES]


class CompanyForm(SellerForm):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    trade_name = forms.CharField(label=_("Trade name"), max_length=200, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    region = forms.CharField(label=_("Region or county"), max_length=100, required=False)
    country = forms.ChoiceField(label=_("Country"))
    vat_registered = forms.BooleanField(
        label=_("Registered for VAT"),
        required=False,
        help_text=_("Invoices then show your VAT id and charge VAT."),
    )
    vat_id = forms.CharField(
        label=_("VAT id"), max_length=20, required=False, help_text=_("With the country prefix, e.g. RO18547290.")
    )
    tax_id = forms.CharField(
        label=_("Tax id"), max_length=20, required=False, help_text=_("The national tax id, if you have one.")
    )
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        required=False,
        help_text=_("Trade register number, e.g. J40/1234/2020."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        help_text=_("The date of an invoice and its year in the number are the date in this time zone."),
        widget=forms.TextInput(attrs={"list": "time-zones"}),
    )
    currency = forms.CharField(
        label=_("Accounting currency"),
        max_length=3,
        widget=forms.TextInput(attrs={"list": "currencies", "class": "text-uppercase"}),
    )
    language = forms.ChoiceField(label=_("Default document language"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        language = get_language() or "en"
        self.fields["country"].choices = _country_choices(language)  # type: ignore[attr-defined]
        self.fields["language"].choices = _language_choices(language)  # type: ignore[attr-defined]

    @classmethod
    def of(cls, organization: Organization, *, read_only: bool) -> CompanyForm:
        initial = {name: getattr(organization, name) for name in cls.base_fields}
        return cls(initial=initial, read_only=read_only)


class BankAccountForm(SellerForm):
    label = forms.CharField(label=_("Label"), max_length=100, required=False, help_text=_("e.g. Main account"))
    iban = forms.CharField(label=_("IBAN"), max_length=50)
    bic = forms.CharField(label=_("BIC / SWIFT"), max_length=20, required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, widget=forms.TextInput(attrs={"list": "currencies"}))
    is_default = forms.BooleanField(label=_("Default account"), required=False)


def _page(
    request: SellerRequest,
    *,
    form: CompanyForm | None = None,
    bank_form: BankAccountForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organization = request.seller.organization
    may_change = request.seller.can(Permission.SETTINGS_CHANGE)
    context = {
        "form": form or CompanyForm.of(organization, read_only=not may_change),
        "bank_form": bank_form or BankAccountForm(initial={"currency": organization.currency}),
        "bank_accounts": selectors.bank_accounts(organization=organization),
        "may_change": may_change,
        "currencies": CURRENCIES,
        "time_zones": TIME_ZONES,
    }
    return render(request, "accounts/company.html", context, status=status)


@seller_view(Permission.DOCUMENTS_VIEW)
def company(request: SellerRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    if not request.seller.can(Permission.SETTINGS_CHANGE):
        return _forbidden(request)
    form = CompanyForm(request.POST)
    if form.is_valid():
        details = services.SellerDetails(**dict(form.cleaned_data.items()))
        try:
            services.organization_update(
                actor=request.seller.actor, organization=request.seller.organization, details=details
            )
        except FakturaError as error:
            show_error(form, error)
        else:
            messages.success(request, gettext("Company data saved. Documents issued from now on show it."))
            return redirect("accounts:company")
    return _page(request, form=form, status=422)


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def test_mode(request: SellerRequest) -> HttpResponse:
    enabled = request.POST.get("test_mode") == "on"
    services.organization_test_mode_set(
        actor=request.seller.actor, organization=request.seller.organization, enabled=enabled
    )
    if enabled:
        messages.warning(request, gettext("Test mode is on: documents get TEST- numbers and no real number is used."))
    else:
        messages.success(request, gettext("Test mode is off: documents get real numbers again."))
    return redirect("accounts:company")


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def bank_account_add(request: SellerRequest) -> HttpResponse:
    form = BankAccountForm(request.POST)
    if form.is_valid():
        try:
            services.bank_account_add(
                actor=request.seller.actor, organization=request.seller.organization, **form.cleaned_data
            )
        except FakturaError as error:
            show_error(form, error)
        else:
            messages.success(request, gettext("Bank account added."))
            return redirect("accounts:company")
    return _page(request, bank_form=form, status=422)


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def bank_account_remove(request: SellerRequest, account_id: int) -> HttpResponse:
    try:
        services.bank_account_remove(
            actor=request.seller.actor, organization=request.seller.organization, account_id=account_id
        )
    except NotFound as error:
        raise Http404(error.message) from None
    messages.success(request, gettext("Bank account removed. Documents issued already keep it."))
    return redirect("accounts:company")


def _forbidden(request: SellerRequest) -> HttpResponse:
    return forbidden(
        request,
        gettext("Your role (%(role)s) may look at these settings but not change them.") % {"role": request.seller.role},
        seller=request.seller,
    )
