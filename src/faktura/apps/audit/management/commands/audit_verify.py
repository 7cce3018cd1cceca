"""``faktura audit verify``: check every audit chain and name the first broken link of each.

Prints ``OK: N events in M chains verified`` and exits 0; otherwise prints, per
broken chain, the first broken event (id, chain, seq, action, object) and the
reason, then raises ``CommandError``: the ``faktura`` command exits with status
1 (the summary goes to stderr), and ``call_command`` callers get the exception.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faktura.apps.audit.verification import verify_all
from faktura.core.audit_chain import BrokenLink


class Command(BaseCommand):
    help = "Verify the hash chains of the audit trail and name the first broken link of each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organization",
            type=int,
            metavar="ID",
            help="Only this organization's chains: its own and its numbering counters'.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_all(organization_id=options["organization"])
        if report.ok:
            self.stdout.write(f"OK: {report.events} events in {report.chains} chains verified")
            return
        for link in report.broken:
            self.stdout.write(describe(link))
        raise CommandError(f"audit trail broken: {len(report.broken)} of {report.chains} chains", returncode=1)


def describe(link: BrokenLink) -> str:
    """Two lines: where the break is (the row to look at), then why."""
    where = f"BROKEN chain {link.chain}, seq {link.seq}"
    event = link.event
    if event is not None:
        where += f", event id {event.id}, action {event.action}, object {event.object_type}:{event.object_id}"
    else:
        where += " (no event row: see below)"
    return f"{where}\n  {link.problem}: {link.detail}"
