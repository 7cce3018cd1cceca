"""Sales channels over the REST API: thin views over the sales services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from faktura.apps.automation import services as automation
from faktura.apps.integrations.idempotency import idempotent
from faktura.apps.sales import selectors, services
from faktura.apps.sales.api_orders import router as orders_router
from faktura.apps.sales.models import ChannelKind, InvoicingMode
from faktura.core.errors import NotFound

router = Router(tags=["channels"])
router.add_router("", orders_router)


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


# Channels ---------------------------------------------------------------------------------------


class ChannelIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    code: str = Field("", max_length=40, description="Short stable id; made from the name when empty.")
    kind: ChannelKind = ChannelKind.OWN_SHOP
    invoicing_mode: InvoicingMode = Field(InvoicingMode.BUILT_IN, description="F1: who issues the documents.")
    auto_issue: bool = Field(True, description="F1.2: the rules issue on their own; off, they only explain.")
    connector: str = Field("", max_length=40, description="A registered connector whose requirements apply (F4.4).")


class ChannelPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=100)
    is_active: bool | None = None
    invoicing_mode: InvoicingMode | None = None
    auto_issue: bool | None = None
    connector: str | None = Field(None, max_length=40, description="Empty: no connector.")


class ChannelOut(Schema):
    id: int
    code: str
    name: str
    kind: ChannelKind
    is_active: bool
    invoicing_mode: InvoicingMode
    auto_issue: bool
    connector: str
    created_at: dt.datetime


def _channel(request: HttpRequest, channel_id: int) -> Any:
    channel = selectors.channel_get(organization=_org(request), channel_id=channel_id)
    if channel is None:
        raise NotFound(f"channel {channel_id} does not exist", field="channel_id")
    return channel


@router.get("/channels", response=list[ChannelOut], summary="The seller's sales channels")
def channel_list(request: HttpRequest) -> Any:
    return selectors.channels(organization=_org(request))


@router.post("/channels", response={201: ChannelOut}, summary="Add a sales channel")
@idempotent
def channel_add(request: HttpRequest, payload: ChannelIn) -> Any:
    if payload.connector:
        automation.connector_check(name=payload.connector)
    return Status(
        201,
        services.channel_create(
            actor=_actor(request),
            organization=_org(request),
            name=payload.name,
            code=payload.code,
            kind=payload.kind,
            invoicing_mode=payload.invoicing_mode,
            auto_issue=payload.auto_issue,
            connector=payload.connector,
        ),
    )


@router.get("/channels/{channel_id}", response=ChannelOut, summary="One sales channel")
def channel_detail(request: HttpRequest, channel_id: int) -> Any:
    return _channel(request, channel_id)


@router.patch(
    "/channels/{channel_id}",
    response=ChannelOut,
    summary="Change a channel: name, active, invoicing mode, automatic issuing, connector",
)
def channel_change(request: HttpRequest, channel_id: int, payload: ChannelPatch) -> Any:
    channel = _channel(request, channel_id)
    if payload.connector is not None:
        automation.rule_set_check_connector(
            organization=_org(request), channel=channel, connector=payload.connector.strip()
        )
    return services.channel_update(
        actor=_actor(request),
        organization=_org(request),
        channel_id=channel_id,
        name=payload.name,
        is_active=payload.is_active,
        invoicing_mode=payload.invoicing_mode,
        auto_issue=payload.auto_issue,
        connector=payload.connector.strip() if payload.connector is not None else None,
    )


@router.delete(
    "/channels/{channel_id}",
    response=ChannelOut,
    summary="Deactivate a channel",
    description="A channel is never removed: its orders, series and documents keep pointing at it. "
    "DELETE deactivates it; PATCH `is_active: true` brings it back.",
)
def channel_remove(request: HttpRequest, channel_id: int) -> Any:
    return services.channel_update(
        actor=_actor(request), organization=_org(request), channel_id=channel_id, is_active=False
    )
