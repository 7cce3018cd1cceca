"""Reads about channels, buyers and orders; every read names its organization."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from faktura.apps.sales.models import Buyer, Order, OrderEvent, OrderEventKind, OrderLine, SalesChannel
from faktura.core.errors import MissingValue
from faktura.platform.fastread import PreparedRead, attach_prefetched

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization


def channels(*, organization: Organization) -> QuerySet[SalesChannel]:
    return SalesChannel.objects.for_organization(organization).order_by("name")


def order_get(*, organization: Organization, order_id: int) -> Order | None:
    return (
        Order.objects.for_organization(organization)
        .select_related("buyer", "channel")
        .prefetch_related("lines")
        .filter(pk=order_id)
        .first()
    )


def buyer_get(*, organization: Organization, buyer_id: int) -> Buyer | None:
    return Buyer.objects.for_organization(organization).filter(pk=buyer_id).first()


def channel_get(*, organization: Organization, channel_id: int) -> SalesChannel | None:
    return SalesChannel.objects.for_organization(organization).filter(pk=channel_id).first()


def order_refund_credits(*, organization: Organization, order_id: int) -> dict[int, str]:
    """Credit notes the rules issued for refunds of the order: document id -> refund id.

    Any event may have issued one: a refund, a shop's snapshot listing refunds, a
    payment that brought the invoice a refund reported earlier was waiting for.
    """
    credits: dict[int, str] = {}
    outcomes = OrderEvent.objects.filter(organization=organization, order_id=order_id)
    for outcome in outcomes.values_list("outcome", flat=True):
        for document in (outcome or {}).get("documents", ()):
            if document.get("refund_id"):
                credits[document["id"]] = document["refund_id"]
    return credits


@dataclass(frozen=True)
class RecordedRefund:
    refund_id: str
    amount: Decimal
    lines: tuple[tuple[int, Decimal], ...] = ()
    """(position, quantity) of the order lines taken back."""


def order_refunds(*, organization: Organization, order_id: int) -> list[RecordedRefund]:
    """Every refund the order's timeline recorded, oldest first, once per refund id."""
    found: dict[str, RecordedRefund] = {}
    events = OrderEvent.objects.filter(organization=organization, order_id=order_id).order_by("received_at", "id")
    for kind, data in events.values_list("kind", "data"):
        data = data or {}
        entries = list(data.get("refunds", ()))
        if kind == OrderEventKind.REFUNDED and data.get("refund_id"):
            entries.append(data)
        for entry in entries:
            if entry.get("refund_id") and entry.get("amount") and entry["refund_id"] not in found:
                lines = tuple((line["position"], Decimal(line["quantity"])) for line in entry.get("lines", ()))
                found[entry["refund_id"]] = RecordedRefund(entry["refund_id"], Decimal(entry["amount"]), lines)
    return list(found.values())


def channel_find(*, organization: Organization, channel: int | str) -> SalesChannel | None:
    """A channel by its id or its code."""
    if isinstance(channel, int):
        return _CHANNEL_BY_ID.first(organization_id=organization.pk, channel_id=channel)
    return _CHANNEL_BY_CODE.first(organization_id=organization.pk, code=channel.strip())


# On every order a channel sends: compiled once, not per request.
_CHANNEL_BY_ID = PreparedRead(
    lambda organization_id, channel_id: SalesChannel.objects.filter(
        organization_id=organization_id, pk=channel_id
    ).order_by("pk")[:1],
    organization_id=int,
    channel_id=int,
)
_CHANNEL_BY_CODE = PreparedRead(
    lambda organization_id, code: SalesChannel.objects.filter(organization_id=organization_id, code=code).order_by(
        "pk"
    )[:1],
    organization_id=int,
    code=str,
)


def orders(
    *,
    organization: Organization,
    channel_id: int | None = None,
    status: str | None = None,
    external_id: str | None = None,
    placed_from: dt.date | None = None,
    placed_to: dt.date | None = None,
    has_errors: bool | None = None,
    search: str = "",
    before_id: int | None = None,
    limit: int = 50,
) -> list[Order]:
    """Newest first (by id), ``limit`` of them, older than ``before_id`` when given (keyset paging).

    ``search`` finds an order by the start of its number, its channel id, or a
    part of its buyer's name or e-mail; ``has_errors`` those the rules could not
    invoice (True) or the others (False).
    """
    found = Order.objects.for_organization(organization).select_related("channel", "buyer")
    if channel_id is not None:
        found = found.filter(channel_id=channel_id)
    if status:
        found = found.filter(status=status)
    if external_id:
        found = found.filter(external_id=external_id)
    if placed_from is not None:
        found = found.filter(placed_at__date__gte=placed_from)
    if placed_to is not None:
        found = found.filter(placed_at__date__lte=placed_to)
    if has_errors is not None:
        found = found.exclude(errors=[]) if has_errors else found.filter(errors=[])
    if search := search.strip().lstrip("#").strip():
        found = found.filter(
            Q(number__istartswith=search)
            | Q(external_id=search)
            | Q(buyer__name__icontains=search)
            | Q(buyer__email__icontains=search)
        )
    if before_id is not None:
        found = found.filter(pk__lt=before_id)
    return list(found.order_by("-pk")[:limit])


def order_detail(*, organization: Organization, order_id: int) -> Order | None:
    """The order with its buyer, channel, lines and timeline."""
    order = _ORDER_DETAIL.first(organization_id=organization.pk, order_id=order_id)
    if order is None:
        return None
    attach_prefetched(order, "lines", _ORDER_LINES.all(order_id=order.pk))
    attach_prefetched(order, "events", _ORDER_EVENTS.all(order_id=order.pk))
    return order


# Every order written through the API is read back for the answer: compiled once, not per request.
_ORDER_DETAIL = PreparedRead(
    lambda organization_id, order_id: (
        Order.objects.select_related("buyer", "channel")
        .filter(organization_id=organization_id, pk=order_id)
        .order_by("pk")[:1]
    ),
    organization_id=int,
    order_id=int,
)
_ORDER_LINES = PreparedRead(lambda order_id: OrderLine.objects.filter(order_id=order_id), order_id=int)
_ORDER_EVENTS = PreparedRead(lambda order_id: OrderEvent.objects.filter(order_id=order_id), order_id=int)


def order_by_reference(*, organization: Organization, reference: str) -> Order | None:
    """An order by its id, or by ``channel-code:external-id``."""
    if reference.isdigit():
        return order_detail(organization=organization, order_id=int(reference))
    code, _, external_id = reference.partition(":")
    return (
        Order.objects.for_organization(organization)
        .select_related("buyer", "channel")
        .filter(channel__code=code, external_id=external_id)
        .first()
    )


def orders_with_events(*, organization: Organization, channel_id: int, since: dt.date | None = None) -> Iterator[Order]:
    """A channel's orders, oldest first, each with its buyer and timeline, read in chunks."""
    found = Order.objects.for_organization(organization).filter(channel_id=channel_id)
    if since is not None:
        found = found.filter(placed_at__date__gte=since)
    return found.select_related("buyer").prefetch_related("events").order_by("pk").iterator(chunk_size=500)


def order_owner_get(*, order_id: int) -> Order | None:
    """An order of any seller, with its seller: for operator commands, never for a seller's door."""
    return Order.objects.select_related("organization").filter(pk=order_id).first()


def channel_by_code_anywhere(*, code: str) -> SalesChannel | None:
    """The one channel of any seller with this code (operator commands); refused when sellers share it."""
    found = list(SalesChannel.objects.select_related("organization").filter(code=code)[:2])
    if len(found) > 1:
        raise MissingValue(f"several sellers have a channel {code!r}; name the seller with --seller", field="seller")
    return found[0] if found else None


def buyer_orders(
    *,
    email: str,
    organization_id: int | None = None,
    also_ids: Collection[int] = (),
    order_id: int | None = None,
    limit: int = 200,
) -> list[Order]:
    """Orders of every seller (or one) whose buyer's address is ``email`` (normalised), or whose id is in ``also_ids``.

    For the buyer portal, not for a seller's door: ``also_ids`` are the orders
    of the buyer's documents (a document may carry a newer address than the
    order's buyer). Newest first.
    """
    found = (
        Order.objects.alias(buyer_email_key=Lower("buyer__email"))
        .filter(Q(buyer_email_key=email) | Q(pk__in=list(also_ids)))
        .select_related("organization", "channel")
    )
    if organization_id is not None:
        found = found.filter(organization_id=organization_id)
    if order_id is not None:
        found = found.filter(pk=order_id)
    return list(found.order_by("-placed_at", "-pk")[:limit])
