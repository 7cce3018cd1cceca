"""Tenant isolation read from the OpenAPI document: every route with an id, seller A's key on B's object → 404.

The routes come from ``/api/v1/openapi.json``, so a new route is covered the
day it is added: an id parameter this test cannot fill, or a body it has no
example of, fails the test and says what to add. Ids in query filters are
decided too: a filter narrows the caller's own rows, so another seller's
channel in ``?channel=`` matches nothing (200 with no items), never its rows.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from faktura.apps.integrations.models import OutboundEvent, WebhookDelivery, WebhookEndpoint
from faktura.apps.invoicing.models import Document
from tests.integration.orders.caller import Caller, order_body

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

BODIES: dict[tuple[str, str], Any] = {
    ("patch", "/api/v1/channels/{channel_id}"): {"name": "Mine now"},
    ("post", "/api/v1/orders/{order_id}/events"): {"kind": "cancelled"},
    ("patch", "/api/v1/series/{series_id}"): {"name": "Mine now"},
    ("post", "/api/v1/documents/{document_id}/cancel"): {"reason": "mine"},
    ("post", "/api/v1/documents/{document_id}/credit"): {},
    ("post", "/api/v1/documents/{document_id}/payments"): {"amount": "1.00"},
    ("put", "/api/v1/rules/{rule_id}"): {
        "name": "Mine now",
        "conditions": {"statuses": ["accepted"]},
        "action": {"document_type": "invoice"},
    },
    ("put", "/api/v1/channels/{channel_id}/triggers"): {"invoice_when_order_paid": True},
    ("post", "/api/v1/channels/{channel_id}/inbound-webhook"): {"scheme": "generic"},
    ("patch", "/api/v1/channels/{channel_id}/inbound-webhook"): {"is_active": False},
    ("post", "/api/v1/channels/{channel_id}/inbound-webhook/rotate-secret"): {},
    ("patch", "/api/v1/webhook-endpoints/{endpoint_id}"): {"description": "mine"},
    ("post", "/api/v1/webhook-endpoints/{endpoint_id}/rotate-secret"): {},
    ("post", "/api/v1/documents/{document_id}/messages"): {},
    ("put", "/api/v1/layouts/{layout_id}"): {"footer": "mine"},
    ("post", "/api/v1/layouts/{layout_id}/logo"): {"file": ("logo.png", PNG)},
}
"""A valid body for each operation that takes one, so that the answer is about the id, not the body."""


def theirs(client: Client, *, with_token: bool = False) -> Any:
    """Seller B with one object of every kind the API addresses by id; its ids by parameter name."""
    seller = Caller(client)
    channel = seller.shop()
    rules = seller.seed_003(channel)
    endpoint = seller.post(
        "/webhook-endpoints", {"url": "https://erp.example.ro/hooks", "event_types": ["order.error"]}
    )
    assert endpoint.status_code == 201, endpoint.content
    hook = seller.post(f"/channels/{channel}/inbound-webhook", {"scheme": "generic"})
    assert hook.status_code == 201, hook.content
    placed = seller.post("/orders", order_body(channel))
    assert placed.status_code == 201, placed.content
    document = placed.json()["outcome"]["documents"][0]["id"]
    messages = seller.get(f"/documents/{document}/messages").json()
    layout = seller.put("/layouts", {"footer": "B's"})
    assert layout.status_code == 200, layout.content
    event = OutboundEvent.objects.filter(organization=seller.org).first() or OutboundEvent.objects.create(
        organization=seller.org, event_type="document.issued", object_type="document", object_id=document, data={}
    )
    delivery = WebhookDelivery.objects.create(
        organization=seller.org,
        endpoint=WebhookEndpoint.objects.get(pk=endpoint.json()["id"]),
        event=event,
        attempt=1,
        started_at=timezone.now(),
    )
    series = Document.objects.get(pk=document).series_id
    ids = {
        "channel_id": channel,
        "order_id": placed.json()["order"]["id"],
        "series_id": series,
        "document_id": document,
        "rule_id": rules[0],
        "endpoint_id": endpoint.json()["id"],
        "delivery_id": delivery.pk,
        "message_id": messages[0]["id"],
        "layout_id": layout.json()["id"],
    }
    return (ids, seller.headers["Authorization"].removeprefix("Bearer ")) if with_token else ids


def test_every_route_with_an_id_answers_404_to_another_seller(client: Client) -> None:
    ids = theirs(client)
    mine = Caller(client)
    schema = client.get("/api/v1/openapi.json").json()
    checked = []
    for path, operations in schema["paths"].items():
        names = re.findall(r"\{(\w+)\}", path)
        if not any(name.endswith("_id") for name in names):
            continue
        for method, operation in operations.items():
            missing = [name for name in names if name not in ids]
            assert not missing, f"{method.upper()} {path}: teach theirs() to make a {missing[0]}"
            url = path.format(**ids)
            wants_body = "requestBody" in operation
            assert not wants_body or (method, path) in BODIES, f"{method.upper()} {path}: add a body to BODIES"
            body = BODIES.get((method, path))
            multipart = wants_body and "multipart/form-data" in operation["requestBody"].get("content", {})
            response = _call(client, mine.headers, method, url, body, multipart=multipart)
            assert response.status_code == 404, (method, path, response.status_code, response.content[:300])
            assert response.json()["code"] in ("not_found", "document_not_found"), (method, path, response.json())
            checked.append(f"{method} {path}")
    assert len(checked) >= 40


def _call(client: Client, headers: dict[str, str], method: str, url: str, body: Any, *, multipart: bool) -> Any:
    if multipart:
        name, (filename, content) = next(iter(body.items()))
        return client.post(url, {name: SimpleUploadedFile(filename, content)}, headers=headers)
    if body is None:
        return getattr(client, method)(url, headers=headers)
    return getattr(client, method)(url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("path", ["/orders", "/documents", "/series", "/rules"])
def test_another_sellers_channel_as_a_filter_matches_nothing(client: Client, path: str) -> None:
    channel = theirs(client)["channel_id"]
    mine = Caller(client)
    own = mine.shop()
    mine.seed_003(own)
    mine.post("/orders", order_body(own))

    response = mine.get(path, channel=channel)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["items"] if isinstance(body, dict) else body) == []
