"""Issuing rules and order explanations over the REST API: thin views over the automation services.

* ``/rules``: each channel's ordered rules (conditions -> action), CRUD; a rule
  that can never be right is refused when saved, with the field to blame;
* ``/channels/{id}/triggers``: the built-in triggers, on or off;
* ``/channels/{id}/rule-set``: the whole set as the JSON ``faktura rules simulate`` reads;
* ``/orders/{id}/explain``: every rule and trigger for one order, and what would be issued now (F4.6).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from faktura.apps.automation import selectors, services
from faktura.apps.integrations.idempotency import idempotent
from faktura.apps.sales import selectors as sales
from faktura.core.errors import NotFound
from faktura.core.rules import BillingDetails, BuyerKind, Intent, OrderStatus, PaymentMethod, source_label
from faktura.platform.api_types import DatabaseId

router = Router(tags=["rules"])


def _org(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


class ConditionsIn(Schema):
    model_config = ConfigDict(extra="forbid")  # a typo never silently widens a rule

    statuses: list[OrderStatus] = Field(min_length=1, description="The order is in one of these statuses.")
    payment_methods: list[PaymentMethod] | None = Field(None, description="Left out: any.")
    delivery_methods: list[str] | None = Field(None, description="The channel's own words, any case; left out: any.")
    billing_details: BillingDetails = Field(BillingDetails.ALWAYS, description="F4.3")
    buyer_countries: list[str] | None = Field(None, description="ISO 3166-1 alpha-2; left out: any.")
    buyer_kind: BuyerKind = BuyerKind.ANY


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    document_type: Literal["proforma", "invoice", "credit_note"]
    send_to_buyer: bool = Field(True, description="Stored; e-mail delivery comes with F6.")
    due_days: int | None = Field(None, ge=0, le=365, description="Days from issue to the due date.")
    mark_paid: bool = Field(False, description="Invoices of orders paid upfront (card, cash, PayPal) only.")


class RuleBody(Schema):
    name: str = Field(min_length=1, max_length=100)
    enabled: bool = True
    conditions: ConditionsIn
    action: ActionIn
    position: int | None = Field(None, ge=1, description="1 is asked first; left out: last (or where it is).")


class RuleIn(RuleBody):
    channel: int


class RuleOut(Schema):
    id: int
    channel: int = Field(alias="rule_set.channel_id")
    position: int
    name: str
    enabled: bool
    document_type: str
    conditions: dict[str, Any]
    action: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime


class TriggersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    final_invoice_when_proforma_paid: bool = False
    invoice_when_order_paid: bool = False
    credit_note_when_cancelled: bool = False
    credit_note_for_partial_refund: bool = False


class TriggersOut(TriggersIn):
    channel: int
    version: int


class RuleSetOut(Schema):
    channel: int
    version: int
    rules: list[dict[str, Any]]
    triggers: dict[str, bool]


class RuleFilters(Schema):
    channel: DatabaseId | None = None


def _rule(request: HttpRequest, rule_id: int) -> Any:
    rule = selectors.rule_get(organization=_org(request), rule_id=rule_id)
    if rule is None:
        raise NotFound(f"rule {rule_id} does not exist", field="rule_id")
    return rule


def _channel(request: HttpRequest, channel_id: int) -> Any:
    channel = sales.channel_get(organization=_org(request), channel_id=channel_id)
    if channel is None:
        raise NotFound(f"channel {channel_id} does not exist", field="channel_id")
    return channel


@router.get("/rules", response=list[RuleOut], summary="The seller's issuing rules, per channel in order")
def rule_list(request: HttpRequest, filters: Query[RuleFilters]) -> Any:
    return selectors.rules(organization=_org(request), channel_id=filters.channel)


@router.post("/rules", response={201: RuleOut}, summary="Add an issuing rule to a channel")
@idempotent
def rule_add(request: HttpRequest, payload: RuleIn) -> Any:
    rule = services.rule_create(
        actor=_actor(request),
        organization=_org(request),
        channel_id=payload.channel,
        name=payload.name,
        conditions=payload.conditions.model_dump(mode="json"),
        action=payload.action.model_dump(mode="json"),
        enabled=payload.enabled,
        position=payload.position,
    )
    return Status(201, rule)


@router.get("/rules/{rule_id}", response=RuleOut, summary="One issuing rule")
def rule_read(request: HttpRequest, rule_id: int) -> Any:
    return _rule(request, rule_id)


@router.put("/rules/{rule_id}", response=RuleOut, summary="Replace an issuing rule")
@idempotent
def rule_replace(request: HttpRequest, rule_id: int, payload: RuleBody) -> Any:
    return services.rule_update(
        actor=_actor(request),
        organization=_org(request),
        rule_id=rule_id,
        name=payload.name,
        conditions=payload.conditions.model_dump(mode="json"),
        action=payload.action.model_dump(mode="json"),
        enabled=payload.enabled,
        position=payload.position,
    )


@router.delete("/rules/{rule_id}", response={204: None}, summary="Remove an issuing rule")
def rule_remove(request: HttpRequest, rule_id: int) -> Any:
    services.rule_delete(actor=_actor(request), organization=_org(request), rule_id=rule_id)
    return Status(204, None)


@router.get("/channels/{channel_id}/triggers", response=TriggersOut, summary="The channel's built-in triggers")
def triggers_read(request: HttpRequest, channel_id: int) -> Any:
    channel = _channel(request, channel_id)
    rule_set = selectors.rule_set_get(organization=_org(request), channel_id=channel.pk)
    triggers = rule_set.triggers if rule_set else {}
    return {
        **TriggersIn(**triggers).model_dump(),
        "channel": channel.pk,
        "version": rule_set.version if rule_set else 0,
    }


@router.put("/channels/{channel_id}/triggers", response=TriggersOut, summary="Switch the built-in triggers")
@idempotent
def triggers_write(request: HttpRequest, channel_id: int, payload: TriggersIn) -> Any:
    rule_set = services.triggers_set(
        actor=_actor(request), organization=_org(request), channel_id=channel_id, triggers=payload.model_dump()
    )
    return {**rule_set.triggers, "channel": channel_id, "version": rule_set.version}


@router.get(
    "/channels/{channel_id}/rule-set",
    response=RuleSetOut,
    summary="The channel's rules and triggers as one JSON document",
    description="The shape `faktura rules simulate --rules FILE` reads.",
)
def rule_set_read(request: HttpRequest, channel_id: int) -> Any:
    channel = _channel(request, channel_id)
    rule_set = selectors.rule_set_get(organization=_org(request), channel_id=channel.pk)
    return {
        "channel": channel.pk,
        "version": rule_set.version if rule_set else 0,
        **selectors.rule_set_data(channel=channel),
    }


# Explain ----------------------------------------------------------------------------------------


class IntentOut(Schema):
    document_type: str
    amount: Decimal
    source: str
    settles: list[str]
    advance: Decimal
    due: Decimal
    credits: str | None = None
    description: str


class RuleCheckOut(Schema):
    rule_id: int | str
    name: str
    enabled: bool
    document_type: str
    matched: bool
    failure: str | None = Field(None, description="The first condition the order fails.")


class TriggerCheckOut(Schema):
    trigger: str
    label: str
    on: bool
    would_issue: IntentOut | None = None
    reason: str | None = Field(None, description="Why it would issue nothing.")


class SkipOut(Schema):
    document_type: str
    source: str
    reason: str


class NowOut(Schema):
    issue: list[IntentOut]
    skipped: list[SkipOut]


class ExplanationOut(Schema):
    order_id: int
    rules_version: int
    automatic: bool = Field(description="Whether the rules would issue by themselves now.")
    blocked: str | None = Field(None, description="Why not: the channel's mode, automatic issuing off, a connector.")
    errors: list[dict[str, Any]]
    rules: list[RuleCheckOut]
    triggers: list[TriggerCheckOut]
    now: NowOut = Field(description="What a status change to the current status would issue now.")
    text: str


def _intent(intent: Intent) -> dict[str, Any]:
    return {
        "document_type": intent.document_type.value,
        "amount": intent.amount,
        "source": source_label(intent.source),
        "settles": list(intent.settles),
        "advance": intent.advance,
        "due": intent.due,
        "credits": intent.credits,
        "description": intent.describe(),
    }


@router.get(
    "/orders/{order_id}/explain",
    response=ExplanationOut,
    tags=["orders"],
    summary="Why each rule matches or not, and what would be issued now (dry run)",
)
def order_explain(request: HttpRequest, order_id: int) -> Any:
    found = selectors.order_explain(organization=_org(request), order_id=order_id)
    explanation = found.explanation
    return {
        "order_id": found.order.pk,
        "rules_version": found.rules_version,
        "automatic": found.blocked is None,
        "blocked": found.blocked,
        "errors": [error.__dict__ for error in found.errors],
        "rules": [
            {
                "rule_id": check.rule.id,
                "name": check.rule.name,
                "enabled": check.rule.enabled,
                "document_type": check.rule.action.document_type.value,
                "matched": check.matched,
                "failure": check.failure,
            }
            for check in explanation.rules
        ],
        "triggers": [
            {
                "trigger": check.trigger.value,
                "label": check.trigger.label,
                "on": check.on,
                "would_issue": _intent(check.outcome) if isinstance(check.outcome, Intent) else None,
                "reason": check.outcome if isinstance(check.outcome, str) else None,
            }
            for check in explanation.triggers
        ],
        "now": {
            "issue": [_intent(intent) for intent in explanation.now.issue],
            "skipped": [
                {"document_type": s.document_type.value, "source": source_label(s.source), "reason": s.reason}
                for s in explanation.now.skipped
            ],
        },
        "text": found.render_text(),
    }
