"""Writes about sales channels: creating them and changing their settings (F1, F4.4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify

from faktura.apps.audit.services import audit_record
from faktura.apps.sales.models import ChannelKind, InvoicingMode, SalesChannel
from faktura.core.actors import Actor
from faktura.core.errors import Conflict, InvalidValue, MissingValue, NotFound

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def channel_create(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    code: str = "",
    kind: str = ChannelKind.OWN_SHOP,
    invoicing_mode: str = InvoicingMode.BUILT_IN,
    auto_issue: bool = True,
    connector: str = "",
) -> SalesChannel:
    if not name.strip():
        raise MissingValue("name the channel, e.g. 'Own e-shop' or 'eBay'", field="name")
    code = slugify(code or name)[:40]
    _check_kind(kind)
    _check_mode(invoicing_mode)
    with transaction.atomic():
        if SalesChannel.objects.for_organization(organization).filter(code=code).exists():
            raise Conflict(f"a channel with the code {code!r} exists already", field="code")
        channel = SalesChannel.objects.create(
            organization=organization,
            name=name.strip(),
            code=code,
            kind=kind,
            invoicing_mode=invoicing_mode,
            auto_issue=auto_issue,
            connector=connector,
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="channel.created",
            object_type="channel",
            object_id=channel.pk,
            data={
                "code": code,
                "name": channel.name,
                "kind": kind,
                "invoicing_mode": invoicing_mode,
                "auto_issue": auto_issue,
                "connector": connector,
            },
        )
    return channel


def channel_update(
    *,
    actor: Actor,
    organization: Organization,
    channel_id: int,
    name: str | None = None,
    kind: str | None = None,
    is_active: bool | None = None,
    invoicing_mode: str | None = None,
    auto_issue: bool | None = None,
    connector: str | None = None,
) -> SalesChannel:
    """Change a channel's settings; ``None`` leaves a setting as it is.

    A channel is never removed: its orders, series and documents point at it for
    good. Deactivating it keeps them. The connector is checked by the caller
    (the automation app knows the registered connectors and the channel's rules).
    """
    if name is not None and not name.strip():
        raise MissingValue("name the channel, e.g. 'Own e-shop' or 'eBay'", field="name")
    if invoicing_mode is not None:
        _check_mode(invoicing_mode)
    if kind is not None:
        _check_kind(kind)
    with transaction.atomic():
        channel = SalesChannel.objects.for_organization(organization).select_for_update().filter(pk=channel_id).first()
        if channel is None:
            raise NotFound(f"channel {channel_id} does not exist", field="channel_id")
        wanted: dict[str, Any] = {
            "name": name.strip() if name is not None else None,
            "kind": kind,
            "is_active": is_active,
            "invoicing_mode": invoicing_mode,
            "auto_issue": auto_issue,
            "connector": connector,
        }
        changes = {
            key: {"from": getattr(channel, key), "to": value}
            for key, value in wanted.items()
            if value is not None and value != getattr(channel, key)
        }
        if changes:
            for key, change in changes.items():
                setattr(channel, key, change["to"])
            channel.save(update_fields=list(changes))
            audit_record(
                organization=organization,
                actor=actor,
                action="channel.updated",
                object_type="channel",
                object_id=channel.pk,
                data={"changes": changes},
            )
    return channel


def _check_mode(mode: str) -> None:
    if mode not in InvoicingMode.values:
        raise InvalidValue(
            f"unknown invoicing mode {mode!r}; use one of {', '.join(InvoicingMode.values)}", field="invoicing_mode"
        )


def _check_kind(kind: str) -> None:
    if kind not in ChannelKind.values:
        raise InvalidValue(f"unknown channel kind {kind!r}; use one of {', '.join(ChannelKind.values)}", field="kind")
