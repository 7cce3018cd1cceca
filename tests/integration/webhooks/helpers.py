"""Webhook tests' tools: a real HTTP receiver on 127.0.0.1, the task queue run in-process, an API caller."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from faktura.apps.accounts.models import Organization
from faktura.apps.accounts.services import api_key_create
from tests import factories as make
from tests.tasks import run_ready


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each POST with the next scripted status (then 200), after ``delay`` seconds; records them all."""

    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/faktura"

    def answer(self) -> int:
        return self.statuses.pop(0) if self.statuses else 200


@contextmanager
def receiver(statuses: list[int] | None = None, delay: float = 0.0) -> Iterator[Receiver]:
    state = Receiver(statuses=list(statuses or []), delay=delay)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                state.received.append(Received(self.path, dict(self.headers.items()), body))
                status = state.answer()
            if state.delay:
                time.sleep(state.delay)
            payload = json.dumps({"received": True, "status": status}).encode()
            try:
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the sender gave up waiting (the timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


DELIVER = "faktura.apps.integrations.tasks.webhook_deliver"
"""Other apps queue their own tasks when a document is issued (its PDF): these tests run deliveries only."""


def run_tasks() -> int:
    """Run every delivery task that is ready now, as ``faktura worker --batch`` does, in this process."""
    return run_ready(DELIVER)


def waiting_tasks() -> list[DBTaskResult]:
    ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=DELIVER)
    return list(ready.order_by("enqueued_at"))


def fast_forward() -> list[dt.datetime]:
    """Make the waiting tasks due now; returns when they were due."""
    waiting = waiting_tasks()
    DBTaskResult.objects.filter(pk__in=[t.pk for t in waiting]).update(run_after=timezone.now())
    return [t.run_after for t in waiting]


class Caller:
    """One seller's API client: its key goes with every request."""

    def __init__(self, org: Organization | None = None) -> None:
        self.org = org or make.seller()
        _, key = api_key_create(actor=make.TEST_ACTOR, organization=self.org, name="shop")
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params: Any):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: object = None, **headers: str):
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers={**self.headers, **headers}
        )

    def patch(self, path: str, body: object):
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json", headers=self.headers)

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)
