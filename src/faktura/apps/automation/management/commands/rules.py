"""``faktura rules explain ORDER`` and ``faktura rules simulate``: the issuing rules from the terminal (F4.6).

``explain ORDER``: ORDER is an order id, or ``CHANNEL:EXTERNAL_ID`` with
``--seller``. Prints, for every rule, whether it matches or the first
condition that fails; every trigger; what would be issued now, and what would
stop it (the channel's mode, automatic issuing off, a connector).

``simulate --channel CODE --rules FILE.json [--since DATE]``: replays the
channel's past orders (placed on or after DATE) through the rule set in FILE
(the JSON of ``GET /api/v1/channels/{id}/rule-set``; ``-`` reads stdin) and
reports what it would have issued next to what was issued. Nothing is written.

``--json`` prints one JSON document instead. A bad argument or file is one
line ``field: message`` on stderr and exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from faktura.apps.accounts import selectors as accounts
from faktura.apps.automation import selectors
from faktura.apps.automation.simulation import channel_simulate, parse_since
from faktura.apps.sales import selectors as sales
from faktura.core.errors import FakturaError, InvalidValue, MissingValue, NotFound
from faktura.core.rules import rule_set_from_dict

EXIT_INVALID = 2


class Command(BaseCommand):
    help = "Explain the issuing rules for an order, or simulate a rule set over a channel's past orders."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{explain,simulate}")
        explain = commands.add_parser("explain", help="Why each rule matches an order or not, and what it would get.")
        explain.add_argument("order", metavar="ORDER", help="An order id, or CHANNEL:EXTERNAL_ID with --seller.")
        simulate = commands.add_parser("simulate", help="What a rule set would have issued for past orders.")
        simulate.add_argument("--channel", required=True, metavar="CODE", help="The channel's code (or id).")
        simulate.add_argument("--rules", required=True, metavar="FILE", help="Rule set JSON; - reads stdin.")
        simulate.add_argument("--since", metavar="DATE", help="Only orders placed on or after DATE (2026-01-31).")
        simulate.add_argument("--limit", type=int, default=100, help="List at most this many differing orders.")
        for sub in (explain, simulate):
            sub.add_argument("--seller", type=int, metavar="ID", help="The seller (organization id).")
            sub.add_argument("--json", action="store_true", help="Print one JSON document.")

    def run_from_argv(self, argv: list[str]) -> None:
        try:
            super().run_from_argv(argv)
        except FakturaError as error:
            self.stderr.write(str(error))
            sys.exit(EXIT_INVALID)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "explain":
            self._explain(options)
        else:
            self._simulate(options)

    def _explain(self, options: dict[str, Any]) -> None:
        reference: str = options["order"].strip()
        organization = self._seller(options, required=not reference.isdigit())
        if organization is None:
            order = sales.order_owner_get(order_id=int(reference))
            organization = order.organization if order else None
        order = sales.order_by_reference(organization=organization, reference=reference) if organization else None
        if order is None:
            raise NotFound(f"order {reference} does not exist", field="order")
        found = selectors.order_explain(organization=organization, order=order)
        if not options["json"]:
            self.stdout.write(found.render_text())
            return
        explanation = found.explanation
        self._json(
            {
                "order_id": order.pk,
                "rules_version": found.rules_version,
                "blocked": found.blocked,
                "errors": [error.__dict__ for error in found.errors],
                "rules": [
                    {
                        "rule_id": check.rule.id,
                        "name": check.rule.name,
                        "matched": check.matched,
                        "failure": check.failure,
                    }
                    for check in explanation.rules
                ],
                "triggers": [
                    {
                        "trigger": check.trigger.value,
                        "on": check.on,
                        "outcome": check.outcome if isinstance(check.outcome, str) else check.outcome.describe(),
                    }
                    for check in explanation.triggers
                ],
                "now": [intent.describe() for intent in explanation.now.issue],
                "text": found.render_text(),
            }
        )

    def _simulate(self, options: dict[str, Any]) -> None:
        code: str = options["channel"].strip()
        organization = self._seller(options, required=False)
        channel = (
            sales.channel_find(organization=organization, channel=int(code) if code.isdigit() else code)
            if organization
            else sales.channel_by_code_anywhere(code=code)
        )
        if channel is None:
            raise NotFound(f"channel {code} does not exist", field="channel")
        rule_set = rule_set_from_dict(_read_json(options["rules"]))
        result = channel_simulate(
            organization=channel.organization,
            channel=channel,
            rule_set=rule_set,
            since=parse_since(options["since"]),
            limit=options["limit"],
        )
        if options["json"]:
            self._json(result.as_dict())
        else:
            self.stdout.write(result.render_text())

    def _seller(self, options: dict[str, Any], *, required: bool) -> Any:
        seller_id = options.get("seller")
        if seller_id is None:
            if required:
                raise MissingValue("name the seller (organization id) the order belongs to", field="seller")
            return None
        organization = accounts.organization_get(organization_id=seller_id)
        if organization is None:
            raise NotFound(f"seller {seller_id} does not exist", field="seller")
        return organization

    def _json(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _read_json(source: str) -> dict[str, Any]:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidValue(f"cannot read {source}: {error.strerror}", field="rules") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidValue(f"{source} is not JSON: {error}", field="rules") from None
    if not isinstance(data, dict):
        raise InvalidValue("must be a JSON object with rules and triggers", field="rules")
    data.pop("channel", None)  # GET /channels/{id}/rule-set adds these two
    data.pop("version", None)
    return data
