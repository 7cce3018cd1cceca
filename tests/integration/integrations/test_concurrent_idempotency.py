"""One Idempotency-Key sent by many OS processes at once: one execution, identical responses.

Each process posts through the real Django handler (``django.test.Client``)
with its own database connection, all released by one barrier.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.test import Client

from faktura.apps.accounts.services import api_key_create
from faktura.apps.integrations import idempotency
from faktura.apps.integrations.models import IdempotencyKey
from faktura.apps.sales.models import SalesChannel
from tests import factories as make
from tests.integration.numbering.helpers import run_forked

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.integration.integrations.testapi"),
    pytest.mark.slow,
]

URL = "/api/test/channels"
PROCESSES = 10


def test_ten_processes_posting_one_key_execute_once_and_get_identical_bodies(tmp_path: Path) -> None:
    org = make.seller()
    _, token = api_key_create(actor=make.TEST_ACTOR, organization=org, name="shop")
    barrier = multiprocessing.get_context("fork").Barrier(PROCESSES)

    def worker(index: int) -> None:
        client = Client()
        barrier.wait(timeout=60)
        response = client.post(
            URL,
            data=json.dumps({"name": "Shop"}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "same-key"},
        )
        result = {
            "status": response.status_code,
            "body": response.content.decode(),
            "replayed": response.get("Idempotent-Replayed"),
        }
        (tmp_path / f"{index}.json").write_text(json.dumps(result))

    codes = run_forked([lambda i=i: worker(i) for i in range(PROCESSES)], timeout=120)

    assert codes == [0] * PROCESSES
    results = [json.loads((tmp_path / f"{i}.json").read_text()) for i in range(PROCESSES)]
    assert {r["status"] for r in results} == {201}
    assert len({r["body"] for r in results}) == 1
    assert sorted(str(r["replayed"]) for r in results) == ["None"] + ["true"] * (PROCESSES - 1)
    assert SalesChannel.objects.filter(organization=org).count() == 1
    assert IdempotencyKey.objects.get(organization=org, key="same-key").state == "completed"


def test_a_request_waiting_too_long_for_the_key_gets_a_409_in_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a bounded row-lock wait is PostgreSQL's; SQLite writers queue on the busy timeout")
    org = make.seller()
    _, token = api_key_create(actor=make.TEST_ACTOR, organization=org, name="shop")
    IdempotencyKey.objects.create(organization=org, key="busy", method="POST", path=URL, request_fingerprint="0")
    monkeypatch.setattr(idempotency, "LOCK_WAIT_SECONDS", 0.5)
    context = multiprocessing.get_context("fork")
    locked, release = context.Event(), context.Event()

    def holder() -> None:  # stands for a request still running with the key
        with transaction.atomic():
            IdempotencyKey.objects.select_for_update().get(organization=org, key="busy")
            locked.set()
            release.wait(30)

    connections.close_all()
    process = context.Process(target=_run_and_exit, args=(holder,))
    process.start()
    try:
        assert locked.wait(30)
        started = time.monotonic()
        response = Client().post(
            URL,
            data=json.dumps({"name": "Shop"}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "busy"},
        )
        waited = time.monotonic() - started
    finally:
        release.set()
        process.join(30)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_in_progress"
    assert response.json()["field"] == "Idempotency-Key"
    assert 0.4 < waited < 5
    assert not SalesChannel.objects.filter(organization=org).exists()


def _run_and_exit(worker) -> None:
    """The child's whole life: run, close its own connection, exit without running the parent's teardown."""
    code = 0
    try:
        worker()
    except BaseException:
        code = 1
    connections.close_all()
    os._exit(code)
