"""Delivery tests' tools: issued documents, the send tasks run in-process, the API."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from faktura.apps.accounts.models import Organization
from faktura.apps.automation.ingest import channel_event_receive
from faktura.apps.automation.outcome import EventOutcome
from faktura.apps.delivery.models import OutgoingMessage
from faktura.apps.delivery.services import document_email_enqueue
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import BuyerDetails, document_issue
from faktura.apps.sales.models import SalesChannel
from faktura.webhooks.payloads.model import GenericEvent
from tests import factories as make
from tests.integration.automation import helpers as shops
from tests.tasks import run_ready

SEND = "faktura.apps.delivery.tasks.message_send"


def receive(org: Organization, channel: SalesChannel, event: GenericEvent) -> EventOutcome:
    return channel_event_receive(actor=make.TEST_ACTOR, organization=org, channel=channel, event=event)


def shop_with_rules(**channel_settings: Any) -> tuple[Organization, SalesChannel]:
    org, channel = shops.shop(make.seller(email="shop@exemplu.ro"), **channel_settings)
    shops.seed_003(org, channel)
    return org, channel


def issued(org: Organization | None = None, *, buyer: BuyerDetails = make.RO_BUYER, send: bool = True) -> Document:
    """A document issued by hand, its email queued as issuing with "send to buyer" does."""
    if org is None:
        org = make.seller(email="shop@exemplu.ro")
        make.series(org)
    draft = make.draft(org, buyer=buyer)
    document = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)
    if send:
        document_email_enqueue(actor=make.TEST_ACTOR, document=document)
    return document


def run_sends(worker_id: str = "tests") -> int:
    """Run every send task that is due now, as ``faktura worker --batch`` does, in this process."""
    return run_ready(SEND, worker_id=worker_id)


def waiting() -> list[DBTaskResult]:
    """Send tasks queued for later, soonest first."""
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=SEND).order_by("run_after"))


def fast_forward() -> None:
    """Make every waiting send task due now (retries and rescues)."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=SEND).update(run_after=timezone.now())


def failed_tasks() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(status=TaskResultStatus.FAILED, task_path=SEND))


def message_of(document: Document) -> OutgoingMessage:
    return OutgoingMessage.objects.get(document_id=document.pk)


def stored_pdf(document: Document) -> bytes:
    document.refresh_from_db()
    with default_storage.open(document.pdf.name, "rb") as handle:
        return bytes(handle.read())


class Caller:
    """One seller's API client: its key goes with every request."""

    def __init__(self, org: Organization | None = None) -> None:
        from django.test import Client

        from faktura.apps.accounts.services import api_key_create

        self.org = org or make.seller(email="shop@exemplu.ro")
        _, key = api_key_create(actor=make.TEST_ACTOR, organization=self.org, name="shop")
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self.headers)

    def post(self, path: str, body: object = None, **headers: str) -> Any:
        return self.client.post(
            f"/api/v1{path}", body or {}, content_type="application/json", headers={**self.headers, **headers}
        )

    def put(self, path: str, body: object) -> Any:
        return self.client.put(f"/api/v1{path}", body, content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self.headers)
