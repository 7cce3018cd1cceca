"""API authentication by per-seller keys, and who the caller is."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import HttpBearer

from faktura.apps.accounts import selectors, services
from faktura.core.actors import Actor


class ApiKeyAuth(HttpBearer):
    """``Authorization: Bearer fk_<prefix>_<secret>``; the seller is the key's organization."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        key = selectors.api_key_authenticate(plaintext=token)
        if key is None:
            return None
        services.api_key_touch(key=key)
        request.organization = key.organization  # type: ignore[attr-defined]
        request.actor = Actor.api_key(key.prefix)  # type: ignore[attr-defined]
        return key


router = Router(tags=["seller"])


class SellerOut(Schema):
    id: int
    legal_name: str
    country: str
    vat_id: str
    currency: str
    language: str
    time_zone: str
    test_mode: bool


@router.get("/me", response=SellerOut, summary="The seller this API key belongs to")
def me(request: HttpRequest) -> Any:
    return request.organization  # type: ignore[attr-defined]
