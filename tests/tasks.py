"""Running queued background tasks inside a test, as ``faktura worker --batch`` does."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction


def run_ready(task_path: str, *, worker_id: str = "tests") -> int:
    """Claim and run, one at a time, every task of ``task_path`` that is ready now; the number run."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    count = 0
    while True:
        with exclusive_transaction():
            task = DBTaskResult.objects.ready().filter(task_path=task_path).get_locked()
            if task is None:
                return count
            task.claim(worker.worker_id)
        worker.run_task(task)
        count += 1
