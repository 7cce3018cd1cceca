"""The document list and a document's page in a real browser: filter, search, open, download, delete.

Screenshots of the list and of a document (``documents-list``, ``document-detail``)
are what the sellers' guide shows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from faktura.apps.accounts.models import Organization
from faktura.apps.accounts.services import organization_test_mode_set
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services import BuyerDetails, document_issue
from faktura.apps.payments.services import payment_record
from tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = [
    ("Ana Popescu", "ana@example.ro", "RO", [("Cană ceramică", "2", "39.90")]),
    ("Bogdan Ionescu", "bogdan@example.ro", "RO", [("Set farfurii", "1", "249.00"), ("Livrare", "1", "19.99")]),
    ("Zsófia Kovács", "zsofia@example.hu", "HU", [("Vază de sticlă", "1", "129.50")]),
    ("Peter Novák", "peter@example.sk", "SK", [("Bol salată", "3", "54.00")]),
    ("Carla Dumitru", "carla@example.ro", "RO", [("Tavă lemn", "2", "89.00")]),
    ("Mihai Stan", "mihai@example.ro", "RO", [("Cană ceramică", "6", "39.90")]),
]


def _issue(
    org: Organization, channel: Any, buyer: tuple[str, str, str, list[tuple[str, str, str]]], **kw: Any
) -> Document:
    name, email, country, lines = buyer
    draft = make.draft(
        org,
        buyer=BuyerDetails(name=name, email=email, country=country, street="Str. Exemplu 1", city="Oraș"),
        lines=[make.line(name=item, quantity=qty, price=price) for item, qty, price in lines],
        channel=channel,
        **kw,
    )
    return document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)


def _seed() -> tuple[Organization, list[Document]]:
    org = make.seller()
    channel = make.channel(org, "Magazin online")
    make.series(org, channel=None)
    make.series(org, pattern="CN{RRRR}{CCC}", document_type="credit_note")
    make.person(org, "owner", email="ana@shop.test")
    today = dt.date.today()
    made = []
    for index, buyer in enumerate(BUYERS):
        extra: dict[str, Any] = {}
        if index == 1:
            extra = {"supply_date": today - dt.timedelta(days=45), "due_date": today - dt.timedelta(days=31)}
        made.append(_issue(org, channel, buyer, **extra))
    for document, share in ((made[0], Decimal(1)), (made[2], Decimal("0.5")), (made[4], Decimal(1))):
        payment_record(
            actor=make.TEST_ACTOR,
            organization=org,
            document_id=document.pk,
            amount=(document.payable * share).quantize(Decimal("0.01")),
            currency=document.currency,
            received_on=today,
            reference="OP 1042",
        )
    organization_test_mode_set(actor=make.TEST_ACTOR, organization=org, enabled=True)
    made.append(_issue(org, channel, ("Test Buyer", "test@example.ro", "RO", [("Produs de test", "1", "10.00")])))
    organization_test_mode_set(actor=make.TEST_ACTOR, organization=org, enabled=False)
    return org, made


def _sign_in(page: Any, url: str) -> None:
    page.goto(f"{url}/app/documents/")
    page.get_by_label("Email").fill("ana@shop.test")
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/app/documents/$"))


def _rows(page: Any) -> int:
    return int(page.locator("table.documents-table tbody tr").count())


def test_a_seller_filters_searches_opens_downloads_and_deletes(
    live_server: Any, page: Any, screenshot: Callable[..., Path]
) -> None:
    _org, made = _seed()
    page.on("dialog", lambda dialog: dialog.accept())
    _sign_in(page, live_server.url)
    assert _rows(page) == len(made)
    assert page.locator(".badge-test").count() == 1
    assert page.locator(".state-overdue").count() == 1

    # the filter updates the table in place and the URL keeps it
    page.get_by_label("Payment", exact=True).select_option("paid")
    page.wait_for_url(re.compile(r".*payment_state=paid.*"))
    page.wait_for_function("document.querySelectorAll('table.documents-table tbody tr').length === 2")
    assert _rows(page) == 2

    # search over everything, from the start
    page.goto(f"{live_server.url}/app/documents/")
    page.get_by_label("Search").fill("zsofia@")
    page.wait_for_url(re.compile(r".*q=zsofia.*"))
    page.wait_for_function("document.querySelectorAll('table.documents-table tbody tr').length === 1")
    assert "Zsófia Kovács" in page.locator("table.documents-table tbody").inner_text()

    # open a document; downloading marks it, and the list shows it
    page.get_by_role("link", name=made[2].number).click()
    page.wait_for_url(re.compile(rf".*/app/documents/{made[2].pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith(made[2].number)
    screenshot(page, "document-detail")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename == f"{made[2].number}.pdf"
    made[2].refresh_from_db()
    assert made[2].downloaded_at is not None
    page.goto(f"{live_server.url}/app/documents/?q={made[2].number}")
    assert page.locator(".downloaded-mark").count() == 1
    page.goto(f"{live_server.url}/app/documents/")
    screenshot(page, "documents-list")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "documents-list-phone")  # looked at, not kept in docs
    page.set_viewport_size({"width": 1360, "height": 900})

    # deleting a number that is not the latest is refused, with what to do instead
    page.goto(f"{live_server.url}/app/documents/{made[0].pk}/")
    page.locator("summary", has_text="Delete").click()
    page.get_by_role("button", name="Delete the document").click()
    assert "not the latest number" in page.get_by_role("alert").inner_text()
    assert Document.objects.filter(pk=made[0].pk).exists()

    # the latest number of the series may go
    latest = made[-2]  # the last real one; the test document has a counter of its own
    page.goto(f"{live_server.url}/app/documents/{latest.pk}/")
    page.locator("summary", has_text="Delete").click()
    page.get_by_role("button", name="Delete the document").click()
    page.wait_for_url(re.compile(r".*/app/documents/$"))
    assert "is deleted" in page.get_by_role("alert").inner_text()
    assert not Document.objects.filter(pk=latest.pk).exists()
