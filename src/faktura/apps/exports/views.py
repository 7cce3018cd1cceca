"""Bulk downloads and exports in the seller app: start one, follow a background job, fetch its file.

``start`` takes the document list's bulk form: ``action`` (zip, pdf, csv,
xlsx) and the ticked ``ids``, or ``all_matching=1`` with the list's filter
fields. A small selection whose PDFs are ready is streamed as the response; a
larger one (or one with drafts or many PDFs still to render) becomes a job
and the person is sent to its page, which htmx refreshes until the download
link appears.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from faktura.apps.exports import selectors
from faktura.apps.exports.build import CONTENT_TYPES, ExportBuild
from faktura.apps.exports.models import ExportState
from faktura.apps.exports.services import export_record, export_start
from faktura.apps.invoicing import selectors as invoicing
from faktura.apps.invoicing.selectors import document_files
from faktura.core.errors import FakturaError
from faktura.core.roles import Permission
from faktura.web.seller import SellerRequest, seller_view

# Rendering a missing PDF takes a moment: a few are made in the request, more go to a job.
RENDER_IN_REQUEST = 10
# The document list's filter parameters (invoicing/web_filters.py), kept on a job as what was asked.
_FILTER_FIELDS = ("q", "payment_state", "type", "status", "channel", "order", "issued_from", "issued_to", "sort")


class StartForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("zip", gettext_lazy("ZIP of PDFs")),
            ("pdf", gettext_lazy("One merged PDF")),
            ("csv", "CSV"),
            ("xlsx", "Excel (XLSX)"),
        ]
    )
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    all_matching = forms.BooleanField(required=False)
    vat_breakdown = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].valid_value = lambda value: str(value).isdigit() and 0 < int(value) < 2**63  # type: ignore[attr-defined]


def direct_limit() -> int:
    return int(getattr(settings, "FAKTURA_EXPORT_DIRECT_LIMIT", 200))


@require_POST
@seller_view(Permission.EXPORT)
def start(request: SellerRequest) -> HttpResponse:
    organization = request.seller.organization
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose documents and what to make of them."))
        return _back(request)
    export_format: str = form.cleaned_data["action"]
    vat_breakdown: bool = form.cleaned_data["vat_breakdown"]
    filters: dict[str, Any] = {}
    if form.cleaned_data["all_matching"]:
        ids, filters = _matching(request)
    else:
        ids = sorted(set(form.cleaned_data["ids"]))
        files = list(document_files(organization=organization, document_ids=ids))
        if len(files) != len(ids):
            raise Http404("a document is not one of this seller's")
    if not ids:
        messages.error(request, _("No documents are selected."))
        return _back(request)
    try:
        if len(ids) <= direct_limit() and _ready_to_stream(request, export_format, ids):
            export_record(
                organization=organization,
                actor=request.seller.actor,
                export_format=export_format,
                document_ids=ids,
                vat_breakdown=vat_breakdown,
            )
            build = ExportBuild(organization, export_format, ids, vat_breakdown)
            response = StreamingHttpResponse(build.chunks(), content_type=CONTENT_TYPES[export_format])
            response["Content-Disposition"] = f'attachment; filename="{build.filename()}"'
            response["Cache-Control"] = "no-store"
            return cast(HttpResponse, response)  # the guard's type names the common case; any response will do
        job = export_start(
            organization=organization,
            actor=request.seller.actor,
            export_format=export_format,
            document_ids=ids,
            filters=filters,
            vat_breakdown=vat_breakdown,
            language=get_language() or "en",
            user_id=request.user.pk,
        )
    except FakturaError as error:
        messages.error(request, error.message)
        return _back(request)
    return redirect("exports:job", job_id=job.pk)


def _matching(request: SellerRequest) -> tuple[list[int], dict[str, Any]]:
    """Every document the list's filter finds: the list's own selectors decide what the filter means."""
    organization = request.seller.organization
    filters = invoicing.document_filters_from_query(request.POST, organization)
    ids = list(invoicing.document_ids_matching(organization=organization, filters=filters))
    snapshot = {key: request.POST.get(key) for key in _FILTER_FIELDS if request.POST.get(key)}
    return ids, snapshot


def _ready_to_stream(request: SellerRequest, export_format: str, ids: list[int]) -> bool:
    """Tables always stream; PDFs stream when there is no draft and at most a few are still to render."""
    if export_format in ("csv", "xlsx"):
        return True
    missing = 0
    for document in document_files(organization=request.seller.organization, document_ids=ids):
        if document.status == "draft":
            return False
        missing += not (document.pdf_name and document.pdf_sha256)
    return missing <= RENDER_IN_REQUEST


def _back(request: SellerRequest) -> HttpResponse:
    """To the document list the form came from (``back`` is its query string), else the exports page."""
    back = request.POST.get("back", "")
    try:
        documents = reverse("invoicing:documents")
    except NoReverseMatch:
        return redirect("exports:jobs")
    target = documents + back if back.startswith("?") else documents
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(documents)


@require_GET
@seller_view(Permission.EXPORT)
def jobs(request: SellerRequest) -> HttpResponse:
    recent = selectors.export_jobs_recent(organization=request.seller.organization, limit=20)
    return render(request, "exports/jobs.html", {"jobs": recent})


@require_GET
@seller_view(Permission.EXPORT)
def job(request: SellerRequest, job_id: int) -> HttpResponse:
    found = selectors.export_job_get(organization=request.seller.organization, job_id=job_id)
    if found is None:
        raise Http404("no such export")
    context = {"job": found}
    if request.headers.get("HX-Request"):
        return render(request, "exports/_progress.html", context)
    return render(request, "exports/job.html", context)


@require_GET
@seller_view(Permission.EXPORT)
def download(request: SellerRequest, job_id: int) -> HttpResponse:
    found = selectors.export_job_get(organization=request.seller.organization, job_id=job_id)
    if found is None:
        raise Http404("no such export")
    if found.state == ExportState.EXPIRED or (found.expires_at and found.expires_at <= timezone.now()):
        return render(request, "exports/job.html", {"job": found}, status=410)
    if found.state != ExportState.DONE or not found.file:
        return redirect("exports:job", job_id=found.pk)
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.filename,
        content_type=CONTENT_TYPES[found.export_format],
    )
    response["Cache-Control"] = "no-store"
    return cast(HttpResponse, response)
