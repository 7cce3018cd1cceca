"""What an outbound webhook delivery looks like on the wire: a signed JSON envelope.

Every delivery is an HTTP ``POST`` with a JSON body::

    {"id": "evt_1042", "type": "document.issued", "created_at": "2026-11-23T10:00:00Z",
     "data": {"id": 88, "type": "invoice", "number": "FA2026042", ...}}

``id`` names the event and is the same on every attempt and redelivery (deduplicate by it);
``created_at`` is when the change happened; ``data`` depends on ``type``. Headers:

* ``Faktura-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>``, the
  generic inbound scheme (``faktura.webhooks.signatures``); during a secret rotation one
  ``v1=`` per secret;
* ``Faktura-Event-Id`` (= ``id``), ``Faktura-Event-Type`` (= ``type``), and
  ``Faktura-Delivery-Attempt`` (1, 2, ...);
* ``Content-Type: application/json``, ``User-Agent: Faktura-Webhooks/1``.

>>> from datetime import datetime, timezone
>>> at = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
>>> body = envelope(event_id="evt_1042", event_type="document.issued", created_at=at, data={"number": "FA2026042"})
>>> body
b'{"id":"evt_1042","type":"document.issued","created_at":"2026-11-23T10:00:00Z","data":{"number":"FA2026042"}}'
>>> sent = headers(body, secrets=["whsec_demo"], event_id="evt_1042", event_type="document.issued", attempt=1, now=at)
>>> from faktura.webhooks.signatures import GENERIC
>>> GENERIC.verify(sent, body, secrets=["whsec_demo"], now=at).event_id
'evt_1042'
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from faktura.webhooks.signatures import GENERIC, sign

__all__ = ["USER_AGENT", "envelope", "event_ref", "headers"]

USER_AGENT = "Faktura-Webhooks/1"


def event_ref(pk: int) -> str:
    """The public id of outbound event ``pk``."""
    return f"evt_{pk}"


def envelope(*, event_id: str, event_type: str, created_at: datetime, data: Mapping[str, Any]) -> bytes:
    """The delivery body: compact UTF-8 JSON, ``created_at`` in UTC with a ``Z``."""
    when = created_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    document = {"id": event_id, "type": event_type, "created_at": when, "data": dict(data)}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def headers(
    body: bytes, *, secrets: Sequence[str], event_id: str, event_type: str, attempt: int, now: datetime
) -> dict[str, str]:
    """The request headers of one attempt, signed with every secret in ``secrets``."""
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        GENERIC.signature_header: sign(body, secrets, now),
        GENERIC.event_id_header: event_id,
        "Faktura-Event-Type": event_type,
        "Faktura-Delivery-Attempt": str(attempt),
    }
