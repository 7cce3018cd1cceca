"""Portal tests' tools: sellers with orders and documents for a buyer, the sign-in tasks run in-process."""

from __future__ import annotations

import re

from django.test import Client

from faktura.apps.accounts.models import Organization
from faktura.apps.accounts.services import bank_account_add
from faktura.apps.automation.ingest import channel_event_receive
from faktura.apps.invoicing.models import Document
from faktura.apps.portal import services, tokens
from faktura.apps.sales.models import Order, SalesChannel
from faktura.core.rules import PaymentMethod
from faktura.webhooks.payloads.model import BuyerPayload
from tests import factories as make
from tests.integration.automation import helpers as shops
from tests.tasks import run_ready

SEND = "faktura.apps.portal.tasks.sign_in_link_send"
ANA = "ana@example.ro"


def shop(name: str) -> tuple[Organization, SalesChannel]:
    """A seller with a channel, its series, the rules of seed 003 and a bank account (so proformas get a QR code)."""
    org, channel = shops.shop(make.seller(legal_name=name, email=f"{name.split()[0].lower()}@shops.test"))
    shops.seed_003(org, channel)
    bank_account_add(
        actor=make.TEST_ACTOR, organization=org, iban="RO49AAAA1B31007593840000", currency="RON", is_default=True
    )
    return org, channel


def buyer(email: str = ANA, *, country: str = "RO", name: str = "Ana Popescu") -> BuyerPayload:
    return BuyerPayload(name=name, email=email, street="Bd. Eroilor 5", city="Cluj-Napoca", country=country)


def order_for(
    org: Organization,
    channel: SalesChannel,
    external_id: str,
    *,
    email: str = ANA,
    country: str = "RO",
    payment_method: PaymentMethod = PaymentMethod.CARD,
) -> tuple[Order, list[Document]]:
    """An accepted order of ``email``: paid by card -> a paid invoice; by transfer -> an unpaid proforma."""
    payload = shops.order(external_id, buyer=buyer(email, country=country), payment_method=payment_method)
    outcome = channel_event_receive(
        actor=make.TEST_ACTOR, organization=org, channel=channel, event=shops.event(f"e-{external_id}", payload)
    )
    order = Order.objects.get(organization=org, channel=channel, external_id=external_id)
    documents = list(Document.objects.filter(order=order).order_by("pk"))
    assert documents, outcome
    return order, documents


def signed_in(email: str = ANA, client: Client | None = None) -> Client:
    """A client signed in as ``email`` through a real link (made by the service, used by the page)."""
    client = client or Client()
    link = services.sign_in_link_request(email=email, client_ip="10.0.0.1")
    token = tokens.token_for(purpose=link.purpose, nonce=link.nonce)
    answer = client.post(f"/my/sign-in/{token}")
    assert answer.status_code == 302, answer.content[:500]
    return client


def token_of(link_id: int) -> str:
    from faktura.apps.portal.models import SignInLink

    link = SignInLink.objects.get(pk=link_id)
    return tokens.token_for(purpose=link.purpose, nonce=link.nonce)


def run_sends() -> int:
    """Run every sign-in email task that is due, as ``faktura worker`` does, in this process."""
    return run_ready(SEND)


def link_in(text: str) -> str:
    [path] = re.findall(r"https://faktura\.test(/my/sign-in/[0-9a-f]{64})", text)
    return path
