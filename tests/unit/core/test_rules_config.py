"""Rule configuration: what is refused when a rule is saved, and the JSON form of a rule set (F4.4)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from faktura.core.errors import InvalidValue, MissingValue, ValidationError
from faktura.core.rules import (
    Action,
    BillingDetails,
    BuyerKind,
    Conditions,
    DocumentType,
    OrderStatus,
    PaymentMethod,
    Rule,
    RuleSet,
    Triggers,
    rule_set_from_dict,
    rule_set_to_dict,
    validate_rule,
    validate_rule_set,
)

ACCEPTED = frozenset({OrderStatus.ACCEPTED})
CARD_RULE = Rule(
    id=1,
    name="Invoice for cards",
    conditions=Conditions(statuses=ACCEPTED, payment_methods=frozenset({PaymentMethod.CARD})),
    action=Action(DocumentType.INVOICE, mark_paid=True, due_days=0),
)


def with_conditions(**changes: Any) -> Rule:
    return replace(CARD_RULE, conditions=replace(CARD_RULE.conditions, **changes))


def with_action(**changes: Any) -> Rule:
    return replace(CARD_RULE, action=replace(CARD_RULE.action, **changes))


def test_a_sound_rule_passes() -> None:
    validate_rule(CARD_RULE, supported_types=frozenset({"invoice", "credit_note"}), connector="SmartBill")


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        pytest.param(replace(CARD_RULE, name=" "), "name", "give the rule a name", id="no name"),
        pytest.param(
            with_conditions(statuses=frozenset()),
            "conditions.statuses",
            "choose at least one order status",
            id="no status",
        ),
        pytest.param(
            with_conditions(statuses=frozenset({"acepted"})),
            "conditions.statuses",
            "unknown value 'acepted'; use one of new, accepted, processing, shipped, delivered, completed, "
            "cancelled, returned",
            id="unknown status",
        ),
        pytest.param(
            with_conditions(payment_methods=frozenset()),
            "conditions.payment_methods",
            "an empty choice matches no order; leave it out to accept any",
            id="empty payment methods",
        ),
        pytest.param(
            with_conditions(delivery_methods=frozenset({" "})),
            "conditions.delivery_methods",
            "must not be blank",
            id="blank delivery method",
        ),
        pytest.param(
            with_conditions(buyer_countries=frozenset({"sk"})),
            "conditions.buyer_countries",
            "write 'sk' as SK",
            id="lower-case country",
        ),
        pytest.param(
            with_conditions(buyer_countries=frozenset({"EU"})),
            "conditions.buyer_countries",
            "EU is not an ISO 3166-1 country code",
            id="not a country",
        ),
        pytest.param(
            with_conditions(billing_details="sometimes"),
            "conditions.billing_details",
            "unknown value 'sometimes'; use one of always, only_if_entered",
            id="unknown billing details option",
        ),
        pytest.param(
            with_conditions(statuses=frozenset({OrderStatus.ACCEPTED, OrderStatus.CANCELLED})),
            "conditions.statuses",
            "invoices are not issued for cancelled orders",
            id="invoice for a cancelled order",
        ),
        pytest.param(
            with_action(document_type=DocumentType.CREDIT_NOTE, mark_paid=False),
            "conditions.statuses",
            "a credit note takes back a cancelled or returned order, and this rule also names accepted; "
            "refunds are credited by the refund trigger",
            id="credit note for a sold order",
        ),
        pytest.param(
            with_action(document_type=DocumentType.ESTIMATE, mark_paid=False),
            "action.document_type",
            "estimates are not issued by rules; they are sent to the buyer to sign",
            id="estimate",
        ),
        pytest.param(
            with_action(document_type=DocumentType.PROFORMA, mark_paid=False),
            "action.document_type",
            "SmartBill does not support proformas",
            id="unsupported by the connector",
        ),
        pytest.param(with_action(due_days=-1), "action.due_days", "must be 0 to 365 days", id="negative due days"),
        pytest.param(with_action(due_days=366), "action.due_days", "must be 0 to 365 days", id="due in over a year"),
        pytest.param(
            replace(
                with_action(document_type=DocumentType.CREDIT_NOTE),
                conditions=Conditions(statuses=frozenset({OrderStatus.CANCELLED})),
            ),
            "action.mark_paid",
            "only an invoice is marked paid at once",
            id="credit note marked paid",
        ),
        pytest.param(
            with_conditions(payment_methods=None),
            "action.mark_paid",
            "only orders paid upfront (card, cash or paypal) are marked paid at once; "
            "this rule matches every payment method",
            id="marked paid for any payment method",
        ),
        pytest.param(
            with_conditions(payment_methods=frozenset({PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER})),
            "action.mark_paid",
            "only orders paid upfront (card, cash or paypal) are marked paid at once; "
            "this rule also matches bank_transfer",
            id="marked paid for bank transfers",
        ),
    ],
)
def test_a_rule_that_cannot_be_right_is_refused_with_its_field(rule: Rule, field: str, message: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_rule(rule, supported_types=frozenset({"invoice", "credit_note"}), connector="SmartBill")

    assert refused.value.field == field
    assert message in refused.value.message


def test_a_credit_note_rule_may_name_cancelled_and_returned_orders() -> None:
    rule = Rule(
        id="storno",
        name="Credit note",
        conditions=Conditions(statuses=frozenset({OrderStatus.CANCELLED, OrderStatus.RETURNED})),
        action=Action(DocumentType.CREDIT_NOTE),
    )

    validate_rule(rule)


def test_a_rule_set_names_the_rule_that_is_wrong() -> None:
    rule_set = RuleSet(rules=(CARD_RULE, replace(CARD_RULE, id=2, name="")))

    with pytest.raises(MissingValue) as refused:
        validate_rule_set(rule_set)

    assert refused.value.field == "rules[1].name"


def test_two_rules_with_one_id_are_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        validate_rule_set(RuleSet(rules=(CARD_RULE, replace(CARD_RULE, id="1"))))

    assert str(refused.value) == "rules[1].id: two rules have the id 1"


def test_a_trigger_for_a_document_type_the_connector_lacks_is_refused() -> None:
    rule_set = RuleSet(triggers=Triggers(credit_note_when_cancelled=True))

    with pytest.raises(InvalidValue) as refused:
        validate_rule_set(rule_set, supported_types=frozenset({"invoice"}), connector="Számlázz.hu")

    assert str(refused.value) == "triggers.credit_note_when_cancelled: Számlázz.hu does not support credit notes"


# -- JSON form --------------------------------------------------------------------------------------

FULL_RULE_SET = RuleSet(
    rules=(
        CARD_RULE,
        Rule(
            id="pickup-sk",
            name="Proforma for Slovak companies",
            conditions=Conditions(
                statuses=frozenset({OrderStatus.ACCEPTED, OrderStatus.PROCESSING}),
                payment_methods=frozenset({PaymentMethod.BANK_TRANSFER}),
                delivery_methods=frozenset({"Pickup", "Courier"}),
                billing_details=BillingDetails.ONLY_IF_ENTERED,
                buyer_countries=frozenset({"SK", "CZ"}),
                buyer_kind=BuyerKind.BUSINESS,
            ),
            action=Action(DocumentType.PROFORMA, send_to_buyer=False, due_days=14),
            enabled=False,
        ),
    ),
    triggers=Triggers(final_invoice_when_proforma_paid=True, credit_note_for_partial_refund=True),
)


def test_a_rule_set_survives_its_json_form() -> None:
    data = rule_set_to_dict(FULL_RULE_SET)

    assert rule_set_from_dict(data) == FULL_RULE_SET
    assert data["rules"][1]["conditions"]["buyer_countries"] == ["CZ", "SK"]
    assert data["rules"][1]["conditions"]["buyer_kind"] == "business"
    assert type(data["rules"][1]["conditions"]["buyer_kind"]) is str


def test_the_json_form_normalises_countries_and_defaults_what_is_left_out() -> None:
    rule_set = rule_set_from_dict(
        {
            "rules": [
                {
                    "id": 5,
                    "name": "Invoices for Hungary",
                    "conditions": {"statuses": ["shipped"], "buyer_countries": [" hu "]},
                    "action": {"document_type": "invoice"},
                }
            ]
        }
    )

    [rule] = rule_set.rules
    assert rule.conditions == Conditions(statuses=frozenset({OrderStatus.SHIPPED}), buyer_countries=frozenset({"HU"}))
    assert (rule.action, rule.enabled, rule_set.triggers) == (Action(DocumentType.INVOICE), True, Triggers())


def _rule_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": 1,
        "name": "Invoice",
        "conditions": {"statuses": ["accepted"]},
        "action": {"document_type": "invoice"},
    }
    for key, value in changes.items():
        section, _, name = key.partition("__")
        if name:
            data[section] = {**data[section], name: value}
        else:
            data[section] = value
    return data


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        pytest.param({"rule": []}, None, "unknown key 'rule'; use rules or triggers", id="unknown top key"),
        pytest.param({"rules": {}}, "rules", "must be a list", id="rules not a list"),
        pytest.param({"triggers": {"invoice_when_paid": True}}, "triggers", "unknown key", id="unknown trigger"),
        pytest.param(
            {"triggers": {"invoice_when_order_paid": "yes"}},
            "triggers.invoice_when_order_paid",
            "must be true or false",
            id="trigger not a bool",
        ),
        pytest.param({"rules": [_rule_data(id=None)]}, "rules[0].id", "a rule needs an id", id="no id"),
        pytest.param({"rules": [_rule_data(id=True)]}, "rules[0].id", "a rule needs an id", id="bool id"),
        pytest.param(
            {"rules": [_rule_data(conditions__statuses=["accepted", "paid"])]},
            "rules[0].conditions.statuses[1]",
            "unknown value 'paid'",
            id="unknown status",
        ),
        pytest.param(
            {"rules": [_rule_data(conditions__statuses="accepted")]},
            "rules[0].conditions.statuses",
            "must be a list",
            id="statuses not a list",
        ),
        pytest.param(
            {"rules": [_rule_data(conditions__buyer_countries=["XX"])]},
            "rules[0].conditions.buyer_countries[0]",
            "XX is not an ISO 3166-1 country code",
            id="unknown country",
        ),
        pytest.param(
            {"rules": [_rule_data(action__document_type=None)]},
            "rules[0].action.document_type",
            "choose one of",
            id="no document type",
        ),
        pytest.param(
            {"rules": [_rule_data(action__due_days="14")]},
            "rules[0].action.due_days",
            "a number of days",
            id="due days as text",
        ),
        pytest.param(
            {"rules": [_rule_data(action__sendtobuyer=True)]},
            "rules[0].action",
            "unknown key 'sendtobuyer'; use document_type, due_days, mark_paid or send_to_buyer",
            id="misspelled option",
        ),
        pytest.param(
            {"rules": [_rule_data(conditions__statuses=[])]},
            "rules[0].conditions.statuses",
            "choose at least one order status",
            id="validated after parsing",
        ),
    ],
)
def test_the_json_form_refuses_what_it_cannot_read_with_its_field(
    data: dict[str, Any], field: str | None, message: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        rule_set_from_dict(data)

    assert refused.value.field == field
    assert message in refused.value.message


def test_the_json_form_checks_the_connector() -> None:
    data = {"rules": [_rule_data(action__document_type="proforma")]}

    with pytest.raises(InvalidValue, match="SuperFaktura does not support proformas"):
        rule_set_from_dict(data, supported_types={"invoice"}, connector="SuperFaktura")
