"""``order_upsert``: an order as a channel reports it, stored once per (channel, external id).

A channel sends the whole order every time (a webhook per change, a retry, a
nightly sync), so the upsert compares before it writes: the same content
changes nothing and records nothing. A new order is created with its buyer (an
existing buyer of the seller with the same e-mail is reused and brought up to
date); a changed one is updated and the audit trail says what changed. Lines
may change after a document was issued from the order: the order follows the
channel, the documents never change (F2.3); the caller records it.

The order row is locked (``SELECT … FOR UPDATE``) for the rest of the caller's
transaction, so deciding and issuing documents for it happen one event at a time.

**Monotonic by the channel's clock.** A snapshot that says when the channel last
changed the order (``payload.updated_at``: WooCommerce ``date_modified_gmt``,
Shopify ``updated_at``, the generic and API ``updated_at``) is applied only when
it is newer than the one the order holds; an older one, or one as old with other
content, is *stale*: it changes nothing, so a late retry or a replayed capture cannot bring back a state
the order has left (an invoice for an order since cancelled). A snapshot without
a time is applied as it comes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from faktura.apps.audit.services import audit_record
from faktura.apps.sales.models import Buyer, Order, OrderLine, SalesChannel
from faktura.apps.sales.services.orders import order_total
from faktura.core import countries, identifiers
from faktura.core.actors import Actor
from faktura.core.errors import InvalidValue, NotFound
from faktura.core.vat import VatCategory
from faktura.core.vat_rates import rates_for
from faktura.platform import fastsql
from faktura.platform.fastread import IEXACT, PreparedRead, attach_prefetched
from faktura.webhooks.payloads.model import BuyerPayload, OrderPayload

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization

_LINE_FIELDS = ("name", "quantity", "unit_price", "vat_category", "vat_rate", "discount", "sku", "barcode")
_ORDER_FIELDS = (
    "number",
    "status",
    "payment_method",
    "delivery_method",
    "currency",
    "pricing_mode",
    "placed_at",
    "billing_details_entered",
    "billing_address",
    "shipping_address",
    "shipping_amount",
    "shipping_vat_category",
    "shipping_vat_rate",
    "total",
)


@dataclass(frozen=True)
class OrderUpsert:
    order: Order
    created: bool
    changed: tuple[str, ...]
    """The order's fields that changed (``lines`` for its lines); empty when created or unchanged."""
    previous_status: str | None
    stale: bool = False
    """The snapshot is not newer than the stored one: nothing was written."""

    @property
    def status_changed(self) -> bool:
        return self.created or self.previous_status != self.order.status


def order_lock(*, organization: Organization, channel: SalesChannel, external_id: str) -> Order | None:
    """The order of this channel with this external id, locked until the transaction ends."""
    return _ORDER_LOCK.first(organization_id=organization.pk, channel_id=channel.pk, external_id=external_id)


# The reads of every order a channel sends: compiled once, not per order.
_ORDER_LOCK = PreparedRead(
    lambda organization_id, channel_id, external_id: (
        Order.objects.select_for_update(of=("self",))
        .select_related("buyer")
        .filter(organization_id=organization_id, channel_id=channel_id, external_id=external_id)
        .order_by("pk")[:1]
    ),
    organization_id=int,
    channel_id=int,
    external_id=str,
)
_BUYER_BY_EMAIL = PreparedRead(
    lambda organization_id, email: Buyer.objects.filter(organization_id=organization_id, email__iexact=email).order_by(
        "pk"
    )[:1],
    organization_id=int,
    email=IEXACT,
)


def order_upsert(
    *,
    actor: Actor,
    organization: Organization,
    channel: SalesChannel,
    payload: OrderPayload,
    shipping_address: Mapping[str, Any] | None = None,
    vat_categories: Sequence[str | None] = (),
    locked: Order | None = None,
    looked_up: bool = False,
) -> OrderUpsert:
    """Create or update the order ``payload`` describes; call it inside a transaction.

    ``locked`` is the order the caller already locked (``order_lock``); with
    ``looked_up`` a ``None`` there means the caller found none, else it is looked up here.
    ``vat_categories`` may name a line's VAT category; otherwise 0 % is ``zero``, the seller's reduced rates ``reduced``
    and any other rate ``standard`` (a wrong rate is refused when a document is issued).
    """
    if channel.organization_id != organization.pk:
        raise InvalidValue("the channel must belong to this seller", field="channel")
    order = locked
    if order is None and not looked_up:
        order = order_lock(organization=organization, channel=channel, external_id=payload.external_id)
    wanted = _order_values(organization, payload, shipping_address)
    lines = _line_values(organization, payload, vat_categories)
    wanted["total"] = order_total(
        lines=[(v["quantity"], v["unit_price"], v["vat_category"], v["vat_rate"], v["discount"]) for v in lines],
        shipping=(wanted["shipping_amount"], wanted["shipping_vat_category"], wanted["shipping_vat_rate"]),
        currency=wanted["currency"],
        pricing=wanted["pricing_mode"],
    )
    if order is None:
        return OrderUpsert(_create(actor, organization, channel, payload, wanted, lines), True, (), None)
    changed = [name for name in _ORDER_FIELDS if not _same(getattr(order, name), wanted[name])]
    current_lines = list(order.lines.all())
    lines_changed = len(current_lines) != len(lines) or any(
        not _same(getattr(line, name), values[name])
        for line, values in zip(current_lines, lines, strict=False)
        for name in _LINE_FIELDS
    )
    if _is_stale(order, payload, differs=bool(changed) or lines_changed):
        return OrderUpsert(order, False, (), order.status, stale=True)
    if payload.updated_at is not None and payload.updated_at != order.source_updated_at:
        order.source_updated_at = payload.updated_at
        Order.objects.filter(pk=order.pk).update(source_updated_at=payload.updated_at)
    buyer = _buyer(actor, organization, payload.buyer, wanted["billing_address"], current=order.buyer)
    if buyer.pk != order.buyer_id:
        changed.append("buyer")
    previous_status = order.status
    if not changed and not lines_changed:
        return OrderUpsert(order, False, (), previous_status)
    audit_changes: dict[str, Any] = {
        name: {"from": _plain(getattr(order, name)), "to": _plain(wanted[name])} for name in changed if name != "buyer"
    }
    for name in changed:
        if name == "buyer":
            order.buyer = buyer
        else:
            setattr(order, name, wanted[name])
    order.save(update_fields=[*changed, "updated_at"])
    if lines_changed:
        OrderLine.objects.filter(order=order).delete()
        _store_lines(organization, order, lines)
        audit_changes["lines"] = {"from": len(current_lines), "to": len(lines)}
        changed.append("lines")
    audit_record(
        organization=organization,
        actor=actor,
        action="order.updated",
        object_type="order",
        object_id=order.pk,
        data={"changes": audit_changes},
    )
    return OrderUpsert(order, False, tuple(changed), previous_status)


def _is_stale(order: Order, payload: OrderPayload, *, differs: bool) -> bool:
    """Older than the stored snapshot, or as old and different; with no time on either side, never.

    The same snapshot again (same time, same content) is not stale: it is unchanged.
    """
    held, given = order.source_updated_at, payload.updated_at
    if given is None or held is None:
        return False
    return given < held or (given == held and differs)


def _create(
    actor: Actor,
    organization: Organization,
    channel: SalesChannel,
    payload: OrderPayload,
    wanted: dict[str, Any],
    lines: list[dict[str, Any]],
) -> Order:
    buyer = _buyer(actor, organization, payload.buyer, wanted["billing_address"], current=None)
    order = fastsql.create(
        Order(
            organization=organization,
            channel=channel,
            external_id=payload.external_id,
            buyer=buyer,
            source_updated_at=payload.updated_at,
            **wanted,
        )
    )
    _store_lines(organization, order, lines)
    audit_record(
        organization=organization,
        actor=actor,
        action="order.created",
        object_type="order",
        object_id=order.pk,
        data={"channel": channel.code, "external_id": payload.external_id, "number": order.number},
    )
    return order


def _store_lines(organization: Organization, order: Order, lines: list[dict[str, Any]]) -> None:
    """Insert the order's lines; ``order.lines.all()`` then gives them without reading them back."""
    stored = fastsql.create_many(
        [
            OrderLine(organization=organization, order=order, position=position, **values)
            for position, values in enumerate(lines, start=1)
        ]
    )
    attach_prefetched(order, "lines", stored)


def _order_values(
    organization: Organization, payload: OrderPayload, shipping_address: Mapping[str, Any] | None
) -> dict[str, Any]:
    shipping_rate = payload.shipping.vat_rate
    return {
        "number": payload.number or payload.external_id,
        "status": payload.status.value,
        "payment_method": payload.payment_method.value,
        "delivery_method": payload.delivery_method,
        "currency": payload.currency,
        "pricing_mode": payload.pricing.value,
        "placed_at": payload.placed_at,
        "billing_details_entered": payload.buyer.billing_details_entered,
        "billing_address": _billing_address(organization, payload.buyer),
        "shipping_address": dict(shipping_address or {}),
        "shipping_amount": _stored(payload.shipping.amount, "shipping.amount"),
        "shipping_vat_category": _category(organization, shipping_rate, payload.placed_at.date()),
        "shipping_vat_rate": _stored(shipping_rate, "shipping.vat_rate", places=_RATE),
    }


def _line_values(
    organization: Organization, payload: OrderPayload, vat_categories: Sequence[str | None]
) -> list[dict[str, Any]]:
    values = []
    for index, line in enumerate(payload.lines):
        given = vat_categories[index] if index < len(vat_categories) else None
        category = (
            VatCategory.parse(given, field=f"lines.{index}.vat_category").value
            if given
            else _category(organization, line.vat_rate, payload.placed_at.date())
        )
        values.append(
            {
                "name": line.name[:300],
                "quantity": _stored(line.quantity, f"lines.{index}.quantity"),
                "unit_price": _stored(line.unit_price, f"lines.{index}.unit_price"),
                "vat_category": category,
                "vat_rate": _stored(line.vat_rate, f"lines.{index}.vat_rate", places=_RATE),
                "discount": _stored(line.discount, f"lines.{index}.discount"),
                "sku": line.sku[:64],
                "barcode": line.barcode[:32],
            }
        )
    return values


_PLACES = Decimal("0.0001")  # AmountField and QuantityField keep four decimals
_RATE = Decimal("0.01")
_LIMIT = Decimal(10) ** 10


def _stored(value: Decimal, field: str, *, places: Decimal = _PLACES) -> Decimal:
    """The value as the database keeps it (four decimals, or two for a rate), so that comparing
    a delivery with the stored order finds no change where there is none; too large is refused."""
    if not value.is_finite() or abs(value) >= _LIMIT:
        raise InvalidValue("must be a number below 10,000,000,000", field=field)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def _category(organization: Organization, rate: Decimal, on: dt.date) -> str:
    if not rate:
        return VatCategory.ZERO.value
    try:
        reduced = rates_for(organization.country, on).reduced
    except NotFound:
        reduced = frozenset()
    return VatCategory.REDUCED.value if rate in reduced else VatCategory.STANDARD.value


def _billing_address(organization: Organization, buyer: BuyerPayload) -> dict[str, str]:
    """The buyer as the documents of this order will name them: the company when there is one."""
    return {
        "name": (buyer.company or buyer.name).strip(),
        "contact": buyer.name.strip() if buyer.company else "",
        "street": buyer.street,
        "city": buyer.city,
        "postal_code": buyer.postal_code,
        "country": buyer.country or organization.country,
        "email": buyer.email,
        "phone": buyer.phone,
        "vat_id": buyer.vat_id,
    }


def _buyer(
    actor: Actor, organization: Organization, given: BuyerPayload, billing: dict[str, str], *, current: Buyer | None
) -> Buyer:
    """The seller's buyer with this e-mail (or the order's own), brought up to date; a new one otherwise."""
    country = countries.country(billing["country"], field="buyer.country")
    wanted = {
        "name": billing["name"][:200],
        "email": given.email[:254],
        "is_business": bool(given.company or given.vat_id),
        "vat_id": identifiers.vat_id(given.vat_id, country=country, field="buyer.vat_id") if given.vat_id else "",
        "street": given.street[:200],
        "city": given.city[:100],
        "postal_code": given.postal_code[:20],
        "country": country,
        "phone": given.phone[:40],
    }
    buyer = current
    if given.email and (buyer is None or buyer.email.casefold() != given.email.casefold()):
        buyer = _BUYER_BY_EMAIL.first(organization_id=organization.pk, email=given.email)
    if buyer is None:
        buyer = fastsql.create(Buyer(organization=organization, **wanted))
        audit_record(
            organization=organization,
            actor=actor,
            action="buyer.created",
            object_type="buyer",
            object_id=buyer.pk,
            data={"name": buyer.name, "country": country},
        )
        return buyer
    changes = {name: value for name, value in wanted.items() if getattr(buyer, name) != value}
    if changes:
        for name, value in changes.items():
            setattr(buyer, name, value)
        buyer.save(update_fields=list(changes))
        audit_record(
            organization=organization,
            actor=actor,
            action="buyer.updated",
            object_type="buyer",
            object_id=buyer.pk,
            data={"changes": sorted(changes)},
        )
    return buyer


def _same(stored: object, wanted: object) -> bool:
    if isinstance(stored, Decimal) or isinstance(wanted, Decimal):
        try:
            return Decimal(str(stored)) == Decimal(str(wanted))
        except ArithmeticError:
            return False
    return stored == wanted


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value
