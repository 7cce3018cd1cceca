"""Configuring numbering series, refusing any set-up that could repeat a number (F3).

The rules, checked when a series is created and whenever it changes:

* **Two series of one seller never produce the same number.** A pattern is
  compared, exactly, with every pattern any other series of the seller has ever
  had (``SeriesPattern`` keeps them: numbers written with an old pattern exist
  for good), deactivated series included.
* **A series' new pattern keeps counting** where the old one stopped (the counter
  rows stay), so it may produce numbers an earlier pattern of the same series
  produced only when it reads them the same way: the same fields and literals
  (letters compared without case), only the counter's padding may differ
  (``FA{RRRR}{CCC}`` -> ``FA{RRRR}{CCCC}``, or back to an earlier pattern). Any
  other overlap with an earlier pattern is refused with an example number.
* **A start number applies in the current period** and must be above the last
  number used in it; the refusal names that number. Later periods start at 1.
* **A new reset policy continues the count**: see ``numbering.change_policy``.
  Yearly -> never goes on from this year's last number and never resets again;
  never -> yearly goes on this year and restarts at 1 next January; yearly ->
  monthly goes on this month (the pattern must then show the month). Issue dates
  before the day of the change are refused from then on, and the change itself
  is refused while the series has counters for periods after today.
* Every change is written to the audit trail with the old and the new value.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from faktura.apps.audit.services import audit_record
from faktura.apps.invoicing import numbering
from faktura.apps.invoicing.models import Document, DocumentDeletion, Series, SeriesCounter, SeriesPattern
from faktura.core.actors import Actor
from faktura.core.documents import DocumentType
from faktura.core.errors import Conflict, InvalidValue, MissingValue, NotFound
from faktura.core.numbering import Pattern, ResetPolicy, collision_example, period_key, validate_series
from faktura.core.numbering.series import NEVER_KEY, check_start
from faktura.core.numbering.tokens import Kind
from faktura.platform.transactions import atomic_with_retry

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import SalesChannel


class SeriesCollision(Conflict):
    code = "series_collision"


_LOCK_CLASS = 0x5E71E5  # pg_advisory_xact_lock namespace: "the series of one seller"


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
    except ValueError as error:
        raise InvalidValue(str(error), field="document_type") from None
    policy = _policy(reset_policy)
    parsed = parse_series_pattern(pattern=pattern, prefix=prefix, with_year=policy is not ResetPolicy.NEVER)
    validate_series(parsed, policy, start=start_number)
    if channel is not None and channel.organization_id != organization.pk:
        raise InvalidValue("the channel belongs to another seller", field="channel")
    with transaction.atomic():
        _lock_seller_series(organization)
        _refuse_collisions(organization, parsed, series=None)
        _refuse_second_active(organization, channel_id=channel.pk if channel else None, document_type=kind.value)
        series = Series.objects.create(
            organization=organization,
            channel=channel,
            document_type=kind.value,
            name=name.strip() or parsed.canonical,
            pattern=parsed.canonical,
            reset_policy=policy.value,
            start_number=start_number,
            starts_on=_today(organization),
        )
        SeriesPattern.objects.create(organization=organization, series=series, pattern=parsed.canonical)
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


def series_update(
    *,
    actor: Actor,
    organization: Organization,
    series_id: int,
    pattern: str | None = None,
    name: str | None = None,
    start_number: int | None = None,
    reset_policy: ResetPolicy | str | None = None,
    is_active: bool | None = None,
) -> Series:
    """Change what the seller may change; ``None`` leaves a setting as it is."""
    parsed = Pattern.parse(pattern) if pattern is not None else None
    policy = _policy(reset_policy) if reset_policy is not None else None
    if start_number is not None:
        check_start(start_number)
    if name is not None and not name.strip():
        raise MissingValue("a series needs a name", field="name")

    def update() -> Series:
        _lock_seller_series(organization)
        series = _locked(organization, series_id)
        before = _settings(series)
        _apply_rules(organization, series, parsed, policy, start_number)
        if is_active is not None and is_active != series.is_active:
            if is_active:
                _refuse_second_active(organization, channel_id=series.channel_id, document_type=series.document_type)
            series.is_active = is_active
        if name is not None:
            series.name = name.strip()
        after = _settings(series)
        changes = {key: {"from": before[key], "to": after[key]} for key in after if after[key] != before[key]}
        if changes:
            series.save()
            audit_record(
                organization=organization,
                actor=actor,
                action="series.updated",
                object_type="series",
                object_id=series.pk,
                data={"changes": changes},
            )
        return series

    return atomic_with_retry(update)


class SeriesInUse(Conflict):
    code = "series_in_use"


def series_delete(*, actor: Actor, organization: Organization, series_id: int) -> None:
    """Delete a series no document ever used: set up by mistake, never numbered anything.

    A series that gave a number (a document, a deleted document's tombstone, a
    counter past 0) is history the numbers depend on: it is refused with 409
    and the advice to deactivate it instead, which stops new numbers and keeps
    the old ones explained.
    """

    def delete() -> None:
        _lock_seller_series(organization)
        series = _locked(organization, series_id)
        used = (
            Document.objects.for_organization(organization).filter(series=series).exists()
            or DocumentDeletion.objects.for_organization(organization).filter(series=series).exists()
            or SeriesCounter.objects.for_organization(organization).filter(series=series, value__gt=0).exists()
        )
        if used:
            raise SeriesInUse(
                f"series {series.name} has numbered documents, so it cannot be deleted; "
                "deactivate it instead (PATCH is_active=false): it then gives no new numbers",
                field="series_id",
            )
        settings = _settings(series)
        SeriesCounter.objects.for_organization(organization).filter(series=series).delete()
        series.delete()
        audit_record(
            organization=organization,
            actor=actor,
            action="series.deleted",
            object_type="series",
            object_id=series_id,
            data={"document_type": series.document_type, **settings},
        )

    atomic_with_retry(delete)


def series_preview_next(
    *, organization: Organization, series_id: int, on: dt.date | None = None, test: bool = False
) -> str:
    """The number the next document issued ``on`` (today by default) would get, without taking it."""
    series = Series.objects.for_organization(organization).filter(pk=series_id).first()
    if series is None:
        raise NotFound(f"series {series_id} does not exist", field="series_id")
    return numbering.peek(series=series, on=on or _today(organization), is_test=test)


class _DryRun(Exception):
    """Raised inside ``series_preview_settings`` to roll back what it tried."""


def series_preview_settings(
    *,
    actor: Actor,
    organization: Organization,
    series_id: int | None = None,
    document_type: DocumentType | str = DocumentType.INVOICE,
    channel: SalesChannel | None = None,
    name: str = "",
    pattern: str = "",
    prefix: str = "",
    start_number: int = 1,
    reset_policy: ResetPolicy | str = ResetPolicy.YEARLY,
) -> str:
    """The number the next document would get if these settings were saved; nothing is stored.

    It runs ``series_create`` (no ``series_id``) or ``series_update`` for real and
    rolls the transaction back, so the preview refuses exactly what saving would
    refuse (an ambiguous pattern with its suggested spelling, a collision with
    another series, a start number at or below the last one used) with the same
    ``FakturaError``, instead of a second copy of the rules that could drift.
    """
    preview = ""
    try:
        with transaction.atomic():
            if series_id is None:
                series = series_create(
                    actor=actor,
                    organization=organization,
                    document_type=document_type,
                    name=name or "preview",
                    pattern=pattern,
                    prefix=prefix,
                    start_number=start_number,
                    reset_policy=reset_policy,
                    channel=channel,
                )
            else:
                if not pattern:
                    raise MissingValue("give a pattern such as FA{RRRR}{CCC}", field="pattern")
                series = series_update(
                    actor=actor,
                    organization=organization,
                    series_id=series_id,
                    pattern=pattern,
                    start_number=start_number,
                    reset_policy=reset_policy,
                )
            preview = series_preview_next(organization=organization, series_id=series.pk)
            raise _DryRun
    except _DryRun:
        pass
    return preview


def _apply_rules(
    organization: Organization,
    series: Series,
    pattern: Pattern | None,
    policy: ResetPolicy | None,
    start_number: int | None,
) -> None:
    """Pattern, reset policy and start number: the settings that decide numbers."""
    today = _today(organization)
    if pattern is not None and pattern.canonical == series.pattern:
        pattern = None
    if policy is not None and policy.value == series.reset_policy:
        policy = None
    new_pattern = pattern or Pattern.parse(series.pattern)
    new_policy = policy or ResetPolicy(series.reset_policy)
    if pattern is not None or policy is not None:
        validate_series(new_pattern, new_policy)
    if pattern is not None:
        _refuse_collisions(organization, pattern, series=series)
        _refuse_own_history(series, pattern)
        SeriesPattern.objects.get_or_create(
            series=series, pattern=pattern.canonical, defaults={"organization_id": series.organization_id}
        )
        series.pattern = pattern.canonical
    if policy is not None:
        if numbering.change_policy(series=series, policy=policy, pattern=new_pattern, today=today):
            series.reset_policy_since = today
        series.reset_policy = policy.value
    if start_number is not None and start_number != series.start_number:
        period = period_key(new_policy, today)
        last = numbering.last_used(series=series, period=period, pattern=new_pattern, on=today)
        if last is not None and start_number <= last.counter:
            where = "this series" if period == NEVER_KEY else period
            raise InvalidValue(
                f"{last.number} is the last number used in {where}; a new start number must be above "
                f"{last.counter}, or numbers would repeat",
                field="start_number",
            )
        numbering.jump_to_start(series=series, period=period, start=start_number)
        series.start_number = start_number
        series.starts_on = today


def _refuse_collisions(organization: Organization, pattern: Pattern, *, series: Series | None) -> None:
    """Every pattern any other series of the seller ever had counts: its numbers exist for good."""
    others = Series.objects.for_organization(organization)
    history = SeriesPattern.objects.for_organization(organization).select_related("series")
    if series is not None:
        others = others.exclude(pk=series.pk)
        history = history.exclude(series=series)
    candidates = {(other.pattern, other.pk): other for other in others}
    candidates.update({(entry.pattern, entry.series_id): entry.series for entry in history})
    for (text, _), other in sorted(candidates.items(), key=lambda item: item[0]):
        example = collision_example(pattern, Pattern.parse(text))
        if example is not None:
            was = "" if text == other.pattern else f", which it had before {other.pattern}"
            raise SeriesCollision(
                f"{pattern.canonical} could produce the number {example}, which series "
                f"'{other.name}' ({text}{was}) can produce too; give one of them another prefix",
                field="pattern",
            )


def _refuse_own_history(series: Series, pattern: Pattern) -> None:
    """An earlier pattern of the series may overlap the new one only where both read a number alike."""
    earlier = set(SeriesPattern.objects.filter(series=series).values_list("pattern", flat=True)) | {series.pattern}
    for text in sorted(earlier):
        old = Pattern.parse(text)
        if _shape(old) == _shape(pattern):
            continue
        example = collision_example(pattern, old)
        if example is not None:
            raise SeriesCollision(
                f"{pattern.canonical} could produce the number {example}, which this series' earlier pattern "
                f"{text} also produces for another date or counter; choose a pattern that differs from it, "
                "e.g. by its prefix or a separator",
                field="pattern",
            )


def _shape(pattern: Pattern) -> tuple[tuple[Kind, str], ...]:
    """What a number means, position by position: literals without case, the counter without its padding."""
    return tuple(
        (
            token.kind,
            token.text.upper() if token.kind is Kind.LITERAL else "" if token.kind is Kind.COUNTER else token.text,
        )
        for token in pattern.tokens
    )


def _refuse_second_active(organization: Organization, *, channel_id: int | None, document_type: str) -> None:
    active = Series.objects.for_organization(organization).filter(
        channel_id=channel_id, document_type=document_type, is_active=True
    )
    if active.exists():
        kind = document_type.replace("_", " ")
        where = "its channel" if channel_id else "this seller"
        raise Conflict(
            f"an active {kind} series exists already for {where}; deactivate it first", field="document_type"
        )


def _lock_seller_series(organization: Organization) -> None:
    """Serialize configuration changes of one seller's series, so two checks never pass side by side.

    SQLite needs nothing: every write transaction holds the database lock from its start."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, organization.pk % 2**31])


def _locked(organization: Organization, series_id: int) -> Series:
    """The series, locked against issuers that read its rules (``numbering.allocate``).

    FOR NO KEY UPDATE, not FOR UPDATE: an issuer committing a document checks its
    foreign key with FOR KEY SHARE, which must not wait for us while we wait for it."""
    no_key = connection.features.has_select_for_no_key_update
    series = Series.objects.for_organization(organization).select_for_update(no_key=no_key).filter(pk=series_id).first()
    if series is None:
        raise NotFound(f"series {series_id} does not exist", field="series_id")
    series.organization = organization
    return series


def _settings(series: Series) -> dict[str, Any]:
    return {
        "name": series.name,
        "pattern": series.pattern,
        "reset_policy": series.reset_policy,
        "start_number": series.start_number,
        "starts_on": series.starts_on.isoformat(),
        "reset_policy_since": series.reset_policy_since.isoformat() if series.reset_policy_since else None,
        "is_active": series.is_active,
    }


def _policy(value: ResetPolicy | str) -> ResetPolicy:
    try:
        return ResetPolicy(value)
    except ValueError:
        choices = ", ".join(policy.value for policy in ResetPolicy)
        raise InvalidValue(f"unknown reset policy {value!r}; choose one of {choices}", field="reset_policy") from None


def _today(organization: Organization) -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(organization.time_zone))
