"""Webhook endpoints of a seller over the REST API: thin views over the integrations services."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["webhooks"])
