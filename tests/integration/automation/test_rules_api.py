"""Issuing rules and triggers over the API: saved only when they can be right, versioned, audited (F4, F1.3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from faktura.apps.audit.selectors import events_for
from tests.integration.orders.caller import SEED_003, Caller, order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client: Client) -> Caller:
    return Caller(client)


@pytest.fixture
def other_seller(client: Client) -> Caller:
    return Caller(client)


def test_rules_are_created_listed_read_replaced_moved_and_removed(seller: Caller) -> None:
    channel = seller.shop()
    ids = seller.seed_003(channel)

    listed = seller.get("/rules", channel=channel).json()
    assert [(r["id"], r["position"], r["document_type"]) for r in listed] == [
        (ids[0], 1, "proforma"),
        (ids[1], 2, "invoice"),
        (ids[2], 3, "credit_note"),
    ]
    assert listed[0]["conditions"]["payment_methods"] == ["bank_transfer"]
    assert listed[0]["action"]["due_days"] == 14

    moved = seller.put(f"/rules/{ids[2]}", {**SEED_003[2], "name": "Storno", "position": 1, "enabled": False})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["name"], moved.json()["position"], moved.json()["enabled"]) == ("Storno", 1, False)
    assert [r["id"] for r in seller.get("/rules").json()] == [ids[2], ids[0], ids[1]]

    assert seller.delete(f"/rules/{ids[0]}").status_code == 204
    assert [(r["id"], r["position"]) for r in seller.get("/rules").json()] == [(ids[2], 1), (ids[1], 2)]
    assert seller.get(f"/rules/{ids[0]}").status_code == 404
    actions = [e.action for e in events_for(organization=seller.org).filter(object_type="rule").order_by("pk")]
    assert actions == ["rule.created"] * 3 + ["rule.updated", "rule.deleted"]
    assert seller.get(f"/channels/{channel}/rule-set").json()["version"] == 6


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": ""}, "name"),
        ({"conditions": {"statuses": []}}, "conditions.statuses"),
        ({"conditions": {"statuses": ["lost"]}}, "conditions.statuses.0"),
        ({"conditions": {"statuses": ["accepted"], "payment_methods": []}}, "conditions.payment_methods"),
        ({"conditions": {"statuses": ["accepted"], "buyer_countries": ["XX"]}}, "conditions.buyer_countries.0"),
        ({"conditions": {"statuses": ["cancelled"]}}, "conditions.statuses"),
        ({"action": {"document_type": "estimate"}}, "action.document_type"),
        ({"action": {"document_type": "invoice", "mark_paid": True}}, "action.mark_paid"),
        ({"action": {"document_type": "invoice", "due_days": 400}}, "action.due_days"),
        ({"channel": 999999}, "channel"),
    ],
    ids=[
        "no-name",
        "no-status",
        "unknown-status",
        "empty-methods",
        "unknown-country",
        "invoice-when-cancelled",
        "estimate",
        "mark-paid-any-method",
        "due-days",
        "unknown-channel",
    ],
)
def test_a_rule_that_cannot_be_right_is_refused_with_the_field(
    seller: Caller, change: dict[str, Any], field: str
) -> None:
    channel = seller.shop()
    body = {
        "channel": channel,
        "name": "Invoice",
        "conditions": {"statuses": ["accepted"]},
        "action": {"document_type": "invoice"},
        **change,
    }
    response = seller.post("/rules", body)
    assert response.status_code in (404, 422), response.content
    assert response.json()["field"] == field
    assert seller.get("/rules").json() == []


def test_a_credit_note_rule_for_accepted_orders_names_the_refund_trigger(seller: Caller) -> None:
    channel = seller.shop()
    response = seller.post(
        "/rules",
        {
            "channel": channel,
            "name": "Credit",
            "conditions": {"statuses": ["accepted", "cancelled"]},
            "action": {"document_type": "credit_note"},
        },
    )
    assert response.status_code == 422
    assert "refund trigger" in response.json()["message"]


def test_triggers_are_read_and_switched_with_a_new_version(seller: Caller) -> None:
    channel = seller.shop()
    assert seller.get(f"/channels/{channel}/triggers").json() == {
        "channel": channel,
        "version": 0,
        "final_invoice_when_proforma_paid": False,
        "invoice_when_order_paid": False,
        "credit_note_when_cancelled": False,
        "credit_note_for_partial_refund": False,
    }
    switched = seller.put(f"/channels/{channel}/triggers", {"invoice_when_order_paid": True})
    assert switched.status_code == 200
    assert (switched.json()["invoice_when_order_paid"], switched.json()["version"]) == (True, 1)
    assert seller.get(f"/channels/{channel}/rule-set").json()["triggers"]["invoice_when_order_paid"] is True
    typo = seller.put(f"/channels/{channel}/triggers", {"invoice_when_paid": True})
    assert (typo.status_code, typo.json()["field"]) == (422, "invoice_when_paid")


def test_an_unknown_condition_is_refused_rather_than_ignored(seller: Caller) -> None:
    channel = seller.shop()
    body = {**SEED_003[1], "channel": channel, "conditions": {"statuses": ["accepted"], "payment_method": ["card"]}}
    response = seller.post("/rules", body)
    assert (response.status_code, response.json()["field"]) == (422, "conditions.payment_method")


def test_a_saved_rule_set_is_the_json_simulate_reads(seller: Caller) -> None:
    channel = seller.shop()
    seller.seed_003(channel)
    rule_set = seller.get(f"/channels/{channel}/rule-set").json()
    assert [rule["name"] for rule in rule_set["rules"]] == [rule["name"] for rule in SEED_003]
    assert rule_set["triggers"]["final_invoice_when_proforma_paid"] is True


def test_a_changed_rule_decides_the_next_event(seller: Caller) -> None:
    channel = seller.shop()
    ids = seller.seed_003(channel)
    seller.put(
        f"/rules/{ids[1]}",
        {**SEED_003[1], "conditions": {"statuses": ["shipped"], "payment_methods": ["card"]}},
    )
    placed = seller.post("/orders", order_body(channel))
    assert placed.json()["outcome"]["documents"] == []
    assert placed.json()["outcome"]["rules_version"] == 5


def test_another_sellers_rules_and_channels_are_not_found(seller: Caller, other_seller: Caller) -> None:
    theirs_channel = other_seller.shop()
    [theirs, *_] = other_seller.seed_003(theirs_channel)
    for response in (
        seller.get(f"/rules/{theirs}"),
        seller.put(f"/rules/{theirs}", SEED_003[0]),
        seller.delete(f"/rules/{theirs}"),
        seller.post("/rules", {"channel": theirs_channel, **SEED_003[0]}),
        seller.get(f"/channels/{theirs_channel}/triggers"),
        seller.put(f"/channels/{theirs_channel}/triggers", {}),
        seller.get(f"/channels/{theirs_channel}/rule-set"),
    ):
        assert response.status_code == 404, response.content
    assert seller.get("/rules").json() == []
    assert len(other_seller.get("/rules").json()) == 3
