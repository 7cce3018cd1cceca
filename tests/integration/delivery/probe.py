"""A task for the two-worker test: each run inserts its number into a table whose primary key is that number.

A task that ran twice would break the key, fail, and show up as a failed task.
"""

from __future__ import annotations

import os
import time

from django.db import connection
from django_tasks import task

TABLE = "delivery_probe_run"


@task()
def probe_run(number: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (number, pid) VALUES (%s, %s)", [number, os.getpid()])
    time.sleep(0.002)  # long enough that both workers are busy at once
    return number
