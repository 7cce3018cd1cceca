"""``faktura worker``: run background tasks (django-tasks-db's ``db_worker`` under our name).

Workers take tasks from the database, so any number of them can run, on any
number of machines, against one PostgreSQL database: each task is claimed by
exactly one worker (row locks with SKIP LOCKED). On SQLite, run them on the
machine that holds the database file. Options are those of ``db_worker``
(``--queue-name``, ``--interval``, ``--batch``, ``--max-tasks``, ``--worker-id``...);
SIGINT or SIGTERM lets the running task finish, then the worker exits.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand


class Command(DbWorkerCommand):
    help = "Run a background worker: executes queued tasks until stopped (any number may run at once)."
