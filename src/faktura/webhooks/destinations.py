"""Where outbound webhooks may go: http(s) URLs on public addresses, unless the operator allows more.

A seller types the URL, and the server makes the request: without limits a seller could make
Faktura call its own admin, the cloud's metadata service (169.254.169.254) or a database on
the private network (server-side request forgery). So:

* ``check_url`` accepts ``http`` and ``https`` URLs with a host and no user name or
  password (they would be sent in clear and logged); it runs when an endpoint is saved;
* ``check_address`` runs on **every** address the host resolves to, before each attempt,
  and the request then connects to that checked address (a DNS answer that changes
  between the check and the connection cannot redirect it). An address that is not
  globally routable (loopback, private, link-local, shared, reserved, multicast,
  unspecified, and IPv4-mapped forms of them) is refused unless it lies in one of the
  ``allowed`` networks, which the operator sets (``FAKTURA_WEBHOOK_ALLOWED_NETWORKS``;
  loopback only by default in DEBUG).

>>> check_url("https://erp.example.ro/hooks/faktura?src=1").host
'erp.example.ro'
>>> check_url("ftp://example.ro/x")
Traceback (most recent call last):
...
faktura.webhooks.destinations.DestinationRefused: url: must be an http or https URL
>>> check_address("93.184.215.14", allowed=())
>>> check_address("169.254.169.254", allowed=())
Traceback (most recent call last):
...
faktura.webhooks.destinations.DestinationRefused: url: 169.254.169.254 is not a public address; \
an operator can allow its network in FAKTURA_WEBHOOK_ALLOWED_NETWORKS
>>> check_address("127.0.0.1", allowed=networks(["127.0.0.0/8"]))
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from faktura.core.errors import InvalidValue

__all__ = ["MAX_URL_LENGTH", "DestinationRefused", "Network", "Target", "check_address", "check_url", "networks"]

MAX_URL_LENGTH = 2000
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_PORTS = {"http": 80, "https": 443}


class DestinationRefused(InvalidValue):
    """The URL or the address it resolves to may not receive webhooks."""

    code = "webhook_destination_refused"


@dataclass(frozen=True)
class Target:
    """A checked URL, split the way a connection needs it."""

    scheme: str
    host: str
    port: int
    path: str  # with the query string, at least "/"

    @property
    def secure(self) -> bool:
        return self.scheme == "https"


def check_url(url: str, *, field: str = "url") -> Target:
    """Split ``url`` if it may receive webhooks; raise ``DestinationRefused`` if not."""
    url = url.strip()
    if not url:
        raise DestinationRefused("is required", field=field)
    if len(url) > MAX_URL_LENGTH:
        raise DestinationRefused(f"must be at most {MAX_URL_LENGTH} characters", field=field)
    if not url.isprintable():
        raise DestinationRefused("must not contain spaces or control characters", field=field)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise DestinationRefused(f"is not a valid URL: {error}", field=field) from None
    scheme = parts.scheme.lower()
    if scheme not in _PORTS:
        raise DestinationRefused("must be an http or https URL", field=field)
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused("must not carry a user name or password", field=field)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise DestinationRefused("must name a host", field=field)
    if not url.isprintable() or any(char.isspace() for char in url):
        raise DestinationRefused("must not contain spaces or control characters", field=field)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=scheme, host=host, port=port or _PORTS[scheme], path=path)


def networks(cidrs: Iterable[str]) -> tuple[Network, ...]:
    """Parse the operator's allowed networks (``10.0.0.0/8``, ``::1/128``, or a single address)."""
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def check_address(address: str, *, allowed: Sequence[Network], field: str = "url") -> None:
    """Refuse ``address`` unless it is globally routable or inside one of the ``allowed`` networks."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip.version == network.version and ip in network for network in allowed):
        return
    if not ip.is_global or ip.is_multicast:
        raise DestinationRefused(
            f"{ip} is not a public address; an operator can allow its network in FAKTURA_WEBHOOK_ALLOWED_NETWORKS",
            field=field,
        )
