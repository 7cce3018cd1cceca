"""Through real processes: a shop's webhook sent 10 times at once to ``faktura serve``, then ``faktura worker``.

Ten OS processes post the same signed delivery at the same moment to gunicorn
(2 processes x 4 threads) on loopback: one order event and one invoice come of
it, nine answers say ``duplicate``. Then a real ``faktura worker --batch``
delivers the one ``document.issued`` event to the seller's endpoint, a server
on 127.0.0.1, which verifies the signature.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.utils import timezone

from faktura.apps.integrations.models import InboundDelivery, WebhookDelivery
from faktura.apps.integrations.services.endpoints import webhook_endpoint_create
from faktura.apps.integrations.services.inbound import inbound_webhook_create
from faktura.apps.invoicing.models import Document
from faktura.apps.sales.models import Order, OrderEvent
from faktura.webhooks.signatures import GENERIC, sign
from tests import factories as make
from tests.integration.automation import helpers as shops
from tests.integration.cli.conftest import FAKTURA, database_url
from tests.integration.cli.processes import wait_until
from tests.integration.cli.test_serve import free_port, get
from tests.integration.numbering.helpers import run_forked
from tests.integration.webhooks import helpers
from tests.integration.webhooks.test_inbound_receive import generic

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SENDERS = 10


def test_ten_simultaneous_deliveries_of_one_webhook_make_one_invoice_and_one_outbound_delivery(tmp_path: Path) -> None:
    org, channel = shops.shop()
    shops.seed_003(org, channel)
    webhook, secret = inbound_webhook_create(
        actor=make.TEST_ACTOR, organization=org, channel_id=channel.pk, scheme="generic"
    )
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "FAKTURA_DATA_DIR": str(tmp_path),
        "FAKTURA_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
    }
    server = subprocess.Popen(
        [str(FAKTURA), "serve", "--skip-collectstatic", f"--port={port}", "--workers=2", "--threads=4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with helpers.receiver() as receiver:
        endpoint, endpoint_secret = webhook_endpoint_create(
            actor=make.TEST_ACTOR, organization=org, url=receiver.url, event_types=["document.issued"]
        )
        try:
            wait_until(lambda: get(f"http://127.0.0.1:{port}/healthz")[0] == 200, timeout=90, what="the server")
            body = generic("evt_same")
            headers = {
                "Content-Type": "application/json",
                "Faktura-Signature": sign(body, secret, timezone.now()),
                "Faktura-Event-Id": "evt_same",
            }
            url = f"http://127.0.0.1:{port}/webhooks/in/{webhook.token}"
            barrier = multiprocessing.get_context("fork").Barrier(SENDERS)

            def sender(index: int) -> None:
                barrier.wait(timeout=60)
                request = urllib.request.Request(url, data=body, headers=headers, method="POST")
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        status, answer = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, answer = error.code, error.read()
                (tmp_path / f"{index}.json").write_text(json.dumps({"status": status, "body": answer.decode()}))

            codes = run_forked([lambda i=i: sender(i) for i in range(SENDERS)], timeout=120)
        finally:
            server.terminate()
            server.wait(timeout=60)

        assert codes == [0] * SENDERS
        answers = [json.loads((tmp_path / f"{i}.json").read_text()) for i in range(SENDERS)]
        assert {a["status"] for a in answers} == {200}, answers
        bodies = [json.loads(a["body"]) for a in answers]
        assert sorted(b["status"] for b in bodies) == ["accepted"] + ["duplicate"] * (SENDERS - 1)
        assert len({json.dumps(b["documents"]) for b in bodies}) == 1
        [invoice] = Document.objects.filter(organization=org)
        assert invoice.document_type == "invoice"
        [order] = Order.objects.filter(organization=org)
        assert OrderEvent.objects.filter(order=order).count() == 1
        assert InboundDelivery.objects.filter(webhook=webhook).count() == SENDERS

        worker = subprocess.run(
            [str(FAKTURA), "worker", "--batch", "--no-startup-delay", "--no-reload"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert worker.returncode == 0, worker.stderr

    [request] = receiver.received
    verified = GENERIC.verify(request.headers, request.body, secrets=[endpoint_secret], now=timezone.now())
    assert request.json()["data"]["number"] == invoice.number
    assert verified.event_id == request.json()["id"]
    [delivery] = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert (delivery.status, delivery.response_status) == ("succeeded", 200)
