"""Orders in a real browser: orders arrive through the API, the seller follows one on its page.

The list filters in place (htmx) and keeps the filter in the URL; an order's
page shows its timeline (what the rules issued), explains the rules, records a
payment (the rules then issue the final invoice) and issues by hand on a
channel whose automatic issuing is off. Screenshots ``orders-list`` and
``order-detail`` are what the sellers' guide shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from faktura.apps.invoicing.models import Document
from faktura.apps.sales.models import SalesChannel
from tests import factories as make
from tests.integration.orders.caller import Caller, order_body

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = [
    ("1041", "card", "accepted", {"name": "Ana Popescu", "email": "ana@example.ro", "city": "Cluj-Napoca"}),
    ("1042", "bank_transfer", "accepted", {"name": "Ioana Marin", "email": "ioana@example.ro", "city": "Iași"}),
    ("1043", "cash_on_delivery", "new", {"name": "Bogdan Ionescu", "email": "bogdan@example.ro", "city": "Brașov"}),
    ("1044", "card", "shipped", {"name": "Carla Dumitru", "email": "carla@example.ro", "city": "Timișoara"}),
    ("1045", "bank_transfer", "accepted", {"name": "Mihai Stan", "email": "mihai@example.ro", "city": "Sibiu"}),
]


def _seed() -> tuple[Caller, dict[str, int]]:
    shop = Caller(Client())
    make.person(shop.org, "owner", email="ana@shop.test")
    eshop = shop.shop(name="Magazin online", code="eshop")
    shop.seed_003(eshop)
    market = shop.post("/channels", {"name": "Marketplace", "code": "market"}).json()["id"]
    shop.post("/series", {"document_type": "invoice", "prefix": "MK", "channel": market})
    SalesChannel.objects.filter(pk=market).update(auto_issue=False)
    ids = {}
    for external_id, method, status, buyer in BUYERS:
        body = order_body(eshop, external_id, payment_method=method, status=status)
        body["buyer"] = {**body["buyer"], **buyer, "street": "Str. Exemplu 1"}
        response = shop.post("/orders", body)
        assert response.status_code == 201, response.content
        ids[external_id] = response.json()["order"]["id"]
    response = shop.post("/orders", order_body(market, "M-77", number="MK-77", payment_method="card"))
    ids["M-77"] = response.json()["order"]["id"]
    return shop, ids


def _sign_in(page: Any, url: str) -> None:
    page.goto(f"{url}/app/orders/")
    page.get_by_label("Email").fill("ana@shop.test")
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/app/orders/$"))


def _rows(page: Any) -> int:
    return int(page.locator("table.orders-table tbody tr").count())


def test_a_seller_follows_an_order_from_the_api_to_its_final_invoice(
    live_server: Any, page: Any, screenshot: Callable[..., Path]
) -> None:
    shop, ids = _seed()
    page.on("dialog", lambda dialog: dialog.accept())
    _sign_in(page, live_server.url)
    assert _rows(page) == len(ids)
    screenshot(page, "orders-list")

    # the filter updates the table in place and the URL keeps it
    page.get_by_label("Status").select_option("new")
    page.wait_for_url(re.compile(r".*status=new.*"))
    page.wait_for_function("document.querySelectorAll('table.orders-table tbody tr').length === 1")
    assert "Bogdan Ionescu" in page.locator("table.orders-table tbody").inner_text()

    # search by the buyer's name, from the start
    page.goto(f"{live_server.url}/app/orders/")
    page.get_by_label("Search").fill("ioana")
    page.wait_for_url(re.compile(r".*q=ioana.*"))
    page.wait_for_function("document.querySelectorAll('table.orders-table tbody tr').length === 1")

    # the order's page: its timeline says the proforma rule issued a proforma
    page.get_by_role("link", name="#RO-1042").click()
    page.wait_for_url(re.compile(rf".*/app/orders/{ids['1042']}/$"))
    proforma = Document.objects.get(order_id=ids["1042"])
    timeline = page.locator("#timeline").inner_text()
    assert "Order received" in timeline
    assert f"Proforma {proforma.number}" in timeline
    assert re.search(r'Proforma \S+ — rule \d+ "Proforma for transfers"', timeline)

    # explain, inline
    page.get_by_role("link", name="Explain").click()
    panel = page.locator(".explain-panel")
    panel.wait_for()
    assert "Proforma for transfers" in panel.inner_text()
    assert "matches" in panel.inner_text()
    assert "payment method is bank_transfer, rule wants card" in panel.inner_text()

    # record the payment: the rules then issue the final invoice, and the page says so
    payment = page.locator("#payment")
    assert payment.get_by_label("Amount").input_value() == "64.45"
    payment.get_by_label("Reference").fill("OP 1042")
    payment.get_by_role("button", name="Record payment").click()
    page.wait_for_url(re.compile(rf".*/app/orders/{ids['1042']}/#timeline$"))
    invoice = Document.objects.get(order_id=ids["1042"], document_type="invoice")
    messages = page.locator(".messages").inner_text()
    assert f"Payment of RON\xa064.45 recorded on {proforma.number}." in messages
    assert f"The rules then issued Invoice {invoice.number}" in messages
    timeline = page.locator("#timeline").inner_text()
    assert "Payment recorded" in timeline
    assert "OP 1042" in timeline
    assert invoice.number in page.locator("#documents").inner_text()
    page.get_by_role("link", name="Explain").click()
    page.locator(".explain-panel").wait_for()
    screenshot(page, "order-detail")

    # a channel with automatic issuing off: the seller issues by hand
    page.goto(f"{live_server.url}/app/orders/{ids['M-77']}/")
    assert "No documents yet." in page.locator("#documents").inner_text()
    page.locator("#documents select[name=document_type]").select_option("invoice")
    page.get_by_role("button", name="Issue", exact=True).click()
    page.wait_for_url(re.compile(rf".*/app/orders/{ids['M-77']}/#documents$"))
    by_hand = Document.objects.get(order_id=ids["M-77"])
    assert f"Invoice {by_hand.number} issued." in page.locator(".messages").inner_text()
    assert by_hand.number in page.locator("#documents").inner_text()

    # a second invoice for the same order is refused, as a message
    page.get_by_role("button", name="Issue", exact=True).click()
    page.wait_for_url(re.compile(r".*#documents$"))
    assert "Not issued:" in page.locator(".messages").inner_text()
    assert Document.objects.filter(order_id=ids["M-77"]).count() == 1
    assert shop.org.pk == by_hand.organization_id
