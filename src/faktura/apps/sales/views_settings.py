"""Settings -> Sales channels: each channel's invoicing mode (F1.1), automatic issuing (F1.2), connector and
the address its shop sends webhooks to.

Everyone on the team may look; ``SETTINGS_CHANGE`` changes. The rules live in
the services: ``sales.channel_create`` / ``channel_update``, the automation
app's connector checks (a connector must fit the channel's rules) and the
integrations app's inbound webhook services (a secret is shown once, a rotation
keeps the old secret valid until it is retired).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from faktura.apps.automation import selectors as automation_selectors
from faktura.apps.automation import services as automation
from faktura.apps.integrations import selectors as integrations_selectors
from faktura.apps.integrations import services as integrations
from faktura.apps.sales import selectors, services
from faktura.apps.sales.models import SalesChannel
from faktura.core.errors import FakturaError, NotFound
from faktura.core.roles import Permission
from faktura.web.forms import SellerForm, show_error
from faktura.web.seller import SellerRequest, forbidden, seller_view

KINDS = [
    ("own_shop", _("Own e-shop")),
    ("marketplace", _("Marketplace")),
    ("ebay", "eBay"),
    ("crm", _("CRM")),
    ("other", _("Other")),
]
MODES = [
    ("built_in", _("Faktura issues the documents")),
    ("external", _("An external invoicing system issues them")),
    ("manual_upload", _("I upload them by hand")),
]
MODE_HELP = {
    "built_in": _("The rules issue invoices, proformas and credit notes here, numbered by your series."),
    "external": _("A connected system (e.g. SmartBill) issues them; Faktura keeps a copy and issues nothing itself."),
    "manual_upload": _("You issue elsewhere and upload the PDF on the order's page; Faktura issues nothing."),
}
SCHEMES = [
    ("generic", _("Generic (Faktura-Signature header)")),
    ("woocommerce", "WooCommerce"),
    ("shopify", "Shopify"),
]


def _connector_choices(current: str = "") -> list[tuple[str, str]]:
    names = automation_selectors.connector_names()
    if current and current not in names:
        names = [*names, current]
    return [("", gettext("None")), *((name, name) for name in names)]


class ChannelForm(SellerForm):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("As you call it, e.g. Own e-shop or eBay."))
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS)
    invoicing_mode = forms.ChoiceField(
        label=_("Who issues the documents"), choices=MODES, widget=forms.RadioSelect, initial="built_in"
    )
    auto_issue = forms.BooleanField(
        label=_("Automatic issuing"),
        required=False,
        initial=True,
        help_text=_(
            "On: a document is issued and sent as soon as a rule fires. "
            "Off: nothing happens on its own; you issue from the order's page with one click."
        ),
    )
    connector = forms.ChoiceField(
        label=_("Connector"),
        required=False,
        help_text=_("The system whose requirements the channel's orders must meet, if any."),
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("An inactive channel keeps its orders.")
    )

    def __init__(self, *args: Any, current_connector: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connector"].choices = _connector_choices(current_connector)  # type: ignore[attr-defined]
        self.fields["invoicing_mode"].widget.attrs["class"] = "form-check-input"


class NewChannelForm(ChannelForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("A short stable id for the API, e.g. eshop; made from the name when empty. It cannot change."),
    )

    field_order = ("name", "code", "kind", "invoicing_mode", "auto_issue", "connector")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["is_active"]


class WebhookForm(SellerForm):
    scheme = forms.ChoiceField(label=_("Sender"), choices=SCHEMES)


def _may_change(request: SellerRequest) -> bool:
    return request.seller.can(Permission.SETTINGS_CHANGE)


def _not_allowed(request: SellerRequest) -> HttpResponse:
    return forbidden(
        request,
        gettext("Your role (%(role)s) may look at these settings but not change them.") % {"role": request.seller.role},
        seller=request.seller,
    )


def _channel(request: SellerRequest, channel_id: int) -> SalesChannel:
    channel = selectors.channel_get(organization=request.seller.organization, channel_id=channel_id)
    if channel is None:
        raise Http404("no such channel")
    return channel


@seller_view(Permission.DOCUMENTS_VIEW)
def channels(request: SellerRequest) -> HttpResponse:
    """The list, and the form that adds a channel (POST)."""
    form = NewChannelForm(read_only=not _may_change(request))
    status = 200
    if request.method == "POST":
        if not _may_change(request):
            return _not_allowed(request)
        form = NewChannelForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["connector"]:
                    automation.connector_check(name=data["connector"])
                channel = services.channel_create(
                    actor=request.seller.actor, organization=request.seller.organization, **data
                )
            except FakturaError as error:
                show_error(form, error)
            else:
                messages.success(request, gettext("Channel “%(name)s” added.") % {"name": channel.name})
                return redirect("sales:channel", channel_id=channel.pk)
        status = 422
    context = {
        "channels": selectors.channels(organization=request.seller.organization).order_by("-is_active", "name"),
        "form": form,
        "may_change": _may_change(request),
        "kinds": dict(KINDS),
        "modes": dict(MODES),
        "mode_help": MODE_HELP,
        "open_form": status != 200 or request.GET.get("new") == "1",
    }
    return render(request, "sales/channels.html", context, status=status)


def _channel_page(
    request: SellerRequest,
    channel: SalesChannel,
    *,
    form: ChannelForm | None = None,
    webhook_form: WebhookForm | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    organization = request.seller.organization
    webhook = integrations_selectors.inbound_webhook_for_channel(organization=organization, channel_id=channel.pk)
    may_change = _may_change(request)
    if form is None:
        initial = {name: getattr(channel, name) for name in ("name", "kind", "invoicing_mode", "auto_issue")}
        initial |= {"connector": channel.connector, "is_active": channel.is_active}
        form = ChannelForm(initial=initial, current_connector=channel.connector, read_only=not may_change)
    address = ""
    if webhook is not None and may_change:
        base = getattr(settings, "FAKTURA_BASE_URL", "") or request.build_absolute_uri("/")
        address = base.rstrip("/") + reverse("inbound-webhook", kwargs={"token": webhook.token})
    context = {
        "channel": channel,
        "form": form,
        "webhook": webhook,
        "webhook_address": address,
        "webhook_form": webhook_form or WebhookForm(initial={"scheme": webhook.scheme if webhook else "generic"}),
        "schemes": dict(SCHEMES),
        "secret": secret,
        "may_change": may_change,
        "mode_help": MODE_HELP,
    }
    response = render(request, "sales/channel.html", context, status=status)
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@seller_view(Permission.DOCUMENTS_VIEW)
def channel(request: SellerRequest, channel_id: int) -> HttpResponse:
    """One channel's settings (POST saves them)."""
    current = _channel(request, channel_id)
    if request.method != "POST":
        return _channel_page(request, current)
    if not _may_change(request):
        return _not_allowed(request)
    form = ChannelForm(request.POST, current_connector=current.connector)
    if form.is_valid():
        data = form.cleaned_data
        organization = request.seller.organization
        try:
            automation.rule_set_check_connector(organization=organization, channel=current, connector=data["connector"])
            services.channel_update(
                actor=request.seller.actor, organization=organization, channel_id=current.pk, **data
            )
        except NotFound as error:
            raise Http404(error.message) from None
        except FakturaError as error:
            show_error(form, error)
        else:
            messages.success(request, gettext("Channel settings saved."))
            return redirect("sales:channel", channel_id=current.pk)
    return _channel_page(request, current, form=form, status=422)


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def webhook_create(request: SellerRequest, channel_id: int) -> HttpResponse:
    current = _channel(request, channel_id)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            _, secret = integrations.inbound_webhook_create(
                actor=request.seller.actor,
                organization=request.seller.organization,
                channel_id=current.pk,
                scheme=form.cleaned_data["scheme"],
            )
        except FakturaError as error:
            show_error(form, error)
        else:
            return _channel_page(request, current, secret=secret)
    return _channel_page(request, current, webhook_form=form, status=422)


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def webhook_change(request: SellerRequest, channel_id: int) -> HttpResponse:
    """The sender's scheme, or switching the address off and on."""
    current = _channel(request, channel_id)
    scheme = request.POST.get("scheme") or None
    active = {"on": True, "off": False}.get(request.POST.get("is_active", ""))
    try:
        integrations.inbound_webhook_update(
            actor=request.seller.actor,
            organization=request.seller.organization,
            channel_id=current.pk,
            scheme=scheme,
            is_active=active,
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except FakturaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Webhook settings saved."))
    return redirect("sales:channel", channel_id=current.pk)


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def webhook_rotate(request: SellerRequest, channel_id: int) -> HttpResponse:
    current = _channel(request, channel_id)
    try:
        _, secret = integrations.inbound_webhook_rotate_secret(
            actor=request.seller.actor, organization=request.seller.organization, channel_id=current.pk
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except FakturaError as error:
        messages.error(request, error.message)
        return redirect("sales:channel", channel_id=current.pk)
    return _channel_page(request, current, secret=secret)


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def webhook_retire(request: SellerRequest, channel_id: int) -> HttpResponse:
    current = _channel(request, channel_id)
    try:
        integrations.inbound_webhook_retire_secret(
            actor=request.seller.actor, organization=request.seller.organization, channel_id=current.pk
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except FakturaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("The previous secret is no longer accepted."))
    return redirect("sales:channel", channel_id=current.pk)
