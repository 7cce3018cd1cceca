"""Background tasks of the delivery app: thin, idempotent, each loads by id and calls a service."""

from __future__ import annotations

from django_tasks import TaskContext, task

from faktura.apps.delivery.services import message_send_attempt


@task(takes_context=True)
def message_send(context: TaskContext, message_id: int, attempt: int, rescue: bool = False) -> str:
    """Make attempt ``attempt`` of sending an email (``rescue``: take over one whose worker died); once at most."""
    worker = context.task_result.worker_ids[-1] if context.task_result.worker_ids else ""
    return message_send_attempt(message_id=message_id, attempt=attempt, rescue=rescue, worker=worker)
