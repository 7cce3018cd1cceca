"""The whole seller flow of issue 7 in one browser session.

Configure a series and a rule in Settings -> an order arrives through the REST
API -> its invoice is in the document list -> search finds it -> downloading
marks it -> a bulk ZIP contains it and a merged PDF has its pages -> deleting
an invoice that is not the latest number is refused, deleting the latest is
allowed.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pypdf
import pytest
from playwright.sync_api import expect

from faktura.apps.accounts.services import api_key_create
from faktura.apps.invoicing.models import Document
from faktura.apps.invoicing.services.rendering import document_render
from tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)


def _post_order(base: str, key: str, channel_code: str, number: str) -> dict[str, Any]:
    body = {
        "channel": channel_code,
        "external_id": number,
        "number": number,
        "status": "accepted",
        "payment_method": "card",
        "currency": "RON",
        "pricing": "gross",
        "placed_at": "2026-11-20T10:15:00+02:00",
        "buyer": {"name": f"Cumpărător {number}", "email": f"buyer-{number}@example.ro", "country": "RO"},
        "lines": [{"name": "Cană ceramică", "sku": "MUG-1", "quantity": 2, "unit_price": "49.90", "vat_rate": 21}],
    }
    request = urllib.request.Request(
        f"{base}/api/v1/orders",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 201
        return json.loads(response.read())


def _download(page: Any, button: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    return Path(download.value.path()).read_bytes()


def test_series_and_rule_then_an_api_order_is_invoiced_found_downloaded_bundled_and_deleted_by_the_rules(
    live_server: Any, page: Any, screenshot: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    org = make.seller()
    channel = make.channel(org, "Magazin online")
    make.person(org, "owner", email="ana@shop.test")
    _, key = api_key_create(actor=make.TEST_ACTOR, organization=org, name="shop")
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(f"{base}/app/sign-in")
    page.get_by_label("Email").fill("ana@shop.test")
    page.get_by_label("Password").fill(make.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    # Settings: an invoice series for the shop ...
    page.goto(f"{base}/app/settings/series/new?channel={channel.pk}")
    page.get_by_label("Pattern").fill("WEB{RRRR}{CCCC}")
    page.get_by_role("button", name="Add series").click()
    page.wait_for_url(f"{base}/app/settings/series/")
    # ... and a rule: accepted + card -> invoice
    page.goto(f"{base}/app/settings/rules/new/?channel={channel.pk}")
    page.get_by_label("Name").fill("Card orders")
    page.get_by_label("Accepted").check()
    page.get_by_label("Card", exact=True).check()
    page.get_by_label("Document to issue").select_option("invoice")
    page.get_by_role("button", name="Save rule").click()
    expect(page.get_by_text("Card orders").first).to_be_visible()

    # Orders arrive through the API; the rule issues an invoice for each.
    for number in ("5001", "5002", "5003"):
        _post_order(base, key, channel.code, number)
    invoices = list(Document.objects.filter(organization=org, status="issued").order_by("counter"))
    assert [d.number[-4:] for d in invoices] == ["0001", "0002", "0003"]
    first, latest = invoices[0], invoices[-1]

    page.goto(f"{base}/app/documents/")
    for invoice in invoices:
        expect(page.get_by_role("link", name=invoice.number)).to_be_visible()
    page.get_by_label("Search").fill("5002")
    page.wait_for_url(re.compile(r".*q=5002.*"))
    page.wait_for_function("document.querySelectorAll('table.documents-table tbody tr').length === 1")
    assert invoices[1].number in page.locator("table.documents-table tbody").inner_text()

    # Downloading marks the document; the list shows it.
    page.get_by_role("link", name=invoices[1].number).click()
    pdf = _download(page, "Download PDF")
    assert invoices[1].number in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    invoices[1].refresh_from_db()
    assert invoices[1].downloaded_at is not None
    page.goto(f"{base}/app/documents/?q={invoices[1].number}")
    assert page.locator(".downloaded-mark").count() == 1

    # Bulk: the selected rows as a ZIP and as one merged PDF.
    for invoice in invoices:
        document_render(document_id=invoice.pk)  # what the worker does after each issue
    page.goto(f"{base}/app/documents/")
    for invoice in invoices:
        page.get_by_label(f"Select {invoice.number}").check()
    archive = zipfile.ZipFile(io.BytesIO(_download(page, "Download ZIP")))
    assert sorted(archive.namelist()) == sorted(f"{d.number}.pdf" for d in invoices)
    for invoice in invoices:
        invoice.refresh_from_db()
        assert archive.read(f"{invoice.number}.pdf") == (tmp_path / invoice.pdf.name).read_bytes()
    page.goto(f"{base}/app/documents/")
    page.get_by_label("Select every document that matches the filter, on all pages").check()
    merged = pypdf.PdfReader(io.BytesIO(_download(page, "Download merged PDF")))
    assert len(merged.pages) == 3
    text = "\n".join(p.extract_text() for p in merged.pages)
    assert all(invoice.number in text for invoice in invoices)

    # F2.4: not the latest number -> refused with what to do instead; the latest -> deleted.
    page.goto(f"{base}/app/documents/{first.pk}/")
    page.locator("summary", has_text="Delete").click()
    page.get_by_role("button", name="Delete the document").click()
    assert "not the latest number" in page.get_by_role("alert").inner_text()
    assert Document.objects.filter(pk=first.pk).exists()
    page.goto(f"{base}/app/documents/{latest.pk}/")
    page.locator("summary", has_text="Delete").click()
    page.get_by_role("button", name="Delete the document").click()
    page.wait_for_url(re.compile(r".*/app/documents/$"))
    assert not Document.objects.filter(pk=latest.pk).exists()
    screenshot(page, "flow-after-delete")
