"""Numbering series over the REST API: thin views over the series services (F3, F1.3).

The documents' endpoints live in ``documents_api`` and are mounted here.

Every rule lives in ``services.series``: a pattern that could repeat another
series' number is a 409 ``series_collision`` naming ``pattern``; a start number
at or below the last one used is a 422 naming ``start_number``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from faktura.apps.integrations.idempotency import idempotent
from faktura.apps.invoicing import selectors, services
from faktura.apps.invoicing.documents_api import router as documents_router
from faktura.apps.sales import selectors as sales
from faktura.core.documents import DocumentType
from faktura.core.errors import NotFound
from faktura.core.numbering import ResetPolicy
from faktura.platform.api_types import DatabaseId

router = Router(tags=["series"])
router.add_router("/", documents_router)


class SeriesDocumentType(StrEnum):
    """Document types that take a number (estimates do too: F2)."""

    INVOICE = DocumentType.INVOICE.value
    PROFORMA = DocumentType.PROFORMA.value
    CREDIT_NOTE = DocumentType.CREDIT_NOTE.value
    ESTIMATE = DocumentType.ESTIMATE.value


class SeriesIn(Schema):
    document_type: SeriesDocumentType
    name: str = Field("", max_length=100, description="The pattern when empty.")
    pattern: str = Field("", max_length=64, description="FARRRRCCC or FA{RRRR}{CCC}; or give a prefix.")
    prefix: str = Field("", max_length=40, description="OVO gives OVO{RRRR}{CCCC}; or give a pattern.")
    start_number: int = Field(1, ge=1)
    reset_policy: ResetPolicy = ResetPolicy.YEARLY
    channel: int | None = Field(None, description="The channel's id; none: the seller-wide series.")


class SeriesPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    pattern: str | None = Field(None, min_length=1, max_length=64)
    start_number: int | None = Field(None, ge=1)
    reset_policy: ResetPolicy | None = None
    is_active: bool | None = None


class SeriesOut(Schema):
    id: int
    document_type: SeriesDocumentType
    name: str
    pattern: str
    reset_policy: ResetPolicy
    start_number: int
    starts_on: dt.date
    channel: int | None = Field(None, alias="channel_id")
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class SeriesDetailOut(SeriesOut):
    next_number: str = Field(description="What the next document issued today would get (not taken).")
    last_number: str | None = Field(description="The last number a real document of this series got.")


class SeriesFilters(Schema):
    channel: DatabaseId | None = None
    document_type: SeriesDocumentType | None = None


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _detail(request: HttpRequest, series_id: int) -> Any:
    organization = _org(request)
    series = selectors.series_get(organization=organization, series_id=series_id)
    if series is None:
        raise NotFound(f"series {series_id} does not exist", field="series_id")
    series.next_number = services.series_preview_next(organization=organization, series_id=series.pk)  # type: ignore[attr-defined]
    series.last_number = selectors.series_last_number(series=series)  # type: ignore[attr-defined]
    return series


@router.get("/series", response=list[SeriesOut], summary="The seller's numbering series")
def series_list(request: HttpRequest, filters: Query[SeriesFilters]) -> Any:
    return selectors.series_list(
        organization=_org(request),
        channel_id=filters.channel,
        document_type=filters.document_type.value if filters.document_type else None,
    )


@router.post("/series", response={201: SeriesDetailOut}, summary="Add a numbering series")
@idempotent
def series_add(request: HttpRequest, payload: SeriesIn) -> Any:
    organization = _org(request)
    channel = None
    if payload.channel is not None:
        channel = sales.channel_get(organization=organization, channel_id=payload.channel)
        if channel is None:
            raise NotFound(f"channel {payload.channel} does not exist", field="channel")
    series = services.series_create(
        actor=request.actor,  # type: ignore[attr-defined]
        organization=organization,
        document_type=payload.document_type.value,
        name=payload.name,
        pattern=payload.pattern,
        prefix=payload.prefix,
        start_number=payload.start_number,
        reset_policy=payload.reset_policy,
        channel=channel,
    )
    return Status(201, _detail(request, series.pk))


@router.get("/series/{series_id}", response=SeriesDetailOut, summary="One series, its next and last number")
def series_detail(request: HttpRequest, series_id: int) -> Any:
    return _detail(request, series_id)


@router.patch(
    "/series/{series_id}",
    response=SeriesDetailOut,
    summary="Change a series",
    description="Omitted fields stay as they are. A new pattern keeps counting; a start number must be above the "
    "last number used this period; see the service's rules.",
)
def series_change(request: HttpRequest, series_id: int, payload: SeriesPatch) -> Any:
    services.series_update(
        actor=request.actor,  # type: ignore[attr-defined]
        organization=_org(request),
        series_id=series_id,
        pattern=payload.pattern,
        name=payload.name,
        start_number=payload.start_number,
        reset_policy=payload.reset_policy,
        is_active=payload.is_active,
    )
    return _detail(request, series_id)


@router.delete(
    "/series/{series_id}",
    response={204: None},
    summary="Delete a series that never numbered a document",
    description="409 `series_in_use` once it has numbered a document: deactivate it instead "
    '(`PATCH {"is_active": false}`).',
)
def series_remove(request: HttpRequest, series_id: int) -> Any:
    services.series_delete(
        actor=request.actor,  # type: ignore[attr-defined]
        organization=_org(request),
        series_id=series_id,
    )
    return Status(204, None)
