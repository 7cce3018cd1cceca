"""Never lost: temporary failures are retried with back-off, permanent ones are shown with the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from faktura.apps.delivery.models import AttemptOutcome, DeliveryAttempt, MessageState
from faktura.apps.invoicing.services import document_delete
from tests.integration.delivery import helpers
from tests.integration.delivery.mailserver import mail_server

pytestmark = pytest.mark.django_db


def test_smtp_down_is_retried_with_back_off_and_delivered_once_it_is_back(settings: Any) -> None:
    document = helpers.issued()
    started = timezone.now()

    assert helpers.run_sends() == 1  # nothing listens on the port: connection refused
    message = helpers.message_of(document)
    assert (message.state, message.error_code, message.attempts) == (MessageState.QUEUED, "smtp_unavailable", 1)
    assert "cannot reach the mail server" in message.reason
    retry = [task for task in helpers.waiting() if task.args_kwargs["args"] == [message.pk, 2, False]]
    assert len(retry) == 1
    assert retry[0].run_after - started >= dt.timedelta(seconds=60)  # the first delay of the schedule
    assert message.next_attempt_at == retry[0].run_after
    assert helpers.run_sends() == 0  # not due yet

    helpers.fast_forward()
    assert helpers.run_sends() >= 1  # still down: the second delay
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.QUEUED, 2)
    assert message.next_attempt_at - timezone.now() > dt.timedelta(seconds=290)

    with mail_server(settings.EMAIL_PORT) as smtp:
        helpers.fast_forward()
        helpers.run_sends()
        helpers.fast_forward()  # the rescues of the attempts: they find nothing to do
        helpers.run_sends()
    assert len(smtp.received) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts, message.error_code, message.reason) == (MessageState.SENT, 3, "", "")
    outcomes = list(DeliveryAttempt.objects.filter(message=message).values_list("number", "outcome"))
    assert outcomes == [(1, AttemptOutcome.RETRY), (2, AttemptOutcome.RETRY), (3, AttemptOutcome.SENT)]
    assert helpers.failed_tasks() == []


def test_a_temporary_refusal_of_the_data_is_retried(settings: Any) -> None:
    document = helpers.issued()
    with mail_server(settings.EMAIL_PORT, data_replies=["451 4.3.0 Mail server temporarily rejected message"]) as smtp:
        helpers.run_sends()
        message = helpers.message_of(document)
        assert (message.state, message.error_code) == (MessageState.QUEUED, "smtp_temporary")
        assert message.reason == "the mail server answered 451 4.3.0 Mail server temporarily rejected message"
        helpers.fast_forward()
        helpers.run_sends()
    assert [mail.header("Message-ID") for mail in smtp.received] == [message.message_id]
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.SENT, 2)


def test_a_refused_recipient_fails_for_good_with_the_servers_reason(settings: Any) -> None:
    document = helpers.issued()
    with mail_server(
        settings.EMAIL_PORT, refuse={"ana@example.ro": "550 5.1.1 <ana@example.ro>: no such user"}
    ) as smtp:
        helpers.run_sends()
    message = helpers.message_of(document)
    assert (message.state, message.error_code, message.attempts) == (MessageState.FAILED, "recipient_refused", 1)
    assert message.reason == "the mail server refused ana@example.ro: 550 5.1.1 <ana@example.ro>: no such user"
    assert message.failed_at is not None
    assert smtp.received == []
    assert [task.args_kwargs["args"] for task in helpers.waiting()] == [
        [message.pk, 2, True]
    ]  # only the rescue, a no-op
    helpers.fast_forward()
    helpers.run_sends()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.FAILED, 1)


def test_a_message_fails_after_the_last_retry_of_the_schedule(settings: Any) -> None:
    settings.FAKTURA_EMAIL_RETRY_DELAYS = [1, 1]
    document = helpers.issued()
    for _ in range(4):
        helpers.run_sends()
        helpers.fast_forward()
    message = helpers.message_of(document)
    assert (message.state, message.error_code, message.attempts) == (MessageState.FAILED, "gave_up", 3)
    assert message.reason.startswith("gave up after 3 attempts: cannot reach the mail server")
    helpers.run_sends()  # the rescue of the last attempt finds nothing to do
    assert helpers.message_of(document).attempts == 3


def test_a_document_deleted_before_its_email_went_out_fails_the_message_at_once() -> None:
    document = helpers.issued()
    document_delete(
        actor=helpers.make.TEST_ACTOR, organization=document.organization, document_id=document.pk, reason="mistake"
    )
    helpers.run_sends()
    message = helpers.message_of(document)
    assert (message.state, message.error_code) == (MessageState.FAILED, "document_missing")
    assert helpers.failed_tasks() == []


def test_the_admin_shows_the_log_read_only(admin_client: Any) -> None:
    document = helpers.issued()
    message = helpers.message_of(document)
    listing = admin_client.get("/admin/delivery/outgoingmessage/")
    assert listing.status_code == 200
    assert "ana@example.ro" in listing.content.decode()
    assert admin_client.get(f"/admin/delivery/outgoingmessage/{message.pk}/change/").status_code == 200
    assert admin_client.get("/admin/delivery/outgoingmessage/add/").status_code == 403
