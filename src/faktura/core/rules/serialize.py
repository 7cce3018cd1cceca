"""A rule set as plain JSON data: how the API, the web app and ``faktura rules simulate`` exchange it.

Keys are the field names; a condition left out (or null) accepts any value.
Unknown keys are refused, so a typo never silently widens a rule, and every
error names its field. ``rule_set_from_dict`` then runs ``validate_rule_set``.

>>> rule_set = rule_set_from_dict({
...     "rules": [{"id": 1, "name": "Proforma for transfers",
...                "conditions": {"statuses": ["accepted"], "payment_methods": ["bank_transfer"]},
...                "action": {"document_type": "proforma", "due_days": 14}}],
...     "triggers": {"final_invoice_when_proforma_paid": True},
... })
>>> rule_set.rules[0].conditions.payment_methods
frozenset({<PaymentMethod.BANK_TRANSFER: 'bank_transfer'>})
>>> rule_set_from_dict(rule_set_to_dict(rule_set)) == rule_set
True
>>> rule_set_from_dict({"rules": [{"id": 1, "name": "x", "conditions": {"status": ["new"]},
...                                "action": {"document_type": "invoice"}}]})
Traceback (most recent call last):
...
faktura.core.errors.InvalidValue: rules[0].conditions: unknown key 'status'; use billing_details, buyer_countries, \
buyer_kind, delivery_methods, payment_methods or statuses
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, fields
from enum import StrEnum
from typing import Any, TypeVar

from faktura.core.countries import country
from faktura.core.documents import DocumentType
from faktura.core.errors import InvalidValue, MissingValue
from faktura.core.rules.conditions import BillingDetails, BuyerKind, Conditions, either
from faktura.core.rules.facts import OrderStatus, PaymentMethod
from faktura.core.rules.ruleset import Action, Rule, RuleSet, Triggers
from faktura.core.rules.validation import validate_rule_set

__all__ = ["rule_set_from_dict", "rule_set_to_dict"]

E = TypeVar("E", bound=StrEnum)


def rule_set_from_dict(
    data: Mapping[str, Any], *, supported_types: Collection[str] | None = None, connector: str = "the invoicing system"
) -> RuleSet:
    _keys(data, ("rules", "triggers"), "")
    rules = _list(data.get("rules", []), "rules")
    triggers = _mapping(data.get("triggers", {}), "triggers")
    _keys(triggers, [f.name for f in fields(Triggers)], "triggers")
    rule_set = RuleSet(
        rules=tuple(_rule(_mapping(item, f"rules[{i}]"), f"rules[{i}]") for i, item in enumerate(rules)),
        triggers=Triggers(**{name: _bool(value, f"triggers.{name}") for name, value in triggers.items()}),
    )
    validate_rule_set(rule_set, supported_types=supported_types, connector=connector)
    return rule_set


def rule_set_to_dict(rule_set: RuleSet) -> dict[str, Any]:
    return {"rules": [_rule_to_dict(rule) for rule in rule_set.rules], "triggers": asdict(rule_set.triggers)}


def _rule_to_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "enabled": rule.enabled,
        "conditions": {name: _plain(value) for name, value in asdict(rule.conditions).items()},
        "action": {name: _plain(value) for name, value in asdict(rule.action).items()},
    }


def _plain(value: object) -> object:
    """JSON types: sets as sorted lists, enums as their values."""
    if isinstance(value, frozenset):
        return sorted(str(item) for item in value)
    return str(value) if isinstance(value, StrEnum) else value


def _rule(data: Mapping[str, Any], at: str) -> Rule:
    _keys(data, ("id", "name", "conditions", "action", "enabled"), at)
    if not isinstance(data.get("id"), int | str) or isinstance(data.get("id"), bool):
        raise MissingValue("a rule needs an id, a number or a text", field=f"{at}.id")
    conditions = _mapping(data.get("conditions", {}), f"{at}.conditions")
    _keys(conditions, [f.name for f in fields(Conditions)], f"{at}.conditions")
    action = _mapping(data.get("action", {}), f"{at}.action")
    _keys(action, [f.name for f in fields(Action)], f"{at}.action")
    c, a = f"{at}.conditions.", f"{at}.action."
    due_days = action.get("due_days")
    if due_days is not None and (not isinstance(due_days, int) or isinstance(due_days, bool)):
        raise InvalidValue("a number of days", field=f"{a}due_days")
    return Rule(
        id=data["id"],
        name=_str(data.get("name", ""), f"{at}.name"),
        enabled=_bool(data.get("enabled", True), f"{at}.enabled"),
        conditions=Conditions(
            statuses=_set(conditions.get("statuses", []), lambda v, f: _enum(v, OrderStatus, f), f"{c}statuses")
            or frozenset(),
            payment_methods=_set(
                conditions.get("payment_methods"), lambda v, f: _enum(v, PaymentMethod, f), f"{c}payment_methods"
            ),
            delivery_methods=_set(
                conditions.get("delivery_methods"), lambda v, f: _str(v, f).strip(), f"{c}delivery_methods"
            ),
            billing_details=_enum(conditions.get("billing_details", "always"), BillingDetails, f"{c}billing_details"),
            buyer_countries=_set(
                conditions.get("buyer_countries"), lambda v, f: country(_str(v, f), field=f), f"{c}buyer_countries"
            ),
            buyer_kind=_enum(conditions.get("buyer_kind", "any"), BuyerKind, f"{c}buyer_kind"),
        ),
        action=Action(
            document_type=_enum(action.get("document_type"), DocumentType, f"{a}document_type"),
            send_to_buyer=_bool(action.get("send_to_buyer", True), f"{a}send_to_buyer"),
            due_days=due_days,
            mark_paid=_bool(action.get("mark_paid", False), f"{a}mark_paid"),
        ),
    )


def _keys(data: Mapping[str, Any], allowed: Collection[str], at: str) -> None:
    for key in data:
        if key not in allowed:
            raise InvalidValue(f"unknown key {key!r}; use {either(allowed)}", field=at or None)


def _set(value: Any, item: Callable[[Any, str], Any], field: str) -> frozenset[Any] | None:
    if value is None:
        return None
    return frozenset(item(v, f"{field}[{i}]") for i, v in enumerate(_list(value, field)))


def _enum(value: Any, choices: type[E], field: str) -> E:
    if value is None:
        raise MissingValue(f"choose one of {', '.join(c.value for c in choices)}", field=field)
    try:
        return choices(_str(value, field))
    except ValueError:
        raise InvalidValue(
            f"unknown value {value!r}; use one of {', '.join(c.value for c in choices)}", field=field
        ) from None


def _mapping(value: Any, field: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidValue("must be an object", field=field)
    return value


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise InvalidValue("must be a list", field=field)
    return list(value)


def _str(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidValue("must be a text", field=field)
    return value


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue("must be true or false", field=field)
    return value
