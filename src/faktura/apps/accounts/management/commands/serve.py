"""``faktura serve [--with-worker] [--host 127.0.0.1] [--port 8000]``: the web app under gunicorn.

Static files are collected into ``STATIC_ROOT`` first (WhiteNoise serves them
from there). Without ``--with-worker`` this process becomes gunicorn (exec),
so signals and exit status are gunicorn's own. With ``--with-worker`` it
supervises gunicorn and one ``faktura worker`` (see ``processes``): Ctrl-C or
SIGTERM stops both, and if either one dies the other is stopped too.

More gunicorn settings can be given in ``GUNICORN_CMD_ARGS``, which gunicorn reads.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from faktura.apps.accounts.management.processes import run_together


class Command(BaseCommand):
    help = "Serve the web app with gunicorn; --with-worker also runs one background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default: %(default)s).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default: %(default)s).")
        parser.add_argument("--workers", type=int, default=2, help="Web processes (default: %(default)s).")
        parser.add_argument("--threads", type=int, default=4, help="Threads per web process (default: %(default)s).")
        parser.add_argument("--with-worker", action="store_true", help="Also run one background worker.")
        parser.add_argument(
            "--skip-collectstatic", action="store_true", help="Static files were collected already (at build time)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._warn_unapplied_migrations()
        if not options["skip_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()  # nothing of ours may be shared with the processes that follow

        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE, "PYTHONUNBUFFERED": "1"}
        web = gunicorn_argv(options["host"], options["port"], options["workers"], options["threads"])
        host = f"[{options['host']}]" if ":" in options["host"] else options["host"]
        url = f"http://{host}:{options['port']}/"
        if not options["with_worker"]:
            self.stderr.write(f"Faktura serves {url} (Ctrl-C stops it)")
            sys.stderr.flush()
            os.execve(sys.executable, web, env)  # noqa: S606 - our interpreter, our argv
        self.stderr.write(f"Faktura serves {url} with one background worker (Ctrl-C stops both)")
        worker = [sys.executable, "-m", "faktura.cli", "worker", "--no-reload"]
        status = run_together({"web": web, "worker": worker}, env=env, log=self.stderr.write)
        if status:
            sys.exit(status)

    def _warn_unapplied_migrations(self) -> None:
        executor = MigrationExecutor(connections["default"])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write(self.style.WARNING("The database is not up to date: run `faktura migrate` first."))


def gunicorn_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "faktura.config.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        f"--threads={threads}",
        "--access-logfile=-",
        "--error-logfile=-",
        "--name=faktura",
        "--no-control-socket",  # one per user by default: two instances on a machine would clash
    ]
