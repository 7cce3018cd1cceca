"""Sign-in link requests are limited per address and per client, counted in the database (every worker sees them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from faktura.apps.portal.models import SignInLink, SignInRequest
from tests.integration.portal.helpers import ANA

pytestmark = pytest.mark.django_db


def ask(email: str, ip: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=ip).post("/my/sign-in", {"email": email})


def test_one_address_asking_too_often_gets_a_429_page_with_retry_after(settings: Any) -> None:
    settings.FAKTURA_PORTAL_LIMIT_PER_EMAIL = 3
    answers = [ask(ANA, ip=f"10.0.0.{n}") for n in range(1, 5)]  # from different clients: the address counts
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    limited = answers[-1]
    assert b"Too many" in limited.content
    assert 3500 <= int(limited["Retry-After"]) <= 3601
    assert limited["Cache-Control"] == "private, no-store"
    assert SignInLink.objects.count() == 3
    assert ask("other@example.test", ip="10.0.0.9").status_code == 200  # another address is not held up


def test_one_client_asking_for_many_addresses_gets_a_429(settings: Any) -> None:
    settings.FAKTURA_PORTAL_LIMIT_PER_IP = 4
    codes = [ask(f"buyer{n}@example.test", ip="192.0.2.7").status_code for n in range(5)]
    assert codes == [200, 200, 200, 200, 429]
    assert ask("buyer9@example.test", ip="192.0.2.8").status_code == 200


def test_the_limit_lifts_once_the_window_has_passed(settings: Any) -> None:
    settings.FAKTURA_PORTAL_LIMIT_PER_EMAIL = 2
    assert [ask(ANA).status_code for _ in range(3)] == [200, 200, 429]
    SignInRequest.objects.update(created_at=timezone.now() - dt.timedelta(seconds=3601))
    assert ask(ANA).status_code == 200
    assert SignInRequest.objects.count() == 1  # the old requests were pruned


def test_the_log_keeps_hashes_not_addresses() -> None:
    ask(ANA, ip="203.0.113.5")
    request = SignInRequest.objects.get()
    assert "ana" not in request.email_key
    assert "203" not in request.ip_key
    assert len(request.email_key) == len(request.ip_key) == 64


def test_a_proxy_header_names_the_client_only_when_configured(settings: Any) -> None:
    settings.FAKTURA_PORTAL_LIMIT_PER_IP = 1
    settings.FAKTURA_PORTAL_CLIENT_IP_HEADER = "X-Real-IP"
    client = Client(REMOTE_ADDR="10.9.9.9")
    assert (
        client.post("/my/sign-in", {"email": "a@example.test"}, headers={"X-Real-IP": "198.51.100.1"}).status_code
        == 200
    )
    assert (
        client.post("/my/sign-in", {"email": "b@example.test"}, headers={"X-Real-IP": "198.51.100.2"}).status_code
        == 200
    )
    assert (
        client.post("/my/sign-in", {"email": "c@example.test"}, headers={"X-Real-IP": "198.51.100.1"}).status_code
        == 429
    )
