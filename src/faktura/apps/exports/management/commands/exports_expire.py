"""``faktura exports expire``: delete the files of export jobs whose time is up.

Each finished job queues its own expiry task, so this is only needed when
tasks were lost (the task table was emptied, a backend without deferred tasks
was used). Safe to run from cron at any time: a job not yet due is left alone.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from faktura.apps.exports.services import export_jobs_expire_due


class Command(BaseCommand):
    help = "Delete the files of bulk downloads and exports past their retention time."

    def handle(self, *args: Any, **options: Any) -> None:
        count = export_jobs_expire_due()
        self.stdout.write(f"{count} export file(s) deleted")
