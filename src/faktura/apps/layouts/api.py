"""Layout settings over the REST API (F5.2, F5.3): list, save, logo, preview, and the list of field macros.

Thin views over the layouts services and selectors. Every id is looked up
within the caller's seller, so another seller's layout, channel or bank
account is a 404. Every POST and PUT takes an ``Idempotency-Key``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from faktura.apps.integrations.idempotency import idempotent
from faktura.apps.layouts import selectors, services
from faktura.apps.layouts.models import DocumentLayout
from faktura.core import countries
from faktura.core.errors import MissingValue, NotFound
from faktura.core.macros import MACROS, TEMPLATE_FIELDS, macro_catalog
from faktura.pdf.images import MAX_LOGO_BYTES
from faktura.pdf.template import DEFAULT_ACCENT

router = Router(tags=["layouts"])


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


class SettingsIn(Schema):
    accent_colour: str = Field(DEFAULT_ACCENT, description="#rrggbb")
    font: str = Field("inter", description="One of the bundled fonts.")
    footer: str = ""
    bank_account_id: int | None = None
    language: str = Field("", description="Document language; empty: the seller's default.")
    bilingual: bool = False
    template_source: str = Field("", description="A custom Typst template; empty: the built-in one.")
    templates: dict[str, str] = Field(
        default_factory=dict,
        description="Field templates with macros: title, note, supply_date, due_date (see GET /macros).",
    )

    def settings(self) -> services.LayoutSettings:
        return services.LayoutSettings(
            accent_colour=self.accent_colour,
            font=self.font,
            footer=self.footer,
            bank_account_id=self.bank_account_id,
            language=self.language,
            bilingual=self.bilingual,
            template_source=self.template_source,
            templates=self.templates,
        )


class LayoutIn(SettingsIn):
    channel_id: int | None = Field(None, description="Empty: every channel.")
    document_type: str = Field("", description="invoice, proforma, credit_note, estimate; empty: every type.")


class PreviewIn(SettingsIn):
    document_type: str = "invoice"


class LayoutOut(Schema):
    id: int
    channel_id: int | None
    document_type: str
    accent_colour: str
    font: str
    footer: str
    bank_account_id: int | None
    language: str
    bilingual: bool
    template_source: str
    templates: dict[str, str]
    logo: str = Field(description="The stored logo's name (content-addressed), empty when none.")
    updated_at: dt.datetime


class MacroOut(Schema):
    name: str
    macro: str
    type: str
    description: str
    example: str


class TemplateFieldOut(Schema):
    name: str
    description: str
    type: str = Field(description="text, or the type of the one macro a value field holds.")
    applied: bool = Field(description="Filled in on drafts made from orders when a layout sets it.")
    macros: list[str]


class MacrosOut(Schema):
    language: str
    macros: list[MacroOut]
    fields: list[TemplateFieldOut]


def _out(layout: DocumentLayout) -> dict[str, Any]:
    return {
        "id": layout.pk,
        "channel_id": layout.channel_id,
        "document_type": layout.document_type,
        "accent_colour": layout.accent_colour,
        "font": layout.font,
        "footer": layout.footer,
        "bank_account_id": layout.bank_account_id,
        "language": layout.language,
        "bilingual": layout.bilingual,
        "template_source": layout.template_source,
        "templates": dict(layout.templates or {}),
        "logo": layout.logo.name or "",
        "updated_at": layout.updated_at,
    }


@router.get("/layouts", response=list[LayoutOut], summary="The seller's layouts, per channel and document type")
def layouts_list(request: HttpRequest) -> Any:
    return [_out(layout) for layout in selectors.layouts(organization=_org(request))]


@router.put("/layouts", response=LayoutOut, summary="Create or replace the layout of a channel and document type")
@idempotent
def layout_put(request: HttpRequest, payload: LayoutIn) -> Any:
    layout = services.layout_save(
        actor=_actor(request),
        organization=_org(request),
        settings=payload.settings(),
        channel_id=payload.channel_id,
        document_type=payload.document_type,
    )
    return _out(layout)


# Before /layouts/{layout_id}: Django tries the routes in order.
@router.post(
    "/layouts/preview",
    response={200: None},
    summary="A sample document rendered with the given settings, as a PDF (nothing is saved)",
)
@idempotent
def layout_preview(request: HttpRequest, payload: PreviewIn) -> Any:
    pdf = services.layout_preview(
        organization=_org(request), settings=payload.settings(), document_type=payload.document_type
    )
    return HttpResponse(pdf, content_type="application/pdf")


@router.put("/layouts/{layout_id}", response=LayoutOut, summary="Replace the settings of one layout")
@idempotent
def layout_update(request: HttpRequest, layout_id: int, payload: SettingsIn) -> Any:
    layout = _get(request, layout_id)
    saved = services.layout_save(
        actor=_actor(request),
        organization=_org(request),
        settings=payload.settings(),
        channel_id=layout.channel_id,
        document_type=layout.document_type,
    )
    return _out(saved)


@router.get("/layouts/{layout_id}", response=LayoutOut, summary="One layout")
def layout_detail(request: HttpRequest, layout_id: int) -> Any:
    return _out(_get(request, layout_id))


@router.delete("/layouts/{layout_id}", response={204: None}, summary="Delete a layout: the less specific one applies")
def layout_delete(request: HttpRequest, layout_id: int) -> Any:
    services.layout_delete(actor=_actor(request), organization=_org(request), layout_id=layout_id)
    return Status(204, None)


@router.post(
    "/layouts/{layout_id}/logo",
    response=LayoutOut,
    summary="Set a layout's logo",
    description=f"multipart/form-data: `file`, a PNG or JPEG of at most {MAX_LOGO_BYTES // 1024} KiB.",
)
@idempotent
def layout_logo(request: HttpRequest, layout_id: int, file: File[UploadedFile | None] = None) -> Any:
    if file is None:
        raise MissingValue("attach the image as the form field 'file'", field="file")
    _get(request, layout_id)
    file.seek(0)
    layout = services.layout_logo_save(
        actor=_actor(request), organization=_org(request), layout_id=layout_id, logo=file.read(MAX_LOGO_BYTES + 1)
    )
    return _out(layout)


@router.get("/macros", response=MacrosOut, summary="The field macros, and which document fields take which")
def macros_list(request: HttpRequest, language: str = "en") -> Any:
    lang = countries.language(language, field="language")
    order = [macro.name for macro in MACROS]
    return {
        "language": lang,
        "macros": macro_catalog(lang),
        "fields": [
            {
                "name": field.name,
                "description": field.description,
                "type": field.kind.value if field.kind else "text",
                "applied": field.name in services.APPLIED_FIELDS,
                "macros": [
                    name for name in order if name in field.allowed and (not field.kind or _of(name, field.kind))
                ],
            }
            for field in TEMPLATE_FIELDS.values()
        ],
    }


def _of(name: str, kind: Any) -> bool:
    return next(macro.type for macro in MACROS if macro.name == name) is kind


def _get(request: HttpRequest, layout_id: int) -> DocumentLayout:
    layout = selectors.layout_get(organization=_org(request), layout_id=layout_id)
    if layout is None:
        raise NotFound(f"layout {layout_id} does not exist", field="layout_id")
    return layout
