"""Issuing rules and order explanations over the REST API: thin views over the automation services."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["rules"])
