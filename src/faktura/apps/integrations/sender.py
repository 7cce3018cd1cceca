"""One outbound webhook request: resolve, check every address, connect to the checked one, POST, read a little.

The standard library's ``http.client`` is enough: no redirects are followed
(a 3xx is an answer like any other), the socket connects to the address that
``check_address`` accepted rather than resolving the name a second time (no DNS
rebinding between the check and the connection), and TLS still verifies the
certificate against the host name. What comes back is an ``Answer`` whatever
happens: the status, a short excerpt of the body, or the error.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from faktura.webhooks.destinations import DestinationRefused, Network, Target, check_address, check_url, networks

TIMEOUT_SECONDS = 10.0
"""For connecting, and for each read of the answer."""

READ_LIMIT = 64 * 1024
EXCERPT_CHARS = 1000


@dataclass(frozen=True)
class Answer:
    status: int | None
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0
    refused: bool = False
    """The destination is not allowed (``destinations``): a setting to change, not a failure to retry."""


def allowed_networks() -> tuple[Network, ...]:
    """The operator's ``FAKTURA_WEBHOOK_ALLOWED_NETWORKS``."""
    return networks(getattr(settings, "FAKTURA_WEBHOOK_ALLOWED_NETWORKS", ()))


def post(url: str, body: bytes, headers: Mapping[str, str], *, timeout: float | None = None) -> Answer:
    """POST ``body`` to ``url``; never raises for anything the network or the receiver does."""
    started = time.monotonic()
    timeout = TIMEOUT_SECONDS if timeout is None else timeout

    def took() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        target = check_url(url)
        address = _checked_address(target, allowed_networks())
    except DestinationRefused as refused:
        return Answer(status=None, error=str(refused), duration_ms=took(), refused=True)
    except OSError as error:  # the name does not resolve (socket.gaierror)
        return Answer(status=None, error=_describe(error), duration_ms=took())
    connection = _connection(target, address, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=dict(headers))
        response = connection.getresponse()
        content = response.read(READ_LIMIT)
        excerpt = content.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
        return Answer(status=response.status, excerpt=excerpt, duration_ms=took())
    except (OSError, http.client.HTTPException, ssl.SSLError) as error:
        return Answer(status=None, error=_describe(error), duration_ms=took())
    finally:
        connection.close()


def _checked_address(target: Target, allowed: Sequence[Network]) -> str:
    """Every address the host resolves to must be allowed; the first one is used."""
    found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    for address in addresses:
        check_address(address, allowed=allowed)
    return addresses[0]


def _connection(target: Target, address: str, timeout: float) -> http.client.HTTPConnection:
    connection: http.client.HTTPConnection
    if target.secure:
        connection = http.client.HTTPSConnection(target.host, target.port, timeout=timeout)
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)

    def pinned(_: Any, timeout: float = timeout, source_address: Any = None) -> socket.socket:
        return socket.create_connection((address, target.port), timeout, source_address)

    # http.client resolves the host itself in connect(); connect to the checked address instead.
    # HTTPS still wraps the socket with server_hostname=target.host, so the certificate is verified.
    connection._create_connection = pinned  # type: ignore[attr-defined]
    return connection


def _describe(error: BaseException) -> str:
    text = str(error) or error.__class__.__name__
    return f"{error.__class__.__name__}: {text}"[:EXCERPT_CHARS]
