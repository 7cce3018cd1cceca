"""The inbound webhook receiver: a plain Django view at ``/webhooks/in/<token>``, outside the API's auth.

Shops cannot send our API key or a CSRF token: the unguessable token in the
address finds the channel, and the signature over the raw body authenticates
the delivery (``services.receive``). The body is read here, as raw bytes and at
most ``MAX_BODY_BYTES`` of them, without going through ``request.body`` (whose
own limit would answer a bare 400).
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from faktura.apps.integrations import selectors
from faktura.apps.integrations.services.receive import (
    MAX_BODY_BYTES,
    Reply,
    inbound_delivery_receive,
    inbound_delivery_too_large,
)


@csrf_exempt
@require_POST
def inbound_webhook_receive(request: HttpRequest, token: str) -> JsonResponse:
    received_at = timezone.now()
    webhook = selectors.inbound_webhook_by_token(token=token)
    if webhook is None:
        return _respond(Reply(404, {"code": "not_found", "message": "no webhook has this address", "field": None}))
    declared = _content_length(request)
    if declared is not None and declared > MAX_BODY_BYTES:
        return _respond(inbound_delivery_too_large(webhook=webhook, size=declared, received_at=received_at))
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return _respond(inbound_delivery_too_large(webhook=webhook, size=declared, received_at=received_at))
    reply = inbound_delivery_receive(webhook=webhook, headers=request.headers, body=body, received_at=received_at)
    return _respond(reply)


def _content_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _respond(reply: Reply) -> JsonResponse:
    response = JsonResponse(reply.body, status=reply.status)
    for name, value in reply.headers.items():
        response[name] = value
    return response
