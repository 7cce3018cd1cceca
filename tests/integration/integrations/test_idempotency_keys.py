"""Idempotency-Key on an API POST: replay, refuse a reused key, keep sellers apart, release on failure."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from faktura.apps.accounts.services import api_key_create
from faktura.apps.integrations.models import IdempotencyKey
from faktura.apps.sales.models import SalesChannel
from tests import factories as make
from tests.integration.integrations import testapi

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.integration.integrations.testapi")]

URL = "/api/test/channels"


@pytest.fixture(autouse=True)
def _reset_calls() -> None:
    testapi.CALLS.clear()


def seller_with_key():
    org = make.seller()
    _, plaintext = api_key_create(actor=make.TEST_ACTOR, organization=org, name="shop")
    return org, plaintext


@pytest.fixture
def seller():
    return seller_with_key()


def post(client: Client, token: str, body: object, key: str | None = "order-1", raw: str | None = None):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    data = raw if raw is not None else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", headers=headers)


def test_the_same_key_and_body_runs_once_and_replays_the_stored_response(client: Client, seller) -> None:
    org, token = seller
    first = post(client, token, {"name": "Shop"})
    second = post(client, token, {"name": "Shop"})
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert testapi.CALLS == ["Shop"]
    assert SalesChannel.objects.filter(organization=org).count() == 1
    record = IdempotencyKey.objects.get(organization=org, key="order-1")
    assert record.state == "completed"
    assert record.response_status == 201


def test_key_order_and_whitespace_in_the_json_body_do_not_make_a_new_request(client: Client, seller) -> None:
    _, token = seller
    first = post(client, token, None, raw='{"name": "Shop", "fail": null}')
    second = post(client, token, None, raw='{\n  "fail":null,"name":"Shop"\n}')
    assert second["Idempotent-Replayed"] == "true"
    assert second.content == first.content
    assert len(testapi.CALLS) == 1


def test_the_same_key_with_another_body_is_refused_with_a_409_naming_the_header(client: Client, seller) -> None:
    _, token = seller
    post(client, token, {"name": "Shop"})
    response = post(client, token, {"name": "Other shop"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "idempotency_key_reused"
    assert body["field"] == "Idempotency-Key"
    assert "different request body on " in body["message"]
    assert "use a new key" in body["message"]
    assert testapi.CALLS == ["Shop"]


def test_without_the_header_every_post_runs(client: Client, seller) -> None:
    org, token = seller
    post(client, token, {"name": "Shop"}, key=None)
    post(client, token, {"name": "Shop"}, key=None)
    assert len(testapi.CALLS) == 2
    assert SalesChannel.objects.filter(organization=org).count() == 2
    assert not IdempotencyKey.objects.exists()


def test_sellers_have_their_own_keys(client: Client, seller) -> None:
    org_a, token_a = seller
    org_b, token_b = seller_with_key()
    a = post(client, token_a, {"name": "Shop"})
    b = post(client, token_b, {"name": "Shop"})
    assert a.status_code == b.status_code == 201
    assert "Idempotent-Replayed" not in b
    assert len(testapi.CALLS) == 2
    assert SalesChannel.objects.filter(organization=org_a).count() == 1
    assert SalesChannel.objects.filter(organization=org_b).count() == 1


def test_a_domain_error_is_stored_and_replayed_and_its_writes_are_rolled_back(client: Client, seller) -> None:
    org, token = seller
    first = post(client, token, {"name": "Shop", "fail": "invalid"})
    second = post(client, token, {"name": "Shop", "fail": "invalid"})
    assert first.status_code == second.status_code == 422
    assert first.json()["field"] == "fail"
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert len(testapi.CALLS) == 1
    assert not SalesChannel.objects.filter(organization=org).exists()


def test_a_conflict_is_not_stored_so_a_retry_runs_again(client: Client, seller) -> None:
    org, token = seller
    first = post(client, token, {"name": "Shop", "fail": "conflict"})
    second = post(client, token, {"name": "Shop", "fail": "conflict"})
    assert first.status_code == second.status_code == 409
    assert "Idempotent-Replayed" not in second
    assert len(testapi.CALLS) == 2
    assert not SalesChannel.objects.filter(organization=org).exists()
    assert not IdempotencyKey.objects.exists()


def test_an_unexpected_exception_rolls_back_and_releases_the_key(seller) -> None:
    org, token = seller
    client = Client(raise_request_exception=False)
    crashed = post(client, token, {"name": "Shop", "fail": "crash"})
    assert crashed.status_code == 500
    assert not IdempotencyKey.objects.exists()
    assert not SalesChannel.objects.filter(organization=org).exists()
    retried = post(client, token, {"name": "Shop"})  # the same key may now carry the corrected request
    assert retried.status_code == 201
    assert len(testapi.CALLS) == 2


def test_a_reservation_left_by_a_crashed_request_is_taken_over(client: Client, seller) -> None:
    org, token = seller
    IdempotencyKey.objects.create(
        organization=org, key="order-1", method="POST", path=URL, request_fingerprint="0" * 64
    )
    response = post(client, token, {"name": "Shop"})
    assert response.status_code == 201
    assert IdempotencyKey.objects.get(organization=org, key="order-1").state == "completed"


@pytest.mark.parametrize(("key", "message"), [("x" * 256, "at most 255"), ("  ", "empty")], ids=["long", "empty"])
def test_an_unusable_key_is_refused_with_a_400(client: Client, seller, key: str, message: str) -> None:
    _, token = seller
    response = post(client, token, {"name": "Shop"}, key=key)
    assert response.status_code == 400
    assert response.json()["field"] == "Idempotency-Key"
    assert message in response.json()["message"]
    assert testapi.CALLS == []


def test_a_key_of_255_characters_is_accepted(client: Client, seller) -> None:
    _, token = seller
    assert post(client, token, {"name": "Shop"}, key="k" * 255).status_code == 201


def test_pruning_deletes_keys_older_than_the_retention_only(client: Client, seller, settings) -> None:
    org, token = seller
    settings.FAKTURA_IDEMPOTENCY_RETENTION_DAYS = 30
    post(client, token, {"name": "Old"}, key="old")
    post(client, token, {"name": "Recent"}, key="recent")
    IdempotencyKey.objects.create(organization=org, key="abandoned", method="POST", path=URL, request_fingerprint="0")
    now = timezone.now()
    IdempotencyKey.objects.filter(key__in=["old", "abandoned"]).update(created_at=now - dt.timedelta(days=31))
    IdempotencyKey.objects.filter(key="recent").update(created_at=now - dt.timedelta(days=29))

    call_command("prune_idempotency_keys")

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["recent"]
    assert post(client, token, {"name": "Other"}, key="old").status_code == 201  # a pruned key is new again


def test_a_key_past_its_retention_is_never_replayed_even_before_it_is_pruned(client: Client, seller, settings) -> None:
    org, token = seller
    settings.FAKTURA_IDEMPOTENCY_RETENTION_DAYS = 30
    first = post(client, token, {"name": "Old"}, key="k")
    IdempotencyKey.objects.filter(key="k").update(created_at=timezone.now() - dt.timedelta(days=31))

    other = post(client, token, {"name": "Newer"}, key="k")
    again = post(client, token, {"name": "Newer"}, key="k")

    assert (first.status_code, other.status_code, again.status_code) == (201, 201, 201)
    assert "Idempotent-Replayed" not in other
    assert again["Idempotent-Replayed"] == "true"
    assert testapi.CALLS == ["Old", "Newer"]
    record = IdempotencyKey.objects.get(organization=org, key="k")
    assert record.created_at > timezone.now() - dt.timedelta(minutes=1)
