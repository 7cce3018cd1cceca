"""Channels and numbering series over the API: self-service set-up (F1.3, F3), one seller at a time (F12.2)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from faktura.apps.accounts.services import api_key_create
from faktura.apps.audit.selectors import events_for
from faktura.apps.invoicing.services import document_issue
from tests import factories as make

pytestmark = pytest.mark.django_db


class Caller:
    """One seller's API client: its key goes with every request."""

    def __init__(self, client: Client) -> None:
        self.org = make.seller()
        _, key = api_key_create(actor=make.TEST_ACTOR, organization=self.org, name="shop")
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"}

    def get(self, path: str, **params: str | int):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: object):
        return self.client.post(f"/api/v1{path}", body, content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: object):
        return self.client.patch(f"/api/v1{path}", body, content_type="application/json", headers=self.headers)

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", headers=self.headers)


@pytest.fixture
def seller(client: Client) -> Caller:
    return Caller(client)


@pytest.fixture
def other_seller(client: Client) -> Caller:
    return Caller(client)


# Channels ---------------------------------------------------------------------------------------


def test_a_channel_is_created_listed_and_read(seller: Caller) -> None:
    created = seller.post("/channels", {"name": "eBay RO", "kind": "ebay"})
    assert created.status_code == 201
    body = created.json()
    assert (body["code"], body["kind"], body["is_active"]) == ("ebay-ro", "ebay", True)

    assert [c["id"] for c in seller.get("/channels").json()] == [body["id"]]
    assert seller.get(f"/channels/{body['id']}").json() == body


def test_a_second_channel_with_the_same_code_is_a_conflict_naming_the_code(seller: Caller) -> None:
    seller.post("/channels", {"name": "Shop", "code": "eshop"})
    response = seller.post("/channels", {"name": "Other", "code": "eshop"})
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("conflict", "code")


@pytest.mark.parametrize(
    ("body", "field"),
    [({"kind": "ebay"}, "name"), ({"name": ""}, "name"), ({"name": "X", "kind": "fax"}, "kind")],
    ids=["missing-name", "empty-name", "unknown-kind"],
)
def test_a_bad_channel_is_refused_with_the_field(seller: Caller, body: dict[str, str], field: str) -> None:
    response = seller.post("/channels", body)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_a_channel_is_renamed_and_deactivated_with_an_audit_row(seller: Caller) -> None:
    channel = seller.post("/channels", {"name": "Shop"}).json()
    renamed = seller.patch(f"/channels/{channel['id']}", {"name": "Main shop"})
    assert renamed.status_code == 200
    assert (renamed.json()["name"], renamed.json()["code"]) == ("Main shop", "shop")

    deleted = seller.delete(f"/channels/{channel['id']}")
    assert deleted.status_code == 200
    assert deleted.json()["is_active"] is False
    assert seller.get(f"/channels/{channel['id']}").json()["is_active"] is False
    updates = events_for(organization=seller.org).filter(action="channel.updated")
    assert [e.data["changes"] for e in updates.order_by("pk")] == [
        {"name": {"from": "Shop", "to": "Main shop"}},
        {"is_active": {"from": True, "to": False}},
    ]


def test_another_sellers_channel_is_not_found_at_every_door(seller: Caller, other_seller: Caller) -> None:
    theirs = other_seller.post("/channels", {"name": "Theirs"}).json()["id"]
    for response in (
        seller.get(f"/channels/{theirs}"),
        seller.patch(f"/channels/{theirs}", {"name": "Mine now"}),
        seller.delete(f"/channels/{theirs}"),
        seller.post("/series", {"document_type": "invoice", "prefix": "EB", "channel": theirs}),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert seller.get("/channels").json() == []
    assert other_seller.get(f"/channels/{theirs}").json()["name"] == "Theirs"


# Series -----------------------------------------------------------------------------------------


def test_a_series_is_created_from_a_pattern_and_previews_its_next_number(seller: Caller) -> None:
    created = seller.post("/series", {"document_type": "invoice", "pattern": "FARRRRCCC", "start_number": 7})
    assert created.status_code == 201
    body = created.json()
    year = dt.datetime.now(ZoneInfo(seller.org.time_zone)).year
    assert body["pattern"] == "FA{RRRR}{CCC}"
    assert body["next_number"] == f"FA{year}007"
    assert body["last_number"] is None
    assert seller.get(f"/series/{body['id']}").json() == body


def test_a_series_from_a_prefix_for_a_channel_is_listed_under_its_filters(seller: Caller) -> None:
    channel = seller.post("/channels", {"name": "eBay"}).json()["id"]
    ebay = seller.post(
        "/series", {"document_type": "credit_note", "prefix": "DOP", "channel": channel, "reset_policy": "never"}
    ).json()
    general = seller.post("/series", {"document_type": "invoice", "pattern": "FA{RRRR}{CCC}"}).json()
    assert (ebay["channel"], ebay["reset_policy"]) == (channel, "never")

    assert [s["id"] for s in seller.get("/series").json()] == [ebay["id"], general["id"]]  # by document type
    assert [s["id"] for s in seller.get("/series", channel=channel).json()] == [ebay["id"]]
    assert [s["id"] for s in seller.get("/series", document_type="invoice").json()] == [general["id"]]


def test_the_last_number_used_shows_after_an_issue(seller: Caller) -> None:
    series = seller.post("/series", {"document_type": "invoice", "pattern": "FA{RRRR}{CCC}"}).json()
    issued = document_issue(actor=make.TEST_ACTOR, organization=seller.org, document_id=make.draft(seller.org).pk)
    body = seller.get(f"/series/{series['id']}").json()
    assert body["last_number"] == issued.number
    assert body["next_number"] == f"{issued.number}"[:-3] + "002"


def test_a_colliding_pattern_is_a_409_naming_the_pattern(seller: Caller) -> None:
    seller.post("/series", {"document_type": "invoice", "pattern": "FA{RRRR}{CCC}"})
    response = seller.post("/series", {"document_type": "proforma", "pattern": "FA{RRRR}{CCCC}"})
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["field"]) == ("series_collision", "pattern")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"pattern": "FA{RRRR}{CCC}"}, 422, "document_type"),
        ({"document_type": "receipt", "prefix": "R"}, 422, "document_type"),
        ({"document_type": "invoice"}, 422, "pattern"),
        ({"document_type": "invoice", "pattern": "FA{CCC}", "prefix": "FA"}, 422, "prefix"),
        ({"document_type": "invoice", "prefix": "FA", "reset_policy": "weekly"}, 422, "reset_policy"),
        ({"document_type": "invoice", "prefix": "FA", "start_number": 0}, 422, "start_number"),
        ({"document_type": "invoice", "prefix": "FA", "channel": "x"}, 422, "channel"),
    ],
    ids=["no-type", "unknown-type", "no-pattern", "pattern-and-prefix", "unknown-policy", "zero-start", "bad-channel"],
)
def test_a_bad_series_is_refused_with_the_field(
    seller: Caller, body: dict[str, object], status: int, field: str
) -> None:
    response = seller.post("/series", body)
    assert response.status_code == status
    assert response.json()["field"] == field


def test_a_series_is_changed_and_a_start_number_at_the_last_used_is_refused(seller: Caller) -> None:
    series = seller.post("/series", {"document_type": "invoice", "pattern": "FA{RRRR}{CCC}", "start_number": 5}).json()
    issued = document_issue(actor=make.TEST_ACTOR, organization=seller.org, document_id=make.draft(seller.org).pk)

    refused = seller.patch(f"/series/{series['id']}", {"start_number": 4})
    assert refused.status_code == 422
    assert refused.json()["field"] == "start_number"
    assert issued.number in refused.json()["message"]

    changed = seller.patch(
        f"/series/{series['id']}", {"name": "Invoices", "pattern": "FA{RRRR}{CCCC}", "start_number": 50}
    )
    assert changed.status_code == 200
    body = changed.json()
    assert (body["name"], body["pattern"], body["start_number"]) == ("Invoices", "FA{RRRR}{CCCC}", 50)
    assert body["next_number"].endswith("0050")

    assert seller.patch(f"/series/{series['id']}", {"is_active": False}).json()["is_active"] is False


def test_another_sellers_series_is_not_found_at_every_door(seller: Caller, other_seller: Caller) -> None:
    theirs = other_seller.post("/series", {"document_type": "invoice", "pattern": "FA{RRRR}{CCC}"}).json()["id"]
    doors = (seller.get(f"/series/{theirs}"), seller.patch(f"/series/{theirs}", {"name": "Mine"}))
    for response in (*doors, seller.delete(f"/series/{theirs}")):
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert seller.get("/series").json() == []
    assert other_seller.get(f"/series/{theirs}").json()["name"] == "FA{RRRR}{CCC}"


def test_a_series_that_never_numbered_a_document_is_deleted_with_an_audit_row(seller: Caller) -> None:
    series = seller.post("/series", {"document_type": "invoice", "pattern": "FA{RRRR}{CCC}"}).json()

    deleted = seller.delete(f"/series/{series['id']}")

    assert deleted.status_code == 204
    assert seller.get(f"/series/{series['id']}").status_code == 404
    assert "series.deleted" in [event.action for event in events_for(organization=seller.org)]
    again = seller.post("/series", {"document_type": "invoice", "pattern": "FA{RRRR}{CCC}"})
    assert again.status_code == 201, again.content


def test_a_series_that_numbered_a_document_is_a_409_suggesting_deactivation(seller: Caller) -> None:
    series = seller.post("/series", {"document_type": "invoice", "pattern": "FA{RRRR}{CCC}"}).json()
    document_issue(actor=make.TEST_ACTOR, organization=seller.org, document_id=make.draft(seller.org).pk)

    refused = seller.delete(f"/series/{series['id']}")

    assert refused.status_code == 409
    assert refused.json()["code"] == "series_in_use"
    assert "deactivate it instead" in refused.json()["message"]
    assert seller.get(f"/series/{series['id']}").json()["is_active"] is True
