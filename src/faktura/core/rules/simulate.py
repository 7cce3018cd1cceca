"""``simulate``: what a proposed rule set would have issued for past orders (F4.6).

Each past order is replayed from its state before its first event: every event
is applied to the facts (``apply_event``), ``decide`` is asked, and what it
decides is "issued" into the facts (``issue``), so later events see those
documents just as they would have. Nothing is written anywhere.

The report counts the documents per type and per rule or trigger, and lists the
orders whose documents would differ from the ones they actually got (their
types, cancelled documents left out): what they would get in addition, and
what they got that the rules would not issue. It keeps the first ``limit``
such orders and counts them all, so a year of orders fits in memory.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from faktura.core.documents import DocumentType
from faktura.core.rules.engine import decide
from faktura.core.rules.events import Event, apply_event
from faktura.core.rules.facts import OrderFacts
from faktura.core.rules.intents import Intent, document_name, issue, source_label
from faktura.core.rules.ruleset import RuleSet

__all__ = ["OrderDifference", "PastOrder", "Replay", "SimulationReport", "replay", "simulate"]


@dataclass(frozen=True)
class PastOrder:
    facts: OrderFacts
    """The order before its first event, normally without documents."""
    events: tuple[Event, ...]
    received: tuple[DocumentType, ...] = ()
    """The types of the documents the order actually got, cancelled ones left out."""


@dataclass(frozen=True)
class Replay:
    facts: OrderFacts
    issued: tuple[Intent, ...]


def replay(rule_set: RuleSet, facts: OrderFacts, events: Iterable[Event]) -> Replay:
    """The facts after ``events``, with the documents ``rule_set`` issues on the way."""
    issued: list[Intent] = []
    for event in events:
        facts = apply_event(facts, event)
        for intent in decide(rule_set, facts, event).issue:
            facts = issue(facts, intent, f"SIM{len(facts.documents) + 1}")
            issued.append(intent)
    return Replay(facts, tuple(issued))


@dataclass(frozen=True)
class OrderDifference:
    order_number: str
    would_issue: tuple[DocumentType, ...]
    received: tuple[DocumentType, ...]

    @property
    def extra(self) -> tuple[DocumentType, ...]:
        """What the rules would issue that the order did not get."""
        return tuple((Counter(self.would_issue) - Counter(self.received)).elements())

    @property
    def missing(self) -> tuple[DocumentType, ...]:
        """What the order got that the rules would not issue."""
        return tuple((Counter(self.received) - Counter(self.would_issue)).elements())


@dataclass(frozen=True)
class SimulationReport:
    orders: int
    by_type: dict[DocumentType, int]
    by_source: dict[str, int]
    differing: int
    differences: tuple[OrderDifference, ...]
    """The first ``limit`` of the ``differing`` orders."""

    def render_text(self) -> str:
        lines = [f"{self.orders} orders replayed; would issue:"]
        lines += [f"  {count} {document_name(t, plural=count != 1)}" for t, count in self.by_type.items()] or [
            "  nothing"
        ]
        lines += ["By rule or trigger:", *(f"  {count} by {source}" for source, count in self.by_source.items())]
        lines.append(f"{self.differing} orders would get other documents than they did:")
        for difference in self.differences:
            parts = []
            if difference.extra:
                parts.append(f"would also get {_names(difference.extra)}")
            if difference.missing:
                parts.append(f"got {_names(difference.missing)} the rules would not issue")
            lines.append(f"  #{difference.order_number}: {'; '.join(parts)}")
        if self.differing > len(self.differences):
            lines.append(f"  and {self.differing - len(self.differences)} more")
        return "\n".join(lines)


def _names(document_types: tuple[DocumentType, ...]) -> str:
    return ", ".join(document_name(t, article=True) for t in document_types)


def simulate(rule_set: RuleSet, history: Iterable[PastOrder], *, limit: int = 100) -> SimulationReport:
    by_type: Counter[DocumentType] = Counter()
    by_source: Counter[str] = Counter()
    differences: list[OrderDifference] = []
    orders = differing = 0
    for past in history:
        orders += 1
        issued = replay(rule_set, past.facts, past.events).issued
        by_type.update(intent.document_type for intent in issued)
        by_source.update(source_label(intent.source) for intent in issued)
        would_issue = tuple(intent.document_type for intent in issued)
        if Counter(would_issue) != Counter(past.received):
            differing += 1
            if len(differences) < limit:
                differences.append(OrderDifference(past.facts.order_number, would_issue, past.received))
    return SimulationReport(
        orders=orders,
        by_type={t: by_type[t] for t in DocumentType if by_type[t]},
        by_source=dict(sorted(by_source.items())),
        differing=differing,
        differences=tuple(differences),
    )
