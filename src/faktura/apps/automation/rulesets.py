"""Storing a channel's rules and triggers, and loading them as the core's ``RuleSet``.

Every write checks the whole rule set as it would be after the change with
``core.rules`` (``rule_set_from_dict``: unknown keys, statuses, mark-paid only
for upfront payments, the connector's document types...), so a rule that can
never be right is refused when it is saved, with the field to blame. Every
write increments the channel's rule-set version and records an audit event
with the rule as it now is.

Loading is on the ingest path: one query for the channel's rule set row, and
the rules themselves only when the version differs from the one this process
last loaded.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

from django.db import transaction

from faktura.apps.audit.services import audit_record
from faktura.apps.automation import connectors
from faktura.apps.automation.models import ChannelRuleSet, IssuingRule
from faktura.apps.sales import selectors as sales
from faktura.core.actors import Actor
from faktura.core.errors import FakturaError, NotFound
from faktura.core.rules import RuleSet, rule_set_from_dict, rule_set_to_dict
from faktura.platform.fastread import PreparedRead

if TYPE_CHECKING:
    from faktura.apps.accounts.models import Organization
    from faktura.apps.sales.models import SalesChannel

_cache: dict[tuple[int, int], tuple[tuple[int, Any], RuleSet]] = {}
_cache_lock = threading.Lock()


def rule_set_load(*, channel: SalesChannel) -> tuple[RuleSet, int]:
    """The channel's rules as the core's ``RuleSet``, and the version they have; empty when none were saved."""
    row = _RULE_SET_STAMP.first(channel_id=channel.pk)
    if row is None:
        return RuleSet(), 0
    pk, version, updated_at, triggers = row
    # The stamp tells apart a row that a rolled-back transaction created under the same id (SQLite reuses ids).
    stamp = (version, updated_at)
    cached = _cache.get((channel.pk, pk))
    if cached is not None and cached[0] == stamp:
        return cached[1], version
    rules = list(IssuingRule.objects.filter(rule_set_id=pk).order_by("position", "pk"))
    rule_set = rule_set_from_dict({"rules": [_rule_data(rule) for rule in rules], "triggers": triggers})
    with _cache_lock:
        _cache[(channel.pk, pk)] = (stamp, rule_set)
    return rule_set, version


_RULE_SET_STAMP: PreparedRead[tuple[int, int, Any, Any]] = PreparedRead(
    lambda channel_id: (
        ChannelRuleSet.objects.filter(channel_id=channel_id)
        .values_list("pk", "version", "updated_at", "triggers")
        .order_by("pk")[:1]
    ),
    channel_id=int,
)


def rule_set_data(*, channel: SalesChannel) -> dict[str, Any]:
    """The channel's rule set as the JSON ``faktura rules simulate --rules`` reads."""
    return rule_set_to_dict(rule_set_load(channel=channel)[0])


def rule_create(
    *,
    actor: Actor,
    organization: Organization,
    channel_id: int,
    name: str,
    conditions: dict[str, Any],
    action: dict[str, Any],
    enabled: bool = True,
    position: int | None = None,
) -> IssuingRule:
    """Add a rule to a channel, last unless ``position`` (from 1) says where."""
    with transaction.atomic():
        rule_set = _locked_rule_set(organization, channel_id)
        rules = list(rule_set.rules.order_by("position", "pk"))
        rule = IssuingRule(organization=organization, rule_set=rule_set, position=0)
        _fill(rule, name=name, conditions=conditions, action=action, enabled=enabled)
        rules.insert(_index(position, len(rules)), rule)
        _check(rule_set, rules, rule)
        rule.save()
        _renumber(rules)
        _changed(actor, organization, rule_set, "rule.created", rule)
    return rule


def rule_update(
    *,
    actor: Actor,
    organization: Organization,
    rule_id: int,
    name: str,
    conditions: dict[str, Any],
    action: dict[str, Any],
    enabled: bool = True,
    position: int | None = None,
) -> IssuingRule:
    """Replace a rule (PUT): its name, conditions, action and switch; ``position`` moves it."""
    with transaction.atomic():
        rule = _locked_rule(organization, rule_id)
        rule_set = rule.rule_set
        rules = [r for r in rule_set.rules.order_by("position", "pk") if r.pk != rule.pk]
        _fill(rule, name=name, conditions=conditions, action=action, enabled=enabled)
        rules.insert(_index(position, len(rules)) if position is not None else rule.position - 1, rule)
        _check(rule_set, rules, rule)
        rule.save()
        _renumber(rules)
        _changed(actor, organization, rule_set, "rule.updated", rule)
    return rule


def rule_delete(*, actor: Actor, organization: Organization, rule_id: int) -> IssuingRule:
    with transaction.atomic():
        rule = _locked_rule(organization, rule_id)
        rule_set, pk = rule.rule_set, rule.pk
        _changed(actor, organization, rule_set, "rule.deleted", rule)
        rule.delete()
        _renumber(list(rule_set.rules.order_by("position", "pk")))
        rule.pk = pk
    return rule


def triggers_set(
    *, actor: Actor, organization: Organization, channel_id: int, triggers: dict[str, Any]
) -> ChannelRuleSet:
    """Switch the channel's built-in triggers; a trigger left out is off."""
    with transaction.atomic():
        rule_set = _locked_rule_set(organization, channel_id)
        before = dict(rule_set.triggers)
        rules = list(rule_set.rules.order_by("position", "pk"))
        parsed = _parse(rule_set, rules, triggers=triggers)
        rule_set.triggers = rule_set_to_dict(parsed)["triggers"]
        if rule_set.triggers != before or not before:
            rule_set.version += 1
            rule_set.save(update_fields=["triggers", "version", "updated_at"])
            audit_record(
                organization=organization,
                actor=actor,
                action="rules.triggers_set",
                object_type="channel",
                object_id=rule_set.channel_id,
                data={"triggers": rule_set.triggers, "version": rule_set.version},
            )
    return rule_set


def rule_set_proposed(
    *,
    organization: Organization,
    channel_id: int,
    rule_id: int | None,
    name: str,
    conditions: dict[str, Any],
    action: dict[str, Any],
    enabled: bool = True,
    position: int | None = None,
) -> RuleSet:
    """The channel's rules as they would be with this rule added (``rule_id`` None) or replaced; nothing is written.

    The editor explains an order against the rules being edited before they are
    saved; the check is the one a save makes, so what explains cleanly saves cleanly.
    """
    channel = sales.channel_get(organization=organization, channel_id=channel_id)
    if channel is None:
        raise NotFound(f"channel {channel_id} does not exist", field="channel")
    rule_set = ChannelRuleSet.objects.for_organization(organization).filter(channel=channel).first()
    if rule_set is None:
        rule_set = ChannelRuleSet(organization=organization, channel=channel, triggers={})
        rules: list[IssuingRule] = []
    else:
        rule_set.channel = channel
        rules = list(rule_set.rules.order_by("position", "pk"))
    rule = next((r for r in rules if r.pk == rule_id), None) if rule_id is not None else None
    if rule_id is not None and rule is None:
        raise NotFound(f"rule {rule_id} does not exist in channel {channel_id}", field="rule_id")
    if rule is None:
        rule = IssuingRule(organization=organization, rule_set=rule_set, position=0)
        index = _index(position, len(rules))
    else:
        rules.remove(rule)
        index = _index(position, len(rules)) if position is not None else rule.position - 1
    _fill(rule, name=name, conditions=conditions, action=action, enabled=enabled)
    rules.insert(index, rule)
    _check(rule_set, rules, rule)
    return _parse(rule_set, rules, triggers=rule_set.triggers)


def rule_set_check_connector(*, organization: Organization, channel: SalesChannel, connector: str) -> None:
    """Refuse a connector for the channel if it does not support what the channel's rules issue."""
    if connector:
        connectors.get(connector)
    rule_set = ChannelRuleSet.objects.filter(organization=organization, channel=channel).first()
    if rule_set is None:
        return
    rules = list(rule_set.rules.order_by("position", "pk"))
    try:
        _parse(rule_set, rules, triggers=rule_set.triggers, connector=connector)
    except FakturaError as error:
        raise type(error)(
            f"the channel's rules do not fit the connector: {error.message} ({error.field})", field="connector"
        ) from None


def rule_set_for_channel(*, organization: Organization, channel_id: int) -> ChannelRuleSet:
    """The channel's rule set row, created empty on first use."""
    channel = sales.channel_get(organization=organization, channel_id=channel_id)
    if channel is None:
        raise NotFound(f"channel {channel_id} does not exist", field="channel")
    rule_set, _ = ChannelRuleSet.objects.get_or_create(
        organization=organization, channel=channel, defaults={"triggers": {}}
    )
    return rule_set


def _locked_rule_set(organization: Organization, channel_id: int) -> ChannelRuleSet:
    rule_set_for_channel(organization=organization, channel_id=channel_id)
    return (
        ChannelRuleSet.objects.select_for_update()
        .select_related("channel")
        .get(organization=organization, channel_id=channel_id)
    )


def _locked_rule(organization: Organization, rule_id: int) -> IssuingRule:
    rule = IssuingRule.objects.for_organization(organization).filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(f"rule {rule_id} does not exist", field="rule_id")
    rule.rule_set = _locked_rule_set(organization, rule.rule_set.channel_id)
    return rule


def _fill(rule: IssuingRule, *, name: str, conditions: Any, action: Any, enabled: bool) -> None:
    rule.name, rule.conditions, rule.action, rule.enabled = name, conditions, action, enabled


def _index(position: int | None, count: int) -> int:
    if position is None:
        return count
    return min(max(position, 1), count + 1) - 1


def _check(rule_set: ChannelRuleSet, rules: list[IssuingRule], changed: IssuingRule) -> None:
    """Parse the set as it would be; store the changed rule in its canonical form."""
    index = rules.index(changed)
    try:
        parsed = _parse(rule_set, rules, triggers=rule_set.triggers)
    except FakturaError as error:
        prefix = f"rules[{index}]."
        if error.field and error.field.startswith(prefix):
            error.field = re.sub(r"\[(\d+)\]", r".\1", error.field[len(prefix) :])  # the API's dotted form
        elif error.field and error.field.startswith("rules["):
            error.message = f"with this change, rule {error.field} would be refused: {error.message}"
            error.field = None
        raise
    canonical = rule_set_to_dict(parsed)["rules"][index]
    changed.name = canonical["name"].strip()
    changed.conditions, changed.action = canonical["conditions"], canonical["action"]
    changed.document_type = canonical["action"]["document_type"]


def _parse(
    rule_set: ChannelRuleSet, rules: list[IssuingRule], *, triggers: Any, connector: str | None = None
) -> RuleSet:
    name = rule_set.channel.connector if connector is None else connector
    supported: frozenset[str] | None = None
    label = "the invoicing system"
    if name:
        found = connectors.get(name)
        supported, label = found.supported_document_types, found.label
    return rule_set_from_dict(
        {"rules": [_rule_data(rule) for rule in rules], "triggers": triggers},
        supported_types=supported,
        connector=label,
    )


def _rule_data(rule: IssuingRule) -> dict[str, Any]:
    return {
        "id": rule.pk or 0,
        "name": rule.name,
        "enabled": rule.enabled,
        "conditions": rule.conditions,
        "action": rule.action,
    }


def _renumber(rules: list[IssuingRule]) -> None:
    for position, rule in enumerate(rules, start=1):
        if rule.position != position:
            rule.position = position
            IssuingRule.objects.filter(pk=rule.pk).update(position=position)


def _changed(
    actor: Actor, organization: Organization, rule_set: ChannelRuleSet, action: str, rule: IssuingRule
) -> None:
    rule_set.version += 1
    rule_set.save(update_fields=["version", "updated_at"])
    audit_record(
        organization=organization,
        actor=actor,
        action=action,
        object_type="rule",
        object_id=rule.pk,
        data={
            "channel": rule_set.channel_id,
            "version": rule_set.version,
            "name": rule.name,
            "enabled": rule.enabled,
            "conditions": rule.conditions,
            "action": rule.action,
        },
    )


def connector_check(*, name: str) -> None:
    """Refuse a connector name that is not registered."""
    connectors.get(name.strip())
