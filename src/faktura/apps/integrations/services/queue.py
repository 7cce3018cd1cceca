"""Queueing one delivery attempt as a django-tasks task, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend


def delivery_enqueue(
    *, endpoint_id: int, event_id: int, attempt: int, manual: bool = False, run_after: dt.datetime | None = None
) -> None:
    """Queue attempt ``attempt`` of delivering event ``event_id`` to endpoint ``endpoint_id``.

    With the database backend (the default) the task row is written now, with the
    caller's connection, so it commits or rolls back with the caller's transaction.
    Any other backend (an immediate one in development) gets the task only once the
    transaction has committed, so no request leaves from inside it.
    """
    from faktura.apps.integrations.tasks import webhook_deliver  # the task module imports the services

    task = webhook_deliver if run_after is None else webhook_deliver.using(run_after=run_after)
    enqueue = partial(task.enqueue, endpoint_id, event_id, attempt, manual)
    if isinstance(task.get_backend(), DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)
