"""API key format: ``fk_<prefix>_<secret>``, of which only a SHA-256 is stored.

The prefix is public (it is shown in the settings and the audit trail) and
finds the row; the secret is 256 random bits, so a fast hash is as strong as a
slow one here and keeps authentication cheap on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

_SCHEME = "fk"


@dataclass(frozen=True)
class NewKey:
    prefix: str
    secret_hash: str
    plaintext: str


def generate() -> NewKey:
    prefix = secrets.token_hex(4)
    plaintext = f"{_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(prefix=prefix, secret_hash=hash_key(plaintext), plaintext=plaintext)


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def prefix_of(plaintext: str) -> str | None:
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != _SCHEME or not parts[1] or not parts[2]:
        return None
    return parts[1]


def matches(plaintext: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_key(plaintext), secret_hash)
