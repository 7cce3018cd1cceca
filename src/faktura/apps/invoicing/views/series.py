"""Settings -> Numbering series (F3, F7.1): a series per channel and document type, its pattern or prefix,
start number and reset policy, with a live preview of the next number.

The preview runs the very service that saves (``series_preview_settings``:
``series_create`` / ``series_update`` rolled back), so whatever saving would
refuse (an ambiguous pattern, with the spelling the core suggests; a pattern
another series could also produce; a start number at or below the last one
used) the preview refuses first, with the same words, next to the number.
Everyone may look; ``SETTINGS_CHANGE`` changes and previews.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from faktura.apps.invoicing import selectors, services
from faktura.apps.invoicing.models import Series
from faktura.apps.invoicing.views.common import TYPE_LABELS
from faktura.apps.sales import selectors as sales
from faktura.core.errors import FakturaError, NotFound
from faktura.core.roles import Permission
from faktura.web.forms import SellerForm, field_of, show_error
from faktura.web.seller import SellerRequest, forbidden, seller_view

POLICIES = [
    ("yearly", _("Every year (1 January)")),
    ("monthly", _("Every month")),
    ("never", _("Never")),
]
PATTERN_HELP = _(
    "RRRR is the year, RR its last two digits, CCC the counter padded to as many digits as there are Cs: "
    "FARRRRCCC gives FA2026001. In braces every other letter is literal: FA{RRRR}-{CCCC}, FV/{RR}/{MM}/{C}."
)


class NewSeriesForm(SellerForm):
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, help_text=_("All channels: used where a channel has no series of its own.")
    )
    document_type = forms.ChoiceField(label=_("Document type"), choices=list(TYPE_LABELS.items()))
    name = forms.CharField(label=_("Name"), max_length=100, required=False, help_text=_("The pattern when empty."))
    pattern = forms.CharField(label=_("Pattern"), max_length=64, required=False, help_text=PATTERN_HELP)
    # Named as the service's argument; the metaclass takes it off the class, so Form.prefix stays None.
    prefix = forms.CharField(  # type: ignore[assignment]
        label=_("or just a prefix"),
        max_length=40,
        required=False,
        help_text=_("OVO gives OVO20260001: the prefix, the year and a four-digit counter."),
    )
    start_number = forms.IntegerField(
        label=_("Start number"),
        min_value=1,
        max_value=2_000_000_000,
        initial=1,
        help_text=_("The first counter of this period, e.g. to go on from another program. Later periods start at 1."),
    )
    reset_policy = forms.ChoiceField(label=_("Counter starts again"), choices=POLICIES, initial="yearly")

    def __init__(self, *args: Any, channels: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = [("", gettext("All channels")), *channels]  # type: ignore[attr-defined]
        self.fields["pattern"].widget.attrs.update({"class": "form-control mono", "autocomplete": "off"})
        self.fields["prefix"].widget.attrs.update({"class": "form-control mono", "autocomplete": "off"})


class SeriesForm(SellerForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    pattern = forms.CharField(label=_("Pattern"), max_length=64, help_text=PATTERN_HELP)
    start_number = NewSeriesForm.base_fields["start_number"]
    reset_policy = forms.ChoiceField(label=_("Counter starts again"), choices=POLICIES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pattern"].widget.attrs.update({"class": "form-control mono", "autocomplete": "off"})


def _channels(request: SellerRequest) -> list[tuple[str, str]]:
    return [(str(c.pk), c.name) for c in sales.channels(organization=request.seller.organization).order_by("name")]


def _series(request: SellerRequest, series_id: int) -> Series:
    series = selectors.series_get(organization=request.seller.organization, series_id=series_id)
    if series is None:
        raise Http404("no such series")
    return series


def _not_allowed(request: SellerRequest) -> HttpResponse:
    return forbidden(
        request,
        gettext("Your role (%(role)s) may look at these settings but not change them.") % {"role": request.seller.role},
        seller=request.seller,
    )


def _next_number(request: SellerRequest, series: Series, *, test: bool = False) -> str:
    try:
        return services.series_preview_next(organization=request.seller.organization, series_id=series.pk, test=test)
    except FakturaError:
        return ""


@seller_view(Permission.DOCUMENTS_VIEW)
def series_list(request: SellerRequest) -> HttpResponse:
    organization = request.seller.organization
    channels = {c.pk: c for c in sales.channels(organization=organization)}
    wanted = request.GET.get("channel", "")
    channel_id = int(wanted) if wanted.isdigit() and int(wanted) in channels else None
    test_mode = organization.test_mode
    rows = []
    for series in selectors.series_list(organization=organization, channel_id=channel_id).order_by(
        "-is_active", "channel_id", "document_type", "pk"
    ):
        rows.append(
            {
                "series": series,
                "channel": channels.get(series.channel_id) if series.channel_id else None,
                "type": TYPE_LABELS.get(series.document_type, series.document_type),
                "policy": dict(POLICIES).get(series.reset_policy, series.reset_policy),
                "next": _next_number(request, series) if series.is_active else "",
                "next_test": _next_number(request, series, test=True) if series.is_active and test_mode else "",
                "last": selectors.series_last_number(series=series),
            }
        )
    context = {
        "rows": rows,
        "channels": sorted(channels.values(), key=lambda c: c.name),
        "channel_id": channel_id,
        "may_change": request.seller.can(Permission.SETTINGS_CHANGE),
    }
    return render(request, "invoicing/series/list.html", context)


def _form_page(
    request: SellerRequest,
    form: NewSeriesForm | SeriesForm,
    *,
    series: Series | None = None,
    preview: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "series": series,
        "preview": preview,
        "may_change": request.seller.can(Permission.SETTINGS_CHANGE),
        "type_label": TYPE_LABELS.get(series.document_type, "") if series else "",
        "channel_name": _channel_name(request, series) if series else "",
    }
    return render(request, "invoicing/series/form.html", context, status=status)


def _channel_name(request: SellerRequest, series: Series) -> str:
    if series.channel_id is None:
        return gettext("All channels")
    channel = sales.channel_get(organization=request.seller.organization, channel_id=series.channel_id)
    return channel.name if channel else ""


def _settings(request: SellerRequest, form: NewSeriesForm | SeriesForm) -> dict[str, Any]:
    """The form's values as the services' keyword arguments."""
    data = dict(form.cleaned_data)
    if "channel" in data:
        channel_id = data.pop("channel")
        data["channel"] = (
            sales.channel_get(organization=request.seller.organization, channel_id=int(channel_id))
            if channel_id
            else None
        )
    return data


def _preview(request: SellerRequest, form: NewSeriesForm | SeriesForm, series: Series | None) -> dict[str, str]:
    """``{"number": ...}`` or ``{"error": ..., "field": label}``; puts a refusal next to its field too."""
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        label = str(form.fields[name].label) if name in form.fields else ""
        return {"error": str(errors[0]), "field": label, "name": name}
    settings = _settings(request, form)
    try:
        number = services.series_preview_settings(
            actor=request.seller.actor,
            organization=request.seller.organization,
            series_id=series.pk if series else None,
            **settings,
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except FakturaError as error:
        blamed = field_of(error, form)
        show_error(form, error)
        label = str(form.fields[blamed].label) if blamed else ""
        return {"error": error.message, "field": label, "name": blamed or ""}
    return {"number": number}


@seller_view(Permission.SETTINGS_CHANGE)
def series_new(request: SellerRequest) -> HttpResponse:
    channels = _channels(request)
    if request.method != "POST":
        wanted = request.GET.get("channel", "")
        form = NewSeriesForm(channels=channels, initial={"channel": wanted if wanted in dict(channels) else ""})
        return _form_page(request, form)
    form = NewSeriesForm(request.POST, channels=channels)
    if "preview" in request.POST:
        return _form_page(request, form, preview=_preview(request, form, None))
    if form.is_valid():
        try:
            series = services.series_create(
                actor=request.seller.actor, organization=request.seller.organization, **_settings(request, form)
            )
        except FakturaError as error:
            show_error(form, error)
        else:
            messages.success(request, gettext("Series %(name)s added.") % {"name": series.name})
            return redirect("invoicing:series")
    return _form_page(request, form, status=422)


@seller_view(Permission.DOCUMENTS_VIEW)
def series_detail(request: SellerRequest, series_id: int) -> HttpResponse:
    series = _series(request, series_id)
    may_change = request.seller.can(Permission.SETTINGS_CHANGE)
    if request.method != "POST":
        initial = {name: getattr(series, name) for name in ("name", "pattern", "start_number", "reset_policy")}
        form = SeriesForm(initial=initial, read_only=not may_change)
        return _form_page(request, form, series=series, preview={"number": _next_number(request, series)})
    if not may_change:
        return _not_allowed(request)
    form = SeriesForm(request.POST)
    if "preview" in request.POST:
        return _form_page(request, form, series=series, preview=_preview(request, form, series))
    if form.is_valid():
        try:
            services.series_update(
                actor=request.seller.actor,
                organization=request.seller.organization,
                series_id=series.pk,
                **form.cleaned_data,
            )
        except NotFound as error:
            raise Http404(error.message) from None
        except FakturaError as error:
            show_error(form, error)
        else:
            messages.success(request, gettext("Series saved."))
            return redirect("invoicing:series-detail", series_id=series.pk)
    return _form_page(request, form, series=series, status=422)


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def series_preview(request: SellerRequest, series_id: int | None = None) -> HttpResponse:
    """The htmx fragment beside the form: the next number these settings would give, or why not."""
    series = _series(request, series_id) if series_id is not None else None
    form: NewSeriesForm | SeriesForm = (
        SeriesForm(request.POST) if series else NewSeriesForm(request.POST, channels=_channels(request))
    )
    context = {"preview": _preview(request, form, series), "fields": list(form.fields)}
    return render(request, "invoicing/series/_preview_response.html", context)


@require_POST
@seller_view(Permission.SETTINGS_CHANGE)
def series_active(request: SellerRequest, series_id: int) -> HttpResponse:
    """Activate or deactivate; a second active series for the same channel and type is refused."""
    series = _series(request, series_id)
    active = request.POST.get("is_active") == "on"
    try:
        services.series_update(
            actor=request.seller.actor, organization=request.seller.organization, series_id=series.pk, is_active=active
        )
    except FakturaError as error:
        messages.error(request, error.message)
    else:
        if active:
            messages.success(request, gettext("Series %(name)s is active.") % {"name": series.name})
        else:
            messages.success(
                request, gettext("Series %(name)s is deactivated; its numbers stay taken.") % {"name": series.name}
            )
    return redirect("invoicing:series")
