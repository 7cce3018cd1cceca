"""The API's front door: keys, the OpenAPI document, and errors that are always JSON 4xx."""

from __future__ import annotations

import pytest
from django.test import Client

from faktura.apps.accounts.services import api_key_create, api_key_revoke
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller_and_key():
    org = make.seller()
    key, plaintext = api_key_create(actor=make.TEST_ACTOR, organization=org, name="shop")
    return org, key, plaintext


def test_a_valid_key_identifies_its_seller(client: Client, seller_and_key) -> None:
    org, _, plaintext = seller_and_key
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 200
    assert response.json()["vat_id"] == "RO18547290"
    assert response.json()["id"] == org.pk


@pytest.mark.parametrize(
    "header",
    [None, "Bearer nonsense", "Bearer fk_deadbeef_wrongsecret", "Basic abc"],
    ids=["missing", "malformed", "wrong-secret", "wrong-scheme"],
)
def test_a_missing_or_wrong_key_is_refused_with_a_json_401(client: Client, seller_and_key, header) -> None:
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_a_revoked_key_stops_working(client: Client, seller_and_key) -> None:
    org, key, plaintext = seller_and_key
    api_key_revoke(actor=make.TEST_ACTOR, organization=org, key_id=key.pk)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plaintext}"}).status_code == 401


def test_only_a_hash_of_the_key_is_stored(seller_and_key) -> None:
    _, key, plaintext = seller_and_key
    key.refresh_from_db()
    assert plaintext not in (key.secret_hash, key.prefix)
    assert plaintext.startswith(f"fk_{key.prefix}_")


def test_the_openapi_document_and_the_docs_page_are_served(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert spec.json()["info"]["title"] == "Faktura API"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn.jsdelivr" not in docs.content


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/channels/{huge}",
        "/api/v1/channels/{huge}/inbound-webhook",
        "/api/v1/series/{huge}",
        "/api/v1/orders/{huge}",
        "/api/v1/orders/{huge}/explain",
        "/api/v1/documents/{huge}",
        "/api/v1/rules/{huge}",
        "/api/v1/webhook-endpoints/{huge}",
    ],
)
def test_an_id_beyond_what_the_database_can_hold_is_a_404_not_a_500(client: Client, seller_and_key, path) -> None:
    _, _, plaintext = seller_and_key
    response = client.get(path.format(huge=2**64), headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/series", "/api/v1/rules", "/api/v1/orders"])
@pytest.mark.parametrize("channel", [2**63, 2**64, -(2**64)])
def test_a_channel_filter_beyond_the_database_is_a_422_on_the_field(
    client: Client, seller_and_key, path: str, channel: int
) -> None:
    _, _, plaintext = seller_and_key
    response = client.get(f"{path}?channel={channel}", headers={"Authorization": f"Bearer {plaintext}"})
    assert response.status_code == 422, response.content
    assert response.json()["field"] == "channel"


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/v1/channels", {"name": "Shop\u0000"}, "name"),
        ("post", "/api/v1/channels", {"name": "Shop", "tags": {"a\u0000": 1}}, "tags.a\u0000"),
        ("get", "/api/v1/orders?external_id=a%00b", None, "external_id"),
    ],
    ids=["body", "body-key", "query"],
)
def test_a_nul_character_anywhere_is_a_422_on_the_field(
    client: Client, seller_and_key, method: str, path: str, body: object, field: str
) -> None:
    _, _, plaintext = seller_and_key
    headers = {"Authorization": f"Bearer {plaintext}"}
    if method == "post":
        response = client.post(path, body, content_type="application/json", headers=headers)
    else:
        response = client.get(path, headers=headers)
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
