"""Orders over the API: upsert by (channel, external id), list, read; one seller at a time (F4, F12.2)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from faktura.apps.audit.selectors import events_for
from faktura.apps.sales.models import Buyer, Order, OrderEvent
from tests.integration.orders.caller import Caller, order_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(client: Client) -> Caller:
    return Caller(client)


@pytest.fixture
def other_seller(client: Client) -> Caller:
    return Caller(client)


def test_an_order_is_created_with_its_buyer_lines_and_total(seller: Caller) -> None:
    channel = seller.shop()

    response = seller.post("/orders", order_body(channel))

    assert response.status_code == 201, response.content
    order = response.json()["order"]
    assert (order["external_id"], order["number"], order["status"], order["channel_code"]) == (
        "1001",
        "RO-1001",
        "accepted",
        "shop",
    )
    assert Decimal(order["total"]) == Decimal("64.45")
    assert [line["sku"] for line in order["lines"]] == ["MUG-1", "PLT-1"]
    assert [line["vat_category"] for line in order["lines"]] == ["standard", "standard"]
    assert (order["buyer"]["name"], order["buyer"]["country"]) == ("Ana Popescu", "RO")
    assert [event["kind"] for event in order["events"]] == ["created"]
    assert response.json()["outcome"]["order_created"] is True


def test_the_same_order_again_changes_nothing_and_records_nothing(seller: Caller) -> None:
    channel = seller.shop()
    seller.post("/orders", order_body(channel))
    audit_before = events_for(organization=seller.org).count()

    again = seller.post("/orders", order_body(channel))

    assert again.status_code == 200
    assert again.json()["outcome"]["order_created"] is False
    assert events_for(organization=seller.org).count() == audit_before
    assert OrderEvent.objects.filter(organization=seller.org).count() == 1
    assert Order.objects.filter(organization=seller.org).count() == 1
    assert Buyer.objects.filter(organization=seller.org).count() == 1


def test_a_changed_order_is_updated_and_the_audit_says_what_changed(seller: Caller) -> None:
    channel = seller.shop()
    seller.post("/orders", order_body(channel))
    body = order_body(channel, status="shipped", delivery_method="Sameday")
    body["lines"] = body["lines"][:1]

    changed = seller.post("/orders", body)

    assert changed.status_code == 200
    order = changed.json()["order"]
    assert (order["status"], order["delivery_method"], len(order["lines"])) == ("shipped", "Sameday", 1)
    assert Decimal(order["total"]) == Decimal("34.20")
    assert [event["kind"] for event in order["events"]] == ["created", "status_changed"]
    update = events_for(organization=seller.org).filter(action="order.updated").get()
    assert set(update.data["changes"]) == {"status", "delivery_method", "total", "lines"}
    assert update.data["changes"]["status"] == {"from": "accepted", "to": "shipped"}


def test_a_channel_is_named_by_its_code_too(seller: Caller) -> None:
    seller.shop()
    assert seller.post("/orders", order_body("shop")).status_code == 201


def test_amounts_keep_every_digit_the_integrator_sent(seller: Caller) -> None:
    channel = seller.shop()
    body = order_body(channel)
    body["lines"][0]["unit_price"] = 12.1234
    order = seller.post("/orders", body).json()["order"]
    assert order["lines"][0]["unit_price"] == "12.1234"


def test_a_buyer_with_the_same_email_is_reused_across_orders(seller: Caller) -> None:
    channel = seller.shop()
    first = seller.post("/orders", order_body(channel, "1")).json()["order"]
    second = seller.post("/orders", order_body(channel, "2")).json()["order"]
    assert first["buyer"]["id"] == second["buyer"]["id"]


def test_a_company_buyer_is_invoiced_as_the_company(seller: Caller) -> None:
    channel = seller.shop()
    body = order_body(channel)
    body["buyer"] |= {"company": "Exemplu Comerț SRL", "vat_id": "RO18547290"}
    order = seller.post("/orders", body).json()["order"]
    assert order["billing_address"]["name"] == "Exemplu Comerț SRL"
    assert (order["buyer"]["is_business"], order["buyer"]["vat_id"]) == (True, "RO18547290")


_DROP = "<left out>"  # a marker: delete the key


def _with(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    target = body
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is _DROP:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return body


@pytest.mark.parametrize(
    ("path", "value", "status", "field"),
    [
        ("external_id", _DROP, 422, "external_id"),
        ("external_id", "", 422, "external_id"),
        ("status", "lost", 422, "status"),
        ("payment_method", "barter", 422, "payment_method"),
        ("currency", "XYZ", 422, "currency"),
        ("placed_at", "2026-03-02T10:00:00", 422, "placed_at"),
        ("buyer.name", "", 422, "buyer.name"),
        ("buyer.country", "XX", 422, "buyer.country"),
        ("buyer.vat_id", "RO123", 422, "buyer.vat_id"),
        ("lines", [], 422, "lines"),
        ("lines.0.quantity", 0, 422, "lines.0.quantity"),
        ("lines.0.unit_price", "-1", 422, "lines.0.unit_price"),
        ("lines.0.unit_price", "abc", 422, "lines.0.unit_price"),
        ("lines.1.vat_rate", 150, 422, "lines.1.vat_rate"),
        ("lines.1.vat_category", "luxury", 422, "lines.1.vat_category"),
        ("shipping.amount", -5, 422, "shipping.amount"),
        ("channel", 999999, 404, "channel"),
        ("channel", "nope", 404, "channel"),
    ],
    ids=lambda value: str(value) if not isinstance(value, list | dict) else "list",
)
def test_a_bad_order_is_refused_with_the_field(seller: Caller, path: str, value: Any, status: int, field: str) -> None:
    channel = seller.shop()
    response = seller.post("/orders", _with(order_body(channel), path, value))
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert not Order.objects.filter(organization=seller.org).exists()


def test_orders_are_listed_newest_first_filtered_and_paged(seller: Caller) -> None:
    channel = seller.shop()
    for number in range(1, 6):
        status = "cancelled" if number == 3 else "new"
        seller.post("/orders", order_body(channel, str(number), status=status))

    first = seller.get("/orders", limit=2).json()
    second = seller.get("/orders", limit=2, cursor=first["next_cursor"]).json()
    third = seller.get("/orders", limit=2, cursor=second["next_cursor"]).json()

    pages = [[o["external_id"] for o in page["items"]] for page in (first, second, third)]
    assert pages == [["5", "4"], ["3", "2"], ["1"]]
    assert third["next_cursor"] is None
    assert [o["external_id"] for o in seller.get("/orders", status="cancelled").json()["items"]] == ["3"]
    assert [o["external_id"] for o in seller.get("/orders", external_id="2").json()["items"]] == ["2"]
    assert (
        len(seller.get("/orders", channel=channel, placed_from="2026-03-01", placed_to="2026-03-02").json()["items"])
        == 5
    )
    assert seller.get("/orders", placed_from="2026-03-03").json()["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"status": "lost"}, "status"), ({"cursor": "abc"}, "cursor")],
    ids=["limit", "status", "cursor"],
)
def test_bad_list_filters_are_refused_with_the_field(seller: Caller, params: dict[str, Any], field: str) -> None:
    response = seller.get("/orders", **params)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_another_sellers_order_is_not_found_at_every_door(seller: Caller, other_seller: Caller) -> None:
    theirs_channel = other_seller.shop()
    theirs = other_seller.post("/orders", order_body(theirs_channel)).json()["order"]["id"]

    for response in (
        seller.get(f"/orders/{theirs}"),
        seller.post(f"/orders/{theirs}/events", {"kind": "status_changed", "status": "shipped"}),
        seller.get(f"/orders/{theirs}/explain"),
        seller.post("/orders", order_body(theirs_channel)),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "not_found"
    assert seller.get("/orders").json()["items"] == []
    assert other_seller.get(f"/orders/{theirs}").json()["status"] == "accepted"


def test_an_idempotency_key_replays_the_first_answer(seller: Caller) -> None:
    channel = seller.shop()
    first = seller.post("/orders", order_body(channel), **{"Idempotency-Key": "k1"})
    again = seller.post("/orders", order_body(channel), **{"Idempotency-Key": "k1"})
    other = seller.post("/orders", order_body(channel, "2"), **{"Idempotency-Key": "k1"})

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 409)
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
