"""The orders pages of the seller web app: list, filter, one order, explain, and the actions on it (F7.5).

Orders arrive through the API (as a shop sends them); the pages are read and
used as a signed-in person of the seller, in each role.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from faktura.apps.invoicing.models import Document
from faktura.apps.payments.models import Payment
from faktura.apps.sales.models import Order, SalesChannel
from tests import factories as make
from tests.integration.orders.caller import Caller, order_body

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


MINIMAL_PDF = _pdf()


def signed_in(org: Any, role: str = "owner") -> Client:
    client = Client()
    client.force_login(make.person(org, role))
    return client


@pytest.fixture
def shop(client: Client) -> Caller:
    return Caller(client)


def _order(shop: Caller, channel: int, external_id: str = "1001", **changes: Any) -> int:
    response = shop.post("/orders", order_body(channel, external_id, **changes))
    assert response.status_code in (200, 201), response.content
    return int(response.json()["order"]["id"])


def _auto_off(channel_id: int) -> None:
    SalesChannel.objects.filter(pk=channel_id).update(auto_issue=False)


# The list -------------------------------------------------------------------------------------------


def test_the_list_shows_the_sellers_orders_newest_first_with_buyer_status_and_total(shop: Caller) -> None:
    channel = shop.shop()
    _order(shop, channel, "1001")
    _order(shop, channel, "1002", payment_method="bank_transfer", status="new")

    response = signed_in(shop.org, "viewer").get("/app/orders/")

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("#RO-1002") < page.index("#RO-1001")
    assert "Ana Popescu" in page
    assert "ana@example.ro" in page
    assert "RON\xa064.45" in page
    assert "Accepted" in page
    assert "New" in page


def test_the_list_speaks_romanian_with_romanian_money() -> None:
    shop = Caller(Client())
    _order(shop, shop.shop())
    client = signed_in(shop.org)
    client.cookies["django_language"] = "ro"

    page = client.get("/app/orders/").content.decode()

    assert "Comenzi" in page
    assert "64,45\xa0RON" in page


def test_another_sellers_orders_are_not_in_the_list(shop: Caller) -> None:
    _order(shop, shop.shop())
    other = make.seller()

    page = signed_in(other).get("/app/orders/").content.decode()

    assert "RO-1001" not in page
    assert "No orders yet" in page


@pytest.mark.parametrize(
    ("query", "found"),
    [
        pytest.param({"status": "new"}, ["RO-2"], id="status"),
        pytest.param({"q": "RO-1"}, ["RO-1"], id="number-prefix"),
        pytest.param({"q": "#ro-2"}, ["RO-2"], id="number-with-hash-any-case"),
        pytest.param({"q": "ioana"}, ["RO-2"], id="buyer-name-part"),
        pytest.param({"q": "IOANA@example"}, ["RO-2"], id="buyer-email"),
        pytest.param({"placed_from": "2026-03-03"}, ["RO-2"], id="placed-from"),
        pytest.param({"placed_to": "2026-03-02"}, ["RO-1"], id="placed-to"),
        pytest.param({"has_errors": "yes"}, ["RO-2"], id="with-errors"),
        pytest.param({"has_errors": "no"}, ["RO-1"], id="without-errors"),
    ],
)
def test_the_filter_finds_the_orders_it_names(shop: Caller, query: dict[str, str], found: list[str]) -> None:
    channel = shop.shop()
    _order(shop, channel, "1")
    buyer = {"name": "Ioana Marin", "email": "ioana@example.ro", "country": "RO"}
    second = _order(shop, channel, "2", status="new", buyer=buyer, placed_at="2026-03-05T10:00:00+02:00")
    Order.objects.filter(pk=second).update(errors=[{"code": "x", "message": "needs a VAT id", "field": None}])

    page = signed_in(shop.org).get("/app/orders/", query).content.decode()

    assert sorted(n for n in ("RO-1", "RO-2") if f"#{n}<" in page) == found


def test_the_channel_filter_keeps_to_its_channel(shop: Caller) -> None:
    first = shop.shop()
    second = shop.post("/channels", {"name": "Marketplace", "code": "market"}).json()["id"]
    _order(shop, first, "1")
    _order(shop, second, "2")

    page = signed_in(shop.org).get("/app/orders/", {"channel": second}).content.decode()

    assert "#RO-2<" in page
    assert "#RO-1<" not in page


def test_keyset_pages_follow_each_other_and_keep_the_filter(shop: Caller, monkeypatch: pytest.MonkeyPatch) -> None:
    from faktura.apps.sales.views import orders as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    channel = shop.shop()
    ids = [_order(shop, channel, str(n)) for n in range(1, 6)]
    client = signed_in(shop.org)

    first = client.get("/app/orders/", {"status": "accepted"}).content.decode()
    assert "#RO-5<" in first
    assert "#RO-4<" in first
    assert "#RO-3<" not in first
    assert f"status=accepted&amp;before={ids[3]}" in first

    second = client.get("/app/orders/", {"status": "accepted", "before": ids[3]}).content.decode()
    assert "#RO-3<" in second
    assert "#RO-2<" in second
    assert "#RO-5<" not in second
    last = client.get("/app/orders/", {"status": "accepted", "before": ids[1]}).content.decode()
    assert "#RO-1<" in last
    assert "Older" not in last


def test_htmx_gets_only_the_results(shop: Caller) -> None:
    _order(shop, shop.shop())

    response = signed_in(shop.org).get(
        "/app/orders/", {"q": "RO"}, headers={"HX-Request": "true", "HX-Target": "order-results"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "#RO-1001" in page
    assert "<html" not in page


@pytest.mark.parametrize(
    "query",
    [
        pytest.param({"placed_from": "yesterday"}, id="not-a-date"),
        pytest.param({"placed_from": "2026-03-05", "placed_to": "2026-03-01"}, id="backwards"),
        pytest.param({"before": "99999999999999999999999"}, id="huge-cursor"),
        pytest.param({"before": "abc"}, id="bad-cursor"),
        pytest.param({"channel": "abc"}, id="bad-channel"),
        pytest.param({"channel": "99999999999999999999999"}, id="huge-channel"),
        pytest.param({"status": "lost"}, id="unknown-status"),
        pytest.param({"q": "x" * 500}, id="long-search"),
    ],
)
def test_a_bad_filter_is_said_on_the_page_never_a_500(shop: Caller, query: dict[str, str]) -> None:
    _order(shop, shop.shop())

    response = signed_in(shop.org).get("/app/orders/", query)

    assert response.status_code == 200
    assert "Correct the filter" in response.content.decode()


def test_a_stranger_is_sent_to_sign_in() -> None:
    response = Client().get("/app/orders/")
    assert response.status_code == 302
    assert "/app/sign-in" in response["Location"]


# One order ------------------------------------------------------------------------------------------


def test_the_order_page_shows_buyer_lines_totals_timeline_and_documents(shop: Caller) -> None:
    channel = shop.shop()
    shop.seed_003(channel)
    order_id = _order(shop, channel)
    invoice = Document.objects.get(order_id=order_id)

    response = signed_in(shop.org, "viewer").get(f"/app/orders/{order_id}/")

    assert response.status_code == 200
    page = response.content.decode()
    for text in ("Order #RO-1001", "Ana Popescu", "Bd. Eroilor 5", "Cluj-Napoca", "Romania", "Cană ceramică"):
        assert text in page, text
    assert "MUG-1" in page
    assert "Fan Courier" in page
    assert "Card" in page
    assert "RON\xa064.45" in page
    assert "RON\xa010.00" in page
    assert "Order received" in page
    assert f"Invoice {invoice.number}" in page or invoice.number in page
    assert re.search(r"rule \d+ &quot;Invoice for cards&quot;", page)  # what issued it, on the timeline
    assert "Paid" in page  # the invoice, marked paid by its rule


def test_a_viewer_sees_no_action_forms(shop: Caller) -> None:
    channel = shop.shop()
    _auto_off(channel)
    order_id = _order(shop, channel)

    page = signed_in(shop.org, "viewer").get(f"/app/orders/{order_id}/").content.decode()

    assert "Issue by hand" not in page
    assert "Record a payment" not in page
    assert "Explain" in page


def test_the_order_errors_are_shown_at_the_top(shop: Caller) -> None:
    order_id = _order(shop, shop.shop())
    Order.objects.filter(pk=order_id).update(
        errors=[{"code": "required", "message": "the buyer's VAT id is missing", "field": "buyer.vat_id"}]
    )

    page = signed_in(shop.org).get(f"/app/orders/{order_id}/").content.decode()

    assert "This order cannot be invoiced until this is fixed" in page
    assert "the buyer&#x27;s VAT id is missing" in page
    assert "buyer.vat_id" in page


@pytest.mark.parametrize("path", ["", "explain"])
def test_another_sellers_order_is_a_404(shop: Caller, path: str) -> None:
    order_id = _order(shop, shop.shop())

    response = signed_in(make.seller()).get(f"/app/orders/{order_id}/{path}")

    assert response.status_code == 404


@pytest.mark.parametrize("order_id", ["0", "99999999", "9223372036854775808", "99999999999999999999999"])
def test_an_order_that_does_not_exist_is_a_404(order_id: str) -> None:
    response = signed_in(make.seller()).get(f"/app/orders/{order_id}/")
    assert response.status_code == 404


# Explain --------------------------------------------------------------------------------------------


def test_explain_shows_each_rule_matched_or_its_first_failing_condition_and_what_would_be_issued(
    shop: Caller,
) -> None:
    channel = shop.shop()
    shop.seed_003(channel)
    _auto_off(channel)
    order_id = _order(shop, channel)

    response = signed_in(shop.org, "viewer").get(f"/app/orders/{order_id}/explain", headers={"HX-Request": "true"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "Proforma for transfers" in page
    assert "Invoice for cards" in page
    assert "matches" in page
    assert "payment method is card" in page  # the proforma rule's first failing condition
    assert "automatic issuing is off" in page
    assert "invoice 64.45" in page  # what would be issued now


def test_explain_without_javascript_is_the_whole_page_with_the_panel(shop: Caller) -> None:
    order_id = _order(shop, shop.shop())

    page = signed_in(shop.org).get(f"/app/orders/{order_id}/explain").content.decode()

    assert "<html" in page
    assert "Explain: the rules for this order" in page
    assert "Ana Popescu" in page


# Issue by hand --------------------------------------------------------------------------------------


def test_an_accountant_issues_an_invoice_by_hand(shop: Caller) -> None:
    channel = shop.shop()
    _auto_off(channel)
    order_id = _order(shop, channel)
    client = signed_in(shop.org, "accountant")

    response = client.post(f"/app/orders/{order_id}/issue", {"document_type": "invoice", "due_days": "14"})

    assert response.status_code == 302
    assert response["Location"] == f"/app/orders/{order_id}/#documents"
    invoice = Document.objects.get(order_id=order_id)
    assert (invoice.document_type, invoice.status, invoice.buyer_name) == ("invoice", "issued", "Ana Popescu")
    assert invoice.due_date == invoice.issue_date + dt.timedelta(days=14)
    page = client.get(response["Location"]).content.decode()
    assert f"Invoice {invoice.number} issued." in page


def test_a_second_invoice_by_hand_is_refused_with_a_message(shop: Caller) -> None:
    channel = shop.shop()
    _auto_off(channel)
    order_id = _order(shop, channel)
    client = signed_in(shop.org)
    client.post(f"/app/orders/{order_id}/issue", {"document_type": "invoice"})

    response = client.post(f"/app/orders/{order_id}/issue", {"document_type": "invoice"}, follow=True)

    assert response.status_code == 200
    assert "Not issued:" in response.content.decode()
    assert Document.objects.filter(order_id=order_id).count() == 1


def test_issuing_by_hand_with_bad_input_shows_the_form_error(shop: Caller) -> None:
    order_id = _order(shop, shop.shop())

    response = signed_in(shop.org).post(f"/app/orders/{order_id}/issue", {"document_type": "receipt", "due_days": "-1"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "is-invalid" in page
    assert "Select a valid choice" in page
    assert not Document.objects.filter(order_id=order_id).exists()


def test_a_viewer_may_not_issue(shop: Caller) -> None:
    order_id = _order(shop, shop.shop())

    response = signed_in(shop.org, "viewer").post(f"/app/orders/{order_id}/issue", {"document_type": "invoice"})

    assert response.status_code == 403
    assert not Document.objects.filter(order_id=order_id).exists()


def test_issuing_for_another_sellers_order_is_a_404(shop: Caller) -> None:
    order_id = _order(shop, shop.shop())

    response = signed_in(make.seller()).post(f"/app/orders/{order_id}/issue", {"document_type": "invoice"})

    assert response.status_code == 404
    assert not Document.objects.filter(order_id=order_id).exists()


def test_actions_are_post_only_and_need_the_csrf_token(shop: Caller) -> None:
    order_id = _order(shop, shop.shop())
    client = Client(enforce_csrf_checks=True)
    client.force_login(make.person(shop.org))

    assert client.get(f"/app/orders/{order_id}/issue").status_code == 405
    assert client.post(f"/app/orders/{order_id}/issue", {"document_type": "invoice"}).status_code == 403
    assert not Document.objects.filter(order_id=order_id).exists()


# Upload a PDF ---------------------------------------------------------------------------------------


def _manual_channel(shop: Caller) -> int:
    channel = shop.shop()
    SalesChannel.objects.filter(pk=channel).update(invoicing_mode="manual_upload")
    return channel


def test_in_manual_upload_mode_the_page_offers_the_upload_and_it_stores_the_document(shop: Caller) -> None:
    order_id = _order(shop, _manual_channel(shop))
    client = signed_in(shop.org, "accountant")
    assert "Upload a PDF" in client.get(f"/app/orders/{order_id}/").content.decode()

    response = client.post(
        f"/app/orders/{order_id}/upload",
        {
            "document_type": "invoice",
            "number": "EXT-77",
            "issue_date": "2026-03-02",
            "total": "64.45",
            "file": SimpleUploadedFile("invoice.pdf", MINIMAL_PDF, content_type="application/pdf"),
        },
    )

    assert response.status_code == 302
    document = Document.objects.get(order_id=order_id)
    assert (document.number, document.source, document.payable) == ("EXT-77", "uploaded", Decimal("64.45"))
    assert "EXT-77" in client.get(f"/app/orders/{order_id}/").content.decode()


@pytest.mark.parametrize(
    ("fields", "content", "message"),
    [
        pytest.param({}, b"hello", "is not a PDF", id="not-a-pdf"),
        pytest.param({"issue_date": "2999-01-01"}, MINIMAL_PDF, "must not be in the future", id="future-date"),
        pytest.param({"total": "1.234"}, MINIMAL_PDF, "at most 2 decimals", id="too-precise"),
        pytest.param({"number": ""}, MINIMAL_PDF, "This field is required", id="no-number"),
    ],
)
def test_an_upload_the_service_refuses_shows_its_reason_next_to_the_field(
    shop: Caller, fields: dict[str, str], content: bytes, message: str
) -> None:
    order_id = _order(shop, _manual_channel(shop))
    body = {"document_type": "invoice", "number": "EXT-1", "issue_date": "2026-03-02", "total": "64.45", **fields}
    body["file"] = SimpleUploadedFile("x.pdf", content, content_type="application/pdf")  # type: ignore[assignment]

    response = signed_in(shop.org).post(f"/app/orders/{order_id}/upload", body)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.filter(order_id=order_id).exists()


def test_an_upload_number_already_used_is_refused(shop: Caller) -> None:
    channel = _manual_channel(shop)
    first, second = _order(shop, channel, "1"), _order(shop, channel, "2")
    client = signed_in(shop.org)
    for order_id in (first, second):
        response = client.post(
            f"/app/orders/{order_id}/upload",
            {
                "document_type": "invoice",
                "number": "EXT-1",
                "issue_date": "2026-03-02",
                "file": SimpleUploadedFile("x.pdf", MINIMAL_PDF, content_type="application/pdf"),
            },
        )
    assert response.status_code == 400
    assert "already used" in response.content.decode()


def test_a_viewer_may_not_upload(shop: Caller) -> None:
    order_id = _order(shop, _manual_channel(shop))
    response = signed_in(shop.org, "viewer").post(
        f"/app/orders/{order_id}/upload",
        {
            "document_type": "invoice",
            "number": "E-1",
            "issue_date": "2026-03-02",
            "file": SimpleUploadedFile("x.pdf", MINIMAL_PDF),
        },
    )
    assert response.status_code == 403


# Record a payment -----------------------------------------------------------------------------------


def test_a_paid_proforma_brings_its_final_invoice_and_the_page_says_so(shop: Caller) -> None:
    channel = shop.shop()
    shop.seed_003(channel)
    order_id = _order(shop, channel, payment_method="bank_transfer")
    proforma = Document.objects.get(order_id=order_id)
    assert proforma.document_type == "proforma"
    client = signed_in(shop.org, "accountant")

    response = client.post(
        f"/app/orders/{order_id}/payments",
        {"document": proforma.pk, "amount": "64.45", "received_on": "2026-03-03", "reference": "OP 12"},
        follow=True,
    )

    assert response.status_code == 200
    invoice = Document.objects.get(order_id=order_id, document_type="invoice")
    page = response.content.decode()
    assert f"Payment of RON\xa064.45 recorded on {proforma.number}." in page
    assert f"The rules then issued Invoice {invoice.number}" in page
    assert "Payment recorded" in page
    assert "OP 12" in page
    assert Payment.objects.get(document=proforma).amount == Decimal("64.45")


def test_the_payment_form_proposes_the_open_document_and_its_balance(shop: Caller) -> None:
    channel = shop.shop()
    shop.seed_003(channel)
    order_id = _order(shop, channel, payment_method="bank_transfer")

    page = signed_in(shop.org, "accountant").get(f"/app/orders/{order_id}/").content.decode()

    assert 'name="amount" value="64.45"' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param({"amount": "0"}, "must be a non-zero", id="zero"),
        pytest.param({"amount": "lots"}, "Enter a number", id="not-a-number"),
        pytest.param({"received_on": "soon"}, "Enter a valid date", id="bad-date"),
        pytest.param({"document": "999999999"}, "Select a valid choice", id="not-this-orders-document"),
    ],
)
def test_a_bad_payment_shows_the_form_error(shop: Caller, fields: dict[str, str], message: str) -> None:
    channel = shop.shop()
    shop.seed_003(channel)
    order_id = _order(shop, channel, payment_method="bank_transfer")
    proforma = Document.objects.get(order_id=order_id)
    body = {"document": str(proforma.pk), "amount": "10", "received_on": "2026-03-03", **fields}

    response = signed_in(shop.org).post(f"/app/orders/{order_id}/payments", body)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Payment.objects.exists()


def test_a_payment_on_another_orders_document_is_refused(shop: Caller) -> None:
    channel = shop.shop()
    shop.seed_003(channel)
    first = _order(shop, channel, "1", payment_method="bank_transfer")
    second = _order(shop, channel, "2", payment_method="bank_transfer")
    other_proforma = Document.objects.get(order_id=second)

    response = signed_in(shop.org).post(
        f"/app/orders/{first}/payments", {"document": other_proforma.pk, "amount": "5", "received_on": "2026-03-03"}
    )

    assert response.status_code == 400
    assert not Payment.objects.exists()


@pytest.mark.parametrize("role", ["viewer"])
def test_a_viewer_may_not_record_a_payment(shop: Caller, role: str) -> None:
    channel = shop.shop()
    shop.seed_003(channel)
    order_id = _order(shop, channel, payment_method="bank_transfer")
    proforma = Document.objects.get(order_id=order_id)

    response = signed_in(shop.org, role).post(
        f"/app/orders/{order_id}/payments", {"document": proforma.pk, "amount": "5", "received_on": "2026-03-03"}
    )

    assert response.status_code == 403
    assert not Payment.objects.exists()


def test_a_payment_for_another_sellers_order_is_a_404(shop: Caller) -> None:
    channel = shop.shop()
    shop.seed_003(channel)
    order_id = _order(shop, channel, payment_method="bank_transfer")
    proforma = Document.objects.get(order_id=order_id)

    response = signed_in(make.seller()).post(
        f"/app/orders/{order_id}/payments", {"document": proforma.pk, "amount": "5", "received_on": "2026-03-03"}
    )

    assert response.status_code == 404
    assert not Payment.objects.exists()
