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
    """Two lines: where the chain breaks and the row to look at, then why.

    ``at seq`` is where the break is (for a deletion, the missing seq); the
    event is the row found there (for a gap, the first row after it).
    """
    where = f"BROKEN chain {link.chain} at seq {link.seq}"
    event = link.event
    if event is None:
        where += " (no event row: the head or deleted rows, see below)"
    else:
        where += (
            f": event id {event.id} (seq {event.seq}, action {event.action},"
            f" object {event.object_type}:{event.object_id})"
        )
    return f"{where}\n  {link.problem}: {link.detail}"
