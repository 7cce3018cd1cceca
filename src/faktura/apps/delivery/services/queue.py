"""Queueing one attempt at sending a message as a django-tasks task, in the caller's transaction."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend

logger = logging.getLogger(__name__)


def message_enqueue(
    *, message_id: int, attempt: int, rescue: bool = False, run_after: dt.datetime | None = None
) -> None:
    """Queue attempt ``attempt`` of message ``message_id``; ``rescue`` takes over an attempt whose worker died.

    With the database backend (the default) the task row is written now, with the
    caller's connection, so it commits or rolls back with the caller's transaction.
    Another backend gets the task once the transaction has committed; one that cannot
    defer (the immediate backend of development) gets no retries and no rescues.
    """
    from faktura.apps.delivery.tasks import message_send  # the task module imports the services

    backend = message_send.get_backend()
    if run_after is not None and not backend.supports_defer:
        logger.info("the task backend cannot defer: attempt %s of message %s is not queued", attempt, message_id)
        return
    task = message_send if run_after is None else message_send.using(run_after=run_after)
    enqueue = partial(task.enqueue, message_id, attempt, rescue)
    if isinstance(backend, DatabaseBackend):
        enqueue()
    else:
        transaction.on_commit(enqueue)
