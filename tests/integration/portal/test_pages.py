"""My orders on a marketplace: every seller the buyer bought from, only their own; anyone else's id is a 404."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from faktura.apps.invoicing.services import document_issue
from faktura.apps.invoicing.services.rendering import document_render
from faktura.core.rules import PaymentMethod
from tests import factories as make
from tests.integration.portal import helpers
from tests.integration.portal.helpers import ANA

pytestmark = pytest.mark.django_db

BEN = "ben@example.sk"


def test_a_buyer_sees_the_orders_of_both_sellers_they_bought_from_and_only_theirs() -> None:
    carpathia, carpathia_shop = helpers.shop("Carpathia Ceramics SRL")
    danube, danube_shop = helpers.shop("Danube Books SRL")
    mugs, _ = helpers.order_for(carpathia, carpathia_shop, "1001")
    books, _ = helpers.order_for(danube, danube_shop, "2002", email="Ana@Example.RO")  # the address as typed
    bens, _ = helpers.order_for(danube, danube_shop, "2003", email=BEN)

    page = helpers.signed_in(ANA).get("/my/orders/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Carpathia Ceramics SRL" in text
    assert "Danube Books SRL" in text
    assert f"/my/orders/{mugs.pk}/" in text
    assert f"/my/orders/{books.pk}/" in text
    assert f"/my/orders/{bens.pk}/" not in text
    assert text.index("RO-2002") < text.index("RO-1001") or mugs.placed_at == books.placed_at
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]


def test_a_buyer_who_bought_nothing_sees_no_order_of_anyone() -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    helpers.order_for(org, channel, "1001")
    page = helpers.signed_in("nobody@example.test").get("/my/orders/")
    assert page.status_code == 200
    assert "RO-1001" not in page.content.decode()
    assert "Nothing here yet" in page.content.decode()


def test_another_buyers_order_document_and_pdf_are_404(settings: Any) -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    order, [invoice] = helpers.order_for(org, channel, "1001", email=BEN)
    document_render(document_id=invoice.pk)
    ana = helpers.signed_in(ANA)
    for path in (
        f"/my/orders/{order.pk}/",
        f"/my/documents/{invoice.pk}/",
        f"/my/documents/{invoice.pk}/pdf",
        "/my/orders/999999999/",
        "/my/documents/999999999/pdf",
    ):
        answer = ana.get(path)
        assert answer.status_code == 404, path
        assert answer["Referrer-Policy"] == "no-referrer"
        assert "not yours" in answer.content.decode()
    ben = helpers.signed_in(BEN)
    assert ben.get(f"/my/orders/{order.pk}/").status_code == 200
    assert ben.get(f"/my/documents/{invoice.pk}/pdf").status_code == 200


def test_an_order_shows_its_documents_with_pdf_and_the_pdf_is_the_stored_one() -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    order, [invoice] = helpers.order_for(org, channel, "1001")
    document_render(document_id=invoice.pk)
    client = helpers.signed_in(ANA)

    page = client.get(f"/my/orders/{order.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert invoice.number in text
    assert "Paid" in text
    assert f"/my/documents/{invoice.pk}/pdf" in text

    pdf = client.get(f"/my/documents/{invoice.pk}/pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    invoice.refresh_from_db()
    with default_storage.open(invoice.pdf.name, "rb") as handle:
        assert b"".join(pdf.streaming_content) == handle.read()
    assert pdf["Referrer-Policy"] == "no-referrer"


def test_drafts_and_test_documents_never_show() -> None:
    org = make.seller()
    make.series(org)
    draft = make.draft(org)  # to ana@example.ro, never issued
    org.test_mode = True
    org.save()
    test_draft = make.draft(org)
    test_document = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=test_draft.pk)
    assert test_document.is_test
    client = helpers.signed_in(ANA)
    text = client.get("/my/orders/").content.decode()
    assert "Nothing here yet" in text
    assert client.get(f"/my/documents/{draft.pk}/").status_code == 404
    assert client.get(f"/my/documents/{test_document.pk}/").status_code == 404


def test_a_document_without_an_order_is_listed_under_other_documents() -> None:
    org = make.seller()
    make.series(org)
    document = document_issue(actor=make.TEST_ACTOR, organization=org, document_id=make.draft(org).pk)
    client = helpers.signed_in(ANA)
    text = client.get("/my/orders/").content.decode()
    assert "Other documents" in text
    assert f"/my/documents/{document.pk}/" in text
    assert client.get(f"/my/documents/{document.pk}/").status_code == 200


def test_a_visitor_is_sent_to_sign_in_and_comes_back_after() -> None:
    answer = Client().get("/my/orders/")
    assert answer.status_code == 302
    assert answer["Location"] == "/my/sign-in?next=%2Fmy%2Forders%2F"


def test_without_the_marketplace_setting_a_session_sees_one_seller(settings: Any) -> None:
    settings.FAKTURA_PORTAL_ALL_SELLERS = False
    carpathia, carpathia_shop = helpers.shop("Carpathia Ceramics SRL")
    danube, danube_shop = helpers.shop("Danube Books SRL")
    helpers.order_for(carpathia, carpathia_shop, "1001")
    books, _ = helpers.order_for(danube, danube_shop, "2002")
    assert "shop you bought from" in Client().get("/my/sign-in").content.decode()

    from faktura.apps.portal import services, tokens

    link = services.sign_in_link_request(email=ANA, client_ip="10.0.0.1", organization_id=danube.pk)
    client = Client()
    client.post(f"/my/sign-in/{tokens.token_for(purpose=link.purpose, nonce=link.nonce)}")
    text = client.get("/my/orders/").content.decode()
    assert "Danube Books SRL" in text
    assert "Carpathia Ceramics SRL" not in text
    assert client.get(f"/my/orders/{books.pk}/").status_code == 200


def test_an_unpaid_proforma_shows_what_is_still_due_and_overdue_after_its_due_date() -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    order, [proforma] = helpers.order_for(org, channel, "1001", payment_method=PaymentMethod.BANK_TRANSFER)
    assert proforma.document_type == "proforma"
    assert proforma.payment_state == "unpaid"
    text = helpers.signed_in(ANA).get(f"/my/orders/{order.pk}/").content.decode()
    assert "Unpaid" in text
    assert "Still due" in text


def test_an_order_is_as_paid_as_its_invoice_and_an_unpaid_invoice_past_its_due_date_is_overdue() -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    paid, [invoice] = helpers.order_for(org, channel, "1001")  # by card: the invoice is marked paid
    waiting, _ = helpers.order_for(org, channel, "1002", payment_method=PaymentMethod.BANK_TRANSFER)
    assert invoice.payment_state == "paid"
    make.series(org, "MAN{RRRR}{CCC}")  # by hand, no channel
    old = make.draft(org, due_date=dt.date(2026, 1, 20))
    late = document_issue(
        actor=make.TEST_ACTOR, organization=org, document_id=old.pk, at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )
    client = helpers.signed_in(ANA)
    rows = client.get("/my/orders/").content.decode()
    assert re.search(rf"/my/orders/{paid.pk}/.*?state-paid", rows, re.S)
    assert re.search(rf"/my/orders/{waiting.pk}/.*?state-unpaid", rows, re.S)
    assert re.search(rf"/my/documents/{late.pk}/.*?state-unpaid.*?state-overdue", rows, re.S)
    assert "Overdue" in client.get(f"/my/documents/{late.pk}/").content.decode()
