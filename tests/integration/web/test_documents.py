"""The seller web app's document pages: the list, one document, its actions and the bulk actions.

Every page answers for its seller only (another seller's id is a 404), every
action needs its role (a viewer looks, an accountant records payments but
does not delete), and bad input is a form error or a message, never a 500.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client

from faktura.apps.accounts.models import Organization
from faktura.apps.audit.models import AuditEvent
from faktura.apps.delivery.models import OutgoingMessage
from faktura.apps.integrations.models.outbox import OutboundEvent
from faktura.apps.invoicing.models import Document, DocumentSource
from faktura.apps.invoicing.selectors import DocumentFilters, document_filters_from_query
from faktura.apps.invoicing.services import BuyerDetails, document_issue, document_mark_downloaded
from faktura.apps.payments.models import Payment
from tests import factories as make

pytestmark = pytest.mark.django_db


def signed_in(org: Organization, role: str = "owner") -> Client:
    client = Client()
    client.force_login(make.person(org, role))
    return client


def issued(org: Organization, **options: object) -> Document:
    draft = make.draft(org, **options)
    return document_issue(actor=make.TEST_ACTOR, organization=org, document_id=draft.pk)


@pytest.fixture
def org() -> Organization:
    seller = make.seller()
    make.series(seller)
    make.series(seller, pattern="CN{RRRR}{CCC}", document_type="credit_note")
    return seller


def notes(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


# --- the list -------------------------------------------------------------------------------------------------


def test_the_list_shows_the_sellers_documents_with_their_number_buyer_total_and_state(org: Organization) -> None:
    first = issued(org)
    second = issued(org, buyer=BuyerDetails(name="Bogdan Ionescu", country="RO", email="bogdan@example.ro"))
    response = signed_in(org, "viewer").get("/app/documents/")
    assert response.status_code == 200
    page = response.content.decode()
    assert first.number in page
    assert second.number in page
    assert "Bogdan Ionescu" in page
    assert "bogdan@example.ro" in page
    assert page.index(second.number) < page.index(first.number)  # newest first
    assert "state-unpaid" in page
    assert "24.20" in page  # 2 x 12.10, locale formatted in English


def test_the_list_shows_nothing_of_another_seller(org: Organization) -> None:
    other = make.seller()
    make.series(other, pattern="OT{RRRR}{CCC}")
    theirs = issued(other)
    page = signed_in(org).get("/app/documents/").content.decode()
    assert theirs.number not in page
    assert "No documents yet" in page


def test_search_finds_a_document_by_buyer_email_and_filters_keep_in_the_url(org: Organization) -> None:
    issued(org)
    wanted = issued(org, buyer=BuyerDetails(name="Carla Dumitru", country="RO", email="carla@shop.ro"))
    client = signed_in(org)
    page = client.get("/app/documents/", {"q": "carla@", "payment_state": "unpaid"}).content.decode()
    assert wanted.number in page
    assert page.count('name="ids"') == 1
    assert 'name="q" value="carla@"' in page or "carla@" in page


def test_the_payment_state_filter_shows_overdue_documents(org: Organization) -> None:
    old = issued(
        org, supply_date=dt.date.today() - dt.timedelta(days=40), due_date=dt.date.today() - dt.timedelta(days=30)
    )
    fresh = issued(org)
    page = signed_in(org).get("/app/documents/?payment_state=overdue").content.decode()
    assert old.number in page
    assert fresh.number not in page
    assert "state-overdue" in page


def test_htmx_gets_only_the_table(org: Organization) -> None:
    issued(org)
    response = signed_in(org).get(
        "/app/documents/", {"q": "FA"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="documents-results"
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"documents-table" in response.content


@pytest.mark.parametrize(
    "query",
    [
        {"issued_from": "2026-13-01"},
        {"issued_from": "2026-05-01", "issued_to": "2026-04-01"},
        {"channel": "999999999"},
        {"channel": "abc"},
        {"type": "receipt"},
        {"payment_state": "'; drop table"},
        {"sort": "evil"},
        {"cursor": "-5"},
        {"cursor": "W10"},
        {"order": "x"},
        {"q": "x" * 500},
    ],
)
def test_a_bad_filter_value_is_left_out_never_a_500(org: Organization, query: dict[str, str]) -> None:
    issued(org)
    response = signed_in(org).get("/app/documents/", query)
    assert response.status_code == 200


def _link(page: str, rel: str) -> str:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    assert found, f"no {rel} link"
    return "/app/documents/" + html.unescape(found.group(1))


def test_keyset_pages_go_forwards_and_back_in_the_chosen_sort(
    org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faktura.apps.invoicing.views import documents

    monkeypatch.setattr(documents, "PAGE_SIZE", 2)
    made = [issued(org, lines=[make.line(price=price)]) for price in ("30.00", "10.00", "20.00")]
    client = signed_in(org)
    first = client.get("/app/documents/?sort=-total").content.decode()
    assert made[0].number in first
    assert made[2].number in first
    assert made[1].number not in first
    second = client.get(_link(first, "next")).content.decode()
    assert made[1].number in second
    assert made[0].number not in second
    assert "First page" in second
    back = client.get(_link(second, "prev")).content.decode()
    assert made[0].number in back
    assert made[1].number not in back


def test_a_cursor_that_does_not_parse_opens_the_first_page(org: Organization) -> None:
    document = issued(org)
    response = signed_in(org).get("/app/documents/?cursor=garbage&sort=number")
    assert response.status_code == 200
    assert document.number in response.content.decode()


def test_the_list_marks_test_documents_and_downloaded_ones(org: Organization) -> None:
    document = issued(org)
    document_mark_downloaded(actor=make.TEST_ACTOR, organization=org, document_ids=[document.pk])
    page = signed_in(org).get("/app/documents/").content.decode()
    assert "downloaded-mark" in page


def test_the_filter_parser_for_other_doors_reads_the_list_parameters(org: Organization) -> None:
    channel = make.channel(org, "Main shop")
    found = document_filters_from_query(
        {
            "q": " ana ",
            "payment_state": "overdue",
            "type": "invoice",
            "channel": str(channel.pk),
            "issued_from": "2026-01-01",
        },
        org,
    )
    assert found == DocumentFilters(
        document_type="invoice",
        payment_state="overdue",
        channel_id=channel.pk,
        issued_from=dt.date(2026, 1, 1),
        q="ana",
        sort="newest",
    )
    other_channel = make.channel(make.seller())
    assert document_filters_from_query({"channel": str(other_channel.pk)}, org).channel_id is None


# --- one document ---------------------------------------------------------------------------------------------


def test_the_detail_shows_lines_vat_totals_and_history(org: Organization) -> None:
    document = issued(org)
    response = signed_in(org, "viewer").get(f"/app/documents/{document.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert document.number in page
    assert "Cană ceramică" in page
    assert "Exemplu Comerț SRL" in page
    assert "Ana Popescu" in page
    assert "VAT breakdown" in page
    assert "Your role lets you view and download this document." in page
    assert "Record a payment" not in page
    assert "Delete the document" not in page


def test_another_sellers_document_is_a_404_on_every_page_and_action(org: Organization) -> None:
    other = make.seller()
    make.series(other, pattern="OT{RRRR}{CCC}")
    theirs = issued(other)
    client = signed_in(org)
    assert client.get(f"/app/documents/{theirs.pk}/").status_code == 404
    for action in ("pdf", "payments", "cancel", "credit", "email", "delete"):
        assert client.post(f"/app/documents/{theirs.pk}/{action}").status_code == 404, action
    theirs.refresh_from_db()
    assert theirs.status == "issued"


def test_downloading_the_pdf_marks_the_document_downloaded(org: Organization) -> None:
    document = issued(org)
    client = signed_in(org, "viewer")
    response = client.post(f"/app/documents/{document.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    document.refresh_from_db()
    assert document.downloaded_at is not None
    first = document.downloaded_at
    client.post(f"/app/documents/{document.pk}/pdf")
    document.refresh_from_db()
    assert document.downloaded_at == first  # the first download is what counts
    assert AuditEvent.objects.filter(action="document.downloaded", object_id=str(document.pk)).count() == 1


def test_a_get_of_an_action_is_refused(org: Organization) -> None:
    document = issued(org)
    assert signed_in(org).get(f"/app/documents/{document.pk}/delete").status_code == 405


@pytest.mark.parametrize(
    ("role", "allowed"), [("owner", True), ("admin", True), ("accountant", True), ("viewer", False)]
)
def test_recording_a_payment_needs_the_right_role(org: Organization, role: str, allowed: bool) -> None:
    document = issued(org)
    response = signed_in(org, role).post(
        f"/app/documents/{document.pk}/payments",
        {"payment-amount": "10.00", "payment-received_on": "2026-03-01", "payment-reference": "OP 7"},
    )
    document.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert document.payment_state == "partially_paid"
        assert Payment.objects.get(document=document).reference == "OP 7"
    else:
        assert response.status_code == 403
        assert document.payment_state == "unpaid"


@pytest.mark.parametrize(
    "data",
    [
        {"payment-amount": "", "payment-received_on": "2026-03-01"},
        {"payment-amount": "abc", "payment-received_on": "2026-03-01"},
        {"payment-amount": "0", "payment-received_on": "2026-03-01"},
        {"payment-amount": "1e400", "payment-received_on": "2026-03-01"},
        {"payment-amount": "10.123", "payment-received_on": "2026-03-01"},
        {"payment-amount": "10", "payment-received_on": "yesterday"},
    ],
)
def test_a_bad_payment_is_a_form_error(org: Organization, data: dict[str, str]) -> None:
    document = issued(org)
    response = signed_in(org, "accountant").post(f"/app/documents/{document.pk}/payments", data)
    assert response.status_code in (200, 302, 400)
    if response.status_code == 400:
        assert b"invalid-feedback" in response.content
    assert not Payment.objects.filter(document=document).exclude(amount=Decimal("10.12")).exists()


def test_the_accountant_may_not_delete(org: Organization) -> None:
    document = issued(org)
    client = signed_in(org, "accountant")
    assert "Delete the document" not in client.get(f"/app/documents/{document.pk}/").content.decode()
    assert client.post(f"/app/documents/{document.pk}/delete").status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()


def test_deleting_the_latest_number_works_and_a_non_latest_is_refused_with_the_alternatives(org: Organization) -> None:
    first, latest = issued(org), issued(org)
    client = signed_in(org)
    refused = client.post(f"/app/documents/{first.pk}/delete", {"delete-reason": "typo"})
    assert refused.status_code == 302
    assert refused["Location"] == f"/app/documents/{first.pk}/"
    said = " ".join(notes(refused))
    assert "not the latest number" in said
    assert "credit note" in said
    assert Document.objects.filter(pk=first.pk).exists()
    done = client.post(f"/app/documents/{latest.pk}/delete", {"delete-reason": "duplicate"})
    assert done.status_code == 302
    assert done["Location"] == "/app/documents/"
    assert not Document.objects.filter(pk=latest.pk).exists()


def test_the_connected_system_copy_option_is_offered_and_told_only_for_external_documents(org: Organization) -> None:
    document = issued(org)
    client = signed_in(org)
    assert "connected system" not in client.get(f"/app/documents/{document.pk}/").content.decode()
    Document.objects.filter(pk=document.pk).update(source=DocumentSource.EXTERNAL)
    assert (
        "Also delete the copy in the connected system" in client.get(f"/app/documents/{document.pk}/").content.decode()
    )
    client.post(f"/app/documents/{document.pk}/delete", {"delete-delete_in_connected_system": "on"})
    assert not Document.objects.filter(pk=document.pk).exists()
    event = OutboundEvent.objects.get(event_type="document.deleted", object_id=document.pk)
    assert event.data["delete_in_connected_system"] is True
    audit = AuditEvent.objects.get(action="document.deleted", object_id=str(document.pk))
    assert audit.data["delete_in_connected_system"] is True


def test_cancelling_needs_a_reason_and_the_role(org: Organization) -> None:
    document = issued(org)
    assert signed_in(org, "viewer").post(f"/app/documents/{document.pk}/cancel").status_code == 403
    client = signed_in(org, "accountant")
    empty = client.post(f"/app/documents/{document.pk}/cancel", {"cancel-reason": ""})
    assert empty.status_code == 400
    assert b"invalid-feedback" in empty.content
    done = client.post(f"/app/documents/{document.pk}/cancel", {"cancel-reason": "order cancelled"})
    assert done.status_code == 302
    document.refresh_from_db()
    assert document.status == "cancelled"
    assert document.cancel_reason == "order cancelled"
    again = client.post(f"/app/documents/{document.pk}/cancel", {"cancel-reason": "twice"})
    assert again.status_code == 302
    assert any("was not cancelled" in text for text in notes(again))


def test_a_full_credit_note_opens_the_note(org: Organization) -> None:
    invoice = issued(org)
    response = signed_in(org, "accountant").post(
        f"/app/documents/{invoice.pk}/credit", {"credit-mode": "full", "credit-reason": "returned"}
    )
    note = Document.objects.get(corrected_document=invoice)
    assert response.status_code == 302
    assert response["Location"] == f"/app/documents/{note.pk}/"
    assert note.payable == -invoice.payable
    page = signed_in(org).get(f"/app/documents/{invoice.pk}/").content.decode()
    assert note.number in page
    assert "Issue a credit note" not in page  # nothing left to credit


def test_a_credit_by_lines_and_by_amount(org: Organization) -> None:
    invoice = issued(org, lines=[make.line(quantity="3", price="10.00"), make.line(name="Farfurie", price="5.00")])
    client = signed_in(org)
    by_lines = client.post(f"/app/documents/{invoice.pk}/credit", {"credit-mode": "lines", "credit-qty_1": "1"})
    assert by_lines.status_code == 302
    note = Document.objects.get(corrected_document=invoice)
    assert [(line.corrects_position, line.quantity) for line in note.lines.all()] == [(1, Decimal("-1"))]
    by_amount = client.post(f"/app/documents/{invoice.pk}/credit", {"credit-mode": "amount", "credit-amount": "5.00"})
    assert by_amount.status_code == 302
    assert Document.objects.filter(corrected_document=invoice).count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {"credit-mode": "amount", "credit-amount": ""},
        {"credit-mode": "amount", "credit-amount": "100000"},
        {"credit-mode": "amount", "credit-amount": "1.001"},
        {"credit-mode": "lines"},
        {"credit-mode": "lines", "credit-qty_1": "99"},
        {"credit-mode": "lines", "credit-qty_1": "-1"},
        {"credit-mode": "bogus"},
    ],
)
def test_a_bad_credit_is_a_form_error_or_a_message(org: Organization, data: dict[str, str]) -> None:
    invoice = issued(org)
    response = signed_in(org).post(f"/app/documents/{invoice.pk}/credit", data)
    assert response.status_code in (302, 400)
    assert not Document.objects.filter(corrected_document=invoice).exists()
    if response.status_code == 302:
        assert notes(response)


def test_a_credit_of_a_proforma_is_refused_with_a_message(org: Organization) -> None:
    make.series(org, pattern="PF{RRRR}{CCC}", document_type="proforma")
    proforma = issued(org, document_type="proforma")
    response = signed_in(org).post(f"/app/documents/{proforma.pk}/credit", {"credit-mode": "full"})
    assert response.status_code == 302
    assert any("cannot be credited" in text for text in notes(response))


def test_emailing_again_queues_a_message_and_a_bad_address_is_a_form_error(org: Organization) -> None:
    document = issued(org)
    client = signed_in(org, "accountant")
    bad = client.post(f"/app/documents/{document.pk}/email", {"resend-to": "not an address"})
    assert bad.status_code == 400
    assert b"invalid-feedback" in bad.content
    good = client.post(f"/app/documents/{document.pk}/email", {"resend-to": ""})
    assert good.status_code == 302
    assert OutgoingMessage.objects.filter(document_id=document.pk, recipient="ana@example.ro").exists()
    page = client.get(f"/app/documents/{document.pk}/").content.decode()
    assert "ana@example.ro" in page
    assert signed_in(org, "viewer").post(f"/app/documents/{document.pk}/email").status_code == 403


# --- bulk -----------------------------------------------------------------------------------------------------


def test_bulk_delete_deletes_what_it_may_and_says_why_not_the_rest(org: Organization) -> None:
    first, second, third = issued(org), issued(org), issued(org)
    response = signed_in(org).post(
        "/app/documents/bulk", {"action": "delete", "ids": [first.pk, third.pk], "back": "?q=FA"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/app/documents/?q=FA"
    said = notes(response)
    assert any("1 document deleted" in text for text in said)
    assert any(first.number in text and "not the latest" in text for text in said)
    assert set(Document.objects.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_bulk_delete_of_everything_matching_takes_the_series_from_the_top(org: Organization) -> None:
    made = [issued(org) for _ in range(3)]
    response = signed_in(org).post("/app/documents/bulk", {"action": "delete", "all_matching": "1", "q": "FA"})
    assert any("3 documents deleted" in text for text in notes(response))
    assert not Document.objects.filter(pk__in=[d.pk for d in made]).exists()


def test_bulk_mark_paid_records_the_open_amount_and_skips_paid_ones(org: Organization) -> None:
    first, second = issued(org), issued(org)
    client = signed_in(org, "accountant")
    client.post("/app/documents/bulk", {"action": "mark_paid", "ids": [first.pk]})
    response = client.post("/app/documents/bulk", {"action": "mark_paid", "ids": [first.pk, second.pk]})
    said = notes(response)
    assert any("1 document marked paid" in text for text in said)
    assert any("nothing is left to pay" in text for text in said)
    assert set(Document.objects.values_list("payment_state", flat=True)) == {"paid"}


def test_bulk_actions_need_their_role_and_ignore_other_sellers_ids(org: Organization) -> None:
    mine = issued(org)
    other = make.seller()
    make.series(other, pattern="OT{RRRR}{CCC}")
    theirs = issued(other)
    assert (
        signed_in(org, "accountant").post("/app/documents/bulk", {"action": "delete", "ids": [mine.pk]}).status_code
        == 403
    )
    assert (
        signed_in(org, "viewer").post("/app/documents/bulk", {"action": "mark_paid", "ids": [mine.pk]}).status_code
        == 403
    )
    response = signed_in(org).post("/app/documents/bulk", {"action": "delete", "ids": [theirs.pk]})
    assert response.status_code == 302
    assert Document.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    "data", [{}, {"action": "explode", "ids": ["1"]}, {"action": "delete", "ids": ["x", "-1", "9" * 30]}]
)
def test_bad_bulk_input_is_a_message(org: Organization, data: dict[str, object]) -> None:
    response = signed_in(org).post("/app/documents/bulk", data)
    assert response.status_code == 302
    assert notes(response)


def test_bulk_resend_reports_buyers_without_an_email(org: Organization) -> None:
    with_email = issued(org)
    without = issued(org, buyer=BuyerDetails(name="Fără Email", country="RO"))
    response = signed_in(org).post("/app/documents/bulk", {"action": "resend", "ids": [with_email.pk, without.pk]})
    said = notes(response)
    assert any("1 document queued for email" in text for text in said)
    assert any(without.number in text for text in said)


# --- languages ------------------------------------------------------------------------------------------------


def _speaking(client: Client, language: str) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_list_speaks_romanian_with_romanian_money_and_dates(org: Organization) -> None:
    document = issued(org)
    page = _speaking(signed_in(org), "ro").get("/app/documents/").content.decode()
    assert "Neplătit" in page or "Neachitat" in page  # the same msgid in an earlier app's catalog wins
    assert "Cele mai noi întâi" in page
    assert "24,20\xa0RON" in page
    assert document.issue_date.strftime("%d.%m.%Y") in page


def test_a_bulk_report_counts_in_slovak_plurals(org: Organization) -> None:
    made = [issued(org) for _ in range(3)]
    client = _speaking(signed_in(org), "sk")
    response = client.post("/app/documents/bulk", {"action": "mark_paid", "ids": [d.pk for d in made]})
    assert "3 doklady označené ako uhradené." in notes(response)


def test_the_detail_speaks_hungarian(org: Organization) -> None:
    document = issued(org)
    page = _speaking(signed_in(org), "hu").get(f"/app/documents/{document.pk}/").content.decode()
    assert "ÁFA-összesítő" in page
    assert "Érvénytelenítés" in page
    assert "24,20\xa0RON" in page


def test_the_export_buttons_post_the_selection_to_the_exports_for_those_who_may_export(org: Organization) -> None:
    issued(org)
    page = signed_in(org, "accountant").get("/app/documents/?q=FA").content.decode()
    for action in ("zip", "pdf", "csv", "xlsx"):
        assert f'formaction="/app/documents/exports/start" name="action" value="{action}"' in page
    assert '<input type="hidden" name="q" value="FA">' in page  # "everything matching" sends the filter
    viewer = signed_in(org, "viewer").get("/app/documents/").content.decode()
    assert "exports/start" not in viewer
    assert 'value="delete"' not in viewer
    assert 'value="mark_paid"' not in viewer


def test_a_document_of_an_order_links_to_the_order_and_the_list_filters_by_it(client: Client) -> None:
    from faktura.apps.invoicing.services import document_issue_from_order
    from faktura.apps.sales.models import SalesChannel
    from tests.integration.orders.caller import Caller, order_body

    shop = Caller(client)
    channel = shop.shop()
    SalesChannel.objects.filter(pk=channel).update(auto_issue=False)
    response = shop.post("/orders", order_body(channel, "2001"))
    order_id = int(response.json()["order"]["id"])
    document = document_issue_from_order(
        actor=make.TEST_ACTOR, organization=shop.org, order_id=order_id, document_type="invoice"
    )
    browser = signed_in(shop.org, "viewer")
    page = browser.get(f"/app/documents/{document.pk}/").content.decode()
    assert f'href="/app/orders/{order_id}/"' in page
    assert document.order_number in page
    listed = browser.get(f"/app/documents/?order={order_id}").content.decode()
    assert document.number in listed
    assert "Only the documents of one order are shown." in listed
    assert browser.get(f"/app/documents/?order={order_id + 1000}").content.decode().count('name="ids"') == 0
