"""What the API answers when an Idempotency-Key cannot be honoured; the API's handler renders them."""

from __future__ import annotations

import datetime as dt

from faktura.core.errors import Conflict, FakturaError

HEADER = "Idempotency-Key"


class InvalidIdempotencyKey(FakturaError):
    """The header is empty or longer than 255 characters."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message, field=HEADER)


class IdempotencyKeyReused(Conflict):
    """The key was first used for another request (method, path or body)."""

    code = "idempotency_key_reused"

    def __init__(self, first_used: dt.datetime) -> None:
        when = first_used.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        super().__init__(
            f"this Idempotency-Key was used with a different request body on {when}; use a new key for a new request",
            field=HEADER,
        )


class IdempotencyKeyInProgress(Conflict):
    """Another request with the key is still running after the bounded wait."""

    code = "idempotency_key_in_progress"

    def __init__(self) -> None:
        super().__init__("a request with this Idempotency-Key is still in progress; retry later", field=HEADER)
