"""Running a channel's rules for an order event, and issuing what they decide (F4, F1.2, F4.4).

The caller holds the order's row lock in its transaction, so the facts read
here stay true until the documents are issued: two events of one order are
decided one after the other, and the second sees what the first issued (at
most one live document of each type per order, F4.5).

For each event ``core.rules.decide`` answers; each intent becomes service calls:

* a proforma or an invoice: a draft from the order (``document_create_from_order``),
  or, when it settles proformas, a final invoice (``document_create_final_invoice``),
  then ``document_issue``; ``due_days`` sets the due date, ``mark_paid``
  records a payment of the whole amount;
* a credit note: ``document_create_credit_note`` on the invoice, for all that
  is left (cancellation), the refunded lines, or the refunded amount, then issued.

An intent is issued only if the channel is in built-in mode with automatic
issuing on, and the order meets the channel connector's requirements;
otherwise it is reported as skipped, with the reason. An intent that fails (no
numbering series, a VAT rate the country does not have...) is rolled back
alone and becomes an error on the order, never an exception; so does a
connector violation. New errors are announced with an ``order.error`` outbound event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from faktura.apps.automation import connectors
from faktura.apps.automation.facts import KnownOrder, known_from_rows, order_known
from faktura.apps.automation.outcome import EventOutcome, IssuedDocument, OrderError, SkippedIntent
from faktura.apps.automation.rulesets import rule_set_load
from faktura.apps.delivery.services import document_email_enqueue
from faktura.apps.integrations.services import webhook_event_emit
from faktura.apps.invoicing import services as invoicing
from faktura.apps.payments.services import payment_record
from faktura.apps.sales import services as sales
from faktura.core.actors import Actor
from faktura.core.documents import DocumentType
from faktura.core.errors import FakturaError
from faktura.core.rules import Event, Intent, decide, issue, source_label

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import Order

CONNECTOR_SOURCE = "connector"


@dataclass(frozen=True)
class Gate:
    """Whether the channel lets the rules issue, and if not, why."""

    blocked: str | None
    errors: tuple[OrderError, ...] = ()


def rules_run(
    *,
    actor: Actor,
    organization: Organization,
    order: Order,
    known: KnownOrder,
    events: Sequence[Event],
    once_invoiced: Sequence[Event] = (),
) -> EventOutcome:
    """Decide and issue for ``events`` (already applied to the stored order, as ``known`` shows).

    ``once_invoiced`` are asked after them only if they issued an invoice: refunds
    reported before there was an invoice to credit, which can be credited now.
    """
    rule_set, version = rule_set_load(channel=order.channel)
    gate = _gate(order)
    documents: list[IssuedDocument] = []
    skipped: list[SkippedIntent] = []
    errors: list[OrderError] = list(gate.errors)
    attempted = stale = False
    facts = known.facts
    events = list(events)
    index = 0
    while index < len(events):
        event = events[index]
        index += 1
        if stale:  # the previous event issued: read the documents as they now are
            known = order_known(organization=organization, order=order)
            facts, stale = known.facts, False
        decision = decide(rule_set, facts, event)
        skipped += [SkippedIntent(s.document_type.value, source_label(s.source), s.reason) for s in decision.skipped]
        for intent in decision.issue:
            label = source_label(intent.source)
            if gate.blocked is not None:
                skipped.append(SkippedIntent(intent.document_type.value, label, gate.blocked))
                continue
            attempted = True
            try:
                with transaction.atomic():
                    issued = _issue(actor, organization, order, known, intent)
            except FakturaError as error:
                errors.append(OrderError(error.code, error.message, error.field, label))
                continue
            documents.append(issued)
            facts = issue(facts, intent, issued.number)
            stale = True
            if intent.document_type == DocumentType.INVOICE and once_invoiced:
                events += once_invoiced
                once_invoiced = ()
    _store_errors(organization, order, errors, attempted=attempted)
    return EventOutcome(
        order_id=order.pk,
        documents=tuple(documents),
        skipped=tuple(skipped),
        errors=tuple(errors),
        rules_version=version,
    )


def payment_apply(
    *,
    actor: Actor,
    organization: Organization,
    order: Order,
    known: KnownOrder,
    amount: Decimal,
    received_on: dt.date,
    reference: str = "",
) -> KnownOrder:
    """Record money received for the order: it pays the open proformas first, then the live invoice.

    What is left stays on the order (paid before any document, or more than
    was asked). Every share on a document is a payment of that document, so
    its payment state follows (F10.1).
    """
    sales.order_money_record(order=order, paid=amount)
    left = amount
    rows = {row.number: row for row in known.rows}
    targets = [p.number for p in known.facts.unsettled_proformas()]
    targets += [invoice.number for invoice in known.facts.live(DocumentType.INVOICE)[-1:]]
    paid_now: dict[int, Decimal] = {}
    for number in targets:
        row = rows[number]
        share = min(row.payable - row.paid, left)
        if share <= 0:
            continue
        payment_record(
            actor=actor,
            organization=organization,
            document_id=row.id,
            amount=share,
            currency=row.currency,
            received_on=received_on,
            reference=reference or f"order {order.number}",
            source="api",
        )
        paid_now[row.id] = share
        left -= share
    new_rows = tuple(replace(row, paid=row.paid + paid_now.get(row.id, Decimal(0))) for row in known.rows)
    return known_from_rows(organization=organization, order=order, rows=new_rows)


def errors_refresh(*, organization: Organization, order: Order) -> tuple[OrderError, ...]:
    """Check the order against its connector again after a change that asks no rule (new lines, say)."""
    errors = connector_errors(order)
    _store_errors(organization, order, list(errors), attempted=False)
    return errors


def gate_reason(order: Order) -> str | None:
    """Why the rules of the order's channel issue nothing by themselves, or None."""
    channel = order.channel
    if channel.invoicing_mode == "external":
        return f"channel {channel.code} is in external mode: its invoicing system issues the documents"
    if channel.invoicing_mode == "manual_upload":
        return f"channel {channel.code} is in manual upload mode: the seller uploads the documents"
    if not channel.auto_issue:
        return f"automatic issuing is off for channel {channel.code}; issue by hand from the order"
    return None


def connector_errors(order: Order) -> tuple[OrderError, ...]:
    """The order's violations of its channel connector's requirements (F4.4)."""
    name = order.channel.connector
    if not name:
        return ()
    source = f"{CONNECTOR_SOURCE} {name}"
    try:
        connector = connectors.get(name)
    except FakturaError as error:
        return (OrderError(error.code, error.message, "connector", source),)
    view = connectors.OrderView(
        external_id=order.external_id,
        number=order.number,
        currency=order.currency,
        buyer_name=(order.billing_address or {}).get("name", ""),
        buyer_country=(order.billing_address or {}).get("country", ""),
        buyer_vat_id=order.buyer.vat_id if order.buyer else "",
        lines=tuple(
            connectors.OrderLineView(line.position, line.name, line.quantity, line.sku, line.barcode)
            for line in order.lines.all()
        ),
    )
    return tuple(
        OrderError("connector_requirement", violation.message, violation.field, source)
        for violation in connector.check_order(view)
    )


def _gate(order: Order) -> Gate:
    blocked = gate_reason(order)
    errors = connector_errors(order)
    if blocked is None and errors:
        blocked = f"the order does not meet the requirements of connector {order.channel.connector}"
    return Gate(blocked, errors)


def _issue(actor: Actor, organization: Organization, order: Order, known: KnownOrder, intent: Intent) -> IssuedDocument:
    action = intent.action
    if intent.document_type == DocumentType.CREDIT_NOTE:
        invoice = known.by_number(intent.credits or "")
        by_lines = tuple(invoicing.CreditLine(line.position, line.quantity) for line in intent.refund_lines)
        draft = invoicing.document_create_credit_note(
            actor=actor,
            organization=organization,
            document_id=invoice.id,
            lines=by_lines,
            amount=intent.amount if intent.refund_id and not by_lines else None,
            reason=f"refund {intent.refund_id}" if intent.refund_id else f"order {order.number} {order.status}",
        )
    elif intent.settles:
        draft = invoicing.document_create_final_invoice(
            actor=actor,
            organization=organization,
            order_id=order.pk,
            proforma_ids=[known.by_number(number).id for number in intent.settles],
        )
    else:
        draft = invoicing.document_create_from_order(
            actor=actor,
            organization=organization,
            order=order,
            document_type=intent.document_type,
            due_date=_due_date(organization, action.due_days),
        )
    document = invoicing.document_issue(actor=actor, organization=organization, document_id=draft.pk)
    marked_paid = False
    if action.mark_paid and document.payable > 0:
        payment_record(
            actor=actor,
            organization=organization,
            document_id=document.pk,
            amount=document.payable,
            currency=document.currency,
            received_on=document.issue_date or timezone.localdate(),
            reference=f"order {order.number}",
            source="api",
            note=f"marked paid by {source_label(intent.source)}",
        )
        marked_paid = True
    if action.send_to_buyer:  # queued in this transaction: the email goes if and only if the document is issued
        document_email_enqueue(actor=actor, document=document)
    return IssuedDocument(
        id=document.pk,
        number=document.number or "",
        document_type=document.document_type,
        source=source_label(intent.source),
        send_to_buyer=action.send_to_buyer,
        marked_paid=marked_paid,
        refund_id=intent.refund_id,
    )


def _due_date(organization: Organization, days: int | None) -> dt.date | None:
    if days is None:
        return None
    return timezone.localdate(timezone=ZoneInfo(organization.time_zone)) + dt.timedelta(days=days)


def _store_errors(organization: Organization, order: Order, errors: list[OrderError], *, attempted: bool) -> None:
    """The order's errors now: its connector violations, and what failed when issuing was last tried."""
    fresh = [asdict(error) for error in errors]
    if not attempted:
        kept = [e for e in order.errors or [] if not str(e.get("source", "")).startswith(CONNECTOR_SOURCE)]
        fresh += [e for e in kept if e not in fresh]
    before = list(order.errors or [])
    if not sales.order_errors_set(order=order, errors=fresh):
        return
    new = [error for error in fresh if error not in before]
    if new:
        webhook_event_emit(
            organization_id=organization.pk,
            event_type="order.error",
            object_type="order",
            object_id=order.pk,
            data={
                "id": order.pk,
                "channel": order.channel.code,
                "external_id": order.external_id,
                "number": order.number,
                "errors": new,
            },
        )
