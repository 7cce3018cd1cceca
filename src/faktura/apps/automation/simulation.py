"""``faktura rules simulate``: a proposed rule set replayed over a channel's past orders (F4.6).

Each order's timeline is turned back into the core's events: the status it
was created with or moved to, the payments and the refunds, in the order they
arrived. ``core.rules.simulate`` replays them from an empty order (no
documents, nothing paid) and counts what the proposed rules would have issued;
next to it are the documents the orders really got (issued, not cancelled).
Nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from faktura.apps.automation.facts import facts_of
from faktura.apps.invoicing import selectors as invoicing
from faktura.apps.sales import selectors as sales
from faktura.core.documents import DocumentStatus, DocumentType
from faktura.core.errors import InvalidValue
from faktura.core.rules import (
    Event,
    OrderStatus,
    PastOrder,
    PaymentRecorded,
    Refunded,
    RefundedLine,
    RuleSet,
    SimulationReport,
    StatusChanged,
    simulate,
)
from faktura.core.rules.intents import document_name

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import Order, SalesChannel


@dataclass(frozen=True)
class ChannelSimulation:
    report: SimulationReport
    issued: dict[DocumentType, int]
    """What the replayed orders really got, by type."""

    def render_text(self) -> str:
        got = [f"  {count} {document_name(t, plural=count != 1)}" for t, count in self.issued.items()] or ["  nothing"]
        return "\n".join([self.report.render_text(), "Actually issued for these orders:", *got])

    def as_dict(self) -> dict[str, Any]:
        report = self.report
        return {
            "orders": report.orders,
            "would_issue": {t.value: n for t, n in report.by_type.items()},
            "by_source": report.by_source,
            "issued": {t.value: n for t, n in self.issued.items()},
            "differing": report.differing,
            "differences": [
                {
                    "order": d.order_number,
                    "would_also_issue": [t.value for t in d.extra],
                    "issued_but_not_by_these_rules": [t.value for t in d.missing],
                }
                for d in report.differences
            ],
        }


def channel_simulate(
    *,
    organization: Organization,
    channel: SalesChannel,
    rule_set: RuleSet,
    since: dt.date | None = None,
    limit: int = 100,
) -> ChannelSimulation:
    issued: Counter[DocumentType] = Counter()

    def history() -> Iterator[PastOrder]:
        for order in sales.orders_with_events(organization=organization, channel_id=channel.pk, since=since):
            received = _received(organization, order)
            issued.update(received)
            yield past_order(order, received)

    report = simulate(rule_set, history(), limit=limit)
    return ChannelSimulation(report, {t: issued[t] for t in DocumentType if issued[t]})


def past_order(order: Order, received: tuple[DocumentType, ...] = ()) -> PastOrder:
    """The order as it was before its first event, and its events as the rules engine knows them."""
    start = replace(facts_of(order), status=OrderStatus.NEW, paid=Decimal(0), refunded=Decimal(0))
    events: list[Event] = []
    status = None
    for entry in order.events.all():
        data = entry.data or {}
        if entry.kind == "rules_run":
            continue
        new_status = data.get("status")
        if new_status and (new_status != status or entry.kind in ("created", "status_changed")):
            status = new_status
            events.append(StatusChanged(OrderStatus(new_status)))
        if entry.kind == "payment_recorded" and data.get("amount"):
            events.append(PaymentRecorded(Decimal(data["amount"])))
        elif entry.kind == "refunded" and data.get("amount"):
            lines = tuple(RefundedLine(line["position"], Decimal(line["quantity"])) for line in data.get("lines", ()))
            events.append(Refunded(data["refund_id"], Decimal(data["amount"]), lines))
        # a shop's snapshot: the payment and refunds it showed that were new
        events += [PaymentRecorded(Decimal(paid["amount"])) for paid in data.get("payments", ())]
        events += [Refunded(refund["refund_id"], Decimal(refund["amount"])) for refund in data.get("refunds", ())]
    return PastOrder(facts=start, events=tuple(events), received=received)


def _received(organization: Organization, order: Order) -> tuple[DocumentType, ...]:
    return tuple(
        DocumentType(row.document_type)
        for row in invoicing.order_documents(organization=organization, order_id=order.pk)
        if row.status == DocumentStatus.ISSUED
    )


def parse_since(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(f"must be a date like 2026-01-31, not {value!r}", field="since") from None
