"""Outbound webhooks, the pure rules: retry verdicts and schedule, allowed destinations, rotation signatures."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from faktura.webhooks.destinations import DestinationRefused, check_address, check_url, networks
from faktura.webhooks.retries import MAX_ATTEMPTS, SCHEDULE, Verdict, retry_delay, verdict
from faktura.webhooks.signatures import GENERIC, sign

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (200, Verdict.DELIVERED),
        (201, Verdict.DELIVERED),
        (299, Verdict.DELIVERED),
        (301, Verdict.FAILED),
        (400, Verdict.FAILED),
        (401, Verdict.FAILED),
        (404, Verdict.FAILED),
        (410, Verdict.FAILED),
        (408, Verdict.RETRY),
        (425, Verdict.RETRY),
        (429, Verdict.RETRY),
        (500, Verdict.RETRY),
        (502, Verdict.RETRY),
        (599, Verdict.RETRY),
        (None, Verdict.RETRY),
    ],
)
def test_an_answer_is_delivered_retried_or_failed(status: int | None, expected: Verdict) -> None:
    assert verdict(status) is expected


def test_the_schedule_backs_off_then_gives_up_after_six_attempts() -> None:
    delays = [retry_delay(attempt) for attempt in range(1, MAX_ATTEMPTS + 1)]
    assert delays == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=12),
        None,
    ]
    assert all(later > earlier for earlier, later in itertools.pairwise(SCHEDULE))
    with pytest.raises(ValueError, match="from 1"):
        retry_delay(0)


@pytest.mark.parametrize(
    ("url", "host", "port", "path"),
    [
        ("https://erp.example.ro/hooks", "erp.example.ro", 443, "/hooks"),
        ("http://erp.example.ro", "erp.example.ro", 80, "/"),
        ("HTTPS://ERP.example.ro:8443/h?x=1&y=2", "erp.example.ro", 8443, "/h?x=1&y=2"),
        ("http://[2001:db8::1]:9000/in", "2001:db8::1", 9000, "/in"),
        ("http://127.0.0.1:8080/x", "127.0.0.1", 8080, "/x"),
    ],
)
def test_a_valid_url_is_split_for_the_connection(url: str, host: str, port: int, path: str) -> None:
    target = check_url(url)
    assert (target.host, target.port, target.path) == (host, port, path)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "required"),
        ("ftp://example.ro/x", "http or https"),
        ("file:///etc/passwd", "http or https"),
        ("gopher://127.0.0.1:6379/_", "http or https"),
        ("https://user:pass@example.ro/", "user name or password"),
        ("https:///path-only", "host"),
        ("https://example.ro:99999/", "valid URL"),
        ("https://exa mple.ro/", "spaces"),
        ("https://example.ro/\x00admin", "control characters"),
        ("https://example.ro/\nadmin", "control characters"),
        ("https://example.ro/" + "a" * 2000, "at most"),
    ],
)
def test_a_url_that_may_not_receive_webhooks_is_refused(url: str, message: str) -> None:
    with pytest.raises(DestinationRefused, match=message) as info:
        check_url(url)
    assert (info.value.field, info.value.http_status) == ("url", 422)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.10",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1%eth0",
        "fd00::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
    ],
)
def test_an_address_off_the_public_internet_is_refused_by_default(address: str) -> None:
    with pytest.raises(DestinationRefused, match="not a public address"):
        check_address(address, allowed=())


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"])
def test_a_public_address_is_accepted(address: str) -> None:
    check_address(address, allowed=())


def test_the_operator_can_allow_a_private_network_and_only_that_one() -> None:
    allowed = networks(["10.20.0.0/16", " ::1 ", ""])
    check_address("10.20.3.4", allowed=allowed)
    check_address("::1", allowed=allowed)
    with pytest.raises(DestinationRefused):
        check_address("10.21.0.1", allowed=allowed)
    with pytest.raises(DestinationRefused):
        check_address("127.0.0.1", allowed=allowed)


def test_signing_with_two_secrets_satisfies_a_receiver_that_knows_either() -> None:
    body = b'{"id":"evt_1"}'
    header = sign(body, ["whsec_new", "whsec_old"], NOW)
    for known in ("whsec_new", "whsec_old"):
        verified = GENERIC.verify(
            {"Faktura-Signature": header, "Faktura-Event-Id": "evt_1"}, body, secrets=[known], now=NOW
        )
        assert verified.event_id == "evt_1"
    with pytest.raises(ValueError, match="at least one"):
        sign(body, [], NOW)
