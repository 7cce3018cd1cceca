"""An unpaid document in the portal carries the payment QR code of its PDF, for the amount still due."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from faktura.apps.invoicing.services.rendering import document_data
from faktura.core.rules import PaymentMethod
from faktura.pdf.qr import payment_qr
from tests.integration.portal import helpers
from tests.integration.portal.helpers import ANA
from tests.unit.pdf.qr_scan import decode_bysquare, scan_gray

pytestmark = pytest.mark.django_db


def rasterise(svg: str, px: int = 4) -> str:
    """Draw segno's one-path SVG (``M x y``, ``h n``, ``m dx dy`` in modules) in grey and scan it."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))  # type: ignore[union-attr]
    path = re.search(r' d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    side = size * px
    raster = bytearray(b"\xff" * side * side)
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y - 0.5)
            for column in range(int(x), int(x + float(a))):
                for dy in range(px):
                    start = (row * px + dy) * side + column * px
                    raster[start : start + px] = b"\x00" * px
            x += float(a)
    return scan_gray(bytes(raster), side, side)


def test_an_unpaid_proforma_carries_the_qr_code_and_it_scans_to_the_amount_due() -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    order, [proforma] = helpers.order_for(
        org, channel, "1001", country="SK", payment_method=PaymentMethod.BANK_TRANSFER
    )
    page = helpers.signed_in(ANA).get(f"/my/orders/{order.pk}/").content.decode()

    [svg] = re.findall(r'data-testid="qr-\d+">(<svg .*?</svg>)', page)
    text = rasterise(svg)
    _, fields = decode_bysquare(text)
    assert Decimal(fields["amount"]) == proforma.payable == Decimal("34.20")
    assert fields["currency"] == "RON"
    assert fields["iban"] == "RO49AAAA1B31007593840000"
    assert fields["note"] == proforma.number
    proforma.refresh_from_db()
    assert text == payment_qr(document_data(proforma)).payload  # type: ignore[union-attr]  # the PDF's payload
    assert 'data-scheme="bysquare"' in page


def test_a_paid_invoice_has_no_qr_code() -> None:
    org, channel = helpers.shop("Carpathia Ceramics SRL")
    order, [invoice] = helpers.order_for(org, channel, "1001", country="SK")
    assert invoice.payment_state == "paid"
    page = helpers.signed_in(ANA).get(f"/my/orders/{order.pk}/").content.decode()
    assert "<svg" not in page
    assert "Pay by QR code" not in page
