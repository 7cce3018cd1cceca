"""Deliveries of one order racing each other in real OS processes: one order, one event, one document (F4.5).

Every process calls ``channel_event_receive`` with its own database connection,
all released at once by a barrier. On PostgreSQL the losers meet the winner at
the unique (channel, external id) of the order or at the order's row lock; on
SQLite writers queue on the database lock. Either way exactly one invoice.
"""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from faktura.apps.automation.services import channel_event_receive
from faktura.apps.invoicing.models import Document
from faktura.apps.sales.models import Order, OrderEvent
from faktura.webhooks.payloads.model import EventType
from tests import factories as make
from tests.integration.automation import helpers
from tests.integration.numbering.helpers import run_forked

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PROCESSES = 10


def _race(tmp_path: Path, org, channel, event_ids: list[str], kind: EventType) -> list[dict]:
    barrier = multiprocessing.get_context("fork").Barrier(len(event_ids))

    def worker(index: int, event_id: str) -> None:
        barrier.wait(timeout=60)
        outcome = channel_event_receive(
            actor=make.TEST_ACTOR,
            organization=org,
            channel=channel,
            event=helpers.event(event_id, helpers.order(), kind),
        )
        result = {
            "duplicate": outcome.duplicate,
            "documents": [d.id for d in outcome.documents],
            "skipped": [s.reason for s in outcome.skipped],
        }
        (tmp_path / f"{index}.json").write_text(json.dumps(result))

    codes = run_forked([lambda i=i, e=e: worker(i, e) for i, e in enumerate(event_ids)], timeout=180)
    assert codes == [0] * len(event_ids)
    return [json.loads((tmp_path / f"{i}.json").read_text()) for i in range(len(event_ids))]


def test_ten_processes_delivering_one_event_make_one_order_one_event_one_invoice(tmp_path: Path) -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)

    results = _race(tmp_path, org, channel, ["evt-same"] * PROCESSES, EventType.ORDER_UPSERTED)

    invoices = list(Document.objects.filter(organization=org).values_list("pk", flat=True))
    assert len(invoices) == 1
    assert Order.objects.filter(organization=org).count() == 1
    assert OrderEvent.objects.filter(organization=org).count() == 1
    assert sorted(r["duplicate"] for r in results) == [False] + [True] * (PROCESSES - 1)
    assert all(r["documents"] == invoices for r in results)


def test_ten_processes_delivering_different_events_of_one_order_make_one_invoice(tmp_path: Path) -> None:
    org, channel = helpers.shop()
    helpers.seed_003(org, channel)

    results = _race(tmp_path, org, channel, [f"evt-{i}" for i in range(PROCESSES)], EventType.ORDER_STATUS_CHANGED)

    assert Document.objects.filter(organization=org, document_type="invoice").count() == 1
    assert Order.objects.filter(organization=org).count() == 1
    assert OrderEvent.objects.filter(organization=org).count() == PROCESSES
    assert not any(r["duplicate"] for r in results)
    assert sum(len(r["documents"]) for r in results) == 1
    skipped = [reason for r in results for reason in r["skipped"] if "already has live invoice" in reason]
    assert len(skipped) == PROCESSES - 1
