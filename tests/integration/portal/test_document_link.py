"""The signed link of a document email: a browser gets the portal's page of that document, a tool the PDF."""

from __future__ import annotations

import pytest
from django.test import Client

from faktura.apps.delivery.links import link_token
from faktura.apps.delivery.selectors import messages_of_document
from faktura.apps.delivery.services import document_email_enqueue, message_link_revoke
from faktura.apps.invoicing.services.rendering import document_render
from faktura.core.rules import PaymentMethod
from tests import factories as make
from tests.integration.portal import helpers
from tests.integration.portal.helpers import ANA

pytestmark = pytest.mark.django_db

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def linked_proforma() -> tuple[object, str]:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    _, [proforma] = helpers.order_for(org, channel, "1001", country="SK", payment_method=PaymentMethod.BANK_TRANSFER)
    sent = messages_of_document(organization=org, document_id=proforma.pk)  # the rules may have sent it already
    message = sent[0] if sent else document_email_enqueue(actor=make.TEST_ACTOR, document=proforma)
    document_render(document_id=proforma.pk)
    return proforma, link_token(organization_id=org.pk, document_id=proforma.pk, message_id=message.pk)


def test_a_browser_opening_the_link_gets_the_document_page_with_pdf_and_qr() -> None:
    proforma, token = linked_proforma()
    client = Client()
    answer = client.get(f"/d/{token}", headers=BROWSER)
    assert answer.status_code == 303
    assert answer["Location"] == f"/my/link/{token}"
    assert answer["Referrer-Policy"] == "no-referrer"

    page = client.get(answer["Location"], headers=BROWSER)
    text = page.content.decode()
    assert page.status_code == 200
    assert proforma.number in text  # type: ignore[attr-defined]
    assert f'href="/d/{token}/pdf"' in text
    assert "Pay by QR code" in text
    assert "Sign in to My orders" in text
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]

    pdf = client.get(f"/d/{token}/pdf", headers=BROWSER)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


def test_a_tool_without_accept_html_still_gets_the_pdf() -> None:
    _, token = linked_proforma()
    answer = Client().get(f"/d/{token}")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"


def test_the_signed_in_owner_is_offered_their_orders() -> None:
    _, token = linked_proforma()
    text = helpers.signed_in(ANA).get(f"/my/link/{token}").content.decode()
    assert "This document is in your orders." in text


def test_a_revoked_or_tampered_link_is_a_4xx_page_in_the_readers_language() -> None:
    proforma, token = linked_proforma()
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    answer = Client().get(f"/d/{changed}", headers={**BROWSER, "Accept-Language": "sk"})
    assert answer.status_code == 404
    assert '<html lang="sk">' in answer.content.decode()
    assert "Odkaz nie je platný" in answer.content.decode()
    assert Client().get(f"/my/link/{changed}").status_code == 404

    message_link_revoke(
        actor=make.TEST_ACTOR,
        organization=proforma.organization,  # type: ignore[attr-defined]
        message_id=messages_of_document(organization=proforma.organization, document_id=proforma.pk)[0].pk,  # type: ignore[attr-defined]
    )
    for path in (f"/d/{token}", f"/d/{token}/pdf", f"/my/link/{token}"):
        revoked = Client().get(path, headers={**BROWSER, "Accept-Language": "de"})
        assert revoked.status_code == 410, path
