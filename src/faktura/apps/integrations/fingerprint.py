"""The fingerprint that tells "the same request again" from "a new request under an old key".

SHA-256 over the method, the full path (query string included) and the body.
A JSON body is hashed in a canonical form (keys sorted, no whitespace), so key
order and formatting do not matter; everything else does, number literals
included (``1.0`` and ``1.00`` are different requests: a retry resends the same
bytes, and a lenient match could replay the wrong response). A body that is not
JSON, or not valid JSON, is hashed byte for byte.

>>> canonical_json(b'{ "b": [1, 2.50, "x"], "a": {"z": null, "y": true} }')
b'{"a":{"y":true,"z":null},"b":[1,2.50,"x"]}'
>>> fingerprint("POST", "/api/v1/orders", b'{"a": 1, "b": 2}', "application/json") == fingerprint(
...     "POST", "/api/v1/orders", b'{"b":2,"a":1}', "application/json; charset=utf-8")
True
>>> fingerprint("POST", "/api/v1/orders", b'{"a": 1}', "application/json") == fingerprint(
...     "POST", "/api/v1/orders", b'{"a": 2}', "application/json")
False
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from typing import Any


class _Number(str):
    """A JSON number kept as the literal the client sent."""


def canonical_json(body: bytes) -> bytes:
    """The body with object keys sorted and whitespace dropped; raises ``ValueError`` if it is not JSON."""
    value = json.loads(body, parse_float=_Number, parse_int=_Number, parse_constant=_Number)
    return _encode(value).encode()


def _encode(value: Any) -> str:
    if isinstance(value, _Number):
        return str.__str__(value)
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{_encode(v)}" for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_encode(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # str, true, false, null


def fingerprint(method: str, path: str, body: bytes, content_type: str) -> str:
    """Hex SHA-256 of method, path and (canonical) body."""
    if "json" in content_type.lower():
        with contextlib.suppress(ValueError):  # includes UnicodeDecodeError: then hash the bytes as sent
            body = canonical_json(body)
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()
