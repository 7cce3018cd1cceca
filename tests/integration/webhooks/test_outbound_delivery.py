"""Outbound webhooks, delivered for real: the outbox queues tasks, the tasks POST to a server on 127.0.0.1.

The receiver is ``http.server`` in a thread; the tasks run as ``faktura worker --batch``
runs them (``helpers.run_tasks``), and back-off is checked on the task rows' ``run_after``
before they are made due.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from faktura.apps.integrations import sender
from faktura.apps.integrations.models import DeliveryStatus, OutboundEvent, WebhookDelivery
from faktura.apps.integrations.services import webhook_event_emit
from faktura.apps.integrations.services.deliveries import webhook_delivery_attempt
from faktura.apps.integrations.services.endpoints import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_retire_secret,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_update,
)
from faktura.apps.invoicing.services import document_cancel, document_issue
from faktura.webhooks.retries import SCHEDULE
from faktura.webhooks.signatures import GENERIC
from tests import factories as make
from tests.integration.webhooks import helpers

pytestmark = pytest.mark.django_db

ISSUED = ["document.issued"]


def endpoint(org, url: str, event_types: list[str] = ISSUED, **options):
    return webhook_endpoint_create(actor=make.TEST_ACTOR, organization=org, url=url, event_types=event_types, **options)


def issue(org):
    return document_issue(actor=make.TEST_ACTOR, organization=org, document_id=make.draft(org).pk)


def seller():
    org = make.seller()
    make.series(org)
    return org


def deliveries(ep) -> list[WebhookDelivery]:
    return list(WebhookDelivery.objects.filter(endpoint=ep).order_by("attempt"))


def verify(received: helpers.Received, secrets: list[str], now: datetime | None = None):
    return GENERIC.verify(received.headers, received.body, secrets=secrets, now=now or timezone.now())


# Queueing ---------------------------------------------------------------------------------------


def test_an_issue_queues_one_task_per_active_endpoint_subscribed_to_the_event() -> None:
    org = seller()
    subscribed, _ = endpoint(org, "https://erp.example.ro/a")
    endpoint(org, "https://erp.example.ro/b", ["document.cancelled"])
    inactive, _ = endpoint(org, "https://erp.example.ro/c")
    webhook_endpoint_update(actor=make.TEST_ACTOR, organization=org, endpoint_id=inactive.pk, is_active=False)
    endpoint(seller(), "https://other-seller.example.ro/")

    document = issue(org)

    event = OutboundEvent.objects.get(organization=org, object_id=document.pk)
    tasks = helpers.waiting_tasks()
    assert [(t.task_path, t.args_kwargs["args"]) for t in tasks] == [
        ("faktura.apps.integrations.tasks.webhook_deliver", [subscribed.pk, event.pk, 1, False])
    ]


def test_a_rolled_back_issue_queues_no_task() -> None:
    org = seller()
    endpoint(org, "https://erp.example.ro/a")
    draft = make.draft(org)

    queued_inside: list[int] = []

    def issue_then_fail() -> None:
        with transaction.atomic():
            document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)
            queued_inside.append(len(helpers.waiting_tasks()))
            raise RuntimeError("the caller's transaction fails after the issue")

    with pytest.raises(RuntimeError):
        issue_then_fail()

    assert queued_inside == [1]  # the task row was written in the issuing transaction...
    assert helpers.waiting_tasks() == []  # ...and went with it
    assert not OutboundEvent.objects.filter(organization=org).exists()


def test_a_seller_without_an_active_endpoint_costs_one_select_beyond_the_event(
    django_assert_num_queries,
) -> None:
    org = seller()
    with django_assert_num_queries(2):  # INSERT the event, SELECT the endpoints
        webhook_event_emit(
            organization_id=org.pk, event_type="document.issued", object_type="document", object_id=1, data={}
        )
    assert helpers.waiting_tasks() == []


# Delivering -------------------------------------------------------------------------------------


def test_the_receiver_gets_a_signed_envelope_it_can_verify_and_the_log_says_so() -> None:
    org = seller()
    with helpers.receiver() as server:
        ep, secret = endpoint(org, server.url)
        document = issue(org)
        assert helpers.run_tasks() == 1

    [request] = server.received
    event = OutboundEvent.objects.get(organization=org, object_id=document.pk)
    assert verify(request, [secret]).event_id == f"evt_{event.pk}"
    assert request.path == "/hooks/faktura"
    assert request.headers["Faktura-Event-Type"] == "document.issued"
    assert request.headers["Faktura-Delivery-Attempt"] == "1"
    assert request.headers["Content-Type"] == "application/json"
    body = request.json()
    assert set(body) == {"id", "type", "created_at", "data"}
    assert (body["id"], body["type"]) == (f"evt_{event.pk}", "document.issued")
    assert (body["data"]["number"], body["data"]["payable"]) == (document.number, str(document.payable))
    [logged] = deliveries(ep)
    assert (logged.attempt, logged.status, logged.response_status, logged.next_retry_at) == (
        1,
        DeliveryStatus.SUCCEEDED,
        200,
        None,
    )
    assert json.loads(logged.response_excerpt) == {"received": True, "status": 200}
    assert logged.duration_ms is not None
    assert logged.finished_at is not None


def test_a_500_is_retried_after_one_then_five_minutes_and_then_succeeds() -> None:
    org = seller()
    with helpers.receiver([500, 503]) as server:
        ep, secret = endpoint(org, server.url)
        issue(org)

        assert helpers.run_tasks() == 1
        first = deliveries(ep)[0]
        assert (first.status, first.response_status) == (DeliveryStatus.RETRYING, 500)
        assert first.next_retry_at - first.finished_at == SCHEDULE[0]
        assert helpers.run_tasks() == 0  # not due yet
        assert helpers.fast_forward() == [first.next_retry_at]

        assert helpers.run_tasks() == 1
        second = deliveries(ep)[1]
        assert (second.attempt, second.status, second.response_status) == (2, DeliveryStatus.RETRYING, 503)
        assert second.next_retry_at - second.finished_at == SCHEDULE[1]
        helpers.fast_forward()

        assert helpers.run_tasks() == 1

    assert [(d.attempt, d.status, d.response_status) for d in deliveries(ep)] == [
        (1, DeliveryStatus.RETRYING, 500),
        (2, DeliveryStatus.RETRYING, 503),
        (3, DeliveryStatus.SUCCEEDED, 200),
    ]
    assert [r.headers["Faktura-Delivery-Attempt"] for r in server.received] == ["1", "2", "3"]
    assert len({r.json()["id"] for r in server.received}) == 1
    assert all(verify(r, [secret], now=timezone.now()) for r in server.received[-1:])
    assert helpers.waiting_tasks() == []


def test_the_schedule_ends_after_six_attempts_with_a_failed_delivery() -> None:
    org = seller()
    with helpers.receiver([500] * 10) as server:
        ep, _ = endpoint(org, server.url)
        issue(org)
        waits = []
        helpers.run_tasks()
        while helpers.waiting_tasks():
            latest = deliveries(ep)[-1]
            waits.append(latest.next_retry_at - latest.finished_at)
            helpers.fast_forward()
            helpers.run_tasks()

    assert waits == list(SCHEDULE)
    rows = deliveries(ep)
    assert [d.status for d in rows] == [DeliveryStatus.RETRYING] * 5 + [DeliveryStatus.FAILED]
    assert rows[-1].next_retry_at is None
    assert len(server.received) == 6


@pytest.mark.parametrize("status", [400, 401, 404, 410, 302], ids=str)
def test_a_refusal_fails_at_once_and_a_redirect_is_not_followed(status: int) -> None:
    org = seller()
    with helpers.receiver([status]) as server:
        ep, _ = endpoint(org, server.url)
        issue(org)
        helpers.run_tasks()

    assert [(d.status, d.response_status) for d in deliveries(ep)] == [(DeliveryStatus.FAILED, status)]
    assert len(server.received) == 1
    assert helpers.waiting_tasks() == []


def test_429_and_a_refused_connection_are_retried() -> None:
    org = seller()
    with helpers.receiver([429]) as server:
        ep, _ = endpoint(org, server.url)
        closed_port, _ = endpoint(org, "http://127.0.0.1:9/closed")  # nothing listens on the discard port
        issue(org)
        helpers.run_tasks()

    assert [(d.status, d.response_status) for d in deliveries(ep)] == [(DeliveryStatus.RETRYING, 429)]
    [refused] = deliveries(closed_port)
    assert (refused.status, refused.response_status) == (DeliveryStatus.RETRYING, None)
    assert "ConnectionRefusedError" in refused.error


def test_a_receiver_slower_than_the_timeout_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sender, "TIMEOUT_SECONDS", 0.3)
    org = seller()
    with helpers.receiver(delay=1.0) as server:
        ep, _ = endpoint(org, server.url)
        issue(org)
        helpers.run_tasks()

    [slow] = deliveries(ep)
    assert (slow.status, slow.response_status) == (DeliveryStatus.RETRYING, None)
    assert "timed out" in slow.error.lower()
    assert slow.duration_ms < 1000


def test_a_private_destination_is_refused_without_retry_unless_the_operator_allows_it(settings) -> None:
    org = seller()
    with helpers.receiver() as server:
        ep, _ = endpoint(org, server.url.replace("127.0.0.1", "localhost"))  # a name: checked when sending
        settings.FAKTURA_WEBHOOK_ALLOWED_NETWORKS = []
        issue(org)
        helpers.run_tasks()

    [refused] = deliveries(ep)
    assert (refused.status, refused.response_status) == (DeliveryStatus.FAILED, None)
    assert "is not a public address" in refused.error
    assert server.received == []


# Idempotent tasks, rotation, redelivery, deletion -----------------------------------------------


def test_running_a_delivery_task_twice_sends_once() -> None:
    org = seller()
    with helpers.receiver() as server:
        ep, _ = endpoint(org, server.url)
        issue(org)
        [task] = helpers.waiting_tasks()
        args = task.args_kwargs["args"]
        first = webhook_delivery_attempt(endpoint_id=args[0], event_id=args[1], attempt=args[2])
        again = webhook_delivery_attempt(endpoint_id=args[0], event_id=args[1], attempt=args[2])
        stale_retry = webhook_delivery_attempt(endpoint_id=args[0], event_id=args[1], attempt=2)

    assert (first, again, stale_retry) == ("succeeded", "skipped", "skipped")
    assert len(server.received) == 1
    assert len(deliveries(ep)) == 1


def test_during_a_rotation_deliveries_verify_with_either_secret_then_only_the_new_one() -> None:
    org = seller()
    with helpers.receiver() as server:
        ep, old = endpoint(org, server.url)
        _, new = webhook_endpoint_rotate_secret(actor=make.TEST_ACTOR, organization=org, endpoint_id=ep.pk)
        issue(org)
        helpers.run_tasks()
        webhook_endpoint_retire_secret(actor=make.TEST_ACTOR, organization=org, endpoint_id=ep.pk)
        issue(org)
        helpers.run_tasks()

    during, after = server.received
    assert verify(during, [old])
    assert verify(during, [new])
    assert verify(after, [new])
    with pytest.raises(Exception, match="no signature matches"):
        verify(after, [old])


def test_a_deleted_or_disabled_endpoint_gets_nothing_from_queued_tasks() -> None:
    org = seller()
    with helpers.receiver() as server:
        deleted, _ = endpoint(org, server.url)
        disabled, _ = endpoint(org, server.url)
        issue(org)
        webhook_endpoint_delete(actor=make.TEST_ACTOR, organization=org, endpoint_id=deleted.pk)
        webhook_endpoint_update(actor=make.TEST_ACTOR, organization=org, endpoint_id=disabled.pk, is_active=False)
        assert helpers.run_tasks() == 2

    assert server.received == []
    assert not WebhookDelivery.objects.filter(organization=org).exists()


def test_cancel_is_delivered_to_an_endpoint_subscribed_to_it() -> None:
    org = seller()
    with helpers.receiver() as server:
        endpoint(org, server.url, ["document.cancelled"])
        document = issue(org)
        document_cancel(actor=make.TEST_ACTOR, organization=org, document_id=document.pk, reason="duplicate order")
        helpers.run_tasks()

    [request] = server.received
    assert request.json()["type"] == "document.cancelled"
    assert request.json()["data"]["reason"] == "duplicate order"


def test_a_task_due_in_the_future_is_not_run_early() -> None:
    org = seller()
    with helpers.receiver([500]) as server:
        endpoint(org, server.url)
        issue(org)
        helpers.run_tasks()
        [retry] = helpers.waiting_tasks()
        assert retry.run_after > timezone.now() + timedelta(seconds=50)
        assert helpers.run_tasks() == 0
    assert len(server.received) == 1
    assert DBTaskResult.objects.filter(task_path=helpers.DELIVER).count() == 2
