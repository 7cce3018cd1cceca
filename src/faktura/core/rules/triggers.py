"""The built-in triggers of F4.2 and F2.2: which event asks them, and what they issue.

=====================================  ==================  ====================================================
trigger                                asked on            issues
=====================================  ==================  ====================================================
``final_invoice_when_proforma_paid``   a payment           an invoice once an open proforma is fully paid; it
                                                           settles the proforma, its advance makes 0 due
``invoice_when_order_paid``            a payment           an invoice once the order is fully paid, marked paid
``credit_note_when_cancelled``         a status change     a credit note for all that is left on the live
                                                           invoice, when the order is cancelled
``credit_note_for_partial_refund``     a refund            a credit note for the refund (its amount and lines)
=====================================  ==================  ====================================================

The invoice triggers mark the invoice paid when the whole order is paid. Their
documents obey ``intent_for`` like a rule's: one live invoice, credit notes
within what was invoiced.

>>> from decimal import Decimal as D
>>> from faktura.core.rules import DocumentType, OrderDocument, OrderFacts, OrderStatus, PaymentMethod
>>> proforma = OrderDocument(DocumentType.PROFORMA, "ZAL2026001", amount=D("100.00"), paid=D("40.00"))
>>> facts = OrderFacts(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, total=D("100.00"), paid=D("40.00"),
...                    documents=(proforma,))
>>> trigger_outcome(Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID, facts)
'proforma ZAL2026001 is not fully paid (40.00 of 100.00)'
>>> trigger_outcome(Trigger.INVOICE_WHEN_ORDER_PAID, facts)
'order is not fully paid (40.00 of 100.00)'
>>> [t.value for t in asked_by(StatusChanged(OrderStatus.CANCELLED))]
['credit_note_when_cancelled']
"""

from __future__ import annotations

from faktura.core.documents import DocumentType
from faktura.core.rules.events import Event, PaymentRecorded, Refunded, StatusChanged
from faktura.core.rules.facts import OrderFacts, OrderStatus
from faktura.core.rules.intents import Intent, intent_for, invoice_to_credit
from faktura.core.rules.ruleset import Action, Trigger

__all__ = ["asked_by", "trigger_outcome"]

_ASKED_BY: dict[type[Event], tuple[Trigger, ...]] = {
    StatusChanged: (Trigger.CREDIT_NOTE_WHEN_CANCELLED,),
    PaymentRecorded: (Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID, Trigger.INVOICE_WHEN_ORDER_PAID),
    Refunded: (Trigger.CREDIT_NOTE_FOR_PARTIAL_REFUND,),
}


def asked_by(event: Event) -> tuple[Trigger, ...]:
    """The triggers ``event`` asks, in the order they are asked."""
    return _ASKED_BY[type(event)]


def trigger_outcome(trigger: Trigger, facts: OrderFacts, *, refund: Refunded | None = None) -> Intent | str:
    """What ``trigger`` issues on these facts, or why it issues nothing.

    Without ``refund``, the refund trigger answers with the most a refund could credit now.
    """
    action = Action(trigger.document_type, mark_paid=trigger.document_type == DocumentType.INVOICE and facts.fully_paid)
    if trigger is Trigger.FINAL_INVOICE_WHEN_PROFORMA_PAID:
        proformas = facts.unsettled_proformas()
        if not proformas:
            return "order has no open proforma"
        if not any(p.paid >= p.amount for p in proformas):
            return "; ".join(f"proforma {p.number} is not fully paid ({p.paid} of {p.amount})" for p in proformas)
    elif trigger is Trigger.INVOICE_WHEN_ORDER_PAID:
        if not facts.fully_paid:
            return f"order is not fully paid ({facts.received} of {facts.total})"
    elif trigger == Trigger.CREDIT_NOTE_WHEN_CANCELLED and facts.status != OrderStatus.CANCELLED:
        return f"order is {facts.status}, not cancelled"
    elif trigger == Trigger.CREDIT_NOTE_FOR_PARTIAL_REFUND and refund is None:
        invoice = invoice_to_credit(facts)
        if isinstance(invoice, str):
            return invoice
        return Intent(action, trigger, facts.left_to_credit(invoice), credits=invoice.number)
    return intent_for(action, trigger, facts, refund=refund)
