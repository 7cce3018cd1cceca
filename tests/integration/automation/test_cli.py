"""``faktura rules explain`` and ``faktura rules simulate`` (F4.6)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from faktura.apps.automation.rulesets import rule_set_data
from faktura.apps.automation.services import channel_event_receive
from faktura.apps.sales.models import Order
from faktura.core.errors import InvalidValue, MissingValue, NotFound
from faktura.core.rules import OrderStatus, PaymentMethod
from faktura.webhooks.payloads.model import EventType
from tests import factories as make
from tests.integration.automation import helpers
from tests.integration.cli.conftest import faktura

pytestmark = pytest.mark.django_db


def rules(*args: str) -> str:
    out = io.StringIO()
    call_command("rules", *args, stdout=out)
    return out.getvalue()


def receive(org, channel, event) -> None:
    channel_event_receive(actor=make.TEST_ACTOR, organization=org, channel=channel, event=event)


def test_explain_by_id_and_by_channel_and_external_id() -> None:
    org, channel = helpers.shop(auto_issue=False)
    helpers.seed_003(org, channel)
    receive(org, channel, helpers.event("e1", helpers.order(payment_method=PaymentMethod.CASH_ON_DELIVERY)))
    order_id = Order.objects.get(organization=org).pk

    by_id = rules("explain", str(order_id))
    by_reference = rules("explain", f"{channel.code}:1001", "--seller", str(org.pk))

    assert by_id == by_reference
    assert "payment method is cash_on_delivery, rule wants card" in by_id
    assert "Automatic issuing: no, automatic issuing is off" in by_id
    data = json.loads(rules("explain", str(order_id), "--json"))
    assert [r["matched"] for r in data["rules"]] == [False, False, False]


def test_explain_refuses_what_it_cannot_find() -> None:
    org, channel = helpers.shop()
    with pytest.raises(NotFound):
        rules("explain", "999999")
    with pytest.raises(MissingValue):
        rules("explain", f"{channel.code}:1001")
    with pytest.raises(NotFound):
        rules("explain", f"{channel.code}:nope", "--seller", str(org.pk))


def test_simulate_reports_what_a_proposed_rule_set_would_have_issued_next_to_what_was(tmp_path: Path) -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)  # cards get invoices; transfers proformas, then final invoices
    receive(org, channel, helpers.event("e1", helpers.order("1")))
    transfer = helpers.order("2", payment_method=PaymentMethod.BANK_TRANSFER)
    receive(org, channel, helpers.event("e2", transfer))
    receive(org, channel, helpers.event("e3", transfer, EventType.ORDER_PAYMENT_RECORDED, payment="34.20"))
    receive(org, channel, helpers.event("e4", helpers.order("3", status=OrderStatus.CANCELLED)))
    proposed = tmp_path / "rules.json"
    proposed.write_text(
        json.dumps(
            {
                "rules": [],
                "triggers": {"invoice_when_order_paid": True},
            }
        )
    )

    text = rules("simulate", "--channel", channel.code, "--rules", str(proposed))
    data = json.loads(rules("simulate", "--channel", channel.code, "--rules", str(proposed), "--json"))

    assert data["orders"] == 3
    assert data["would_issue"] == {"invoice": 1}
    assert data["issued"] == {"invoice": 2, "proforma": 1}
    assert [(d["order"], d["issued_but_not_by_these_rules"]) for d in data["differences"]] == [
        ("RO-1", ["invoice"]),
        ("RO-2", ["proforma"]),
    ]
    assert "3 orders replayed; would issue:" in text
    assert "Actually issued for these orders:" in text
    later = json.loads(
        rules("simulate", "--channel", channel.code, "--rules", str(proposed), "--since", "2030-01-01", "--json")
    )
    assert later["orders"] == 0


def test_simulate_with_the_channels_own_rules_reproduces_what_was_issued(tmp_path: Path) -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)
    receive(org, channel, helpers.event("e1", helpers.order("1")))
    receive(
        org, channel, helpers.event("e2", helpers.order("1", status=OrderStatus.CANCELLED), EventType.ORDER_CANCELLED)
    )
    own = tmp_path / "own.json"
    own.write_text(json.dumps(rule_set_data(channel=channel)))
    data = json.loads(rules("simulate", "--channel", channel.code, "--rules", str(own), "--json"))
    assert data["would_issue"] == data["issued"] == {"invoice": 1, "credit_note": 1}
    assert data["differing"] == 0


def test_simulate_refuses_a_bad_rule_file_with_the_field(tmp_path: Path) -> None:
    _org, channel = helpers.shop()
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "rules": [
                    {"id": 1, "name": "x", "conditions": {"status": ["new"]}, "action": {"document_type": "invoice"}}
                ]
            }
        )
    )
    with pytest.raises(InvalidValue) as refused:
        rules("simulate", "--channel", channel.code, "--rules", str(bad))
    assert refused.value.field == "rules[0].conditions"
    with pytest.raises(InvalidValue):
        rules("simulate", "--channel", channel.code, "--rules", str(tmp_path / "missing.json"))


@pytest.mark.django_db(transaction=True)
def test_the_faktura_command_prints_field_and_message_and_exits_2(tmp_path: Path) -> None:
    _org, channel = helpers.shop()
    result = faktura("rules", "simulate", "--channel", channel.code, "--rules", str(tmp_path / "none.json"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("rules: cannot read")
    explained = faktura("rules", "explain", "999999")
    assert (explained.returncode, explained.stderr.strip()) == (2, "order: order 999999 does not exist")
