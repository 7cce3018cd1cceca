"""Configuring numbering series, refusing any set-up that could repeat a number (F3)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from faktura.apps.audit.services import audit_record
from faktura.apps.invoicing.models import Series
from faktura.core.actors import Actor
from faktura.core.documents import DocumentType
from faktura.core.errors import Conflict, InvalidValue, MissingValue
from faktura.core.numbering import Pattern, ResetPolicy, collision_example, validate_series

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import SalesChannel


class SeriesCollision(Conflict):
    code = "series_collision"


def parse_series_pattern(*, pattern: str = "", prefix: str = "", with_year: bool = True) -> Pattern:
    """A pattern as written (``FARRRRCCC``, ``FA{RRRR}{CCC}``) or built from a bare prefix (``OVO``)."""
    if pattern and prefix:
        raise InvalidValue("give either a pattern or a prefix, not both", field="prefix")
    if pattern:
        return Pattern.parse(pattern)
    if prefix:
        return Pattern.from_prefix(prefix, with_year=with_year)
    raise MissingValue("give a pattern such as FA{RRRR}{CCC} or a prefix such as OVO", field="pattern")


def series_create(
    *,
    actor: Actor,
    organization: Organization,
    document_type: DocumentType | str,
    name: str,
    pattern: str = "",
    prefix: str = "",
    start_number: int = 1,
    reset_policy: ResetPolicy | str = ResetPolicy.YEARLY,
    channel: SalesChannel | None = None,
) -> Series:
    try:
        kind = DocumentType(document_type)
        policy = ResetPolicy(reset_policy)
    except ValueError as error:
        field = "document_type" if "DocumentType" in str(error) else "reset_policy"
        raise InvalidValue(str(error), field=field) from None
    parsed = parse_series_pattern(pattern=pattern, prefix=prefix, with_year=policy is not ResetPolicy.NEVER)
    validate_series(parsed, policy, start=start_number)
    if channel is not None and channel.organization_id != organization.pk:
        raise InvalidValue("the channel belongs to another seller", field="channel")
    with transaction.atomic():
        _refuse_collisions(organization, parsed, exclude=None)
        active = Series.objects.for_organization(organization).filter(
            channel=channel, document_type=kind.value, is_active=True
        )
        if active.exists():
            raise Conflict(
                f"an active {kind.value.replace('_', ' ')} series exists already for "
                f"{channel.name if channel else 'this seller'}; deactivate it first",
                field="document_type",
            )
        series = Series.objects.create(
            organization=organization,
            channel=channel,
            document_type=kind.value,
            name=name.strip() or parsed.canonical,
            pattern=parsed.canonical,
            reset_policy=policy.value,
            start_number=start_number,
            starts_on=timezone.localdate(timezone=ZoneInfo(organization.time_zone)),
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="series.created",
            object_type="series",
            object_id=series.pk,
            data={
                "pattern": series.pattern,
                "type": kind.value,
                "start_number": start_number,
                "reset_policy": policy.value,
                "channel": channel.code if channel else None,
            },
        )
    return series


def _refuse_collisions(organization: Organization, pattern: Pattern, *, exclude: int | None) -> None:
    """Every series the seller ever had counts: its old numbers exist for good."""
    others = Series.objects.for_organization(organization).exclude(pk=exclude).select_for_update()
    for other in others:
        example = collision_example(pattern, Pattern.parse(other.pattern))
        if example is not None:
            raise SeriesCollision(
                f"{pattern.canonical} could produce the number {example}, which series "
                f"'{other.name}' ({other.pattern}) can produce too; give one of them another prefix",
                field="pattern",
            )
