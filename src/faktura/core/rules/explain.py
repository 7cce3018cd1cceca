"""``explain``: for one order, each rule and trigger and what would be issued now (F4.6).

A seller reads this on the order page and from ``faktura rules explain`` before
turning automation on. For every rule, disabled ones too: it matches, or the
first condition that fails. For every trigger: off, or what it would issue on
its event, or why it would issue nothing. Then what a status change to the
order's current status would issue now, and why a rule that matches issues
nothing: ``decide`` itself, so the dry run and the real run cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from faktura.core.rules.conditions import first_failure
from faktura.core.rules.engine import Decision, decide
from faktura.core.rules.events import StatusChanged
from faktura.core.rules.facts import OrderFacts
from faktura.core.rules.intents import Intent, document_name
from faktura.core.rules.ruleset import Rule, RuleSet, Trigger
from faktura.core.rules.triggers import trigger_outcome

__all__ = ["Explanation", "RuleCheck", "TriggerCheck", "explain"]


@dataclass(frozen=True)
class RuleCheck:
    rule: Rule
    failure: str | None
    """The first condition the order fails, in words; None when the rule matches."""

    @property
    def matched(self) -> bool:
        return self.failure is None

    def describe(self) -> str:
        verdict = "matches" if self.failure is None else self.failure
        disabled = " (disabled)" if not self.rule.enabled else ""
        return f"{self.rule.label}{disabled} -> {document_name(self.rule.action.document_type)}: {verdict}"


@dataclass(frozen=True)
class TriggerCheck:
    trigger: Trigger
    on: bool
    outcome: Intent | str
    """What the trigger issues on its event, or why nothing; a refund trigger shows the most it could credit."""

    def describe(self) -> str:
        if not self.on:
            return f"{self.trigger.label}: off"
        if isinstance(self.outcome, str):
            return f"{self.trigger.label}: would issue nothing, {self.outcome}"
        if self.trigger == Trigger.CREDIT_NOTE_FOR_PARTIAL_REFUND:
            return (
                f"{self.trigger.label}: on a refund, would credit up to {self.outcome.amount} on {self.outcome.credits}"
            )
        return f"{self.trigger.label}: would issue {self.outcome.describe(with_source=False)}"


@dataclass(frozen=True)
class Explanation:
    rules: tuple[RuleCheck, ...]
    triggers: tuple[TriggerCheck, ...]
    now: Decision

    def render_text(self) -> str:
        rules = [check.describe() for check in self.rules] or ["no rules"]
        matched = [check.rule for check in self.rules if check.matched]
        blocked = [skip.describe() for skip in self.now.skipped if skip.source in matched]
        return "\n".join(
            [
                "Rules:",
                *(f"  {line}" for line in rules),
                "Triggers:",
                *(f"  {check.describe()}" for check in self.triggers),
                "Now:",
                *(f"  issue {intent.describe()}" for intent in self.now.issue),
                *(["  issue nothing"] if not self.now.issue else []),
                *(f"  {line}" for line in blocked),
            ]
        )


def explain(rule_set: RuleSet, facts: OrderFacts) -> Explanation:
    rules = tuple(RuleCheck(rule, first_failure(rule.conditions, facts)) for rule in rule_set.rules)
    triggers = tuple(
        TriggerCheck(trigger, rule_set.triggers.is_on(trigger), trigger_outcome(trigger, facts)) for trigger in Trigger
    )
    return Explanation(rules, triggers, decide(rule_set, facts, StatusChanged(facts.status)))
