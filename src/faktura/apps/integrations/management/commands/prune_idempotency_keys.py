"""``faktura prune_idempotency_keys``: forget Idempotency-Keys older than the retention period.

Deletes every key first used more than ``FAKTURA_IDEMPOTENCY_RETENTION_DAYS``
days ago (default 30), or ``--days N``; a request that reuses a pruned key runs
as new. Run it daily (cron, systemd timer). Prints ``deleted N idempotency keys
older than D days``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from faktura.apps.integrations.services import idempotency_keys_prune


class Command(BaseCommand):
    help = "Delete Idempotency-Keys older than the retention period (FAKTURA_IDEMPOTENCY_RETENTION_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, metavar="N", help="Retention in days (default: the setting).")

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"] if options["days"] is not None else settings.FAKTURA_IDEMPOTENCY_RETENTION_DAYS
        if days < 1:
            raise CommandError("the retention must be at least 1 day")
        deleted = idempotency_keys_prune(older_than=timezone.now() - dt.timedelta(days=days))
        self.stdout.write(f"deleted {deleted} idempotency keys older than {days} days")
