"""Ten OS processes post one order with one Idempotency-Key to the real ``POST /api/v1/orders``.

One execution (one order, one invoice by seed 003's card rule, one timeline
entry) and ten identical answers: the first ran, nine are its stored response
replayed. Each process has its own database connection; one barrier releases them.
"""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from django.test import Client

from faktura.apps.accounts.services import api_key_create
from faktura.apps.integrations.models import IdempotencyKey
from faktura.apps.invoicing.models import Document
from faktura.apps.sales.models import Order, OrderEvent
from tests import factories as make
from tests.integration.automation import helpers as shops
from tests.integration.numbering.helpers import run_forked
from tests.integration.orders.caller import order_body

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PROCESSES = 10


def test_ten_processes_posting_one_order_with_one_key_execute_once_and_answer_alike(tmp_path: Path) -> None:
    org, channel = shops.shop()
    shops.seed_003(org, channel)
    _, token = api_key_create(actor=make.TEST_ACTOR, organization=org, name="shop")
    body = json.dumps(order_body(channel.pk))
    barrier = multiprocessing.get_context("fork").Barrier(PROCESSES)

    def worker(index: int) -> None:
        client = Client()
        barrier.wait(timeout=60)
        response = client.post(
            "/api/v1/orders",
            data=body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "order-1001-v1"},
        )
        result = {
            "status": response.status_code,
            "body": response.content.decode(),
            "replayed": response.get("Idempotent-Replayed"),
        }
        (tmp_path / f"{index}.json").write_text(json.dumps(result))

    codes = run_forked([lambda i=i: worker(i) for i in range(PROCESSES)], timeout=180)

    assert codes == [0] * PROCESSES
    results = [json.loads((tmp_path / f"{i}.json").read_text()) for i in range(PROCESSES)]
    assert {r["status"] for r in results} == {201}, [r["body"][:200] for r in results]
    assert len({r["body"] for r in results}) == 1
    assert sorted(str(r["replayed"]) for r in results) == ["None"] + ["true"] * (PROCESSES - 1)
    order = Order.objects.get(organization=org)
    assert OrderEvent.objects.filter(order=order).count() == 1
    assert list(Document.objects.filter(organization=org).values_list("document_type", flat=True)) == ["invoice"]
    assert IdempotencyKey.objects.get(organization=org, key="order-1001-v1").state == "completed"
