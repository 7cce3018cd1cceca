"""``decide``: what to issue now for an event on an order (F4.1, F4.2, F4.5).

The facts are the order *after* the event. The event asks, in this order:

1. on a status change, the enabled rules in the order of the rule set, each
   checking its conditions against the facts (the status too: the order must be
   in a status the rule names), then the cancellation trigger;
2. on a payment, the final-invoice trigger, then the order-paid trigger;
3. on a refund, the refund trigger.

Disabled rules and triggers that are off are not asked. One event issues at
most one debit document (an invoice or a proforma) and one credit note; the
first rule or trigger in the order above that yields one wins, except that an
invoice beats a proforma wherever it stands, and the others are skipped naming
the winner. Everything asked and not issued is in ``skipped`` with its reason.

Why an invoice beats a proforma: issued first, the proforma would not stop the
invoice on a second delivery of the same event (an invoice settles a proforma),
while an invoice does stop a proforma (it would ask again for claimed money).

The result depends on nothing but the arguments, and a document that already
exists is never issued again (see ``intent_for``), so the same event delivered
twice issues one document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from faktura.core.documents import DocumentType
from faktura.core.rules.conditions import first_failure
from faktura.core.rules.events import Event, Refunded, StatusChanged
from faktura.core.rules.facts import OrderFacts
from faktura.core.rules.intents import Intent, Skip, Source, document_name, intent_for, source_label
from faktura.core.rules.ruleset import RuleSet
from faktura.core.rules.triggers import asked_by, trigger_outcome

__all__ = ["Decision", "decide"]


@dataclass(frozen=True)
class Decision:
    issue: tuple[Intent, ...]
    skipped: tuple[Skip, ...]

    def render_text(self) -> str:
        lines = [f"issue {intent.describe()}" for intent in self.issue] or ["issue nothing"]
        return "\n".join([*lines, *(skip.describe() for skip in self.skipped)])


def decide(rule_set: RuleSet, facts: OrderFacts, event: Event) -> Decision:
    """The documents to issue now because of ``event``, and what was asked but issues nothing."""
    asked = list(_asked(rule_set, facts, event))
    winners: dict[bool, Intent] = {}  # by DocumentType.is_credit
    for _, document_type, outcome in sorted(asked, key=lambda one: one[1] != DocumentType.INVOICE):
        if isinstance(outcome, Intent):
            winners.setdefault(document_type.is_credit, outcome)
    issue: list[Intent] = []
    skipped: list[Skip] = []
    for source, document_type, outcome in asked:
        if isinstance(outcome, str):
            skipped.append(Skip(document_type, source, outcome))
        elif (winner := winners[document_type.is_credit]) is outcome:
            issue.append(outcome)
        else:
            reason = f"{source_label(winner.source)} already issues {document_name(winner.document_type, article=True)}"
            skipped.append(Skip(document_type, source, reason))
    return Decision(tuple(issue), tuple(skipped))


def _asked(rule_set: RuleSet, facts: OrderFacts, event: Event) -> Iterator[tuple[Source, DocumentType, Intent | str]]:
    if isinstance(event, StatusChanged):
        for rule in rule_set.rules:
            if rule.enabled:
                failure = first_failure(rule.conditions, facts)
                outcome = failure if failure is not None else intent_for(rule.action, rule, facts)
                yield rule, rule.action.document_type, outcome
    refund = event if isinstance(event, Refunded) else None
    for trigger in asked_by(event):
        if rule_set.triggers.is_on(trigger):
            yield trigger, trigger.document_type, trigger_outcome(trigger, facts, refund=refund)
