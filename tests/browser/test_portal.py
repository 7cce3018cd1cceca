"""The buyer portal in a real browser: magic link from the email, My orders, an order with its QR code, the PDF,
and another buyer's ids answering 404."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from faktura.apps.invoicing.services.rendering import document_render
from faktura.core.rules import PaymentMethod
from tests.integration.delivery.helpers import stored_pdf
from tests.integration.portal import helpers
from tests.integration.portal.helpers import ANA
from tests.unit.pdf.qr_scan import decode_bysquare, scan_png

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def portal_settings(settings: Any, live_server: Any, tmp_path: Path) -> Any:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.FAKTURA_BASE_URL = live_server.url
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.FAKTURA_PORTAL_ALL_SELLERS = True
    return settings


def test_a_buyer_signs_in_by_email_link_sees_both_sellers_pays_by_qr_and_downloads_the_pdf(
    portal_settings: Any, live_server: Any, page: Any, screenshot: Callable[..., Path]
) -> None:
    carpathia, carpathia_shop = helpers.shop("Carpathia Ceramics SRL")
    danube, danube_shop = helpers.shop("Danube Books SRL")
    _, [invoice] = helpers.order_for(carpathia, carpathia_shop, "1001", country="SK")
    _, [proforma] = helpers.order_for(
        danube, danube_shop, "2002", country="SK", payment_method=PaymentMethod.BANK_TRANSFER
    )
    bens, [bens_invoice] = helpers.order_for(danube, danube_shop, "2003", email="ben@example.sk")
    for document in (invoice, proforma, bens_invoice):
        document_render(document_id=document.pk)

    page.goto(f"{live_server.url}/my/orders/")
    assert "/my/sign-in" in page.url
    screenshot(page, "portal-sign-in")
    page.get_by_label("Your email address").fill(ANA)
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.get_by_role("heading", name="Check your email").wait_for()  # waits (under load) until it shows
    screenshot(page, "portal-check-email")

    assert helpers.run_sends() == 1
    [email] = mail.outbox
    assert email.to == [ANA]
    [link] = re.findall(rf"{re.escape(live_server.url)}/my/sign-in/[0-9a-f]{{64}}", email.body)
    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/my/orders/")
    assert page.get_by_role("heading", name="My orders").is_visible()
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "Danube Books SRL" in page.content()
    assert "Carpathia Ceramics SRL" in page.content()
    assert "RO-2003" not in page.content()
    screenshot(page, "portal-orders")

    page.get_by_role("link", name="Order #RO-2002").click()
    page.get_by_role("heading", name="Order #RO-2002").wait_for()
    qr = page.get_by_test_id(f"qr-{proforma.pk}")
    assert qr.is_visible()
    screenshot(page, "portal-order")
    _, fields = decode_bysquare(scan_png(qr.screenshot()))
    assert Decimal(fields["amount"]) == proforma.payable
    assert fields["iban"] == "RO49AAAA1B31007593840000"

    with page.expect_download() as download:
        page.get_by_test_id(f"pdf-{proforma.pk}").click()
    assert Path(download.value.path()).read_bytes() == stored_pdf(proforma)
    assert download.value.suggested_filename == f"{proforma.number}.pdf"

    for path in (f"/my/orders/{bens.pk}/", f"/my/documents/{bens_invoice.pk}/"):
        answer = page.goto(f"{live_server.url}{path}")
        assert answer.status == 404
        assert page.get_by_role("heading", name="Not found").is_visible()
    pdf = page.request.get(f"{live_server.url}/my/documents/{bens_invoice.pk}/pdf")
    assert pdf.status == 404
    screenshot(page, "portal-not-found")

    page.goto(f"{live_server.url}/my/orders/")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("sk")
    assert page.get_by_role("heading", name="Moje objednávky").is_visible()
    screenshot(page, "portal-orders-sk")


def test_the_document_link_of_an_email_opens_its_page_in_a_browser(
    portal_settings: Any, live_server: Any, page: Any, screenshot: Callable[..., Path]
) -> None:
    from faktura.apps.delivery.links import link_token
    from faktura.apps.delivery.selectors import messages_of_document
    from faktura.apps.delivery.services import document_email_enqueue
    from tests import factories as make

    org, channel = helpers.shop("Danube Books SRL")
    _, [proforma] = helpers.order_for(org, channel, "2002", country="SK", payment_method=PaymentMethod.BANK_TRANSFER)
    document_render(document_id=proforma.pk)
    sent = messages_of_document(organization=org, document_id=proforma.pk)
    message = sent[0] if sent else document_email_enqueue(actor=make.TEST_ACTOR, document=proforma)
    token = link_token(organization_id=org.pk, document_id=proforma.pk, message_id=message.pk)

    page.goto(f"{live_server.url}/d/{token}")
    assert page.url == f"{live_server.url}/my/link/{token}"
    assert page.get_by_test_id(f"qr-{proforma.pk}").is_visible()
    assert page.get_by_role("link", name="Sign in to My orders").is_visible()
    screenshot(page, "portal-document-link")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert Path(download.value.path()).read_bytes() == stored_pdf(proforma)
