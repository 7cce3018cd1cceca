"""Puts the current seller (set by ``seller_view``) into every template as ``seller``."""

from __future__ import annotations

from django.http import HttpRequest


def seller(request: HttpRequest) -> dict[str, object]:
    return {"seller": getattr(request, "seller", None)}
