"""GET /documents: filters, q, and keyset pages that stay stable while documents are added."""

from __future__ import annotations

import datetime as dt

import pytest

from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import document_issue
from tests import factories as make
from tests.integration.documents_api.conftest import PHONE_SALE, Caller, pdf_bytes

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


def test_documents_come_newest_first_with_a_summary(seller: Caller) -> None:
    first, second = seller.issue(), seller.issue(document_type="proforma")
    body = seller.get("/documents").json()
    assert [item["id"] for item in body["items"]] == [second["id"], first["id"]]
    assert body["next_cursor"] is None
    item = body["items"][1]
    assert {key: item[key] for key in ("type", "status", "number", "payable", "payment_state", "overdue")} == {
        "type": "invoice",
        "status": "issued",
        "number": first["number"],
        "payable": "61.20",
        "payment_state": "unpaid",
        "overdue": False,
    }


def test_filters_by_type_status_channel_order_and_issue_dates(seller: Caller, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    order = seller.order()
    invoice = seller.issue({"order_id": order.pk})
    proforma = seller.issue(document_type="proforma")
    draft = seller.issue(issue=False)
    old = seller.upload(
        {"number": "OLD-1", "issue_date": "2025-06-30", "buyer_name": "Vechi SRL", "total": "10.00"}, pdf_bytes()
    ).json()

    assert ids(seller.get("/documents", type="proforma")) == [proforma["id"]]
    assert ids(seller.get("/documents", status="draft")) == [draft["id"]]
    assert ids(seller.get("/documents", channel=order.channel_id)) == [invoice["id"]]
    assert ids(seller.get("/documents", order=order.pk)) == [invoice["id"]]
    assert ids(seller.get("/documents", issued_to="2025-12-31")) == [old["id"]]
    assert ids(seller.get("/documents", issued_from="2026-01-01", type="invoice")) == [invoice["id"]]
    assert ids(seller.get("/documents", issued_from="2025-06-30", issued_to="2025-06-30")) == [old["id"]]


@pytest.mark.parametrize(
    ("q", "expected"),
    [("ion@EXAMPLE", "phone"), ("ionescu", "phone"), ("#10", "order"), ("ro185", "company"), ("fa20", "all-invoices")],
    ids=["email-any-case", "buyer-name", "order-number", "vat-id", "number"],
)
def test_q_matches_part_of_number_buyer_email_vat_id_or_order_number(seller: Caller, q: str, expected: str) -> None:
    phone = seller.issue()
    order = seller.issue({"order_id": seller.order().pk})
    company = seller.issue(
        buyer={"name": "Firma SRL", "country": "RO", "vat_id": "RO18547290", "is_business": True},
        document_type="proforma",
    )
    wanted = {
        "phone": [phone["id"]],
        "order": [order["id"]],
        "company": [company["id"]],
        "all-invoices": [order["id"], phone["id"]],
    }[expected]
    assert ids(seller.get("/documents", q=q)) == wanted


def test_payment_state_filters_and_overdue(seller: Caller) -> None:
    def issued_due_yesterday() -> dict:
        draft = seller.issue(issue=False, due_days=0)
        yesterday = dt.date.fromisoformat(draft["due_date"]) - dt.timedelta(days=1)
        Document.objects.filter(pk=draft["id"]).update(due_date=yesterday)  # a draft may still change
        document_issue(actor=make.TEST_ACTOR, organization=seller.org, document_id=draft["id"])
        return draft

    unpaid, partial, paid = issued_due_yesterday(), issued_due_yesterday(), issued_due_yesterday()
    over = seller.issue()
    due_today = seller.issue(due_days=0)
    seller.post(f"/documents/{partial['id']}/payments", {"amount": "10.00"})
    seller.post(f"/documents/{paid['id']}/payments", {"amount": "61.20"})
    seller.post(f"/documents/{over['id']}/payments", {"amount": "70"})

    assert ids(seller.get("/documents", payment_state="unpaid")) == [due_today["id"], unpaid["id"]]
    assert ids(seller.get("/documents", payment_state="partially_paid")) == [partial["id"]]
    assert ids(seller.get("/documents", payment_state="paid")) == [paid["id"]]
    assert ids(seller.get("/documents", payment_state="overpaid")) == [over["id"]]
    assert ids(seller.get("/documents", payment_state="overdue")) == [partial["id"], unpaid["id"]]
    assert seller.get(f"/documents/{unpaid['id']}").json()["overdue"] is True
    assert seller.get(f"/documents/{paid['id']}").json()["overdue"] is False
    assert seller.get(f"/documents/{due_today['id']}").json()["overdue"] is False  # due today is not late yet


def test_keyset_pages_stay_stable_while_documents_are_added(seller: Caller) -> None:
    made = [seller.issue(PHONE_SALE, issue=False)["id"] for _ in range(5)]
    first = seller.get("/documents", limit=2).json()
    assert [item["id"] for item in first["items"]] == made[4:2:-1]

    added = seller.issue(issue=False)["id"]  # newer than everything: it never shifts a later page
    second = seller.get("/documents", limit=2, cursor=first["next_cursor"]).json()
    assert [item["id"] for item in second["items"]] == made[2:0:-1]
    third = seller.get("/documents", limit=2, cursor=second["next_cursor"]).json()
    assert [item["id"] for item in third["items"]] == made[:1]
    assert third["next_cursor"] is None
    assert ids(seller.get("/documents", limit=1))[0] == added


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "ZXZpbA"}, "cursor"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"type": "receipt"}, "type"),
        ({"status": "lost"}, "status"),
        ({"payment_state": "late"}, "payment_state"),
        ({"issued_from": "2026-02-30"}, "issued_from"),
        ({"channel": "x"}, "channel"),
        ({"order": 2**70}, "order"),
        ({"cursor": "ZDk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5"}, "cursor"),
        ({"q": "a\x00b"}, "q"),
    ],
    ids=lambda value: "-".join(f"{k}" for k in value) if isinstance(value, dict) else None,
)
def test_a_bad_filter_is_refused_with_the_field(seller: Caller, params: dict[str, object], field: str) -> None:
    response = seller.get("/documents", **params)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_only_the_callers_documents_are_listed(seller: Caller, other_seller: Caller) -> None:
    mine = seller.issue()
    other_seller.issue()
    assert ids(seller.get("/documents")) == [mine["id"]]
    assert ids(seller.get("/documents", q="Ion")) == [mine["id"]]


def test_sort_and_both_cursors_walk_the_list_either_way(seller: Caller) -> None:
    made = [seller.issue(PHONE_SALE, issue=False, due_days=days)["id"] for days in (3, 1, 2, 1)]
    by_due = [made[1], made[3], made[2], made[0]]  # soonest first, ties by id
    first = seller.get("/documents", sort="due", limit=3).json()
    assert [item["id"] for item in first["items"]] == by_due[:3]
    assert first["previous_cursor"] is None
    second = seller.get("/documents", sort="due", limit=3, cursor=first["next_cursor"]).json()
    assert [item["id"] for item in second["items"]] == by_due[3:]
    assert second["next_cursor"] is None
    back = seller.get("/documents", sort="due", limit=3, cursor=second["previous_cursor"]).json()
    assert [item["id"] for item in back["items"]] == by_due[:3]
    assert ids(seller.get("/documents", sort="-due")) == by_due[::-1]


@pytest.mark.parametrize(("params", "field"), [({"sort": "price"}, "sort"), ({"cursor": "x" * 601}, "cursor")])
def test_a_bad_sort_or_a_cursor_of_another_sort_is_refused(
    seller: Caller, params: dict[str, object], field: str
) -> None:
    response = seller.get("/documents", **params)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_a_cursor_of_another_sort_is_refused_on_the_cursor(seller: Caller) -> None:
    seller.issue(issue=False)
    seller.issue(issue=False)
    cursor = seller.get("/documents", sort="number", limit=1).json()["next_cursor"]
    response = seller.get("/documents", sort="newest", cursor=cursor)
    assert response.status_code == 422
    assert response.json()["field"] == "cursor"
