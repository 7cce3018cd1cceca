"""A channel's configuration: ordered rules (conditions -> action) and the built-in triggers.

A rule says "when an order is in one of these statuses, paid this way, delivered
that way... issue this document, with these options" (F4.1). The triggers are
the payment and cancellation automations of F4.2, each switched on or off per
channel; all are off until the seller turns them on.

>>> from faktura.core.rules.facts import OrderStatus
>>> Triggers(invoice_when_order_paid=True).is_on(Trigger.INVOICE_WHEN_ORDER_PAID)
True
>>> Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID.label
'final invoice when a proforma is paid'
>>> rule = Rule(id=1, name="Invoice for cards", conditions=Conditions(statuses=frozenset({OrderStatus.ACCEPTED})),
...             action=Action(DocumentType.INVOICE))
>>> rule.label
'rule 1 "Invoice for cards"'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from faktura.core.documents import DocumentType
from faktura.core.rules.conditions import Conditions

__all__ = ["Action", "Rule", "RuleId", "RuleSet", "Trigger", "Triggers"]

RuleId = int | str


@dataclass(frozen=True)
class Action:
    document_type: DocumentType
    send_to_buyer: bool = True
    due_days: int | None = None
    """Days from issue to the due date; None: the series' or seller's default."""
    mark_paid: bool = False
    """Record the invoice as paid at once: only for invoices of orders paid upfront (see validation)."""


@dataclass(frozen=True)
class Rule:
    id: RuleId
    name: str
    conditions: Conditions
    action: Action
    enabled: bool = True

    @property
    def label(self) -> str:
        return f'rule {self.id} "{self.name}"'


class Trigger(StrEnum):
    """The built-in triggers; each value is the name of its switch on ``Triggers``."""

    FINAL_INVOICE_WHEN_PROFORMA_PAID = "final_invoice_when_proforma_paid"
    INVOICE_WHEN_ORDER_PAID = "invoice_when_order_paid"
    CREDIT_NOTE_WHEN_CANCELLED = "credit_note_when_cancelled"
    CREDIT_NOTE_FOR_PARTIAL_REFUND = "credit_note_for_partial_refund"

    @property
    def label(self) -> str:
        return _DESCRIPTION[self][0]

    @property
    def document_type(self) -> DocumentType:
        return _DESCRIPTION[self][1]


_DESCRIPTION = {
    Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID: ("final invoice when a proforma is paid", DocumentType.INVOICE),
    Trigger.INVOICE_WHEN_ORDER_PAID: ("invoice when the order is paid", DocumentType.INVOICE),
    Trigger.CREDIT_NOTE_WHEN_CANCELLED: ("credit note when the order is cancelled", DocumentType.CREDIT_NOTE),
    Trigger.CREDIT_NOTE_FOR_PARTIAL_REFUND: ("credit note for a refund", DocumentType.CREDIT_NOTE),
}


@dataclass(frozen=True)
class Triggers:
    final_invoice_when_proforma_paid: bool = False
    invoice_when_order_paid: bool = False
    credit_note_when_cancelled: bool = False
    credit_note_for_partial_refund: bool = False

    def is_on(self, trigger: Trigger) -> bool:
        return bool(getattr(self, trigger.value))


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...] = ()
    triggers: Triggers = Triggers()
