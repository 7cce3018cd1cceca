"""Checks a rule or a rule set before it is saved, with the field to blame (F4.4, F12.1).

A rule that can never be right is refused when the seller saves it, never when
an order arrives:

* a rule names one order status at least; a set of payment methods, delivery
  methods or countries, when given, is not empty (leave it out for any);
* estimates are not issued by rules (they go to the buyer to sign, F8); a rule
  issues an invoice or a proforma for an order that is not cancelled or
  returned, and a credit note only for one that is;
* the connector of the channel must support the document type (seed 003);
* only an invoice is marked paid at once, and only when every payment method the
  rule matches is paid upfront (card, cash, PayPal): the money is already in;
* the due date is 0 to 365 days after issue.

>>> from faktura.core.rules.conditions import Conditions
>>> from faktura.core.rules.facts import OrderStatus
>>> from faktura.core.rules.ruleset import Action
>>> accepted = Conditions(statuses=frozenset({OrderStatus.ACCEPTED}))
>>> proforma = Rule(id=1, name="Proforma", conditions=accepted, action=Action(DocumentType.PROFORMA))
>>> validate_rule(proforma, supported_types=frozenset({"invoice", "credit_note"}), connector="SmartBill")
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: action.document_type: SmartBill does not support proformas
>>> paid = Rule(id=2, name="Paid", conditions=accepted, action=Action(DocumentType.INVOICE, mark_paid=True))
>>> validate_rule(paid)  # doctest: +NORMALIZE_WHITESPACE
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: action.mark_paid: only orders paid upfront (card, cash or paypal)
are marked paid at once; this rule matches every payment method
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from faktura.core.countries import country
from faktura.core.documents import DocumentType
from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.rules.conditions import BillingDetails, BuyerKind, either
from faktura.core.rules.facts import PAID_UPFRONT, UNSOLD, OrderStatus, PaymentMethod
from faktura.core.rules.intents import document_name
from faktura.core.rules.ruleset import Rule, RuleSet, Trigger

__all__ = ["validate_rule", "validate_rule_set"]

MAX_DUE_DAYS = 365
ISSUED_BY_RULES = (DocumentType.PROFORMA, DocumentType.INVOICE, DocumentType.CREDIT_NOTE)


def validate_rule(
    rule: Rule, *, supported_types: Collection[str] | None = None, connector: str = "the invoicing system", at: str = ""
) -> None:
    """Raise ``InvalidValue`` or ``MissingValue`` for the first problem; ``at`` prefixes the fields."""
    if not rule.name.strip():
        raise MissingValue("give the rule a name", field=f"{at}name")
    conditions = rule.conditions
    if not conditions.statuses:
        raise InvalidValue("choose at least one order status", field=f"{at}conditions.statuses")
    for name, values, choices in (
        ("statuses", conditions.statuses, OrderStatus),
        ("payment_methods", conditions.payment_methods, PaymentMethod),
        ("delivery_methods", conditions.delivery_methods, None),
        ("buyer_countries", conditions.buyer_countries, None),
    ):
        _check_set(values, choices, f"{at}conditions.{name}")
    for code in conditions.buyer_countries or ():
        if country(code, field=f"{at}conditions.buyer_countries") != code:
            raise InvalidValue(f"write {code!r} as {country(code)}", field=f"{at}conditions.buyer_countries")
    _check_member(conditions.billing_details, BillingDetails, f"{at}conditions.billing_details")
    _check_member(conditions.buyer_kind, BuyerKind, f"{at}conditions.buyer_kind")
    _check_action(rule, supported_types, connector, at)


def validate_rule_set(
    rule_set: RuleSet, *, supported_types: Collection[str] | None = None, connector: str = "the invoicing system"
) -> None:
    seen: set[str] = set()
    for index, rule in enumerate(rule_set.rules):
        validate_rule(rule, supported_types=supported_types, connector=connector, at=f"rules[{index}].")
        if str(rule.id) in seen:
            raise InvalidValue(f"two rules have the id {rule.id}", field=f"rules[{index}].id")
        seen.add(str(rule.id))
    for trigger in Trigger:
        if (
            rule_set.triggers.is_on(trigger)
            and supported_types is not None
            and trigger.document_type not in supported_types
        ):
            raise InvalidValue(_unsupported(trigger.document_type, connector), field=f"triggers.{trigger.value}")


def _check_action(rule: Rule, supported_types: Collection[str] | None, connector: str, at: str) -> None:
    action = rule.action
    field = f"{at}action.document_type"
    _check_member(action.document_type, DocumentType, field)
    if action.document_type not in ISSUED_BY_RULES:
        raise InvalidValue("estimates are not issued by rules; they are sent to the buyer to sign", field=field)
    if supported_types is not None and action.document_type not in supported_types:
        raise InvalidValue(_unsupported(action.document_type, connector), field=field)
    if action.document_type != DocumentType.CREDIT_NOTE and (unsold := UNSOLD & rule.conditions.statuses):
        raise InvalidValue(
            f"{document_name(action.document_type, plural=True)} are not issued for {either(unsold)} orders",
            field=f"{at}conditions.statuses",
        )
    if action.document_type == DocumentType.CREDIT_NOTE and (sold := rule.conditions.statuses - UNSOLD):
        raise InvalidValue(
            f"a credit note takes back a cancelled or returned order, and this rule also names {either(sold)};"
            " refunds are credited by the refund trigger",
            field=f"{at}conditions.statuses",
        )
    if action.due_days is not None and not 0 <= action.due_days <= MAX_DUE_DAYS:
        raise InvalidValue(f"must be 0 to {MAX_DUE_DAYS} days", field=f"{at}action.due_days")
    if action.mark_paid:
        _check_mark_paid(rule, f"{at}action.mark_paid")


def _check_mark_paid(rule: Rule, field: str) -> None:
    if rule.action.document_type != DocumentType.INVOICE:
        raise InvalidValue("only an invoice is marked paid at once", field=field)
    methods = rule.conditions.payment_methods
    if methods is None or not methods <= PAID_UPFRONT:
        matches = (
            "matches every payment method" if methods is None else f"also matches {either(methods - PAID_UPFRONT)}"
        )
        raise InvalidValue(
            f"only orders paid upfront ({either(PAID_UPFRONT)}) are marked paid at once; this rule {matches}",
            field=field,
        )


def _check_set(values: frozenset[str] | None, choices: type[StrEnum] | None, field: str) -> None:
    if values is None:
        return
    if not values:
        raise InvalidValue("an empty choice matches no order; leave it out to accept any", field=field)
    for value in sorted(values):
        if choices is None and not value.strip():
            raise InvalidValue("must not be blank", field=field)
        if choices is not None:
            _check_member(value, choices, field)


def _check_member(value: str, choices: type[StrEnum], field: str) -> None:
    if value not in {choice.value for choice in choices}:
        raise InvalidValue(f"unknown value {value!r}; use one of {', '.join(c.value for c in choices)}", field=field)


def _unsupported(document_type: DocumentType, connector: str) -> str:
    return f"{connector} does not support {document_name(document_type, plural=True)}"
