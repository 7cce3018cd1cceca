"""What came of one order event: the documents issued, what was skipped and why, the errors.

An ``EventOutcome`` is returned to whoever delivered the event (the API, a
webhook) and stored on the order's timeline as JSON, so a second delivery of
the same event id gets the first answer back, marked ``duplicate``.

>>> outcome = EventOutcome(order_id=7, event_id="evt_1", order_created=True,
...     documents=(IssuedDocument(id=3, number="FA2026001", document_type="invoice", source='rule 1 "Cards"'),))
>>> EventOutcome.from_dict(outcome.as_dict(), duplicate=True).documents[0].number
'FA2026001'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

__all__ = ["EventOutcome", "IssuedDocument", "OrderError", "SkippedIntent"]


@dataclass(frozen=True)
class IssuedDocument:
    id: int
    number: str
    document_type: str
    source: str
    """The rule or trigger that issued it: 'rule 3 "Invoice for cards"' or 'trigger "..."'."""
    send_to_buyer: bool = True
    marked_paid: bool = False
    refund_id: str | None = None


@dataclass(frozen=True)
class SkippedIntent:
    document_type: str
    source: str
    reason: str


@dataclass(frozen=True)
class OrderError:
    """Something that stops the order from being invoiced: the seller (or the integrator) must act."""

    code: str
    message: str
    field: str | None = None
    source: str = ""
    """What raised it: 'connector <name>', a rule or trigger label, 'channel'."""


@dataclass(frozen=True)
class EventOutcome:
    order_id: int
    event_id: str | None = None
    duplicate: bool = False
    order_created: bool = False
    documents: tuple[IssuedDocument, ...] = ()
    skipped: tuple[SkippedIntent, ...] = ()
    errors: tuple[OrderError, ...] = ()
    rules_version: int | None = None
    stale: bool = False
    """The order snapshot was older than the one stored: it changed nothing."""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["duplicate"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, duplicate: bool = False) -> EventOutcome:
        return cls(
            order_id=data["order_id"],
            event_id=data.get("event_id"),
            duplicate=duplicate,
            order_created=data.get("order_created", False),
            documents=tuple(IssuedDocument(**d) for d in data.get("documents", ())),
            skipped=tuple(SkippedIntent(**s) for s in data.get("skipped", ())),
            errors=tuple(OrderError(**e) for e in data.get("errors", ())),
            rules_version=data.get("rules_version"),
            stale=data.get("stale", False),
        )

    def merged(self, other: EventOutcome) -> EventOutcome:
        """Two runs of the rules for one delivery (a status change, then a payment) as one outcome."""
        return replace(
            self,
            documents=self.documents + other.documents,
            skipped=self.skipped + other.skipped,
            errors=self.errors + other.errors,
            rules_version=other.rules_version if other.rules_version is not None else self.rules_version,
        )
