"""Issuing rules (F4): which document an order gets, when, and why.

A sales channel has a rule set: ordered **rules** and four built-in **triggers**.
A rule says "when an order is in one of these statuses, paid and delivered in
one of these ways, with or without billing details, from these countries, by a
business or a consumer, issue this document" with options: send it to the
buyer, due days, mark it paid. The triggers issue the final invoice when a
proforma is paid, the invoice when the order is paid, a credit note when an
invoiced order is cancelled and a credit note for a refund; each is switched on
or off per channel.

The engine is pure. ``decide(rule_set, facts, event)`` gets what the Django layer
knows about the order after an event and returns what to issue now, and what
was asked but issues nothing, with the reason. Seed 003's rules, with the
final-invoice trigger on:

>>> from dataclasses import replace
>>> from decimal import Decimal as D
>>> rule_set = rule_set_from_dict({
...     "rules": [
...         {"id": 1, "name": "Proforma",
...          "conditions": {"statuses": ["accepted"], "payment_methods": ["bank_transfer"]},
...          "action": {"document_type": "proforma", "due_days": 14}},
...         {"id": 2, "name": "Invoice",
...          "conditions": {"statuses": ["accepted"], "payment_methods": ["card"]},
...          "action": {"document_type": "invoice", "mark_paid": True}},
...         {"id": 3, "name": "Credit note",
...          "conditions": {"statuses": ["cancelled"]},
...          "action": {"document_type": "credit_note"}},
...     ],
...     "triggers": {"final_invoice_when_proforma_paid": True},
... })

**Accepted, paid by bank transfer**: a proforma. Each rule that issues nothing
says why (the first condition it fails):

>>> order = OrderFacts(OrderStatus.ACCEPTED, PaymentMethod.BANK_TRANSFER, total=D("121.00"), order_number="1001")
>>> decision = decide(rule_set, order, StatusChanged(OrderStatus.ACCEPTED))
>>> print(decision.render_text())
issue proforma 121.00, by rule 1 "Proforma"; sent to the buyer, due in 14 days
no invoice by rule 2 "Invoice": payment method is bank_transfer, rule wants card
no credit note by rule 3 "Credit note": status is accepted, rule wants cancelled

The Django layer issues it; here ``issue`` puts it into the facts. The same
event delivered again issues nothing (F4.5):

>>> order = issue(order, decision.issue[0], "ZAL2026001")
>>> decide(rule_set, order, StatusChanged(OrderStatus.ACCEPTED)).skipped[0].reason
'order already has live proforma ZAL2026001'

**The proforma is paid**: the final invoice settles it, shows the advance, and
nothing is left to pay (F2.2):

>>> order = apply_event(order, PaymentRecorded(D("121.00")))
>>> final = decide(rule_set, order, PaymentRecorded(D("121.00"))).issue[0]
>>> final.document_type, final.settles, final.advance, final.due
(<DocumentType.INVOICE: 'invoice'>, ('ZAL2026001',), Decimal('121.00'), Decimal('0.00'))

**Accepted, paid by card**: an invoice, marked paid at once. **Cancelled after
that**: a credit note for the whole invoice.

>>> card = OrderFacts(OrderStatus.ACCEPTED, PaymentMethod.CARD, total=D("50.00"), paid=D("50.00"))
>>> print(decide(rule_set, card, StatusChanged(OrderStatus.ACCEPTED)).issue[0].describe())
invoice 50.00, by rule 2 "Invoice"; sent to the buyer, marked paid
>>> card = issue(card, decide(rule_set, card, StatusChanged(OrderStatus.ACCEPTED)).issue[0], "FA2026001")
>>> card = apply_event(card, StatusChanged(OrderStatus.CANCELLED))
>>> print(decide(rule_set, card, StatusChanged(OrderStatus.CANCELLED)).issue[0].describe())
credit note 50.00 crediting FA2026001, by rule 3 "Credit note"; sent to the buyer

**Cancelled before anything was invoiced**: nothing, and the reason:

>>> cod = OrderFacts(OrderStatus.CANCELLED, PaymentMethod.CASH_ON_DELIVERY, total=D("80.00"))
>>> decide(rule_set, cod, StatusChanged(OrderStatus.CANCELLED)).skipped[-1].describe()
'no credit note by rule 3 "Credit note": nothing invoiced to credit'

**Explain** (F4.6) answers for one order, before automation is on: every rule,
every trigger, and what a status change to the current status would issue now.

>>> print(explain(rule_set, replace(cod, status=OrderStatus.ACCEPTED)).render_text())
Rules:
  rule 1 "Proforma" -> proforma: payment method is cash_on_delivery, rule wants bank_transfer
  rule 2 "Invoice" -> invoice: payment method is cash_on_delivery, rule wants card
  rule 3 "Credit note" -> credit note: status is accepted, rule wants cancelled
Triggers:
  final invoice when a proforma is paid: would issue nothing, order has no open proforma
  invoice when the order is paid: off
  credit note when the order is cancelled: off
  credit note for a refund: off
Now:
  issue nothing

``simulate`` replays past orders through a proposed rule set and reports what
it would have issued; ``validate_rule`` and ``validate_rule_set`` refuse what
cannot be right when it is saved, with the field to blame.
"""

from faktura.core.documents import DocumentType
from faktura.core.rules.conditions import BillingDetails, BuyerKind, Conditions, first_failure
from faktura.core.rules.engine import Decision, decide
from faktura.core.rules.events import Event, PaymentRecorded, Refunded, RefundedLine, StatusChanged, apply_event
from faktura.core.rules.explain import Explanation, RuleCheck, TriggerCheck, explain
from faktura.core.rules.facts import PAID_UPFRONT, UNSOLD, OrderDocument, OrderFacts, OrderStatus, PaymentMethod
from faktura.core.rules.intents import Intent, Skip, Source, intent_for, issue, source_label
from faktura.core.rules.ruleset import Action, Rule, RuleId, RuleSet, Trigger, Triggers
from faktura.core.rules.serialize import rule_set_from_dict, rule_set_to_dict
from faktura.core.rules.simulate import OrderDifference, PastOrder, Replay, SimulationReport, replay, simulate
from faktura.core.rules.validation import validate_rule, validate_rule_set

__all__ = [
    "PAID_UPFRONT",
    "UNSOLD",
    "Action",
    "BillingDetails",
    "BuyerKind",
    "Conditions",
    "Decision",
    "DocumentType",
    "Event",
    "Explanation",
    "Intent",
    "OrderDifference",
    "OrderDocument",
    "OrderFacts",
    "OrderStatus",
    "PastOrder",
    "PaymentMethod",
    "PaymentRecorded",
    "Refunded",
    "RefundedLine",
    "Replay",
    "Rule",
    "RuleCheck",
    "RuleId",
    "RuleSet",
    "SimulationReport",
    "Skip",
    "Source",
    "StatusChanged",
    "Trigger",
    "TriggerCheck",
    "Triggers",
    "apply_event",
    "decide",
    "explain",
    "first_failure",
    "intent_for",
    "issue",
    "replay",
    "rule_set_from_dict",
    "rule_set_to_dict",
    "simulate",
    "source_label",
    "validate_rule",
    "validate_rule_set",
]
