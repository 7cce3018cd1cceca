"""The ingest pipeline: an order event in, the order stored, the rules run, documents out, in one transaction.

Three doors lead here, and all do the same, in one transaction per event:

1. find the event by its id: a second delivery gets the first outcome back
   (``duplicate``) and changes nothing;
2. lock the order row (``SELECT … FOR UPDATE``), creating the order when it is
   new; from here on, events of this order wait for each other;
3. store what the event says: the order's new state (``order_upsert``), a
   status, a payment (it pays the open proformas, then the invoice), a refund;
4. run the channel's rules (``pipeline.rules_run``) and issue what they decide;
5. add the event to the order's timeline with its outcome;
6. write the audit events of all this (``audit_batch``): the seller's audit
   chain is locked for these last statements only, not the whole transaction.

Concurrent deliveries of one event meet at the unique (channel, event id) of
the timeline or at the unique (channel, external id) of the order: the
transaction that loses rolls back whole and is retried, and then finds the
event. Lock conflicts and serialization failures are retried as well
(``atomic_with_retry``); on SQLite writers queue on the database lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import IntegrityError
from django.utils import timezone

from faktura.apps.audit.services import audit_batch
from faktura.apps.automation.facts import KnownOrder, known_from_rows, order_known
from faktura.apps.automation.outcome import EventOutcome
from faktura.apps.automation.pipeline import errors_refresh, payment_apply, rules_run
from faktura.apps.invoicing import selectors as invoicing_selectors
from faktura.apps.payments.services import payment_record
from faktura.apps.sales import selectors as sales_selectors
from faktura.apps.sales import services as sales
from faktura.core.actors import Actor
from faktura.core.errors import InvalidValue, MissingValue, NotFound
from faktura.core.money import Currency, quantize
from faktura.core.rules import Event, OrderStatus, PaymentRecorded, Refunded, RefundedLine, StatusChanged
from faktura.platform.transactions import atomic_with_retry
from faktura.webhooks.payloads.model import EventType, GenericEvent, OrderPayload

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import Order, SalesChannel

T = TypeVar("T")
_ATTEMPTS = 4


@dataclass(frozen=True)
class OrderEventInput:
    """An event reported for a known order (``POST /orders/{id}/events``)."""

    kind: str
    """status_changed, payment_recorded, cancelled or refunded."""
    status: OrderStatus | None = None
    amount: Decimal | None = None
    on: dt.date | None = None
    reference: str = ""
    refund_id: str = ""
    lines: tuple[RefundedLine, ...] = ()
    event_id: str | None = None


KINDS = ("status_changed", "payment_recorded", "cancelled", "refunded")


def channel_event_receive(
    *, actor: Actor, organization: Organization, channel: SalesChannel, event: GenericEvent, source: str = "webhook"
) -> EventOutcome:
    """One delivery from a channel (a webhook): deduplicated by event id, the order upserted, the rules run."""
    if not event.event_id:
        raise MissingValue("an event needs its id, so that a second delivery does nothing", field="event_id")
    return _deliver(
        organization,
        channel.pk,
        event.event_id,
        lambda: _channel_event(actor, organization, channel, event, source),
    )


def order_receive(
    *,
    actor: Actor,
    organization: Organization,
    channel: SalesChannel,
    payload: OrderPayload,
    shipping_address: Mapping[str, Any] | None = None,
    vat_categories: Sequence[str | None] = (),
    source: str = "api",
) -> EventOutcome:
    """Create or update an order (``POST /orders``); a new order or a new status runs the rules.

    The same content again changes nothing and adds nothing to the timeline.
    """

    def work() -> EventOutcome:
        order = sales.order_lock(organization=organization, channel=channel, external_id=payload.external_id)
        upsert = sales.order_upsert(
            actor=actor,
            organization=organization,
            channel=channel,
            payload=payload,
            shipping_address=shipping_address,
            vat_categories=vat_categories,
            locked=order,
            looked_up=True,
        )
        order = upsert.order
        order.channel = channel
        if upsert.stale:
            return _record_stale(organization, order, None, source, _stale_data(order, payload))
        if not upsert.created and not upsert.changed:
            return EventOutcome(order_id=order.pk)
        events: list[Event] = [StatusChanged(OrderStatus(order.status))] if upsert.status_changed else []
        kind = "created" if upsert.created else ("status_changed" if upsert.status_changed else "updated")
        data = {"changes": list(upsert.changed), "status": order.status}
        known = _note_lines(organization, order, upsert.changed, data)
        return _run_and_record(
            actor, organization, order, None, kind, source, data, events, known=known, created=upsert.created
        )

    return _deliver(organization, channel.pk, None, work)


def order_event_receive(
    *, actor: Actor, organization: Organization, order_id: int, event: OrderEventInput, source: str = "api"
) -> EventOutcome:
    """A status change, payment, cancellation or refund reported for an order; the rules run on it."""
    if event.kind not in KINDS:
        raise InvalidValue(f"unknown event kind {event.kind!r}; use one of {', '.join(KINDS)}", field="kind")

    def work() -> EventOutcome:
        order = sales.order_lock_by_id(organization=organization, order_id=order_id)
        if event.event_id and (
            found := sales.order_event_find(
                organization=organization, channel_id=order.channel_id, event_id=event.event_id
            )
        ):
            return EventOutcome.from_dict(found.outcome, duplicate=True)
        known = order_known(organization=organization, order=order)
        events, data, known = _apply(actor, organization, order, known, event)
        kind = "status_changed" if event.kind == "cancelled" else event.kind
        return _run_and_record(actor, organization, order, event.event_id, kind, source, data, events, known=known)

    return _deliver(organization, None, None, work)


# -------------------------------------------------------------------------------------------------


def _deliver(organization: Organization, channel_id: int | None, event_id: str | None, work: Callable[[], T]) -> T:
    """Run ``work`` in its own transaction; a concurrent twin that committed first makes it a duplicate."""
    for attempt in range(1, _ATTEMPTS + 1):
        if event_id and channel_id is not None:
            found = sales.order_event_find(organization=organization, channel_id=channel_id, event_id=event_id)
            if found is not None:
                return EventOutcome.from_dict(found.outcome, duplicate=True)  # type: ignore[return-value]
        try:
            return atomic_with_retry(lambda: _audited(work))
        except IntegrityError:
            if attempt == _ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _audited(work: Callable[[], T]) -> T:
    """``work`` with its audit events written together at its end, just before the commit."""
    with audit_batch():
        return work()


def _channel_event(
    actor: Actor, organization: Organization, channel: SalesChannel, event: GenericEvent, source: str
) -> EventOutcome:
    order = sales.order_lock(organization=organization, channel=channel, external_id=event.order.external_id)
    if order is not None and (
        found := sales.order_event_find(organization=organization, channel_id=channel.pk, event_id=event.event_id)
    ):
        return EventOutcome.from_dict(found.outcome, duplicate=True)
    upsert = sales.order_upsert(
        actor=actor, organization=organization, channel=channel, payload=event.order, locked=order, looked_up=True
    )
    order = upsert.order
    order.channel = channel
    money_event = event.type in (EventType.ORDER_PAYMENT_RECORDED, EventType.ORDER_REFUNDED)
    if upsert.stale and not money_event:
        noted: dict[str, Any] = {"type": event.type.value, **_stale_data(order, event.order)}
        if event.delivery_id:
            noted["delivery_id"] = event.delivery_id
        return _record_stale(organization, order, event.event_id, source, noted)
    status_event = not upsert.stale and (
        upsert.status_changed or event.type in (EventType.ORDER_STATUS_CHANGED, EventType.ORDER_CANCELLED)
    )
    events: list[Event] = [StatusChanged(OrderStatus(order.status))] if status_event else []
    data: dict[str, Any] = {"type": event.type.value, "changes": list(upsert.changed), "status": order.status}
    if event.delivery_id:
        data["delivery_id"] = event.delivery_id
    if upsert.stale:  # the payment or refund is news; the order as it was then is not
        data.update(_stale_data(order, event.order))
    kind = "created" if upsert.created else ("status_changed" if status_event else "updated")
    known = _note_lines(organization, order, upsert.changed, data)
    reported: OrderEventInput | None = None
    if event.type is EventType.ORDER_PAYMENT_RECORDED and event.payment is not None:
        kind = "payment_recorded"
        payment = event.payment
        reported = OrderEventInput(kind, amount=payment.amount, on=_day(payment.at), reference=payment.reference)
    elif event.type is EventType.ORDER_REFUNDED:
        kind = "refunded"
        known = known or order_known(organization=organization, order=order)
        refund = event.refund
        amount = refund.amount if refund is not None else max(known.facts.paid, Decimal(0))
        refund_id = (refund.reference if refund else "") or event.event_id
        reported = OrderEventInput(kind, amount=amount, refund_id=refund_id)
    if reported is not None and reported.amount is not None and reported.amount > 0:
        known = known or order_known(organization=organization, order=order)
        more, extra, known = _apply(actor, organization, order, known, reported)
        events = [*events, *more]
        data.update(extra)
    elif reported is not None:
        data["amount"] = "0"  # nothing came in or went back: recorded, no rule asked
    derived = [] if upsert.stale else _snapshot_money(organization, order, event.order)
    for money in derived:
        known = known or order_known(organization=organization, order=order)
        more, extra, known = _apply(actor, organization, order, known, money)
        events = [*events, *more]
        data.setdefault("payments" if money.kind == "payment_recorded" else "refunds", []).append(extra)
    if derived and kind == "updated":
        kind = "refunded" if "refunds" in data else "payment_recorded"
    return _run_and_record(
        actor,
        organization,
        order,
        event.event_id,
        kind,
        source,
        data,
        events,
        known=known,
        created=upsert.created,
        stale=upsert.stale,
    )


def _snapshot_money(organization: Organization, order: Order, payload: OrderPayload) -> list[OrderEventInput]:
    """The payment and refunds a shop's order snapshot shows that the order has not recorded yet.

    The snapshot says what was paid in all: the difference from what the order
    holds (payments reported, or recorded by hand) is a new payment. Its refunds
    are listed by id: those the timeline does not know are new. So the same
    snapshot twice, or an older one, derives nothing.
    """
    found: list[OrderEventInput] = []
    if payload.paid is not None and payload.paid > order.amount_paid:
        on = _day(payload.paid_at) if payload.paid_at is not None else None
        reference = f"{order.channel.code} order {order.number}"
        amount = quantize(payload.paid - order.amount_paid, Currency.parse(order.currency))
        if amount > 0:
            found.append(OrderEventInput("payment_recorded", amount=amount, on=on, reference=reference))
    if payload.refunds:
        recorded = {
            refund.refund_id for refund in sales_selectors.order_refunds(organization=organization, order_id=order.pk)
        }
        listed = {refund.refund_id: refund for refund in payload.refunds}
        found += [
            OrderEventInput("refunded", amount=refund.amount, refund_id=refund_id)
            for refund_id, refund in listed.items()
            if refund_id not in recorded
        ]
    return found


def _stale_data(order: Order, payload: OrderPayload) -> dict[str, Any]:
    held = order.source_updated_at
    return {
        "stale": True,
        "updated_at": payload.updated_at.isoformat() if payload.updated_at else None,
        "held_updated_at": held.isoformat() if held else None,
    }


def _record_stale(
    organization: Organization, order: Order, event_id: str | None, source: str, data: dict[str, Any]
) -> EventOutcome:
    """An older snapshot: on the timeline as ``stale``, and nothing else."""
    outcome = EventOutcome(order_id=order.pk, event_id=event_id, stale=True)
    sales.order_event_record(
        organization=organization,
        order=order,
        kind="stale",
        event_id=event_id,
        source=source,
        data=data,
        outcome=outcome.as_dict(),
    )
    return outcome


def _note_lines(
    organization: Organization, order: Order, changed: Sequence[str], data: dict[str, Any]
) -> KnownOrder | None:
    """Lines changed after a document was issued: the order follows the channel, the documents stay (F2.3).

    The timeline says which documents no longer match the order's lines.
    """
    if "lines" not in changed:
        return None
    known = order_known(organization=organization, order=order)
    issued = [d.number for d in known.facts.documents if known.facts.is_live(d) and not d.document_type.is_credit]
    if issued:
        data["lines_changed_after"] = issued
    return known


def _apply(
    actor: Actor, organization: Organization, order: Order, known: KnownOrder, event: OrderEventInput
) -> tuple[list[Event], dict[str, Any], KnownOrder]:
    """Store what ``event`` says about the (locked) order; the rule events it asks, its timeline data, the facts."""
    if event.kind in ("status_changed", "cancelled"):
        status = OrderStatus.CANCELLED if event.kind == "cancelled" else event.status
        if status is None:
            raise MissingValue("name the order's new status", field="status")
        changed = sales.order_status_set(actor=actor, organization=organization, order=order, status=status.value)
        known = replace(known, facts=replace(known.facts, status=status))
        return [StatusChanged(status)], {"status": status.value, "changed": changed}, known
    if event.kind == "payment_recorded":
        amount = _positive(event.amount, "amount")
        on = event.on or timezone.localdate()
        known = payment_apply(
            actor=actor,
            organization=organization,
            order=order,
            known=known,
            amount=amount,
            received_on=on,
            reference=event.reference,
        )
        paid = {"amount": str(amount), "on": on.isoformat(), "reference": event.reference}
        return [PaymentRecorded(amount)], paid, known
    if not event.refund_id:
        raise MissingValue("a refund needs its id, so that it is credited once", field="refund_id")
    lines = _refund_lines(order, event.lines)
    amount = event.amount if event.amount is not None else _lines_amount(order, lines)
    amount = _positive(amount, "amount")
    sales.order_money_record(order=order, refunded=amount)
    known = known_from_rows(organization=organization, order=order, rows=known.rows)
    refunded: dict[str, Any] = {
        "amount": str(amount),
        "refund_id": event.refund_id,
        "lines": [{"position": line.position, "quantity": str(line.quantity)} for line in lines],
    }
    return [Refunded(event.refund_id, amount, lines)], refunded, known


def _run_and_record(
    actor: Actor,
    organization: Organization,
    order: Order,
    event_id: str | None,
    kind: str,
    source: str,
    data: dict[str, Any],
    events: list[Event],
    *,
    known: KnownOrder | None = None,
    created: bool = False,
    stale: bool = False,
) -> EventOutcome:
    if events:
        known = known or order_known(organization=organization, order=order, new=created)
        outcome = rules_run(
            actor=actor,
            organization=organization,
            order=order,
            known=known,
            events=events,
            once_invoiced=_waiting_refunds(organization, order, events),
        )
    else:
        errors = errors_refresh(organization=organization, order=order) if order.channel.connector else ()
        outcome = EventOutcome(order_id=order.pk, errors=errors)
    outcome = replace(outcome, event_id=event_id, order_created=created, stale=stale)
    sales.order_event_record(
        organization=organization,
        order=order,
        kind=kind,
        event_id=event_id,
        source=source,
        data=data,
        outcome=outcome.as_dict(),
    )
    return outcome


def _waiting_refunds(organization: Organization, order: Order, events: Sequence[Event]) -> tuple[Refunded, ...]:
    """Refunds recorded on the order that no credit note took back yet (they came before the invoice).

    Asked again when this event issues an invoice: a refund that overtook its
    payment is credited once the invoice exists, as if the two had come in order.
    """
    if not order.amount_refunded or all(isinstance(event, Refunded) for event in events):
        return ()
    now = {event.refund_id for event in events if isinstance(event, Refunded)}
    credited = set(sales_selectors.order_refund_credits(organization=organization, order_id=order.pk).values())
    return tuple(
        Refunded(refund.refund_id, refund.amount, tuple(RefundedLine(p, q) for p, q in refund.lines))
        for refund in sales_selectors.order_refunds(organization=organization, order_id=order.pk)
        if refund.refund_id not in credited and refund.refund_id not in now
    )


def _refund_lines(order: Order, lines: tuple[RefundedLine, ...]) -> tuple[RefundedLine, ...]:
    if not lines:
        return ()
    quantities = {line.position: line.quantity for line in order.lines.all()}
    for index, line in enumerate(lines):
        if line.position not in quantities:
            raise InvalidValue(f"the order has no line {line.position}", field=f"lines.{index}.position")
        if not 0 < line.quantity <= quantities[line.position]:
            raise InvalidValue(
                f"must be more than 0 and at most the {quantities[line.position]} ordered",
                field=f"lines.{index}.quantity",
            )
    return lines


def _lines_amount(order: Order, lines: tuple[RefundedLine, ...]) -> Decimal:
    """The gross value of some quantity of some order lines (their share of each line's discount too)."""
    if not lines:
        raise MissingValue("give the amount refunded, or the lines", field="amount")
    by_position = {line.position: line for line in order.lines.all()}
    parts = []
    for refunded in lines:
        line = by_position[refunded.position]
        share = refunded.quantity / line.quantity
        parts.append((refunded.quantity, line.unit_price, line.vat_category, line.vat_rate, line.discount * share))
    return sales.order_total(
        lines=parts, shipping=(Decimal(0), "zero", Decimal(0)), currency=order.currency, pricing=order.pricing_mode
    )


def _positive(amount: Decimal | None, field: str) -> Decimal:
    if amount is None:
        raise MissingValue("is required", field=field)
    if not amount.is_finite() or amount <= 0:
        raise InvalidValue("must be a positive amount", field=field)
    return amount


def _day(moment: dt.datetime) -> dt.date:
    return moment.date()


@dataclass(frozen=True)
class DocumentPayment:
    payment: Any
    outcome: EventOutcome | None
    """What the rules did about it; None for a document without an order."""


def document_payment_receive(
    *,
    actor: Actor,
    organization: Organization,
    document_id: int,
    amount: Decimal,
    currency: str,
    received_on: dt.date,
    reference: str = "",
    method: str = "",
    note: str = "",
    source: str = "manual",
) -> DocumentPayment:
    """A payment recorded by hand (or matched) for a document; for an order's document the rules run (F10.3).

    The order is locked before the payment is recorded, so the rules decide
    with the payment in; the payment is on the order's timeline too. A payment
    of a proforma in full issues the final invoice when that trigger is on.
    """
    document = invoicing_selectors.document_get(organization=organization, document_id=document_id)
    if document is None:
        raise NotFound(f"document {document_id} does not exist", field="document_id")

    def record() -> Any:
        return payment_record(
            actor=actor,
            organization=organization,
            document_id=document_id,
            amount=amount,
            currency=currency,
            received_on=received_on,
            reference=reference,
            method=method,
            note=note,
            source=source,
        )

    order_id = document.order_id
    if order_id is None:
        return DocumentPayment(record(), None)

    def work() -> DocumentPayment:
        order = sales.order_lock_by_id(organization=organization, order_id=order_id)
        payment = record()
        sales.order_money_record(order=order, paid=payment.amount)
        events: list[Event] = [PaymentRecorded(payment.amount)] if payment.amount > 0 else []
        data = {
            "amount": str(payment.amount),
            "on": received_on.isoformat(),
            "reference": reference,
            "document_id": document_id,
        }
        outcome = _run_and_record(actor, organization, order, None, "payment_recorded", "document", data, events)
        return DocumentPayment(payment, outcome)

    return atomic_with_retry(lambda: _audited(work))
