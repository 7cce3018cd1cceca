"""A test-only API with one idempotent POST, mounted as the URLconf of the idempotency tests.

``POST /api/test/channels`` creates a sales channel (a real write, with its
audit event) and answers 201 with the channel's id and the seller's channel
count. ``fail`` makes it fail after the write: ``invalid`` (422, replayed),
``conflict`` (409, not stored), ``crash`` (an unexpected exception, a 500).
Every call of the operation is counted in ``CALLS``, rolled back or not.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI, Router, Schema, Status

from faktura.apps.accounts.api import ApiKeyAuth
from faktura.apps.integrations.idempotency import idempotent
from faktura.apps.sales.models import SalesChannel
from faktura.apps.sales.services import channel_create
from faktura.core.errors import Conflict, InvalidValue
from faktura.platform.api_errors import install_error_handlers
from tests import factories as make

CALLS: list[str] = []

router = Router()


class ChannelIn(Schema):
    name: str
    fail: str | None = None


class ChannelOut(Schema):
    channel_id: int
    channels: int


@router.post("/channels", response={201: ChannelOut})
@idempotent
def create_channel(request: HttpRequest, payload: ChannelIn) -> Any:
    CALLS.append(payload.name)
    organization = request.organization  # type: ignore[attr-defined]
    channel = channel_create(
        actor=make.TEST_ACTOR, organization=organization, name=f"{payload.name} {uuid.uuid4().hex[:8]}"
    )
    if payload.fail == "invalid":
        raise InvalidValue("the test asked for a failure", field="fail")
    if payload.fail == "conflict":
        raise Conflict("the test asked for a conflict")
    if payload.fail == "crash":
        raise RuntimeError("the test asked for a crash")
    count = SalesChannel.objects.filter(organization=organization).count()
    return Status(201, {"channel_id": channel.pk, "channels": count})


api = NinjaAPI(auth=ApiKeyAuth(), urls_namespace="idempotency-tests", docs_url=None)
install_error_handlers(api)
api.add_router("/", router)

urlpatterns = [path("api/test/", api.urls)]
