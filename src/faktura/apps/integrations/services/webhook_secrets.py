"""Webhook secrets: made here (``whsec_`` + 32 random bytes) or given by the shop, and rotated two at a time.

A rotation keeps the old secret valid beside the new one until the seller
retires it, so the other side can switch at its own pace; a second rotation
before the old secret is retired is refused rather than silently invalidating it.
"""

from __future__ import annotations

import secrets

from faktura.core.errors import Conflict, InvalidValue

PREFIX = "whsec_"
MIN_LENGTH = 16
MAX_LENGTH = 255


def secret_new() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def secret_checked(value: str | None, *, field: str = "secret") -> str:
    """``value`` if the seller supplied an acceptable secret, else a new one."""
    if value is None:
        return secret_new()
    value = value.strip()
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        raise InvalidValue(f"must be {MIN_LENGTH} to {MAX_LENGTH} characters", field=field)
    if not value.isprintable() or any(char.isspace() for char in value):
        raise InvalidValue("must not contain spaces or control characters", field=field)
    return value


def rotation_allowed(previous_secret: str) -> None:
    if previous_secret:
        raise Conflict(
            "two secrets are valid already: retire the previous secret before rotating again",
            field="previous_secret",
        )
