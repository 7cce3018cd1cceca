"""Outbound webhook endpoints over the API: CRUD, the secret shown once, rotation, the log, redelivery, tenants."""

from __future__ import annotations

import pytest
from django.utils import timezone

from faktura.apps.audit.selectors import events_for
from faktura.apps.integrations.models import WebhookEndpoint
from faktura.apps.invoicing.services import document_issue
from faktura.webhooks.signatures import GENERIC
from tests import factories as make
from tests.integration.webhooks import helpers

pytestmark = pytest.mark.django_db

ENDPOINTS = "/webhook-endpoints"


@pytest.fixture
def seller() -> helpers.Caller:
    caller = helpers.Caller()
    make.series(caller.org)
    return caller


def add(caller: helpers.Caller, url: str = "https://erp.example.ro/hooks", **changes: object) -> dict:
    response = caller.post(ENDPOINTS, {"url": url, "event_types": ["document.issued"], **changes})
    assert response.status_code == 201, response.json()
    return response.json()


def issue(caller: helpers.Caller) -> None:
    document_issue(actor=make.TEST_ACTOR, organization=caller.org, document_id=make.draft(caller.org).pk)


def test_an_endpoint_is_created_with_its_secret_shown_once_then_listed_without_it(seller: helpers.Caller) -> None:
    created = add(seller, description="ERP", event_types=["document.issued", "document.paid", "document.issued"])

    assert created["secret"].startswith("whsec_")
    assert len(created["secret"]) > 40
    assert (created["url"], created["description"], created["is_active"]) == (
        "https://erp.example.ro/hooks",
        "ERP",
        True,
    )
    assert created["event_types"] == ["document.issued", "document.paid"]
    detail = seller.get(f"{ENDPOINTS}/{created['id']}").json()
    assert "secret" not in detail
    assert created["secret"] not in seller.get(ENDPOINTS).content.decode()
    assert [e["id"] for e in seller.get(ENDPOINTS).json()] == [created["id"]]
    assert [e.action for e in events_for(organization=seller.org, object_type="webhook_endpoint")] == [
        "webhook_endpoint.created"
    ]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        pytest.param({"url": "ftp://erp.example.ro/", "event_types": ["document.issued"]}, 422, "url", id="scheme"),
        pytest.param(
            {"url": "https://u:p@erp.example.ro/", "event_types": ["document.issued"]}, 422, "url", id="creds"
        ),
        pytest.param({"url": "http://10.0.0.5/hook", "event_types": ["document.issued"]}, 422, "url", id="private"),
        pytest.param({"url": "http://169.254.169.254/", "event_types": ["document.issued"]}, 422, "url", id="metadata"),
        pytest.param({"url": "https://erp.example.ro/", "event_types": []}, 422, "event_types", id="no-events"),
        pytest.param(
            {"url": "https://erp.example.ro/", "event_types": ["order.shipped"]}, 422, "event_types.0", id="event"
        ),
        pytest.param(
            {"url": "https://erp.example.ro/", "event_types": ["document.issued"], "secret": "short"},
            422,
            "secret",
            id="secret",
        ),
    ],
)
def test_an_endpoint_that_cannot_be_is_refused_with_the_field(
    seller: helpers.Caller, body: dict, status: int, field: str
) -> None:
    response = seller.post(ENDPOINTS, body)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert not WebhookEndpoint.objects.exists()


def test_an_endpoint_is_changed_disabled_and_deleted(seller: helpers.Caller) -> None:
    created = add(seller)
    path = f"{ENDPOINTS}/{created['id']}"

    changed = seller.patch(path, {"url": "https://erp.example.ro/v2", "event_types": ["document.cancelled"]})
    assert changed.status_code == 200
    assert (changed.json()["url"], changed.json()["event_types"]) == (
        "https://erp.example.ro/v2",
        ["document.cancelled"],
    )
    assert seller.patch(path, {"is_active": False}).json()["is_active"] is False
    assert seller.patch(path, {"url": "gopher://x/"}).status_code == 422

    assert seller.delete(path).status_code == 204
    assert seller.get(path).status_code == 404


def test_a_rotation_shows_the_new_secret_once_and_refuses_a_second_before_retiring(seller: helpers.Caller) -> None:
    created = add(seller)
    path = f"{ENDPOINTS}/{created['id']}"

    rotated = seller.post(f"{path}/rotate-secret")
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != created["secret"]
    assert rotated.json()["has_previous_secret"] is True
    endpoint = WebhookEndpoint.objects.get(pk=created["id"])
    assert endpoint.secrets == [rotated.json()["secret"], created["secret"]]

    again = seller.post(f"{path}/rotate-secret", {"secret": "my-own-secret-of-some-length"})
    assert (again.status_code, again.json()["field"]) == (409, "previous_secret")

    retired = seller.post(f"{path}/retire-previous-secret")
    assert retired.json()["has_previous_secret"] is False
    assert seller.post(f"{path}/retire-previous-secret").status_code == 422
    mine = seller.post(f"{path}/rotate-secret", {"secret": "my-own-secret-of-some-length"})
    assert mine.json()["secret"] == "my-own-secret-of-some-length"


def test_the_delivery_log_and_a_redelivery_of_the_same_event(seller: helpers.Caller) -> None:
    with helpers.receiver([404]) as server:
        created = add(seller, url=server.url)
        path = f"{ENDPOINTS}/{created['id']}"
        issue(seller)
        helpers.run_tasks()

        [failed] = seller.get(f"{path}/deliveries").json()
        assert (failed["attempt"], failed["status"], failed["response_status"], failed["manual"]) == (
            1,
            "failed",
            404,
            False,
        )
        assert failed["event_type"] == "document.issued"
        assert failed["event_id"].startswith("evt_")

        redelivered = seller.post(f"{path}/deliveries/{failed['id']}/redeliver")
        assert redelivered.status_code == 202
        assert redelivered.json() == {"event_id": failed["event_id"], "attempt": 2}
        assert helpers.run_tasks() == 1

    log = seller.get(f"{path}/deliveries").json()
    assert [(d["attempt"], d["status"], d["manual"]) for d in log] == [(2, "succeeded", True), (1, "failed", False)]
    first, second = server.received
    assert first.json() == second.json()
    assert (
        GENERIC.verify(second.headers, second.body, secrets=[created["secret"]], now=timezone.now()).event_id
        == (failed["event_id"])
    )
    assert seller.get(f"{path}/deliveries", limit=1, offset=1).json()[0]["attempt"] == 1


def test_a_redelivery_to_a_disabled_endpoint_is_a_conflict(seller: helpers.Caller) -> None:
    with helpers.receiver([500]) as server:
        created = add(seller, url=server.url)
        path = f"{ENDPOINTS}/{created['id']}"
        issue(seller)
        helpers.run_tasks()
    [delivery] = seller.get(f"{path}/deliveries").json()
    seller.patch(path, {"is_active": False})
    response = seller.post(f"{path}/deliveries/{delivery['id']}/redeliver")
    assert (response.status_code, response.json()["code"]) == (409, "conflict")


def test_every_post_honours_the_idempotency_key(seller: helpers.Caller) -> None:
    body = {"url": "https://erp.example.ro/hooks", "event_types": ["document.issued"]}
    first = seller.post(ENDPOINTS, body, **{"Idempotency-Key": "create-1"})
    again = seller.post(ENDPOINTS, body, **{"Idempotency-Key": "create-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert WebhookEndpoint.objects.count() == 1
    path = f"{ENDPOINTS}/{first.json()['id']}/rotate-secret"
    rotated = seller.post(path, {}, **{"Idempotency-Key": "rotate-1"})
    replayed = seller.post(path, {}, **{"Idempotency-Key": "rotate-1"})
    assert replayed.json()["secret"] == rotated.json()["secret"]


def test_another_sellers_endpoints_and_deliveries_answer_404(seller: helpers.Caller) -> None:
    other = helpers.Caller()
    make.series(other.org)
    with helpers.receiver([500]) as server:
        theirs = add(other, url=server.url)
        issue(other)
        helpers.run_tasks()
    [delivery] = other.get(f"{ENDPOINTS}/{theirs['id']}/deliveries").json()
    path = f"{ENDPOINTS}/{theirs['id']}"

    assert seller.get(ENDPOINTS).json() == []
    for response in (
        seller.get(path),
        seller.patch(path, {"is_active": False}),
        seller.post(f"{path}/rotate-secret"),
        seller.post(f"{path}/retire-previous-secret"),
        seller.get(f"{path}/deliveries"),
        seller.post(f"{path}/deliveries/{delivery['id']}/redeliver"),
        seller.delete(path),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "not_found"
    mine = add(seller)
    assert seller.post(f"{ENDPOINTS}/{mine['id']}/deliveries/{delivery['id']}/redeliver").status_code == 404
    assert WebhookEndpoint.objects.get(pk=theirs["id"]).is_active


def test_control_characters_are_refused_before_the_database_sees_them(seller: helpers.Caller) -> None:
    nul_url = seller.post(ENDPOINTS, {"url": "https://erp.example.ro/\u0000", "event_types": ["document.issued"]})
    nul_text = seller.post(
        ENDPOINTS, {"url": "https://erp.example.ro/", "event_types": ["document.issued"], "description": "a\u0000b"}
    )
    assert (nul_url.status_code, nul_url.json()["field"]) == (422, "url")
    assert (nul_text.status_code, nul_text.json()["field"]) == (422, "description")
