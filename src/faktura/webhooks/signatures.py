"""Inbound webhook signatures: one ``SignatureScheme`` per sender, all verified the same way.

A scheme's ``verify(headers, body, secrets=..., now=...)`` authenticates one delivery
from its headers and its **raw** body (the bytes as received: re-serialised JSON
never matches) and returns what deduplication needs: the sender's event id, the
signed timestamp when there is one, and the topic. Anything else raises a
``WebhookRejected`` with a stable code and the header to blame. Header names are
matched case-insensitively. ``secrets`` holds one or two secrets: during a rotation
both the old and the new one are accepted. Signatures are compared with
``hmac.compare_digest`` only.

**Generic** (ours, for shops that push with their own code), Stripe-like::

    Faktura-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=...]
    Faktura-Event-Id:  <unique id of the event, reused on every retry>

Several ``v1=`` entries are allowed (a sender signing with an old and a new secret
during rotation); unknown schemes such as ``v0=`` are ignored. ``t`` must lie within
±300 seconds of our clock, so a captured delivery cannot be replayed later; within
that window the event id deduplicates.

>>> from datetime import datetime, timezone
>>> body = b'{"event_id":"evt_1","type":"order.upserted"}'
>>> now = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
>>> header = sign(body, "whsec_demo", now)
>>> header
't=1795428000,v1=f0599774b3417e01195bc3dc4fb506a94265a00168b961e78d62020763b67edd'
>>> verified = GENERIC.verify(
...     {"faktura-signature": header, "Faktura-Event-Id": "evt_1"}, body, secrets=["whsec_demo"], now=now
... )
>>> verified.event_id, verified.timestamp == now
('evt_1', True)
>>> GENERIC.verify({"Faktura-Signature": header, "Faktura-Event-Id": "evt_1"}, body + b" ",
...                secrets=["whsec_demo"], now=now)
Traceback (most recent call last):
...
faktura.webhooks.errors.SignatureMismatch: Faktura-Signature: no signature matches the body under the configured secrets

**WooCommerce** (``WC_Webhook::deliver``)::

    X-WC-Webhook-Signature:   base64(HMAC-SHA256(secret, raw body))
    X-WC-Webhook-Delivery-ID: id of this delivery (the event id)
    X-WC-Webhook-Topic:       order.created, order.updated, order.deleted, order.restored
    (also X-WC-Webhook-Source, -ID, -Resource, -Event: informative only)

WooCommerce signs no timestamp, so a captured delivery stays valid forever: replay
protection rests on deduplication by delivery id, and the upsert must ignore an
order snapshot older than the one it holds (the payload's ``date_modified_gmt``).

**Shopify** (shopify.dev, "Verify webhook deliveries")::

    X-Shopify-Hmac-Sha256: base64(HMAC-SHA256(client secret or store signing key, raw body))
    X-Shopify-Webhook-Id:  id of the delivery, the same on retries (the event id)
    X-Shopify-Topic:       orders/create, orders/updated, orders/paid, orders/cancelled, ...
    X-Shopify-Triggered-At: ISO 8601 time the event fired, e.g. 2026-11-23T10:00:00.123456789Z

When ``X-Shopify-Triggered-At`` is present the ±300 s tolerance applies to it; it is
not covered by the HMAC, so it only stops late retries, and deduplication by webhook
id remains the replay defence. Shopify keeps signing with the old client secret for
up to an hour after a rotation: configure both.

>>> SHOPIFY.verify({"X-Shopify-Hmac-Sha256": sign_base64(body, "shpss_demo"), "X-Shopify-Webhook-Id": "b54557e4",
...                 "X-Shopify-Topic": "orders/paid"}, body, secrets=["shpss_old", "shpss_demo"], now=now)
Verified(event_id='b54557e4', timestamp=None, topic='orders/paid')
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from faktura.webhooks.errors import (
    HeaderMalformed,
    HeaderMissing,
    SignatureMismatch,
    TimestampTooNew,
    TimestampTooOld,
)

__all__ = [
    "GENERIC",
    "SCHEMES",
    "SHOPIFY",
    "TOLERANCE",
    "WOOCOMMERCE",
    "GenericScheme",
    "ShopifyScheme",
    "SignatureScheme",
    "Verified",
    "WooCommerceScheme",
    "sign",
    "sign_base64",
]

TOLERANCE = timedelta(seconds=300)
"""How far a signed timestamp may lie from our clock, either way."""

MAX_SECRETS = 2


@dataclass(frozen=True)
class Verified:
    """An authenticated delivery: what deduplication and routing need."""

    event_id: str | None
    timestamp: datetime | None
    topic: str | None = None


class SignatureScheme(Protocol):
    """How one sender signs its deliveries."""

    name: str

    def verify(self, headers: Mapping[str, str], body: bytes, *, secrets: Sequence[str], now: datetime) -> Verified: ...


def sign(body: bytes, secret: str | Sequence[str], timestamp: datetime | int) -> str:
    """The ``Faktura-Signature`` header value for ``body`` signed at ``timestamp``.

    With several secrets (an outbound endpoint during a rotation) there is one ``v1=``
    per secret, so a receiver that knows either one accepts the delivery:

    >>> sign(b"{}", ["whsec_new", "whsec_old"], 1795428000).count(",v1=")
    2
    """
    t = timestamp if isinstance(timestamp, int) else int(_aware(timestamp, "timestamp").timestamp())
    keys = [secret] if isinstance(secret, str) else list(secret)
    if not keys or not all(keys):
        raise ValueError("sign with at least one non-empty secret")
    signed = f"{t}.".encode() + body
    return f"t={t}," + ",".join(f"v1={_hmac(key, signed).hex()}" for key in keys)


def sign_base64(body: bytes, secret: str) -> str:
    """The base64 HMAC-SHA256 of the raw body, as WooCommerce and Shopify send it."""
    return base64.b64encode(_hmac(secret, body)).decode("ascii")


class GenericScheme:
    """``Faktura-Signature`` with a signed timestamp, and ``Faktura-Event-Id``."""

    name = "generic"
    signature_header = "Faktura-Signature"
    event_id_header = "Faktura-Event-Id"

    def verify(self, headers: Mapping[str, str], body: bytes, *, secrets: Sequence[str], now: datetime) -> Verified:
        keys, now = _keys(secrets), _aware(now, "now")
        lookup = _Headers(headers)
        raw = lookup.required(self.signature_header)
        t, candidates = _parse_generic(raw, self.signature_header)
        timestamp = datetime.fromtimestamp(int(t), tz=UTC)
        _within_tolerance(timestamp, now, self.signature_header)
        event_id = lookup.required(self.event_id_header)
        signed = f"{t}.".encode() + body
        expected = [_hmac_with(key, signed) for key in keys]
        if not _any_equal(candidates, expected):
            raise SignatureMismatch(_NO_MATCH, field=self.signature_header)
        return Verified(event_id=event_id, timestamp=timestamp)


class _Base64BodyScheme:
    """Base64 HMAC-SHA256 of the raw body; the shape WooCommerce and Shopify share."""

    name = ""
    signature_header = ""
    event_id_header = ""
    topic_header = ""

    def verify(self, headers: Mapping[str, str], body: bytes, *, secrets: Sequence[str], now: datetime) -> Verified:
        keys, now = _keys(secrets), _aware(now, "now")
        lookup = _Headers(headers)
        raw = lookup.required(self.signature_header)
        try:
            candidate = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise HeaderMalformed("must be a base64 HMAC-SHA256 digest", field=self.signature_header) from None
        if len(candidate) != hashlib.sha256().digest_size:
            raise HeaderMalformed("must be a base64 HMAC-SHA256 digest", field=self.signature_header)
        timestamp = self._timestamp(lookup)
        if timestamp is not None:
            _within_tolerance(timestamp, now, self._timestamp_header)
        event_id = lookup.required(self.event_id_header)
        if not _any_equal([candidate], [_hmac_with(key, body) for key in keys]):
            raise SignatureMismatch(_NO_MATCH, field=self.signature_header)
        return Verified(event_id=event_id, timestamp=timestamp, topic=lookup.optional(self.topic_header))

    _timestamp_header = ""

    def _timestamp(self, lookup: _Headers) -> datetime | None:
        return None


class WooCommerceScheme(_Base64BodyScheme):
    """``X-WC-Webhook-Signature`` over the raw body; no timestamp (see the module docstring)."""

    name = "woocommerce"
    signature_header = "X-WC-Webhook-Signature"
    event_id_header = "X-WC-Webhook-Delivery-ID"
    topic_header = "X-WC-Webhook-Topic"


class ShopifyScheme(_Base64BodyScheme):
    """``X-Shopify-Hmac-Sha256`` over the raw body; ``X-Shopify-Triggered-At`` checked when sent."""

    name = "shopify"
    signature_header = "X-Shopify-Hmac-Sha256"
    event_id_header = "X-Shopify-Webhook-Id"
    topic_header = "X-Shopify-Topic"
    _timestamp_header = "X-Shopify-Triggered-At"

    def _timestamp(self, lookup: _Headers) -> datetime | None:
        raw = lookup.optional(self._timestamp_header)
        if raw is None:
            return None
        try:
            parsed = datetime.fromisoformat(_trim_fraction(raw))
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise HeaderMalformed("must be an ISO 8601 time with an offset", field=self._timestamp_header)
        return parsed


GENERIC = GenericScheme()
WOOCOMMERCE = WooCommerceScheme()
SHOPIFY = ShopifyScheme()
SCHEMES: Mapping[str, SignatureScheme] = {s.name: s for s in (GENERIC, WOOCOMMERCE, SHOPIFY)}

_NO_MATCH = "no signature matches the body under the configured secrets"
_T = re.compile(r"[0-9]{1,12}")
_HEX_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_FRACTION = re.compile(r"(\.[0-9]{6})[0-9]+")


class _Headers:
    """Case-insensitive header lookup; empty values count as absent."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._values = {name.lower(): value.strip() for name, value in headers.items()}

    def optional(self, name: str) -> str | None:
        return self._values.get(name.lower()) or None

    def required(self, name: str) -> str:
        value = self.optional(name)
        if value is None:
            raise HeaderMissing("this header is required", field=name)
        return value


def _parse_generic(raw: str, field: str) -> tuple[str, list[bytes]]:
    timestamps: list[str] = []
    candidates: list[bytes] = []
    for item in raw.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            raise HeaderMalformed("must be t=<unix seconds>,v1=<hex digest>", field=field)
        if key == "t":
            timestamps.append(value)
        elif key == "v1":
            if not _HEX_SHA256.fullmatch(value):
                raise HeaderMalformed("v1 must be a hex HMAC-SHA256 digest (64 characters)", field=field)
            candidates.append(bytes.fromhex(value))
    if len(timestamps) != 1 or not _T.fullmatch(timestamps[0]):
        raise HeaderMalformed("must carry exactly one t=<unix seconds>", field=field)
    if not candidates:
        raise HeaderMalformed("must carry at least one v1=<hex digest>", field=field)
    return timestamps[0], candidates


def _within_tolerance(timestamp: datetime, now: datetime, field: str) -> None:
    if timestamp < now - TOLERANCE:
        raise TimestampTooOld(f"the signed time {timestamp.isoformat()} is more than 5 minutes old", field=field)
    if timestamp > now + TOLERANCE:
        raise TimestampTooNew(f"the signed time {timestamp.isoformat()} is more than 5 minutes ahead", field=field)


def _keys(secrets: Sequence[str]) -> list[bytes]:
    if isinstance(secrets, str) or not 1 <= len(secrets) <= MAX_SECRETS or not all(secrets):
        raise ValueError("pass one or two non-empty secrets (two only while rotating)")
    return [secret.encode() for secret in secrets]


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return moment


def _hmac(secret: str, message: bytes) -> bytes:
    return _hmac_with(secret.encode(), message)


def _hmac_with(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def _any_equal(candidates: Sequence[bytes], expected: Sequence[bytes]) -> bool:
    """Compare every pair in constant time, without stopping at the first match."""
    matched = False
    for candidate in candidates:
        for digest in expected:
            matched |= hmac.compare_digest(candidate, digest)
    return matched


def _trim_fraction(raw: str) -> str:
    """Shopify sends nanoseconds; Python's ISO parser accepts at most microseconds."""
    return _FRACTION.sub(r"\1", raw.replace("Z", "+00:00").replace("z", "+00:00"))
