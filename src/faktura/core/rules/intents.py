"""From "a rule wants this document" to the document to issue, or why not (F2.2, F4.5).

``intent_for`` is the one place that knows what each document type needs from
the order, so every rule and trigger, ``decide``, ``explain`` and ``simulate``
obey the same limits:

* **proforma**: not for a cancelled or returned order, not when the order has a
  live proforma or a live invoice, and not when it is already paid (a proforma
  asks for money). Its amount is the order total.
* **invoice**: not for a cancelled or returned order, and not when the order has
  a live invoice: a second invoice needs the first fully credited. It settles
  the live proformas no live invoice settles yet, and what was paid on them is
  its advance: a final invoice after a paid proforma has 0 due.
* **credit note**: credits the order's live invoice (the latest one, should
  there be two). For a cancelled or returned order it takes back all that is
  left to credit; for a refund it takes back the refund, once per refund id,
  and never more than is left. So credit notes never exceed what was invoiced.

Because an intent whose document exists is refused, an event delivered twice
issues nothing the second time. And because an invoice is never issued for a
cancelled or returned order and a whole one is credited only for such an order,
no rule set can make an invoice and its credit note chase each other.

>>> from dataclasses import replace
>>> from decimal import Decimal as D
>>> from faktura.core.rules.facts import OrderStatus, PaymentMethod
>>> from faktura.core.rules.ruleset import Trigger
>>> invoice = OrderDocument(DocumentType.INVOICE, "FA2026001", amount=D("100.00"))
>>> facts = OrderFacts(OrderStatus.ACCEPTED, PaymentMethod.CARD, total=D("100.00"), documents=(invoice,))
>>> intent_for(Action(DocumentType.INVOICE), Trigger.INVOICE_WHEN_ORDER_PAID, facts)
'order already has live invoice FA2026001; a second invoice needs the first fully credited'
>>> cancelled = replace(facts, status=OrderStatus.CANCELLED)
>>> intent_for(Action(DocumentType.CREDIT_NOTE), Trigger.CREDIT_NOTE_WHEN_CANCELLED, cancelled).describe()
'credit note 100.00 crediting FA2026001, by trigger "credit note when the order is cancelled"; sent to the buyer'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from faktura.core.documents import DocumentType
from faktura.core.rules.events import Refunded, RefundedLine
from faktura.core.rules.facts import UNSOLD, ZERO, OrderDocument, OrderFacts
from faktura.core.rules.ruleset import Action, Rule, Trigger

__all__ = ["Intent", "Skip", "Source", "document_name", "intent_for", "invoice_to_credit", "issue", "source_label"]

Source = Rule | Trigger


def source_label(source: Source) -> str:
    return source.label if isinstance(source, Rule) else f'trigger "{source.label}"'


@dataclass(frozen=True)
class Intent:
    """A document to issue now, with what it references."""

    action: Action
    source: Source
    amount: Decimal
    """Gross amount: the order total for an invoice or proforma, what a credit note takes back."""
    settles: tuple[str, ...] = ()
    advance: Decimal = ZERO
    """Invoice: paid on the proformas it settles, shown on it as already paid (BT-113)."""
    credits: str | None = None
    refund_id: str | None = None
    refund_lines: tuple[RefundedLine, ...] = ()

    @property
    def document_type(self) -> DocumentType:
        return self.action.document_type

    @property
    def due(self) -> Decimal:
        return self.amount - self.advance

    def describe(self, *, with_source: bool = True) -> str:
        parts = [f"{document_name(self.document_type)} {self.amount}"]
        if self.credits:
            parts.append(f" crediting {self.credits}" + (f" for refund {self.refund_id}" if self.refund_id else ""))
        if self.settles:
            parts.append(f" settling {', '.join(self.settles)} (advance {self.advance}, due {self.due})")
        if with_source:
            parts.append(f", by {source_label(self.source)}")
        options = [
            *(["sent to the buyer"] if self.action.send_to_buyer else ["not sent"]),
            *([f"due in {self.action.due_days} days"] if self.action.due_days is not None else []),
            *(["marked paid"] if self.action.mark_paid else []),
        ]
        return "".join(parts) + "; " + ", ".join(options)


@dataclass(frozen=True)
class Skip:
    """A rule or trigger that was asked and issues nothing, and why."""

    document_type: DocumentType
    source: Source
    reason: str

    def describe(self) -> str:
        return f"no {document_name(self.document_type)} by {source_label(self.source)}: {self.reason}"


def intent_for(action: Action, source: Source, facts: OrderFacts, *, refund: Refunded | None = None) -> Intent | str:
    """The document ``action`` asks for on this order, or the reason it is not issued."""
    document_type = action.document_type
    if document_type == DocumentType.CREDIT_NOTE:
        return _credit_note(action, source, facts, refund)
    if facts.status in UNSOLD:
        return f"order is {facts.status}; nothing is invoiced for it"
    if live := facts.live(DocumentType.INVOICE):
        if document_type == DocumentType.INVOICE:
            return f"order already has live invoice {live[-1].number}; a second invoice needs the first fully credited"
        return f"order is already invoiced ({live[-1].number})"
    if document_type == DocumentType.PROFORMA:
        if live := facts.live(DocumentType.PROFORMA):
            return f"order already has live proforma {live[-1].number}"
        if facts.fully_paid:
            return "order is already paid; a proforma asks for payment"
        return Intent(action, source, facts.total)
    if document_type != DocumentType.INVOICE:
        return f"{document_name(document_type, plural=True)} are not issued by rules"
    proformas = facts.unsettled_proformas()
    advance = min(sum((p.paid for p in proformas), ZERO), facts.total)
    return Intent(action, source, facts.total, settles=tuple(p.number for p in proformas), advance=advance)


def invoice_to_credit(facts: OrderFacts) -> OrderDocument | str:
    """The live invoice a credit note would correct (the latest, should there be two), or why there is none."""
    if live := facts.live(DocumentType.INVOICE):
        return live[-1]
    invoices = [d.number for d in facts.documents if d.document_type == DocumentType.INVOICE and not d.cancelled]
    return f"{invoices[-1]} is already fully credited" if invoices else "nothing invoiced to credit"


def _credit_note(action: Action, source: Source, facts: OrderFacts, refund: Refunded | None) -> Intent | str:
    if refund is None and facts.status not in UNSOLD:
        return f"order is {facts.status}; a whole invoice is credited when the order is cancelled or returned"
    if refund is not None:
        done = [d.number for d in facts.documents if d.refund_id == refund.refund_id and not d.cancelled]
        if done:
            return f"refund {refund.refund_id} is already credited by {done[0]}"
    invoice = invoice_to_credit(facts)
    if isinstance(invoice, str):
        return invoice
    left = facts.left_to_credit(invoice)
    if refund is None:
        if left <= 0:
            return f"nothing left to credit on {invoice.number}"
        return Intent(action, source, left, credits=invoice.number)
    if refund.amount > left:
        return f"refund of {refund.amount} exceeds the {left} left to credit on {invoice.number}; credit it by hand"
    return Intent(
        action, source, refund.amount, credits=invoice.number, refund_id=refund.refund_id, refund_lines=refund.lines
    )


def issue(facts: OrderFacts, intent: Intent, number: str) -> OrderFacts:
    """The facts once ``intent`` is issued as ``number``: what a simulation does instead of issuing."""
    paid = intent.amount if intent.action.mark_paid else intent.advance
    document = OrderDocument(
        intent.document_type,
        number,
        amount=intent.amount,
        paid=paid if intent.document_type == DocumentType.INVOICE else ZERO,
        credits=intent.credits,
        settles=intent.settles,
        refund_id=intent.refund_id,
    )
    return replace(facts, documents=(*facts.documents, document))


def document_name(document_type: DocumentType, *, article: bool = False, plural: bool = False) -> str:
    """'credit note'; with ``article`` 'a credit note', 'an invoice'; with ``plural`` 'credit notes'."""
    name = document_type.value.replace("_", " ")
    if plural:
        return f"{name}s"
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}" if article else name
