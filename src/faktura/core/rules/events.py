"""What happened to an order: the events the engine is asked about.

The engine reads the facts as they are *after* the event; the event only says
which rules and triggers are asked:

* ``StatusChanged(status)``: the order reached a status. The Django layer sends
  it for a new or updated order too, with its current status. The rules are
  asked, and the cancellation trigger when the order is cancelled.
* ``PaymentRecorded(amount)``: money came in (by hand, matched from a bank
  statement, captured by the shop). The proforma and order-paid triggers are
  asked; a payment on a proforma is a payment like any other.
* ``Refunded(refund_id, amount, lines)``: money went back to the buyer. The
  refund trigger is asked; ``refund_id`` lets a refund be credited once.

``apply_event`` is what an event changes in the facts. The Django layer reads the
facts from the database; ``simulate`` replays past events with it. A payment pays
the open proformas first, in order, and the rest stays on the order:

>>> from decimal import Decimal as D
>>> from faktura.core.rules.facts import DocumentType, OrderDocument, OrderFacts, OrderStatus, PaymentMethod
>>> proforma = OrderDocument(DocumentType.PROFORMA, "ZAL2026001", amount=D("100.00"))
>>> facts = OrderFacts(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, total=D("100.00"), documents=(proforma,))
>>> paid = apply_event(facts, PaymentRecorded(D("100.00")))
>>> paid.paid, paid.documents[0].paid, paid.fully_paid
(Decimal('100.00'), Decimal('100.00'), True)
>>> apply_event(paid, Refunded("R1", D("30.00"))).paid
Decimal('70.00')
>>> Refunded("R1", D("-30.00"))
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: amount: a refund is a positive amount
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.rules.facts import ZERO, OrderFacts, OrderStatus

__all__ = ["Event", "PaymentRecorded", "Refunded", "RefundedLine", "StatusChanged", "apply_event"]


@dataclass(frozen=True)
class StatusChanged:
    status: OrderStatus


@dataclass(frozen=True)
class PaymentRecorded:
    amount: Decimal

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise InvalidValue("a payment is a positive amount", field="amount")


@dataclass(frozen=True)
class RefundedLine:
    """A line of the order taken back, by its position on the order, and how much of it."""

    position: int
    quantity: Decimal


@dataclass(frozen=True)
class Refunded:
    refund_id: str
    amount: Decimal
    lines: tuple[RefundedLine, ...] = ()

    def __post_init__(self) -> None:
        if not self.refund_id:
            raise MissingValue("a refund needs its id, so that it is credited once", field="refund_id")
        if self.amount <= 0:
            raise InvalidValue("a refund is a positive amount", field="amount")


Event = StatusChanged | PaymentRecorded | Refunded


def apply_event(facts: OrderFacts, event: Event) -> OrderFacts:
    """The facts after ``event``."""
    if isinstance(event, StatusChanged):
        return replace(facts, status=event.status)
    if isinstance(event, Refunded):
        return replace(facts, paid=facts.paid - event.amount, refunded=facts.refunded + event.amount)
    open_proformas = {p.number for p in facts.unsettled_proformas()}
    left = event.amount
    documents = []
    for document in facts.documents:
        if document.number in open_proformas and left > 0:
            share = min(max(document.amount - document.paid, ZERO), left)
            left -= share
            document = replace(document, paid=document.paid + share)
        documents.append(document)
    return replace(facts, paid=facts.paid + event.amount, documents=tuple(documents))
