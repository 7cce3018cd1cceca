"""Reads of the automation app: a channel's rules, and the explanation of an order (F4.6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from faktura.apps.automation import connectors
from faktura.apps.automation.facts import order_known
from faktura.apps.automation.models import ChannelRuleSet, IssuingRule
from faktura.apps.automation.outcome import OrderError
from faktura.apps.automation.pipeline import connector_errors, gate_reason
from faktura.apps.automation.rulesets import rule_set_data, rule_set_load, rule_set_proposed
from faktura.apps.sales import selectors as sales
from faktura.core.errors import NotFound
from faktura.core.rules import Explanation, OrderFacts, RuleSet, explain

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import Order, SalesChannel

__all__ = [
    "RULE_DOCUMENT_TYPES",
    "OrderExplanation",
    "channel_document_types",
    "connector_names",
    "order_explain",
    "rule_get",
    "rule_set_data",
    "rule_set_get",
    "rule_set_proposed",
    "rules",
]


def rules(*, organization: Organization, channel_id: int | None = None) -> QuerySet[IssuingRule]:
    found = IssuingRule.objects.for_organization(organization).select_related("rule_set")
    if channel_id is not None:
        found = found.filter(rule_set__channel_id=channel_id)
    return found.order_by("rule_set__channel_id", "position", "pk")


def rule_get(*, organization: Organization, rule_id: int) -> IssuingRule | None:
    return IssuingRule.objects.for_organization(organization).select_related("rule_set").filter(pk=rule_id).first()


def rule_set_get(*, organization: Organization, channel_id: int) -> ChannelRuleSet | None:
    return ChannelRuleSet.objects.for_organization(organization).filter(channel_id=channel_id).first()


def connector_names() -> list[str]:
    return connectors.names()


RULE_DOCUMENT_TYPES = ("proforma", "invoice", "credit_note")
"""What a rule may issue: estimates go to the buyer to sign, never by a rule."""


def channel_document_types(*, channel: SalesChannel) -> tuple[frozenset[str], str]:
    """The document types the channel's rules and triggers may issue, and the connector that limits them (F4.4)."""
    if not channel.connector:
        return frozenset(RULE_DOCUMENT_TYPES), ""
    connector = connectors.get(channel.connector)
    supported = connector.supported_document_types
    allowed = frozenset(RULE_DOCUMENT_TYPES) if supported is None else frozenset(RULE_DOCUMENT_TYPES) & supported
    return allowed, connector.label


@dataclass(frozen=True)
class OrderExplanation:
    """Explain (F4.6): every rule and trigger for the order, what would be issued now, and what stops it."""

    order: Order
    facts: OrderFacts
    explanation: Explanation
    rules_version: int
    blocked: str | None
    """Why nothing would be issued automatically (mode, automatic issuing off, connector); None if it would."""
    errors: tuple[OrderError, ...]

    def render_text(self) -> str:
        lines = [
            f"Order #{self.order.number} ({self.order.channel.code}:{self.order.external_id}), "
            f"{self.facts.status}, {self.facts.payment_method}, total {self.facts.total} {self.order.currency}, "
            f"paid {self.facts.paid}"
        ]
        lines.append(self.explanation.render_text())
        if self.blocked:
            lines.append(f"Automatic issuing: no, {self.blocked}")
        lines += [f"Error: {error.message}" + (f" ({error.field})" if error.field else "") for error in self.errors]
        return "\n".join(lines)


def order_explain(
    *,
    organization: Organization,
    order: Order | None = None,
    order_id: int | None = None,
    proposed: RuleSet | None = None,
) -> OrderExplanation:
    """``proposed``: explain against rules not saved yet (the editor's "explain on a past order")."""
    if order is None:
        order = sales.order_get(organization=organization, order_id=order_id or 0)
        if order is None:
            raise NotFound(f"order {order_id} does not exist", field="order_id")
    known = order_known(organization=organization, order=order)
    rule_set, version = rule_set_load(channel=order.channel)
    if proposed is not None:
        rule_set = proposed
    errors = connector_errors(order)
    blocked = gate_reason(order) or (
        f"the order does not meet the requirements of connector {order.channel.connector}" if errors else None
    )
    return OrderExplanation(
        order=order,
        facts=known.facts,
        explanation=explain(rule_set, known.facts),
        rules_version=version,
        blocked=blocked,
        errors=errors,
    )
