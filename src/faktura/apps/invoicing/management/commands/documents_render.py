"""``faktura documents render``: render every issued document whose PDF is missing, on every core.

For a backlog (workers were down, a restore, a new storage): the built-in
templates go through a pool of warm renderer processes, one per core, a job
limited in time and memory so that one bad document fails alone. Prints one
line per failure and a summary; exits 1 when any document failed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faktura.apps.invoicing.services.rendering import documents_render_bulk


class Command(BaseCommand):
    help = "Render and store the PDF of every issued document that has none (every one with --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seller", type=int, metavar="ID", help="Only this seller's documents.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Render stored ones again too; each must give the same bytes as its recorded hash.",
        )
        parser.add_argument("--processes", type=int, metavar="N", help="Renderer processes (default: one per core).")
        parser.add_argument("--timeout", type=float, default=30.0, metavar="S", help="Seconds one document may take.")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = documents_render_bulk(
            organization_id=options["seller"],
            force=options["force"],
            processes=options["processes"],
            timeout=options["timeout"],
        )
        for document_id, message in summary.failed:
            self.stdout.write(f"FAILED document {document_id}: {message}")
        line = f"{summary.rendered} rendered, {summary.already_stored} already stored, {len(summary.failed)} failed"
        if summary.failed:
            raise CommandError(line, returncode=1)
        self.stdout.write(f"OK: {line}")
