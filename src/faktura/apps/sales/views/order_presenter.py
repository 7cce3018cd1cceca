"""An order's timeline, documents and errors as its page shows them: labels in the page's language, links.

The timeline entries come from ``OrderEvent`` rows: what arrived (``data``) and
what the rules did about it (``outcome``: documents issued, intents skipped
and why, errors). Reasons and error messages are the rules' own words, as the
API and ``faktura rules explain`` give them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from faktura.apps.sales import labels
from faktura.core.payment_state import payment_state
from faktura.web.templatetags.money import country, money


def document_url(document_id: int) -> str | None:
    """The document's page once the documents pages exist (``invoicing:document``), else no link."""
    try:
        return reverse("invoicing:document", args=[document_id])
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class IssuedEntry:
    id: int
    number: str
    type_label: str
    source: str
    url: str | None


@dataclass(frozen=True)
class SkippedEntry:
    type_label: str
    source: str
    reason: str


@dataclass(frozen=True)
class ErrorEntry:
    message: str
    field: str | None
    source: str


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    title: str
    source: str
    at: dt.datetime
    details: list[str] = field(default_factory=list)
    issued: list[IssuedEntry] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)
    errors: list[ErrorEntry] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        """Nothing issued, skipped or wrong: the rules had nothing to say."""
        return not (self.issued or self.skipped or self.errors)


def errors(items: list[dict[str, Any]] | None) -> list[ErrorEntry]:
    return [
        ErrorEntry(str(item.get("message", "")), item.get("field") or None, str(item.get("source", "")))
        for item in items or ()
        if isinstance(item, dict)
    ]


def timeline(events: list[Any], currency: str) -> list[TimelineEntry]:
    return [_entry(event, currency) for event in events]


def _entry(event: Any, currency: str) -> TimelineEntry:
    data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
    outcome: dict[str, Any] = event.outcome if isinstance(event.outcome, dict) else {}
    details: list[str] = []
    if event.kind in ("created", "status_changed") and data.get("status"):
        details.append(_("Status: %(status)s") % {"status": labels.label(labels.ORDER_STATUS, str(data["status"]))})
    changes = [labels.label(labels.CHANGED_FIELD, str(name)) for name in data.get("changes") or () if name != "status"]
    if changes and event.kind != "created":
        details.append(_("Changed: %(fields)s") % {"fields": ", ".join(dict.fromkeys(changes))})
    if data.get("amount") not in (None, ""):
        details.append(_("Amount: %(amount)s") % {"amount": money(data["amount"], currency)})
    if data.get("reference"):
        details.append(_("Reference: %(reference)s") % {"reference": data["reference"]})
    if data.get("refund_id"):
        details.append(_("Refund: %(refund)s") % {"refund": data["refund_id"]})
    if data.get("lines_changed_after"):
        details.append(
            _("The lines changed after %(numbers)s was issued; the documents stay as issued.")
            % {"numbers": ", ".join(map(str, data["lines_changed_after"]))}
        )
    return TimelineEntry(
        kind=event.kind,
        title=labels.label(labels.EVENT_KIND, event.kind),
        source=labels.label(labels.EVENT_SOURCE, event.source),
        at=event.received_at,
        details=details,
        issued=[
            IssuedEntry(
                id=int(item["id"]),
                number=str(item.get("number", "")),
                type_label=labels.label(labels.DOCUMENT_TYPE, str(item.get("document_type", ""))),
                source=str(item.get("source", "")),
                url=document_url(int(item["id"])),
            )
            for item in outcome.get("documents") or ()
            if isinstance(item, dict) and "id" in item
        ],
        skipped=[
            SkippedEntry(
                type_label=labels.label(labels.DOCUMENT_TYPE, str(item.get("document_type", ""))),
                source=str(item.get("source", "")),
                reason=str(item.get("reason", "")),
            )
            for item in outcome.get("skipped") or ()
            if isinstance(item, dict)
        ],
        errors=errors(outcome.get("errors")),
    )


@dataclass(frozen=True)
class DocumentEntry:
    id: int
    number: str
    document_type: str
    type_label: str
    status: str
    state: str
    """paid, unpaid, partially_paid, overpaid, or cancelled: the badge's class and label."""
    state_label: str
    currency: str
    gross: Decimal
    payable: Decimal
    paid: Decimal
    url: str | None

    @property
    def takes_payments(self) -> bool:
        return self.status == "issued"

    @property
    def choice_label(self) -> str:
        due = money(self.payable - self.paid, self.currency)
        return _("%(document)s %(number)s, due %(amount)s") % {
            "document": self.type_label,
            "number": self.number,
            "amount": due,
        }

    @property
    def is_open(self) -> bool:
        return self.takes_payments and self.state in ("unpaid", "partially_paid")


def documents(rows: list[Any]) -> list[DocumentEntry]:
    found = []
    for row in rows:
        state = "cancelled" if row.status == "cancelled" else payment_state(payable=row.payable, paid=row.paid).value
        found.append(
            DocumentEntry(
                id=row.id,
                number=row.number,
                document_type=row.document_type,
                type_label=labels.label(labels.DOCUMENT_TYPE, row.document_type),
                status=row.status,
                state=state,
                state_label=labels.label(labels.PAYMENT_STATE, state),
                currency=row.currency,
                gross=row.gross,
                payable=row.payable,
                paid=row.paid,
                url=document_url(row.id),
            )
        )
    return found


def address_lines(address: dict[str, Any] | None) -> list[str]:
    """An address as the lines of an envelope; the country named in the page's language."""
    if not isinstance(address, dict):
        return []
    town = " ".join(str(address.get(key) or "").strip() for key in ("postal_code", "city")).strip()
    lines = [str(address.get(key) or "").strip() for key in ("name", "contact", "company", "street")]
    lines += [town, str(address.get("region") or "").strip(), country(str(address.get("country") or ""))]
    return [line for line in lines if line]


@dataclass(frozen=True)
class RuleRow:
    id: object
    name: str
    enabled: bool
    type_label: str
    matched: bool
    failure: str | None


@dataclass(frozen=True)
class TriggerRow:
    label: str
    on: bool
    outcome: str


@dataclass(frozen=True)
class ExplanationView:
    """``automation.selectors.order_explain`` (the API's and the CLI's explain) as the panel shows it."""

    blocked: str | None
    errors: list[ErrorEntry]
    rules: list[RuleRow]
    triggers: list[TriggerRow]
    issue_now: list[str]
    skipped_now: list[str]
    rules_version: int
    text: str


def explanation(found: Any) -> ExplanationView:
    checks = found.explanation
    matched = [check.rule for check in checks.rules if check.matched]
    return ExplanationView(
        blocked=found.blocked,
        errors=[ErrorEntry(error.message, error.field, error.source) for error in found.errors],
        rules=[
            RuleRow(
                id=check.rule.id,
                name=check.rule.name,
                enabled=check.rule.enabled,
                type_label=labels.label(labels.DOCUMENT_TYPE, check.rule.action.document_type.value),
                matched=check.matched,
                failure=check.failure,
            )
            for check in checks.rules
        ],
        triggers=[
            TriggerRow(
                label=labels.label(labels.TRIGGER, check.trigger.value),
                on=check.on,
                outcome=_trigger_outcome(check),
            )
            for check in checks.triggers
        ],
        issue_now=[intent.describe() for intent in checks.now.issue],
        skipped_now=[skip.describe() for skip in checks.now.skipped if skip.source in matched],
        rules_version=found.rules_version,
        text=found.render_text(),
    )


def _trigger_outcome(check: Any) -> str:
    """What the trigger would do on its event, or why nothing (the rules' own words)."""
    if isinstance(check.outcome, str):
        return _("would issue nothing: %(reason)s") % {"reason": check.outcome}
    return _("would issue %(document)s") % {"document": check.outcome.describe(with_source=False)}
